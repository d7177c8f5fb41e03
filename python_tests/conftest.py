"""Shared fixtures: one build of the hand-worked shop for every test that reads it.

With CV_TEST_TARGET=postgres or spark (make test-postgres, make test-spark) the shop is
built on that engine instead of DuckDB, and the same hand-worked checks run."""

from __future__ import annotations

import os

import pytest

from python_tests import shop_example
from python_tests.dbt_helpers import Build, run_dbt, run_dbt_on


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The project built on python_tests/shop_example.py's files (CSV, through data_dir)."""
    work = tmp_path_factory.mktemp("shop")
    data_dir = shop_example.write_shop(work / "data")
    if os.environ.get("CV_TEST_TARGET") in ("postgres", "spark"):
        # The models only: the engine's data and unit tests run in test_engines' build of the
        # demo files (each test query costs about a second on Spark).
        models_only = ("--exclude-resource-type", "test", "unit_test")
        build = run_dbt_on(os.environ["CV_TEST_TARGET"], work, data_dir, shop_example.VARIABLES, models_only)
    else:
        build = run_dbt(work, data_dir, shop_example.VARIABLES)
    assert build.returncode == 0, build.output
    return build
