"""Random sequences of builds: whatever happened before, a build either fails and changes no
public or audit relation, or equals a full build of the same inputs and vars in a fresh
database (decision log D35).

A hypothesis state machine drives one database through random steps: a new day, a corrected
old amount, an old order returned, deleted rows, a conflicting or an identical copy of an old
order, a switch to another folder, a changed var (as_of_date before the data's end included),
a build that fails (a file without a required column, a quarantine threshold of 0), a full
refresh. Every step ends with `dbt build` (data tests included; unit tests too under `make
property-test`); after it, every public and audit relation is compared with a fresh full
build of the same files and vars, or, when the build was meant to fail, with the last
successful build.

`make test` (CI) runs one fixed sequence that takes every kind of step once, in an order and
with arguments drawn from a fixed seed (hypothesis starts from its simplest sequences, which
repeat one step, so a handful of its examples would test little). `make property-test` runs
the state machine under hypothesis: CV_PROPERTY_EXAMPLES sequences (default 20) of up to
CV_PROPERTY_STEPS steps (default 10); a failure is shrunk to a minimal sequence, which
hypothesis prints with the way to reproduce it. A third test takes one shop across the end of
a year: the incremental build that completes a month, a quarter and a year must add them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from python_tests.dbt_helpers import PROJECT_DIR, run_dbt
from python_tests.live_shop import LiveShop, Reference, fingerprints

PROJECT_VARS = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
EXAMPLES = int(os.environ.get("CV_PROPERTY_EXAMPLES", "0"))
# The builds of `make property-test` run the unit tests too; the fixed sequence of `make test`
# leaves them out (they test logic, not state; they run in the README test's builds, with
# other vars and files in test_unit_tests.py, and in `make test`'s first build).
UNIT: tuple[str, ...] = () if EXAMPLES else ("--exclude-resource-type", "unit_test")
STEPS = int(os.environ.get("CV_PROPERTY_STEPS", "10"))

# Values each var may take; the first is the default.
VAR_VALUES: dict[str, list[Any]] = {
    "as_of_date": [None, "2025-10-01", "2025-11-20"],
    "churn_window_days": [365, 90],
    "gross_margin_rate": [1.0, 0.4],
    "annual_discount_rate": [0.1, 0.0],
    "max_lifetime_years": [10, 3],
    "incremental": [True, False],
    "clv_model_time_unit": ["week", "day"],
}


class BuildSequences(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.work = Path(tempfile.mkdtemp(prefix="build-sequences-"))
        self.database = self.work / "live.duckdb"
        self.reference = Reference(self.work / "reference")
        # Incremental builds on: they are what the sequences are about (off is a var change).
        self.variables: dict[str, Any] = {"incremental": True}
        self.last_good: dict[str, str] | None = None
        # What the next build must be: incremental only after a complete build with the
        # same vars and folder (decision log D35).
        self.last_complete: tuple[str, dict[str, Any]] | None = None

    @initialize()
    def load_two_folders(self) -> None:
        self.shops = [
            LiveShop.generated(self.work / "shop_a", cut=dt.date(2025, 11, 25), customers=300, seed=42),
            LiveShop.generated(self.work / "shop_b", cut=dt.date(2025, 11, 10), customers=300, seed=9),
        ]
        self.shop = self.shops[0]
        self.build()

    def build(self, *args: str, fails_with: str | None = None) -> None:
        """`dbt build` on the live database; then the check of the module docstring, and the
        mode the build says it ran in."""
        variables = {name: value for name, value in self.variables.items() if value is not None}
        # The vars in effect (a var set to its default is no change).
        settings = (str(self.shop.folder), {**PROJECT_VARS, **self.variables})
        if fails_with is not None:
            build = run_dbt(self.work / "live", self.shop.folder, variables, database=self.database, extra_args=UNIT)
            assert build.returncode != 0, build.output
            assert fails_with in build.output, build.output
            if self.last_good is not None:
                assert fingerprints(build) == self.last_good, "a failed build changed a relation"
            if "customer_value: build " in build.output:  # it got as far as recording an attempt
                self.last_complete = None
            return
        with ThreadPoolExecutor(max_workers=1) as pool:
            expected = pool.submit(self.reference.fingerprints, self.shop, variables)
            build = run_dbt(
                self.work / "live", self.shop.folder, variables, database=self.database, extra_args=(*UNIT, *args)
            )
            assert build.returncode == 0, build.output
            self.last_good = fingerprints(build)
            differing = [name for name, value in expected.result().items() if self.last_good[name] != value]
            assert not differing, f"differs from a fresh full build: {differing}\n{build.output}"
        incremental = self.last_complete == settings and not args and settings[1]["incremental"]
        assert (" is incremental: " in build.output) == incremental, build.output
        self.last_complete = settings

    @rule()
    def a_new_day_arrives(self) -> None:
        self.shop.append_day()
        self.shop.write()
        self.build()

    @rule(pick=st.integers(0, 10_000), status=st.sampled_from(["returned", "cancelled"]))
    def an_old_order_is_corrected(self, pick: int, status: str) -> None:
        self.shop.correct_amount(pick)
        self.shop.change_status(pick + 1, status)
        self.shop.write()
        self.build()

    @rule(pick=st.integers(0, 10_000), count=st.integers(1, 3))
    def rows_are_deleted(self, pick: int, count: int) -> None:
        self.shop.delete_orders(pick, count)
        self.shop.write()
        self.build()

    @rule(pick=st.integers(0, 10_000), conflicting=st.booleans())
    def an_old_order_is_copied(self, pick: int, conflicting: bool) -> None:
        self.shop.add_copy(pick, conflicting)
        self.shop.write()
        self.build()

    @rule()
    def the_folder_is_switched(self) -> None:
        self.shop = self.shops[1] if self.shop is self.shops[0] else self.shops[0]
        self.build()

    @rule(name=st.sampled_from(sorted(VAR_VALUES)), pick=st.integers(0, 10))
    def a_var_changes(self, name: str, pick: int) -> None:
        self.variables[name] = VAR_VALUES[name][pick % len(VAR_VALUES[name])]
        self.build()

    @rule()
    def a_file_loses_a_column(self) -> None:
        message = self.shop.break_orders_file()
        self.build(fails_with=message)
        self.shop.write()

    @rule()
    def the_quarantine_threshold_is_exceeded(self) -> None:
        self.variables["max_quarantined_share"] = 0
        self.build(fails_with="more than the var max_quarantined_share allows")
        del self.variables["max_quarantined_share"]

    @rule()
    def a_full_refresh_is_asked_for(self) -> None:
        self.build("--full-refresh")

    @invariant()
    def nothing_is_left_over(self) -> None:
        """No kept previous version outlives a run."""
        if self.database.exists():
            with duckdb.connect(str(self.database), read_only=True) as connection:
                kept = connection.execute(
                    "select table_name from information_schema.tables"
                    " where table_name like '%\\_\\_previous' escape '\\'"
                ).fetchall()
            assert kept == []


def test_every_kind_of_step_in_a_seeded_order() -> None:
    rng = random.Random(2026)
    machine = BuildSequences()
    machine.load_two_folders()
    steps: list[Callable[[], None]] = [
        machine.a_new_day_arrives,
        lambda: machine.an_old_order_is_corrected(rng.randrange(10_000), rng.choice(["returned", "cancelled"])),
        lambda: machine.rows_are_deleted(rng.randrange(10_000), rng.randint(1, 3)),
        lambda: machine.an_old_order_is_copied(rng.randrange(10_000), conflicting=True),
        lambda: machine.an_old_order_is_copied(rng.randrange(10_000), conflicting=False),
        machine.the_folder_is_switched,
        lambda: machine.a_var_changes("as_of_date", 1),
        lambda: machine.a_var_changes("churn_window_days", 1),
        machine.a_file_loses_a_column,
        machine.the_quarantine_threshold_is_exceeded,
        machine.a_full_refresh_is_asked_for,
    ]
    rng.shuffle(steps)
    for step in [machine.a_new_day_arrives, *steps]:
        step()
        machine.nothing_is_left_over()


def test_a_month_a_quarter_and_a_year_complete_between_incremental_builds() -> None:
    """The export reaches the last days of 2024 (as_of_date, the day after the latest order,
    is at most 2024-12-31: December, its quarter and 2024 are not complete); the next day's
    orders complete them, and the incremental build must add every customer's rows of those
    months (int_customer_months: the months after the last one it holds) and of the quarter
    and year they complete, exactly as a full build of the same files does."""
    machine = BuildSequences()
    shop = LiveShop.generated(machine.work / "shop_year_end", cut=dt.date(2024, 12, 31), customers=300, seed=42)
    machine.shops, machine.shop = [shop], shop

    def last_periods() -> dict[str, dt.date]:
        with duckdb.connect(str(machine.database), read_only=True) as connection:
            rows = connection.execute(
                "select period_type, max(period_start) from semantic.customer_periods group by period_type"
            ).fetchall()
        return dict(rows)

    machine.build()
    before = {"month": dt.date(2024, 11, 1), "quarter": dt.date(2024, 7, 1), "year": dt.date(2023, 1, 1)}
    assert last_periods() == before
    machine.a_new_day_arrives()  # build() checks that it is incremental and equals a full build
    after = {"month": dt.date(2024, 12, 1), "quarter": dt.date(2024, 10, 1), "year": dt.date(2024, 1, 1)}
    assert last_periods() == after


@pytest.mark.skipif(EXAMPLES == 0, reason="make property-test runs it (CV_PROPERTY_EXAMPLES)")
class TestRandomSequencesOfBuilds(BuildSequences.TestCase):  # type: ignore[name-defined]
    settings = settings(
        max_examples=max(EXAMPLES, 1),
        stateful_step_count=STEPS,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
