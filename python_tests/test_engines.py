"""The same project on PostgreSQL or Spark gives the same rows as on DuckDB
(make test-postgres, make test-spark).

Every relation an engine builds and keeps is built on both engines and compared row by row:
numbers to 1e-9 relative, everything else exactly. On PostgreSQL from the demo files; on
Spark, where every query costs about a second, from the hand-worked shop's files: its one
Spark build (the conftest's, with the data and unit tests) serves the hand-worked checks
and this comparison. Runs only when CV_TEST_TARGET names the engine (postgres or spark).
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from python_tests import shop_example
from python_tests.dbt_helpers import ENGINE_RELATIONS, Build, run_dbt, run_dbt_on

TARGET = os.environ.get("CV_TEST_TARGET", "duckdb")
pytestmark = pytest.mark.skipif(
    TARGET not in ("postgres", "spark"), reason="needs another engine (make test-postgres, make test-spark)"
)


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float | Decimal) and isinstance(right, float | Decimal):
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-12)
    return left == right and type(left) is type(right)


def all_rows(build: Build, relation: str) -> list[dict[str, Any]]:
    """Every row, in an order both engines agree on: by the row's text rendering."""
    return sorted(build.rows(relation, None), key=lambda row: repr(sorted(row.items())))


def test_the_engine_and_duckdb_give_the_same_rows(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if TARGET == "spark":
        other_build = request.getfixturevalue("shop")
        data_dir, variables = shop_example.write_shop(tmp_path / "data"), shop_example.VARIABLES
    else:
        other_build = run_dbt_on(TARGET, tmp_path / TARGET, None)
        data_dir, variables = None, None
    assert other_build.returncode == 0, other_build.output
    duckdb_build = run_dbt(tmp_path / "duckdb", data_dir, variables)
    assert duckdb_build.returncode == 0, duckdb_build.output
    assert f"is made by dbt Python models, which dbt runs on DuckDB only: skipped on {TARGET}." in other_build.output
    for relation in ENGINE_RELATIONS:
        expected, actual = all_rows(duckdb_build, relation), all_rows(other_build, relation)
        assert len(actual) == len(expected), relation
        assert [list(row) for row in actual] == [list(row) for row in expected], relation
        for want, got in zip(expected, actual, strict=True):
            differing = [column for column in want if not same(want[column], got[column])]
            assert not differing, (relation, differing, want, got)
