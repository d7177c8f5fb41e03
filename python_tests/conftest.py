"""Shared fixtures: one build of the hand-worked shop for every test that reads it.

With CV_TEST_TARGET=postgres or spark (make test-postgres, make test-spark) the shop is
built on that engine instead of DuckDB, and the same hand-worked checks run.
Longest test files are run first (pytest-xdist)."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from python_tests import shop_example
from python_tests.dbt_helpers import Build, run_dbt, run_dbt_on

# The longest files first (minutes each), so that pytest-xdist's workers start them at once
# and the short files fill in around them; the rest keep their order. (make runs pytest with
# --no-loadscope-reorder: xdist would otherwise start the files with the most tests first.)
LONGEST_FIRST = [
    "test_readme.py",
    "test_build_sequences.py",
    "test_bench.py",
    "test_incremental.py",
    "test_properties.py",
]


PARSE_CACHE_MADE = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    """One folder of dbt parses for the whole session, shared by pytest-xdist's workers (they
    start after this and inherit the environment): dbt_helpers.parse_cache."""
    if "CV_TEST_PARSE_CACHE" not in os.environ:
        os.environ["CV_TEST_PARSE_CACHE"] = tempfile.mkdtemp(prefix="cv-dbt-parse-")
        config.stash[PARSE_CACHE_MADE] = os.environ["CV_TEST_PARSE_CACHE"]


def pytest_unconfigure(config: pytest.Config) -> None:
    """The session's parses go with it (removed by the process that made the folder)."""
    if PARSE_CACHE_MADE in config.stash:
        shutil.rmtree(config.stash[PARSE_CACHE_MADE], ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The project built on python_tests/shop_example.py's files (CSV, through data_dir)."""
    work = tmp_path_factory.mktemp("shop")
    data_dir = shop_example.write_shop(work / "data")
    if os.environ.get("CV_TEST_TARGET") in ("postgres", "spark"):
        # On PostgreSQL the models only: the data and unit tests run in test_engines' build of
        # the demo files. Spark builds the shop alone (each query costs it about a second):
        # with its data and unit tests, and test_engines compares this build with DuckDB's.
        target = os.environ["CV_TEST_TARGET"]
        models_only = ("--exclude-resource-type", "test", "unit_test") if target == "postgres" else ()
        build = run_dbt_on(target, work, data_dir, shop_example.VARIABLES, models_only)
    else:
        build = run_dbt(work, data_dir, shop_example.VARIABLES)
    assert build.returncode == 0, build.output
    return build
