"""Run the dbt project on input files in a temporary folder, and read back its relations."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from customer_value import load_inputs

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"

PUBLIC_RELATIONS = [
    "marts.orders",
    "marts.customers",
    "marts.customer_purchase_summary",
    "metrics.sales_monthly",
    "metrics.retention_monthly",
    "metrics.retention_by_segment",
    "metrics.cohort_retention",
    "metrics.clv_summary",
    "marts.survey_responses",
    "metrics.nps_monthly",
    "metrics.csat_monthly",
    "metrics.ces_monthly",
    "metrics.nps_by_segment",
    "metrics.churn_by_nps_category",
]
AUDIT_RELATIONS = ["audit.rejected_rows", "audit.input_reconciliation"]
# What the semantic layer (MetricFlow) reads besides the marts: published like them.
SEMANTIC_RELATIONS = [
    "semantic.customer_periods",
    "semantic.metricflow_time_spine",
    *(f"semantic.metricflow_time_spine_{grain}" for grain in ("week", "month", "quarter", "year")),
]
# What every engine builds and keeps (a Spark build exports these for the tests to read).
ENGINE_RELATIONS = [*PUBLIC_RELATIONS, *AUDIT_RELATIONS, *SEMANTIC_RELATIONS]
# Public relations built by dbt Python models, which run on DuckDB only.
DUCKDB_ONLY_RELATIONS = ["metrics.clv_model_parameters", "marts.customer_predictions", "metrics.clv_model_holdout"]
# What a DuckDB build keeps: every relation a build must leave as a full build would, or as
# the last successful build left it.
KEPT_RELATIONS = [*ENGINE_RELATIONS, *DUCKDB_ONLY_RELATIONS]


@dataclass(frozen=True)
class Build:
    """The outcome of one dbt command: its exit code, its output and its database (a DuckDB
    file; or a PostgreSQL database name in postgres; or, for Spark, the exported results)."""

    returncode: int
    output: str
    database: Path
    postgres: str | None = None
    spark_export: Path | None = None

    def rows(self, relation: str, order_by: str | None) -> list[dict[str, Any]]:
        """Every row of RELATION as a dict, ordered by the columns ORDER_BY (any order without)."""
        if self.spark_export:
            names, rows = pickle.loads(self.spark_export.read_bytes())[relation]
            records = [dict(zip(names, row, strict=True)) for row in rows]
            keys = [key.strip() for key in order_by.split(",")] if order_by else []
            # Ascending, nulls last, as the SQL engines order.
            return sorted(
                records,
                key=lambda record: [(record[k] is None, record[k] if record[k] is not None else 0) for k in keys],
            )
        query = f"select * from {relation}" + (f" order by {order_by}" if order_by else "")
        if self.postgres:
            with load_inputs.connect(self.postgres) as connection, connection.cursor() as cursor:
                cursor.execute(query)
                return as_records(cursor)
        with duckdb.connect(str(self.database), read_only=True) as connection:
            return as_records(connection.execute(query))

    def fingerprint(self, relation: str) -> str:
        """A content hash of a relation, independent of physical row order."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            rows = connection.execute(f"select * from {relation}").fetchall()
        lines = sorted(repr(row) for row in rows)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def as_records(cursor: Any) -> list[dict[str, Any]]:
    """A DB-API cursor's result rows as dicts by column name."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def write_csv(folder: Path, name: str, header: list[str], rows: list[tuple[Any, ...]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run_dbt(
    work_dir: Path,
    data_dir: Path | None,
    variables: dict[str, Any] | None = None,
    command: str = "build",
    database: Path | None = None,
    extra_args: tuple[str, ...] = ("--exclude-resource-type", "unit_test"),
    extra_env: dict[str, str] | None = None,
) -> Build:
    """Run `dbt COMMAND` with data_dir=DATA_DIR into a DuckDB file under WORK_DIR. The unit
    tests are left out unless EXTRA_ARGS says otherwise: they test logic, not data, and run
    in test_unit_tests.py (other vars, files, typed tables), in the sequences of builds and
    in the README test."""
    database = database or work_dir / "test.duckdb"
    env = os.environ | {"DBT_DUCKDB_PATH": str(database), "DBT_TARGET": "duckdb"} | (extra_env or {})
    env.pop("DBT_PROFILES_DIR", None)
    variables = {"data_dir": str(data_dir) if data_dir else None, **(variables or {})}
    returncode, output = dbt_command(command, work_dir, variables, extra_args, env)
    return Build(returncode, output, database)


def dbt_command(
    command: str, work_dir: Path, variables: dict[str, Any], extra_args: tuple[str, ...], env: dict[str, str]
) -> tuple[int, str]:
    """Run `dbt COMMAND` on this project with its logs and artifacts under WORK_DIR, from
    WORK_DIR: the folder of the input files and the database file are given relative to it
    when they are in it (as a user gives them relative to where they run dbt), so that the
    builds of different tests with the same vars look alike to dbt's partial parsing
    (parse_cache)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    if "data_dir" in variables:
        variables = {**variables, "data_dir": relative_to(variables["data_dir"], work_dir)}
    env = env | {"DBT_PROJECT_DIR": str(PROJECT_DIR)}  # profiles.yml: the Python models' module path
    if "DBT_DUCKDB_PATH" in env:
        env["DBT_DUCKDB_PATH"] = relative_to(env["DBT_DUCKDB_PATH"], work_dir)
    target = work_dir / "target"
    args = [
        str(DBT),
        *command.split(),
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(work_dir / "logs"),
        # No debug log file: nobody reads it (a failing test shows dbt's output), and writing
        # every statement and event to it costs a few percent of a small build.
        "--log-level-file",
        "none",
        "--vars",
        json.dumps(variables),
        *extra_args,
    ]
    with parse_cache(target, variables, env):
        result = subprocess.run(args, cwd=work_dir, env=env, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def relative_to(path: str | None, folder: Path) -> str | None:
    """PATH relative to FOLDER when it is in it; else PATH unchanged."""
    if path is None or not Path(path).is_absolute():
        return path
    try:
        return str(Path(path).relative_to(folder))
    except ValueError:
        return path


@contextlib.contextmanager
def parse_cache(target: Path, variables: dict[str, Any], env: dict[str, str]) -> Iterator[None]:
    """dbt parses the whole project (about 10 s on a CI machine) unless the target folder
    holds a partial_parse.msgpack that dbt's own state check accepts: the same project files
    (checksums), vars, profile, target and connection settings. Within one pytest session
    (conftest.py sets CV_TEST_PARSE_CACHE to a fresh folder), the first build of each
    (vars, target, database path) leaves its parse there and a later build in a new target
    folder starts from it. dbt decides whether it is valid, and parses again when it is not:
    the cache can cost time, never change what a build does."""
    cache_dir = os.environ.get("CV_TEST_PARSE_CACHE")
    if not cache_dir:
        yield
        return
    key = json.dumps([str(PROJECT_DIR), variables, env.get("DBT_TARGET"), env.get("DBT_DUCKDB_PATH")], sort_keys=True)
    cached = Path(cache_dir) / f"{hashlib.sha256(key.encode()).hexdigest()}.msgpack"
    parsed = target / "partial_parse.msgpack"
    if cached.exists() and not parsed.exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, parsed)
    started = time.time()
    yield
    # Only a parse of this build (of these vars) is kept, never one a failed start left behind.
    if parsed.exists() and parsed.stat().st_mtime >= started and not cached.exists():
        # Written under another name, then renamed: a concurrent test never reads half a file.
        partial = cached.with_suffix(f".{uuid.uuid4().hex}.partial")
        shutil.copyfile(parsed, partial)
        partial.replace(cached)


def run_dbt_on(
    target: str,
    work_dir: Path,
    data_dir: Path | None,
    variables: dict[str, Any] | None = None,
    extra_args: tuple[str, ...] = (),
) -> Build:
    """`dbt build EXTRA_ARGS` on PostgreSQL or Spark, in a database (PostgreSQL) or a catalog
    and warehouse (Spark) of its own: DATA_DIR's files (the demo files without it) are loaded
    (customer_value.load_inputs) and built with the var source_schema. Spark's results are
    exported once, for Build.rows."""
    # Helpers run from WORK_DIR (Spark writes its derby.log where it starts), importing the project.
    env = os.environ | {"DBT_TARGET": target, "PYTHONPATH": str(PROJECT_DIR)}
    env.pop("DBT_PROFILES_DIR", None)
    work_dir.mkdir(parents=True, exist_ok=True)
    postgres = None
    if target == "postgres":
        postgres = f"cv_test_{uuid.uuid4().hex[:12]}"
        admin = load_inputs.connect()
        try:
            admin.autocommit = True  # CREATE DATABASE runs outside a transaction
            with admin.cursor() as cursor:
                cursor.execute(f"create database {postgres}")
        finally:
            admin.close()
        env["DBT_POSTGRES_DATABASE"] = postgres
    else:
        env |= {
            "DBT_SPARK_WAREHOUSE": str(work_dir / "warehouse"),
            "DBT_SPARK_METASTORE": str(work_dir / "metastore"),
            "SPARK_LOCAL_IP": "127.0.0.1",
        }
    data_dir = data_dir or PROJECT_DIR / "data" / "demo"
    load = [sys.executable, "-m", "customer_value.load_inputs", str(data_dir), "--schema", "shop_files"]
    subprocess.run([*load, "--target", target], cwd=work_dir, env=env, check=True)
    variables = {"source_schema": "shop_files", **(variables or {})}
    returncode, output = dbt_command("build", work_dir, variables, extra_args, env)
    spark_export = None
    if target == "spark" and returncode == 0:
        spark_export = work_dir / "export.pickle"
        export = (
            f"from customer_value import load_inputs; from pathlib import Path; "
            f"load_inputs.export_spark({ENGINE_RELATIONS!r}, Path({str(spark_export)!r}))"
        )
        subprocess.run([sys.executable, "-c", export], cwd=work_dir, env=env, check=True, capture_output=True)
    return Build(returncode, output, work_dir, postgres=postgres, spark_export=spark_export)


def assert_rows(actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    """Rows equal, floats to 1e-9 relative, other values and their types exactly; column
    names and their order must match."""
    assert len(actual) == len(expected), (actual, expected)
    for got, want in zip(actual, expected, strict=True):
        assert list(got) == list(want), (list(got), list(want))
        for column, value in want.items():
            if isinstance(value, float):
                assert got[column] == pytest.approx(value, rel=1e-9), (column, got, want)
            else:
                assert got[column] == value, (column, got, want)
                assert type(got[column]) is type(value), (column, got[column], value)


def row(columns: str, *values: Any) -> dict[str, Any]:
    """A row from space-separated column names and their values."""
    names = columns.split()
    assert len(names) == len(values), (names, values)
    return dict(zip(names, values, strict=True))
