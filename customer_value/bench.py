"""`make bench`: how fast the project is, against the engine's floor and against pandas.

For each size (orders; customers and survey responses are a tenth of it) it generates
Parquet input, then measures, each in its own process, wall time and peak memory of:
- dbt's fixed start-up (a run that selects nothing);
- the project's full `dbt build` (every data test) and then `dbt run --full-refresh`,
  through data_dir;
- the predictive CLV branch by itself (its models in a `dbt run` of one thread on the
  database the full run built), step by step, and then as a build runs it (two dbt threads);
- bench/reference.sql, one plain DuckDB script computing the same public relations;
- the pandas baseline (customer_value/bench_pandas.py) for three of them, where the orders
  fit in memory;
- incremental builds: a build on the files as they were a day earlier (orders and survey
  responses before the latest order date), then the day's changes, the new day's rows and
  corrections of older orders (amounts and statuses of about 0.05 % of the orders), as an
  incremental `dbt run` on a copy of that starting point and an incremental `dbt build`,
  both checked equal to the full build; then a switched source (data_dir set to another
  folder holding the earlier export), checked equal to the first build of it. Only the
  compared relations of each database are kept, so that 100 M orders fit on disk;
checks that the reference's and pandas' output equal the project's, and writes a table to
bench/results.md, the numbers to bench/results.json and a plot of time against size to
bench/results.html (customer_value/bench_plot.py). It asserts nothing about time: the targets
are reported, not enforced.

Usage: ``python -m customer_value.bench [--sizes 1000000 10000000] [--output bench/results.md]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from customer_value import bench_plot, generate

PROJECT_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = PROJECT_DIR / "bench"
# DuckDB's caps for every measured command unless the environment sets them.
DUCKDB_CAPS = {"DUCKDB_THREADS": "2", "DUCKDB_MEMORY_LIMIT": "3GB"}


def duckdb_caps() -> dict[str, str]:
    return {name: os.environ.get(name, default) for name, default in DUCKDB_CAPS.items()}


PYTHON = sys.executable
DBT = str(Path(PYTHON).parent / "dbt")

# Public relations and their keys: every one is compared with the reference's.
KEYS = {
    "marts.orders": ["order_id"],
    "marts.customers": ["customer_id"],
    "marts.customer_purchase_summary": ["customer_id"],
    "marts.survey_responses": ["response_id"],
    "metrics.sales_monthly": ["month"],
    "metrics.retention_monthly": ["month"],
    "metrics.retention_by_segment": ["period_type", "period_start", "segment_type", "segment"],
    "metrics.cohort_retention": ["cohort_month", "months_since_first_order"],
    "metrics.clv_summary": ["segment_type", "segment"],
    "metrics.nps_monthly": ["month"],
    "metrics.csat_monthly": ["month"],
    "metrics.ces_monthly": ["month"],
    "metrics.nps_by_segment": ["segment_type", "segment"],
    "metrics.churn_by_nps_category": ["nps_category"],
}
PANDAS_RELATIONS = ["marts.customers", "metrics.sales_monthly", "metrics.retention_monthly"]
# The predictive CLV branch, step by step: the models of each step, timed in a dbt run of the
# branch alone (one dbt thread) on the database the full run built, so that each step's time
# is its own cost, not shared with the models running beside it in the full run.
PREDICTIVE_STEPS = {
    # The purchase days summarised up to as_of_date and to the holdout's start in one pass
    # (int_clv_purchase_histories), then the summary.
    "summary": ["int_clv_purchase_histories", "customer_purchase_summary"],
    "fit": ["int_clv_model_fit", "clv_model_parameters"],
    "scoring": ["int_customer_predictions", "customer_predictions"],
    "holdout check": [
        "int_clv_holdout_window",
        "int_clv_holdout_summary",
        "int_clv_holdout_predictions",
        "clv_model_holdout",
    ],
}
FORECAST_STEPS = ["summary", "fit", "scoring"]
# pandas holds every order in memory: its peak was 6,616 MB at 10 M orders (bench/results.md,
# 2026-12-03), about 660 MB per million. It runs only where that fits in 80 % of the memory.
PANDAS_MB_PER_MILLION_ORDERS = 662
# The targets (issue 14): ratios to the plain script at 10 M orders, a time at 100 M.
RATIO_SIZE, LARGE_SIZE, LARGE_BUILD_SECONDS = 10_000_000, 100_000_000, 300
# lifetimes' documented cost (issue 12): the RFM summary about 0.7 s per million transactions,
# the BG/NBD fit about 0.6 s per 62,500 customers; scaled linearly to each size.
LIFETIMES_SUMMARY_SECONDS_PER_MILLION_ORDERS = 0.7
LIFETIMES_FIT_SECONDS_PER_CUSTOMER = 0.6 / 62_500

# Runs COMMAND with its output in LOG, then prints its exit code, wall time, peak memory and
# peak spill: the most bytes DuckDB's temporary folders (<database>.tmp, its default for a
# database file) in WORK held at once, sampled every half second.
MEASURE = """
import json, pathlib, resource, subprocess, sys, time
def spilled():
    total = 0
    for path in pathlib.Path(sys.argv[2]).glob("*.tmp/*"):
        try:
            total += path.stat().st_blocks * 512  # the disk it takes; a file may vanish meanwhile
        except OSError:
            pass
    return total
with open(sys.argv[1], "w") as log:
    start = time.perf_counter()
    process, spill = subprocess.Popen(sys.argv[3:], stdout=log, stderr=subprocess.STDOUT), 0
    while process.poll() is None:
        spill = max(spill, spilled())
        time.sleep(0.5)
    seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": process.returncode, "seconds": seconds, "peak_kb": usage, "spill_bytes": spill}))
"""

REFERENCE = """
import duckdb, os, sys
sql = open(sys.argv[1]).read().replace("$DATA_DIR", sys.argv[2]).replace("$SEGMENT_MAP", sys.argv[4])
# The caps the project gets (an empty one: DuckDB's own default, as the project's hook does).
caps = {"threads": "DUCKDB_THREADS", "memory_limit": "DUCKDB_MEMORY_LIMIT"}
config = {setting: os.environ[name].strip() for setting, name in caps.items() if os.environ.get(name, "").strip()}
with duckdb.connect(sys.argv[3], config=config) as connection:
    connection.execute(sql)
"""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    spill_mb: float | None = None  # the most DuckDB spilled to disk at once (not sampled before D55)
    failure: str | None = None  # why the command failed, for one measured with may_fail


def measure(name: str, command: list[str], work: Path, env: dict[str, str], may_fail: bool = False) -> Run:
    """COMMAND's run. A failure stops the bench, unless MAY_FAIL: then it is returned (its
    seconds up to the failure), for the report to show as failed."""
    log = work / f"{name}.log"
    result = subprocess.run(
        [PYTHON, "-c", MEASURE, str(log), str(work), *command],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    outcome = json.loads(result.stdout)
    failure = None
    if outcome["code"] != 0:
        if not may_fail:
            raise SystemExit(f"{name} failed (exit {outcome['code']}); see {log}:\n{log.read_text()[-3000:]}")
        failure = failure_summary(outcome["code"], log.read_text())
    return Run(outcome["seconds"], outcome["peak_kb"] / 1024, outcome["spill_bytes"] / 1024**2, failure)


def failure_summary(code: int, log: str) -> str:
    """A failed dbt command in words, from its LOG: the exit code, the first error and the
    models that failed."""
    models = list(dict.fromkeys(re.findall(r"Error in model (\w+)", log)))
    errors = [line.strip() for line in log.splitlines() if re.search(r"\b[A-Z][A-Za-z ]*Error: ", line)]
    reason = errors[0][:160] if errors else "see its log"
    return f"exit {code}: {reason}" + (f" (in {', '.join(models)})" if models else "")


def memory_mb() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**2


def pandas_fits(orders: int) -> bool:
    return orders / 1e6 * PANDAS_MB_PER_MILLION_ORDERS <= 0.8 * memory_mb()


def mismatches(left: Path, right: Path, relation: str) -> int:
    """Rows of RELATION that differ between two databases (floats to 1e-9 relative)."""
    keys = KEYS[relation]
    with duckdb.connect() as connection:
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        columns = connection.execute(f"describe lhs.{relation}").fetchall()
        differs = []
        for name, column_type, *_ in columns:
            if name in keys:
                continue
            if column_type.startswith(("DECIMAL", "DOUBLE", "FLOAT", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT")):
                a, b = f"cast(l.{name} as double)", f"cast(r.{name} as double)"
                differs.append(f"not (({a} is null and {b} is null) or abs({a} - {b}) <= 1e-9 * greatest(1, abs({a})))")
            elif column_type in ("DATE", "TIMESTAMP"):
                differs.append(f"cast(l.{name} as {column_type}) is distinct from cast(r.{name} as {column_type})")
            else:
                differs.append(f"cast(l.{name} as varchar) is distinct from cast(r.{name} as varchar)")
        join = " and ".join(f"cast(l.{k} as varchar) = cast(r.{k} as varchar)" for k in keys)
        condition = " or ".join([f"l.{keys[0]} is null", f"r.{keys[0]} is null", *differs])
        query = (
            f"select count(*) from lhs.{relation} as l full outer join rhs.{relation} as r on {join} where {condition}"
        )
        return connection.execute(query).fetchone()[0]


def bench_size(orders: int, shape: str, env: dict[str, str]) -> dict[str, object]:
    name = f"orders_{orders}" + ("" if shape == "typical" else f"_{shape}")
    generated = BENCH_DIR / "data" / name
    if not (generated / "orders.parquet").exists():
        # In its own process, so that the generator's memory (about 16 GB at 100 M orders) is
        # returned before anything is measured.
        tenth = str(max(orders // 10, 10))
        generator = ["--customers", tenth, "--orders", str(orders), "--responses", tenth, "--shape", shape]
        subprocess.run(
            [PYTHON, "-m", "customer_value.generate", *generator, "--format", "parquet", "--out", str(generated)],
            cwd=PROJECT_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    data_dir = with_corrections(generated)
    work = BENCH_DIR / "work" / name
    work.mkdir(parents=True, exist_ok=True)
    remove(work.glob("*.duckdb*"))  # databases, their WALs and spill folders (a killed run's too)
    project_db, reference_db, pandas_db = work / "project.duckdb", work / "reference.duckdb", work / "pandas.duckdb"
    dbt_env = env | {"DBT_DUCKDB_PATH": str(project_db)}
    common_args = ["--log-path", str(work / "logs"), "--vars", f"{{data_dir: '{data_dir}'}}"]
    dbt_args = ["--target-path", str(work / "target"), *common_args]

    # dbt re-parses the project when the profile (here the database path) changes; a parse
    # first makes every measured command start as a scheduled daily run would.
    measure("parse", [DBT, "parse", *dbt_args], work, dbt_env)
    startup = measure("startup", [DBT, "run", "--select", "tag:nothing_selected", *dbt_args], work, dbt_env)
    build = measure("dbt_build", [DBT, "build", *dbt_args], work, dbt_env)
    run = measure("dbt_run", [DBT, "run", "--full-refresh", *dbt_args], work, dbt_env)
    run_results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    branch_models = [model for models in PREDICTIVE_STEPS.values() for model in models]
    branch_args = ["--target-path", str(work / "target_branch"), *common_args, "--select", *branch_models]
    measure("predictive_branch", [DBT, "run", *branch_args], work, dbt_env | {"DBT_THREADS": "1"})
    branch_results = json.loads((work / "target_branch" / "run_results.json").read_text())["results"]
    # The branch again with the profile's dbt threads (2 unless DBT_THREADS says otherwise), as
    # a build runs it: the holdout check beside the forecasts. Its elapsed time, start-up excluded.
    measure("predictive_branch_threads", [DBT, "run", *branch_args], work, dbt_env)
    branch_elapsed = json.loads((work / "target_branch" / "run_results.json").read_text())["elapsed_time"]
    segment_map = str(PROJECT_DIR / "seeds" / "reference" / "rfm_segment_map.csv")
    reference = measure(
        "reference",
        [PYTHON, "-c", REFERENCE, str(BENCH_DIR / "reference.sql"), str(data_dir), str(reference_db), segment_map],
        work,
        env,
    )
    pandas, pandas_diffs = None, {}
    if pandas_fits(orders):
        pandas = measure(
            "pandas", [PYTHON, "-m", "customer_value.bench_pandas", str(data_dir), str(pandas_db)], work, env
        )
        pandas_diffs = {relation: mismatches(project_db, pandas_db, relation) for relation in PANDAS_RELATIONS}

    slowest = sorted(run_results, key=lambda result: result["execution_time"], reverse=True)[:8]
    reference_diffs = {relation: mismatches(project_db, reference_db, relation) for relation in KEYS}
    with duckdb.connect(str(project_db), read_only=True) as connection:
        order_rows = connection.execute("select count(*) from marts.orders").fetchone()[0]
        purchasers = connection.execute("select count(*) from marts.customer_purchase_summary").fetchone()[0]
    # The incremental builds are compared with the full build's public relations, kept apart
    # so that its database can go: each database of this size takes disk (at 100 M orders 12 GB
    # after one build, 25 GB after the run over it, which keeps the build's tables until it
    # succeeds), and the incremental builds need two more.
    full_build = work / "full_build_public.duckdb"
    keep_public_relations(project_db, full_build)
    remove_database(project_db)
    incremental = bench_incremental(generated, data_dir, work, dbt_env, full_build)
    seconds = {r["unique_id"].split(".")[-1]: r["execution_time"] for r in branch_results}
    predictive = {step: sum(seconds[model] for model in models) for step, models in PREDICTIVE_STEPS.items()}
    return {
        "size": orders,
        "orders": order_rows,
        "shape": shape,
        "purchasers": purchasers,
        "predictive": predictive,
        "branch_elapsed": branch_elapsed,
        "startup": startup,
        "build": build,
        "run": run,
        "reference": reference,
        "pandas": pandas,
        "reference_diffs": reference_diffs,
        "pandas_diffs": pandas_diffs,
        "slowest_models": [(r["unique_id"].split(".")[-1], r["execution_time"]) for r in slowest],
        **incremental,
    }


def keep_public_relations(database: Path, copy: Path) -> None:
    """COPY: a database holding only the relations of DATABASE that the bench compares."""
    with duckdb.connect(str(copy)) as connection:
        connection.execute(f"attach '{database}' as source (read_only)")
        for relation in KEYS:
            connection.execute(f"create schema if not exists {relation.split('.')[0]}")
            connection.execute(f"create or replace table {relation} as select * from source.{relation}")


def remove(paths: Iterable[Path]) -> None:
    for path in list(paths):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def remove_database(database: Path) -> None:
    """DATABASE, its WAL and its spill folder."""
    remove(database.parent.glob(f"{database.name}*"))


def with_corrections(generated: Path) -> Path:
    """The generated files as exported today: about one older order in 2,000 (placed over 30
    days before the latest order date) has had its amount corrected, and as many have been
    returned, in place (same order id and timestamp). The full builds read these files."""
    folder = generated / "with_corrections"
    if (folder / "orders.parquet").exists():
        return folder
    folder.mkdir()
    with duckdb.connect() as connection:
        connection.execute(
            f"""
            copy (
                with old as (select max(ordered_at) - interval 30 day as before from '{generated}/orders.parquet')
                select
                    order_id,
                    customer_id,
                    ordered_at,
                    case when ordered_at < before and hash(order_id) % 4000 = 0
                        then amount + 1 else amount end as amount,
                    case when ordered_at < before and hash(order_id) % 4000 = 1 and trim(lower(status)) = 'completed'
                        then 'returned' else status end as status
                from '{generated}/orders.parquet' cross join old
            ) to '{folder}/orders.parquet' (format parquet)
            """
        )
    for name in ["customers", "survey_responses", "marketing_spend"]:
        (folder / f"{name}.parquet").symlink_to(generated / f"{name}.parquet")
    return folder


def previous_day(data_dir: Path) -> tuple[Path, int]:
    """The inputs as exported a day earlier: orders and survey responses placed before the
    latest order date, next to the same customers and marketing spend. Returns the folder
    and the number of orders of the last day."""
    folder = data_dir / "previous_day"
    with duckdb.connect() as connection:
        last_day = connection.execute(
            f"select max(cast(ordered_at as date)) from '{data_dir}/orders.parquet'"
        ).fetchone()[0]
        new_orders = connection.execute(
            f"select count(*) from '{data_dir}/orders.parquet' where ordered_at >= ?", [last_day]
        ).fetchone()[0]
        if not (folder / "orders.parquet").exists():
            folder.mkdir(exist_ok=True)
            for name, column in [("orders", "ordered_at"), ("survey_responses", "responded_at")]:
                connection.execute(
                    f"copy (select * from '{data_dir}/{name}.parquet' where {column} < ?) "
                    f"to '{folder}/{name}.parquet' (format parquet)",
                    [last_day],
                )
    return folder, new_orders


def point_inputs(live: Path, orders_from: Path, others_from: Path) -> None:
    """Make LIVE the data_dir: links to orders and survey responses in ORDERS_FROM and to the
    other inputs in OTHERS_FROM (as a daily export overwrites its files)."""
    live.mkdir(exist_ok=True)
    for name, folder in [
        ("orders", orders_from),
        ("survey_responses", orders_from),
        ("customers", others_from),
        ("marketing_spend", others_from),
    ]:
        link = live / f"{name}.parquet"
        link.unlink(missing_ok=True)
        link.symlink_to(folder / f"{name}.parquet")


def changed_orders(earlier: Path, today: Path) -> int:
    """Orders new or changed between two exports (the day's change set)."""
    with duckdb.connect() as connection:
        return connection.execute(
            f"select count(*) from (select * from '{today}/orders.parquet' except all "
            f"select * from '{earlier}/orders.parquet')"
        ).fetchone()[0]


def bench_incremental(
    generated: Path, data_dir: Path, work: Path, dbt_env: dict[str, str], full_build: Path
) -> dict[str, object]:
    """A build on the previous day's files, then the day's changes (new rows, corrected older
    orders): an incremental `dbt run` on a copy of that starting point and an incremental
    `dbt build` on it; both must equal the full build on today's files (FULL_BUILD: its
    public relations). Then the source is switched to another folder holding the earlier
    export: that build must equal the first one. Each database goes once compared."""
    earlier, _ = previous_day(generated)
    live = work / "live"
    point_inputs(live, earlier, generated)
    build_db, run_db, previous_db = (
        work / f"{name}.duckdb" for name in ["incremental_build", "incremental_run", "previous"]
    )

    def dbt(name: str, command: list[str], database: Path, folder: Path = live, may_fail: bool = True) -> Run:
        # One target folder per database, so that each keeps its parsed project (as a
        # scheduled job on one database does) and no command pays for a re-parse.
        target = ["--target-path", str(work / f"target_{database.stem}"), "--log-path", str(work / "logs")]
        variables = ["--vars", f"{{data_dir: '{folder}', incremental: true}}"]
        database_env = dbt_env | {"DBT_DUCKDB_PATH": str(database)}
        return measure(name, [DBT, *command, *target, *variables], work, database_env, may_fail)

    def compared(label: str, expected: Path, database: Path) -> dict[str, int]:
        return {f"{relation} ({label})": mismatches(expected, database, relation) for relation in KEYS}

    # The builds of the day's changes are reported when they fail (a failed build must leave
    # every public relation as the build before left it); the starting point must not fail.
    dbt("previous_day", ["build"], build_db, may_fail=False)
    keep_public_relations(build_db, previous_db)
    shutil.copyfile(build_db, run_db)
    dbt("parse_run_database", ["parse"], run_db, may_fail=False)
    point_inputs(live, data_dir, data_dir)
    run = dbt("incremental_run", ["run"], run_db)
    if run.failure:
        diffs = compared("failed incremental run, left as before", previous_db, run_db)
    else:
        diffs = compared("incremental run", full_build, run_db)
    remove_database(run_db)
    build = dbt("incremental_build", ["build"], build_db)
    results = json.loads((work / f"target_{build_db.stem}" / "run_results.json").read_text())["results"]
    detection = next((r["execution_time"] for r in results if r["unique_id"].endswith(".stg_orders")), None)
    if build.failure:
        diffs |= compared("failed incremental build, left as before", previous_db, build_db)
    else:
        diffs |= compared("incremental build", full_build, build_db)
    # Another folder holding the earlier export: a changed data_dir, hence a full build.
    other = work / "earlier_export"
    point_inputs(other, earlier, generated)
    switched = dbt("switched_source", ["build"], build_db, folder=other)
    if switched.failure:
        left_by_build = previous_db if build.failure else full_build
        diffs |= compared("failed switched source, left as before", left_by_build, build_db)
    else:
        diffs |= compared("switched source", previous_db, build_db)
    remove_database(previous_db)
    remove_database(build_db)
    return {
        "changed_orders": changed_orders(earlier, data_dir),
        "incremental_build": build,
        "incremental_run": run,
        "switched_source": switched,
        "detection_seconds": detection,
        "incremental_diffs": diffs,
    }


def targets(results: list[dict[str, object]]) -> list[str]:
    """The targets of the scale issue, reported, never enforced: the ratios to the plain script,
    the memory, the incremental build and the predictive branch at 10 M orders (or the largest
    size up to it), the time at 100 M orders (or more) and the growth from the smallest size to
    the largest. RESULTS are sorted by size."""
    small, large = results[0], results[-1]
    ratio_size = max((int(r["size"]) for r in results if int(r["size"]) <= RATIO_SIZE), default=int(small["size"]))  # type: ignore[call-overload]
    at_ratio_size = [result for result in results if result["size"] == ratio_size]
    judged = at_ratio_size[-1]
    s, b, r, f = (judged[k] for k in ("startup", "build", "run", "reference"))
    checks = [
        (
            "dbt run within 2 x reference",
            r.seconds <= 2 * f.seconds,  # type: ignore[union-attr]
            f"{r.seconds:.1f} s vs {2 * f.seconds:.1f} s; dbt start-up {s.seconds:.1f} s",  # type: ignore[union-attr]
        ),
        (
            "dbt build within 2.5 x reference",
            b.seconds <= 2.5 * f.seconds,  # type: ignore[union-attr]
            f"{b.seconds:.1f} s vs {2.5 * f.seconds:.1f} s",  # type: ignore[union-attr]
        ),
        (
            "peak memory under 4 GB",
            max(b.peak_mb, r.peak_mb) < 4096,  # type: ignore[union-attr]
            f"{max(b.peak_mb, r.peak_mb):,.0f} MB",  # type: ignore[union-attr]
        ),
        incremental_check(judged),
    ]
    # The predictive branch is judged on its slowest data shape at that size.
    slowest = max(at_ratio_size, key=lambda result: result["branch_elapsed"])  # type: ignore[arg-type, return-value]
    predictive = slowest["predictive"]
    checks.append(
        (
            f"the predictive CLV branch (summary, fit, scoring, holdout check) under 10 s as a build runs it "
            f"(dbt threads 2; the slowest data shape at this size: {label(slowest)} orders, "
            f"{slowest['purchasers']:,} purchasers)",
            slowest["branch_elapsed"] < 10,  # type: ignore[operator]
            f"{slowest['branch_elapsed']:.1f} s; its steps one after another {sum(predictive.values()):.1f} s, "  # type: ignore[union-attr]
            f"the forecasts alone (summary, fit, scoring) {sum(predictive[step] for step in FORECAST_STEPS):.1f} s",  # type: ignore[index]
        )
    )
    lines = [f"Targets at {judged['orders']:,} orders:", ""]
    lines.extend(f"- {name}: {'met' if met else 'MISSED'} ({detail})" for name, met, detail in checks)
    if int(large["size"]) >= LARGE_SIZE:  # type: ignore[call-overload]
        b, r, f = (large[k] for k in ("build", "run", "reference"))
        large_checks = [
            (
                f"dbt build within {LARGE_BUILD_SECONDS} s",
                b.seconds <= LARGE_BUILD_SECONDS,  # type: ignore[union-attr]
                f"{b.seconds:.1f} s, {b.seconds / f.seconds:.2f} x reference ({f.seconds:.1f} s); "  # type: ignore[union-attr]
                f"peak memory {b.peak_mb:,.0f} MB, spill {spill(b)} MB",  # type: ignore[arg-type, union-attr]
            ),
            incremental_check(large),
        ]
        lines.extend(["", f"Targets at {large['orders']:,} orders:", ""])
        lines.extend(f"- {name}: {'met' if met else 'MISSED'} ({detail})" for name, met, detail in large_checks)
    # Growth to the largest size from the next size down of the same shape.
    smaller = [result for result in results if result["size"] < large["size"] and result["shape"] == large["shape"]]
    if smaller:
        base = smaller[-1]
        growth = large["run"].seconds / base["run"].seconds  # type: ignore[union-attr]
        size_ratio = large["orders"] / base["orders"]  # type: ignore[operator]
        met = growth <= 1.2 * size_ratio
        detail = f"{growth:.1f} x"
        lines.append(
            f"- time grows no faster than the data ({label(base)} to {label(large)} orders, dbt run, "
            f"{size_ratio:.0f} x the orders, within {1.2 * size_ratio:.0f} x): {'met' if met else 'MISSED'} ({detail})"
        )
    return lines


def incremental_check(result: dict[str, object]) -> tuple[str, bool, str]:
    build, run, incremental_build, incremental_run = (
        result[k] for k in ("build", "run", "incremental_build", "incremental_run")
    )
    return (
        f"incremental dbt build after a day of changes ({result['changed_orders']:,} new or changed orders, "
        f"{100 * result['changed_orders'] / result['orders']:.2f} %) within 15 % of the full dbt build",  # type: ignore[operator]
        not incremental_build.failure and incremental_build.seconds <= 0.15 * build.seconds,  # type: ignore[union-attr]
        f"{seconds(incremental_build)} s vs {0.15 * build.seconds:.1f} s; "  # type: ignore[union-attr, arg-type]
        f"incremental dbt run {seconds(incremental_run)} s = "  # type: ignore[arg-type]
        f"{share(incremental_run, run)} of the full dbt run",  # type: ignore[arg-type]
    )


def seconds(run: Run) -> str:
    """RUN's seconds, or that it failed after them."""
    return f"failed after {run.seconds:.0f}" if run.failure else f"{run.seconds:.1f}"


def share(part: Run, whole: Run) -> str:
    """PART's time as a share of WHOLE's (— if PART failed)."""
    return "—" if part.failure else f"{100 * part.seconds / whole.seconds:.0f} %"


def spill(run: Run) -> str:
    return "—" if run.spill_mb is None else f"{run.spill_mb:,.0f}"


def label(result: dict[str, object]) -> str:
    """The orders column: the order count, and the data shape unless typical."""
    shape = "" if result["shape"] == "typical" else f" {result['shape']}"
    return f"{result['orders']:,}{shape}"


def machine() -> str:
    caps = duckdb_caps()
    return (
        f"{os.cpu_count()} cores, {memory_mb() / 1024:.1f} GiB of memory, {platform.machine()}, Python "
        f"{platform.python_version()}, DuckDB {duckdb.__version__}; DuckDB threads "
        f"{caps['DUCKDB_THREADS'].strip() or 'its default (every core)'}, memory limit "
        f"{caps['DUCKDB_MEMORY_LIMIT'].strip() or 'its default (80 % of the memory)'}"
    )


def stamp() -> dict[str, str]:
    """When, where and on which code a size was measured: the date, the machine and the commit
    (marked when the project's files, the bench's outputs aside, differ from it)."""

    def git(*arguments: str) -> str:
        try:
            return subprocess.run(["git", *arguments], cwd=PROJECT_DIR, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench"):
        commit += " with uncommitted changes"
    return {"measured_on": dt.date.today().isoformat(), "machine": machine(), "commit": commit}


def report(results: list[dict[str, object]]) -> str:
    measured: dict[tuple[str, str, str], list[str]] = {}
    for result in results:
        key = (str(result.get("measured_on")), str(result.get("machine")), str(result.get("commit")))
        measured.setdefault(key, []).append(label(result))
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench`, which replaces the rows of the sizes and shapes it runs and keeps the others "
        "(from results.json; delete it to start afresh). "
        + "; ".join(
            f"{', '.join(labels)} orders: measured on {day}, {where}, code of commit {commit}"
            for (day, where, commit), labels in measured.items()
        )
        + ". Times are wall-clock seconds of one run each, memory is the peak resident size of the process, "
        "spill the most DuckDB's temporary files held on disk at once (— where a run did not sample it). "
        "Beside this file: the plot of time against size (the .html of the same name; open it in a browser) "
        "and the numbers (.json).",
        "",
        "Data shapes (`customer_value.generate --shape`): *typical*, purchase rates from a gamma distribution and "
        "exponential lifetimes; *skewed* (marked so in the orders column), the same with 1 customer in 1,000 buying "
        "a hundred times as often and 2 in 100 regulars who sign up at the start, never drop out and buy about "
        "twice a month, so that they span every month; the same order count either way. pandas holds every "
        f"order in memory (about {PANDAS_MB_PER_MILLION_ORDERS} MB per million): it is not run where that "
        "exceeds 80 % of the machine's memory.",
        "",
        "| orders | dbt start-up | dbt build | dbt run | reference SQL | pandas | run / reference | build / reference"
        " | pandas / run | peak MB: build, run, reference, pandas | spill MB: build, run, reference"
        " | equal to reference | equal to pandas |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        s, b, r, f, p = (result[k] for k in ("startup", "build", "run", "reference", "pandas"))
        reference_ok = all(v == 0 for v in result["reference_diffs"].values())  # type: ignore[union-attr]
        if p is None:
            needs = PANDAS_MB_PER_MILLION_ORDERS * result["orders"] / 1e6 / 1024  # type: ignore[operator]
            pandas_cells = ["not run", "—", "—", f"not run (needs about {needs:.0f} GB)"]
        else:
            pandas_ok = all(v == 0 for v in result["pandas_diffs"].values())  # type: ignore[union-attr]
            pandas_cells = [
                f"{p.seconds:.1f}",  # type: ignore[union-attr]
                f"{p.seconds / r.seconds:.2f}",  # type: ignore[union-attr]
                f"{p.peak_mb:,.0f}",  # type: ignore[union-attr]
                "yes" if pandas_ok else "NO",
            ]
        lines.append(
            f"| {label(result)} | {s.seconds:.1f} | {b.seconds:.1f} | {r.seconds:.1f} | {f.seconds:.1f} "  # type: ignore[union-attr]
            f"| {pandas_cells[0]} | {r.seconds / f.seconds:.2f} | {b.seconds / f.seconds:.2f} "  # type: ignore[union-attr]
            f"| {pandas_cells[1]} | {b.peak_mb:,.0f}, {r.peak_mb:,.0f}, {f.peak_mb:,.0f}, {pandas_cells[2]} "  # type: ignore[union-attr]
            f"| {spill(b)}, {spill(r)}, {spill(f)} "  # type: ignore[arg-type]
            f"| {'yes' if reference_ok else 'NO'} | {pandas_cells[3]} |"
        )
    lines.extend(
        [
            "",
            "Incremental builds: the files as exported a day earlier are built first; then the day's changes"
            " arrive: the last day's orders and survey responses, and corrections of older orders (about 0.05 % of"
            " the orders: amounts corrected, orders returned, same ids and timestamps). They are built"
            " incrementally (`dbt build`, and from the same starting point `dbt run`) and compared with the full"
            " build of today's files. Then `data_dir` is switched to another folder holding the earlier export"
            " (a changed source: a full build, compared with the first build of those files). Change detection"
            " is the incremental stg_orders: it fingerprints every input order, compares them with the stored"
            " rows and re-screens the changed ones.",
            "",
            "| orders | new or changed orders | incremental build | full build | incremental / full build"
            " | incremental run | full run | incremental / full run | change detection (stg_orders)"
            " | switched source build | peak MB: build, run | equal to full builds (a failed one: to the build"
            " before) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
    )
    for result in results:
        b, r, ib, ir, sw = (
            result[k] for k in ("build", "run", "incremental_build", "incremental_run", "switched_source")
        )
        equal = all(v == 0 for v in result["incremental_diffs"].values())  # type: ignore[union-attr]
        detection = result["detection_seconds"]
        lines.append(
            f"| {label(result)} | {result['changed_orders']:,} | {seconds(ib)} | {b.seconds:.1f} "  # type: ignore[arg-type, union-attr]
            f"| {share(ib, b)} | {seconds(ir)} | {r.seconds:.1f} "  # type: ignore[arg-type, union-attr]
            f"| {share(ir, r)} | {'—' if detection is None else f'{detection:.1f} s'} "  # type: ignore[arg-type]
            f"| {seconds(sw)} | {ib.peak_mb:,.0f}, {ir.peak_mb:,.0f} "  # type: ignore[arg-type, union-attr]
            f"| {'yes' if equal else 'NO'} |"
        )
    lines.extend(
        [
            "",
            "The predictive CLV branch by itself (`dbt run` of its models alone, one dbt thread, on the database"
            " the full run built; each step's models, seconds; then the whole branch again as a build runs it,"
            " with the profile's two dbt threads, the holdout check beside the forecasts): the purchase summary"
            " (SQL: the purchase days summarised up to as_of_date and to the holdout's start in one pass, then"
            " the summary), the BG/NBD and Gamma-Gamma fits (a Python model), the scoring of every purchaser"
            " (P(alive), expected purchases, order value, predicted CLV) and the holdout check (calibration"
            " summary, refit, forecast, buckets). lifetimes' documented cost, scaled linearly, for comparison:"
            " its RFM summary about 0.7 s per million transactions, its BG/NBD fit about 0.6 s per 62,500"
            " customers. lifetimes is archived and"
            " does not run on the lock's pandas 3: `make bench-lifetimes` times it on this machine, in its own"
            " environment, on the same orders (bench/lifetimes.md).",
            "",
            "| orders | purchasers | summary | fit | scoring | holdout check | forecasts (summary, fit, scoring)"
            " | branch total | branch, dbt threads 2 (elapsed) | lifetimes: summary, fit (documented, scaled) |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
    )
    for result in results:
        steps = result["predictive"]
        lifetimes_summary = LIFETIMES_SUMMARY_SECONDS_PER_MILLION_ORDERS * result["orders"] / 1e6  # type: ignore[operator]
        lifetimes_fit = LIFETIMES_FIT_SECONDS_PER_CUSTOMER * result["purchasers"]  # type: ignore[operator]
        lines.append(
            f"| {label(result)} | {result['purchasers']:,} | "
            + " | ".join(f"{steps[step]:.1f}" for step in PREDICTIVE_STEPS)  # type: ignore[index]
            + f" | {sum(steps[step] for step in FORECAST_STEPS):.1f}"  # type: ignore[index]
            + f" | {sum(steps.values()):.1f} | {result['branch_elapsed']:.1f}"  # type: ignore[union-attr]
            + f" | {lifetimes_summary:.1f}, {lifetimes_fit:.1f} |"
        )
    lines.extend(["", *targets(results), ""])
    why = (
        "Why a target is missed, and where the time goes: "
        "docs/decision_log.md (D27, D37, D41, D48, D50, D52, D53, D54, D55, D56, D57, D58, D59, D60)."
    )
    lines.extend([why, ""])
    slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in results[-1]["slowest_models"])  # type: ignore[attr-defined]
    lines.extend([f"Slowest models in `dbt run` at {results[-1]['orders']:,} orders: {slowest}.", ""])
    for result in results:
        compared = {**result["reference_diffs"], **result["pandas_diffs"], **result["incremental_diffs"]}  # type: ignore[arg-type]
        bad = {k: v for k, v in compared.items() if v}
        if bad:
            lines.append(f"Mismatching rows at {label(result)} orders: {bad}")
        for name, failure in failures(result).items():
            lines.append(f"Failed at {label(result)} orders: {name} ({failure}).")
    return "\n".join(lines) + "\n"


def failures(result: dict[str, object]) -> dict[str, str]:
    """The measured commands of RESULT that failed (only those measured with may_fail can)."""
    runs = {key: result.get(key) for key in RUNS}
    return {key.replace("_", " "): run.failure for key, run in runs.items() if isinstance(run, Run) and run.failure}


RUNS = ("startup", "build", "run", "reference", "pandas", "incremental_build", "incremental_run", "switched_source")


def load(path: Path) -> list[dict[str, object]]:
    """The results an earlier run wrote to PATH (none if it is missing)."""
    if not path.exists():
        return []
    results = json.loads(path.read_text())
    for result in results:
        for key in RUNS:
            if isinstance(result.get(key), dict):
                result[key] = Run(**result[key])
    return results


def merged(earlier: list[dict[str, object]], measured: list[dict[str, object]]) -> list[dict[str, object]]:
    """EARLIER's results but those of the sizes and shapes just MEASURED, and these, by size
    (the typical shape first)."""
    ran = {(result["size"], result["shape"]) for result in measured}
    kept = [result for result in earlier if (result["size"], result["shape"]) not in ran]
    return sorted([*kept, *measured], key=lambda result: (result["size"], result["shape"] != "typical"))  # type: ignore[arg-type, return-value]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000], help="order counts")
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=generate.SHAPES,
        default=list(generate.SHAPES),
        help="data shapes (customer_value.generate --shape)",
    )
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.md")
    args = parser.parse_args(argv)
    # The same DuckDB caps for the project, the plain script and the incremental builds
    # (a user's build runs with DuckDB's own defaults unless these are set).
    env = {key: value for key, value in os.environ.items() if key != "DBT_PROFILES_DIR"}
    env |= {"DBT_TARGET": "duckdb", **duckdb_caps()}
    measured = []
    for size in args.sizes:
        for shape in args.shapes:
            print(f"benchmarking {size:,} orders ({shape}) ...", flush=True)
            stamped = stamp()  # before the run: the code it measures
            measured.append(bench_size(size, shape, env) | stamped)
    numbers = args.output.with_suffix(".json")
    results = merged(load(numbers), measured)
    text = report(results)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    # Beside the table: the numbers as JSON, and the plot of time against size.
    numbers.write_text(json.dumps(results, default=vars, indent=1) + "\n")
    bench_plot.write(results, args.output.with_suffix(".html"))
    print(text)
    kinds = ["reference_diffs", "pandas_diffs", "incremental_diffs"]
    if any(v for result in measured for kind in kinds for v in result[kind].values()):  # type: ignore[union-attr]
        raise SystemExit("the reference, the pandas baseline or an incremental build disagrees with the project")
    if any(failures(result) for result in measured):
        raise SystemExit("an incremental build failed: see the report")


if __name__ == "__main__":
    main()
