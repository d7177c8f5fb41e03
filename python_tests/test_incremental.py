"""Every build equals a fresh full build of the same inputs and vars (decision log D35).

The README's story, step by step on one database: a shop's export is built, then changes
as real exports do (a new day, a corrected old amount, an order returned weeks later, rows
deleted, copies of an old order), vars change, the folder is switched, a build fails and
the next one succeeds. After every successful build every public and audit relation equals
a full build of the same files and vars in a fresh database; after a failed build, they
equal the last successful build. The random sequences of test_build_sequences.py cover the
same ground in any order.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb

from python_tests.dbt_helpers import Build, run_dbt
from python_tests.live_shop import LiveShop, Reference, fingerprints


class Scenario:
    """One live database, built again after each change and checked against a fresh build."""

    def __init__(self, tmp_path: Path) -> None:
        self.work = tmp_path
        self.database = tmp_path / "live.duckdb"
        self.reference = Reference(tmp_path / "reference")
        self.last_good: dict[str, str] | None = None

    def build(self, shop: LiveShop, variables: dict[str, Any] | None = None, *args: str) -> Build:
        # The fresh reference build runs beside the live one (two cores).
        with ThreadPoolExecutor(max_workers=1) as pool:
            expected = pool.submit(self.reference.fingerprints, shop, variables or {})
            build = run_dbt(self.work / "live", shop.folder, variables, database=self.database, extra_args=args)
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


def test_daily_changes_are_built_incrementally_and_equal_full_builds(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    shop = LiveShop.generated(tmp_path / "shop", cut=dt.date(2025, 11, 28))

    first = scenario.build(shop)
    assert log_line(first) == "build 1 is a full build: first build in this database."

    shop.append_day()  # 2025-11-28 arrives
    shop.write()
    second = scenario.build(shop)
    assert log_line(second).startswith("build 2 is incremental: same vars, inputs and project as build 1")

    # The changes a plain date filter misses: an old amount corrected, an old order returned,
    # two rows deleted, a conflicting and an identical copy of an old order; and a new day
    # that completes November.
    shop.correct_amount(5)
    shop.change_status(17)
    shop.delete_orders(40)
    shop.add_copy(3, conflicting=True)
    shop.add_copy(8, conflicting=False)
    shop.append_day()
    shop.append_day()
    shop.append_day()
    shop.write()
    third = scenario.build(shop)
    assert "is incremental" in log_line(third)

    # Nothing changed: still incremental, still equal.
    assert "is incremental" in log_line(scenario.build(shop))


def test_a_changed_var_or_folder_rebuilds_in_full_and_says_why(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    shop = LiveShop.generated(tmp_path / "shop", cut=dt.date(2025, 6, 1))
    scenario.build(shop)

    changed = scenario.build(shop, {"churn_window_days": 180})
    assert log_line(changed) == "build 2 is a full build: var 'churn_window_days' changed (365 -> 180)."

    # as_of_date before the data's end: the later rows are outside the window, not bad data.
    early = scenario.build(shop, {"churn_window_days": 180, "as_of_date": "2025-01-01"})
    assert log_line(early) == "build 3 is a full build: var 'as_of_date' changed (unset -> 2025-01-01)."
    outside = {r["input_table"]: r["rows_outside_window"] for r in early.rows("audit.input_reconciliation", None)}
    assert outside["orders"] > 0 and outside["survey_responses"] > 0

    other = LiveShop.generated(tmp_path / "other", cut=dt.date(2025, 9, 1), customers=250, seed=5)
    switched = scenario.build(other, {"churn_window_days": 180, "as_of_date": "2025-01-01"})
    assert log_line(switched).startswith("build 4 is a full build: var 'data_dir' changed (")

    refreshed = scenario.build(other, {"churn_window_days": 180, "as_of_date": "2025-01-01"}, "--full-refresh")
    assert log_line(refreshed) == "build 5 is a full build: asked for with --full-refresh."


def test_a_failed_build_changes_nothing_and_the_next_build_is_full(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    shop = LiveShop.generated(tmp_path / "shop", cut=dt.date(2025, 6, 1))
    scenario.build(shop)

    # A new day with a file that lost a column: stopped before any model runs.
    shop.append_day()
    message = shop.break_orders_file()
    assert message in scenario.failed_build(shop).output

    # The same day, readable, but with a threshold of 0: the quarantine check fails after
    # every relation was rebuilt; every public and audit relation is put back.
    shop.write()
    failed = scenario.failed_build(shop, {"max_quarantined_share": 0})
    assert "more than the var max_quarantined_share allows (0.0 %)" in failed.output
    assert "the next build is a full build" in failed.output

    again = scenario.build(shop)
    assert log_line(again) == "build 3 is a full build: the last build (number 2) did not complete."
    assert "is incremental" in log_line(scenario.build(shop))


def test_a_killed_build_is_put_back_when_the_next_one_starts(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path)
    shop = LiveShop.generated(tmp_path / "shop", cut=dt.date(2025, 6, 1))
    scenario.build(shop)
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
    failed = scenario.failed_build(shop, {"max_quarantined_share": 0})
    assert "the last run stopped before it finished" in failed.output
    assert fingerprints(failed) == good

    rebuilt = scenario.build(shop)
    assert log_line(rebuilt) == "build 4 is a full build: the last build (number 3) did not complete."
