"""A killed build is put back when the next one starts (decision log D35).

The other ways a database's history can go (a new day, corrections, deletions, copies,
changed vars, a switched folder, failed builds, full refreshes) are the steps of
test_build_sequences.py and of the README walkthrough (test_readme.py), each checked against
a fresh full build. A killed run cannot be made on cue, so this test leaves behind what one
leaves (a replaced relation, its kept previous version, an incomplete build row) and checks
the next runs.
"""

from __future__ import annotations

import datetime as dt
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest

from python_tests.dbt_helpers import Build, run_dbt
from python_tests.live_shop import LiveShop, Reference, fingerprints

INCREMENTAL = {"incremental": True}


class Scenario:
    """One live database, built again after each change and checked against a fresh build."""

    def __init__(self, tmp_path: Path) -> None:
        self.work = tmp_path
        self.database = tmp_path / "live.duckdb"
        self.reference = Reference(tmp_path / "reference")
        self.last_good: dict[str, str] | None = None
        self.shop: LiveShop | None = None

    def build(self, shop: LiveShop, variables: dict[str, Any] | None = None, *args: str) -> Build:
        # The fresh reference build runs beside the live one (two cores).
        with ThreadPoolExecutor(max_workers=1) as pool:
            expected = pool.submit(self.reference.fingerprints, shop, variables or {})
            build = run_dbt(
                self.work / "live",
                shop.folder,
                variables,
                database=self.database,
                extra_args=("--exclude-resource-type", "unit_test", *args),
            )
            assert build.returncode == 0, build.output
            self.last_good = fingerprints(build)
            assert self.last_good == expected.result()
        return build

    def failed_build(self, shop: LiveShop, variables: dict[str, Any] | None = None) -> Build:
        build = run_dbt(self.work / "live", shop.folder, variables, database=self.database)
        assert build.returncode != 0, build.output
        assert fingerprints(build) == self.last_good
        return build


def log_line(build: Build) -> str:
    """The one line saying whether the build was incremental or full, and why."""
    lines = [line for line in build.output.splitlines() if "customer_value: build " in line]
    assert len(lines) == 1, build.output
    return lines[0].split("customer_value: ", 1)[1]


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    """An incremental-mode build of a generated shop, checked; each test goes on from a copy."""
    work = tmp_path_factory.mktemp("first_build")
    scenario = Scenario(work)
    scenario.shop = LiveShop.generated(work / "shop", cut=dt.date(2025, 6, 1))
    scenario.build(scenario.shop, INCREMENTAL)
    return scenario


def going_on_from(first: Scenario, tmp_path: Path) -> Scenario:
    scenario = Scenario(tmp_path)
    shutil.copy(first.database, scenario.database)
    assert not first.database.with_suffix(".duckdb.wal").exists()  # closed and checkpointed: the file is all
    scenario.shop, scenario.last_good, scenario.reference = first.shop, first.last_good, first.reference
    return scenario


def test_a_killed_build_is_put_back_when_the_next_one_starts(first_build: Scenario, tmp_path: Path) -> None:
    scenario = going_on_from(first_build, tmp_path)
    shop = scenario.shop
    good = scenario.last_good

    # What a run killed half-way leaves: marts.orders replaced (its last good version kept as
    # orders__previous, by the post-hook) and its build row not complete.
    with duckdb.connect(str(scenario.database)) as connection:
        connection.execute("alter table marts.orders rename to orders__previous")
        connection.execute("create table marts.orders as select * from marts.orders__previous limit 3")
        connection.execute(
            "insert into build_state.builds select build_number + 1, 'killed', settings, build_mode,"
            " reason, false from build_state.builds where build_number = 1"
        )

    # The next run fails on its input: every relation is the last good build's, marts.orders
    # included (put back when the run started).
    failed = scenario.failed_build(shop, {**INCREMENTAL, "max_quarantined_share": 0})
    assert "the last run stopped before it finished" in failed.output
    assert fingerprints(failed) == good

    rebuilt = scenario.build(shop, INCREMENTAL)
    assert log_line(rebuilt) == "build 4 is a full build: the last build (number 3) did not complete."


def test_compiling_or_documenting_is_not_a_build(first_build: Scenario, tmp_path: Path) -> None:
    # `dbt docs generate` (or compile) with other vars builds nothing, so it must not count
    # as a build with those vars: the next build with them is full, and equals a fresh one.
    scenario = going_on_from(first_build, tmp_path)
    shop = scenario.shop
    other = {**INCREMENTAL, "churn_window_days": 90}
    for command in ["compile", "docs generate"]:
        documented = run_dbt(
            tmp_path / "live", shop.folder, other, command=command, database=scenario.database, extra_args=()
        )
        assert documented.returncode == 0, documented.output
        assert "customer_value: build " not in documented.output
    rebuilt = scenario.build(shop, other)
    assert log_line(rebuilt) == "build 2 is a full build: var 'churn_window_days' changed (365 -> 90)."
