"""The same project on PostgreSQL gives the same rows as on DuckDB (make test-postgres).

Every public and audit relation is built from the demo data on both engines and compared
row by row: numbers to 1e-9 relative, everything else exactly. Runs only when
CV_TEST_TARGET=postgres names a server to build on.
"""

from __future__ import annotations

import math
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from python_tests.dbt_helpers import PUBLIC_RELATIONS, Build, run_dbt, run_dbt_postgres

pytestmark = pytest.mark.skipif(
    os.environ.get("CV_TEST_TARGET") != "postgres", reason="needs a PostgreSQL server (make test-postgres)"
)
COMPARED = [*PUBLIC_RELATIONS, "audit.rejected_rows", "audit.input_reconciliation"]


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float | Decimal) and isinstance(right, float | Decimal):
        return math.isclose(float(left), float(right), rel_tol=1e-9, abs_tol=1e-12)
    return left == right and type(left) is type(right)


def all_rows(build: Build, relation: str) -> list[dict[str, Any]]:
    """Every row, in an order both engines agree on: by the row's text rendering."""
    return sorted(build.rows(relation, "1"), key=lambda row: repr(sorted(row.items())))


def test_postgres_and_duckdb_give_the_same_rows(tmp_path: Path) -> None:
    duckdb_build = run_dbt(tmp_path / "duckdb", None)
    assert duckdb_build.returncode == 0, duckdb_build.output
    postgres_build = run_dbt_postgres(tmp_path / "postgres", None)
    assert postgres_build.returncode == 0, postgres_build.output
    for relation in COMPARED:
        expected, actual = all_rows(duckdb_build, relation), all_rows(postgres_build, relation)
        assert len(actual) == len(expected), relation
        assert [list(row) for row in actual] == [list(row) for row in expected], relation
        for want, got in zip(expected, actual, strict=True):
            differing = [column for column in want if not same(want[column], got[column])]
            assert not differing, (relation, differing, want, got)
