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


def test_a_failed_incremental_build_is_reported_with_its_reason_not_hidden(tmp_path: Path) -> None:
    """The builds of a day's changes are measured with may_fail: a failure (at 100 M orders,
    out of memory: D56) goes into the report, the targets count it as missed, and the bench
    still exits with an error (main); any other measured command stops the bench."""
    log = "\n".join(
        [
            "12:00:01  1 of 2 ERROR creating sql table model marts.customers ..... [ERROR in 3.0s]",
            "12:00:02  Runtime Error in model customers (models/marts/customers.sql)",
            "  Out of Memory Error: could not allocate block of size 256.0 KiB (2.7 GiB/2.7 GiB used)",
            "12:00:02  Done. PASS=1 WARN=0 ERROR=1 SKIP=0 TOTAL=2",
        ]
    )
    failing = [sys.executable, "-c", f"import sys; print({log!r}); sys.exit(1)"]
    failed = bench.measure("failing", failing, tmp_path, dict(os.environ), may_fail=True)
    assert failed.failure == (
        "exit 1: Out of Memory Error: could not allocate block of size 256.0 KiB (2.7 GiB/2.7 GiB used) (in customers)"
    )
    try:
        bench.measure("failing", failing, tmp_path, dict(os.environ))
    except SystemExit as stop:
        assert "failing failed (exit 1)" in str(stop)
    else:
        raise AssertionError("a failed command measured without may_fail must stop the bench")

    def run(seconds: float) -> bench.Run:
        return bench.Run(seconds, 100.0, 0.0)

    result = {
        **{"size": 1000, "orders": 1000, "shape": "typical", "purchasers": 500, "changed_orders": 10},
        **{"startup": run(3.0), "build": run(100.0), "run": run(80.0), "reference": run(50.0), "pandas": None},
        **{"incremental_run": run(20.0), "switched_source": run(90.0), "detection_seconds": None},
        "incremental_build": bench.Run(42.4, 100.0, 0.0, failed.failure),
        **{"reference_diffs": {}, "pandas_diffs": {}, "incremental_diffs": {}, "slowest_models": []},
        "predictive": dict.fromkeys(bench.PREDICTIVE_STEPS, 1.0),
        "branch_elapsed": 3.0,
    }
    text = bench.report([result])
    # 1,000 | 10 changed | failed | full build 100.0 | no share | run 20.0 of 80.0 = 25 % | no detection
    assert "| 1,000 | 10 | failed after 42 | 100.0 | — | 20.0 | 80.0 | 25 % | — | 90.0 |" in text, text
    assert f"Failed at 1,000 orders: incremental build ({failed.failure})." in text
    _, met, detail = bench.incremental_check(result)
    assert not met
    assert detail.startswith("failed after 42 s vs 15.0 s; incremental dbt run 20.0 s = 25 %")
    assert bench.failures(result) == {"incremental build": failed.failure}
