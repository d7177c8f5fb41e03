"""`make bench` end to end at a tiny size, as a test (no time is asserted: the numbers mean
something only at the sizes `make bench` runs). The benchmark must run every command it
times and find the plain DuckDB script, the pandas baseline and the incremental builds
equal to the project's builds: it exits with an error otherwise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from customer_value import bench, bench_plot
from python_tests.dbt_helpers import PROJECT_DIR


def test_the_benchmark_runs_and_its_baselines_agree_with_the_project(tmp_path: Path) -> None:
    output = tmp_path / "smoke.md"
    env = os.environ | {"DBT_TARGET": "duckdb"}
    command = [
        *(sys.executable, "-m", "customer_value.bench", "--sizes", "20000", "--shapes", "typical"),
        *("--output", str(output)),
    ]
    result = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    text = output.read_text()
    # One row per table (the size run, its incremental builds, the predictive branch): the
    # first two say the baselines and the incremental builds agree with the project.
    rows = [line for line in text.splitlines() if re.match(r"\| [0-9,]+ \|", line)]
    assert len(rows) == 3, text
    assert rows[0].endswith("| yes | yes |"), rows[0]
    assert rows[1].endswith("| yes |"), rows[1]
    # Beside the table: the numbers, and the plot of time against size with plotly.js beside it.
    numbers = json.loads(output.with_suffix(".json").read_text())
    assert [result["orders"] for result in numbers] == [int(rows[0].split("|")[1].replace(",", ""))]
    plot = output.with_suffix(".html").read_text()
    assert all(f'"name":"{name}"' in plot for name in bench_plot.MEASURES), plot[-3000:]
    assert 'src="plotly.min.js"' in plot
    assert (tmp_path / "plotly.min.js").stat().st_size > 1_000_000


def test_a_run_replaces_the_rows_of_its_sizes_and_shapes_and_keeps_the_others(tmp_path: Path) -> None:
    """`make bench BENCH_SIZES=100000000` adds its row to the table of the default run: the
    numbers of other sizes and shapes are read back from results.json, the re-run ones replaced."""
    earlier = [
        {"size": size, "shape": shape, "build": bench.Run(float(size), 1.0), "commit": "old"}
        for size, shape in [(10, "skewed"), (10, "typical"), (100, "typical")]
    ]
    numbers = tmp_path / "results.json"
    numbers.write_text(json.dumps(earlier, default=vars))
    loaded = bench.load(numbers)
    assert loaded[0]["build"] == bench.Run(10.0, 1.0)  # a Run again, its spill not sampled (None)
    measured = [{"size": 100, "shape": "typical", "commit": "new"}, {"size": 1000, "shape": "typical", "commit": "new"}]
    results = bench.merged(loaded, measured)
    # By size, the typical shape first; 100 typical is the new one, 10 of both shapes kept.
    assert [(r["size"], r["shape"], r["commit"]) for r in results] == [
        (10, "typical", "old"),
        (10, "skewed", "old"),
        (100, "typical", "new"),
        (1000, "typical", "new"),
    ]
    assert bench.load(tmp_path / "missing.json") == []
