"""Shared fixtures: one build of the hand-worked shop for every test that reads it."""

from __future__ import annotations

import pytest

from python_tests import shop_example
from python_tests.dbt_helpers import Build, run_dbt


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The project built on python_tests/shop_example.py's files (CSV, through data_dir)."""
    work = tmp_path_factory.mktemp("shop")
    data_dir = shop_example.write_shop(work / "data")
    build = run_dbt(work, data_dir, shop_example.VARIABLES)
    assert build.returncode == 0, build.output
    return build
