"""Run the dbt project on input files in a temporary folder, and read back its relations."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"

PUBLIC_RELATIONS = [
    "marts.orders",
    "marts.customers",
    "metrics.sales_monthly",
    "metrics.retention_monthly",
    "metrics.cohort_retention",
    "metrics.clv_summary",
    "marts.survey_responses",
    "metrics.nps_monthly",
    "metrics.csat_monthly",
    "metrics.ces_monthly",
    "metrics.nps_by_segment",
    "metrics.churn_by_nps_category",
]


@dataclass(frozen=True)
class Build:
    """The outcome of one dbt command: its exit code, its output and its database file."""

    returncode: int
    output: str
    database: Path

    def rows(self, relation: str, order_by: str) -> list[dict[str, Any]]:
        with duckdb.connect(str(self.database), read_only=True) as connection:
            cursor = connection.execute(f"select * from {relation} order by {order_by}")
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def fingerprint(self, relation: str) -> str:
        """A content hash of a relation, independent of physical row order."""
        with duckdb.connect(str(self.database), read_only=True) as connection:
            rows = connection.execute(f"select * from {relation}").fetchall()
        lines = sorted(repr(row) for row in rows)
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


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
    extra_args: tuple[str, ...] = ("--exclude", "test_type:unit"),
) -> Build:
    """Run `dbt COMMAND` with data_dir=DATA_DIR into a DuckDB file under WORK_DIR."""
    database = database or work_dir / "test.duckdb"
    env = os.environ | {"DBT_DUCKDB_PATH": str(database), "DBT_TARGET": "duckdb"}
    env.pop("DBT_PROFILES_DIR", None)
    args = [
        str(DBT),
        command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--vars",
        json.dumps({"data_dir": str(data_dir) if data_dir else None, **(variables or {})}),
        *extra_args,
    ]
    result = subprocess.run(args, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
    return Build(result.returncode, result.stdout + result.stderr, database)


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
