"""Incremental builds give the same relations as full rebuilds (decision log D28).

A generated shop (with bad rows of every kind) is loaded up to a cut-off date and then grown
a day or a month at a time, as a shop's daily export grows. After each step the incremental
build is compared, relation by relation, with a full build of the same files in a fresh
database. The steps cross a month boundary (a new complete month for every customer) and
carry the awkward rows: a conflicting copy of an order already loaded, an identical copy,
rows without a key or a readable timestamp, a duplicated survey response.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from customer_value import generate
from python_tests.dbt_helpers import PUBLIC_RELATIONS, Build, run_dbt

COMPARED = [*PUBLIC_RELATIONS, "audit.rejected_rows", "audit.input_reconciliation"]
ORDER_COLUMNS = "order_id, customer_id, ordered_at, amount, status"
RESPONSE_COLUMNS = "response_id, customer_id, survey_type, score, responded_at"


def generate_shop(folder: Path) -> Path:
    """A small generated shop as CSV, two copies of each kind of bad row included."""
    settings = generate.Settings(customers=400, bad_rows=2)
    generate.write(generate.generate(settings), folder, "csv")
    return folder


def write_step(
    full: Path,
    folder: Path,
    cut: str,
    extra_orders: tuple[str, ...] | list[str] = (),
    extra_responses: tuple[str, ...] | list[str] = (),
) -> Path:
    """The inputs as exported on the day CUT: orders and responses dated before it (and the
    rows without a readable timestamp), plus EXTRA rows (SQL value lists); the customers and
    the marketing spend in full."""
    folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        for name, columns, timestamp, extra in [
            ("orders", ORDER_COLUMNS, "ordered_at", extra_orders),
            ("survey_responses", RESPONSE_COLUMNS, "responded_at", extra_responses),
        ]:
            rows = (
                f"select {columns} from read_csv('{full / name}.csv', all_varchar = true, header = true) "
                f"where coalesce(try_cast({timestamp} as timestamp) < date '{cut}', true)"
            )
            for values in extra:
                rows += f" union all select * from (values ({values}))"
            connection.execute(f"copy ({rows}) to '{folder / name}.csv' (header)")
        for name in ["customers", "marketing_spend"]:
            connection.execute(
                f"copy (select * from read_csv('{full / name}.csv', all_varchar = true, header = true)) "
                f"to '{folder / name}.csv' (header)"
            )
    return folder


def latest_order(full: Path, before: str) -> tuple[str, str, str, str]:
    """The last completed order placed before BEFORE: (order_id, customer_id, ordered_at, amount)."""
    with duckdb.connect() as connection:
        return connection.execute(
            f"select order_id, customer_id, ordered_at, amount from read_csv('{full}/orders.csv', all_varchar = true) "
            f"where try_cast(ordered_at as timestamp) < date '{before}' and status = 'completed' "
            "and order_id like 'O%' order by try_cast(ordered_at as timestamp) desc, order_id limit 1"
        ).fetchone()


def fingerprints(build: Build) -> dict[str, str]:
    return {relation: build.fingerprint(relation) for relation in COMPARED}


def test_incremental_builds_equal_full_builds(tmp_path: Path) -> None:
    full = generate_shop(tmp_path / "full")
    live = tmp_path / "live"
    incremental_db = tmp_path / "incremental.duckdb"

    first = run_dbt(tmp_path / "work", write_step(full, live, "2025-11-28"), database=incremental_db)
    assert first.returncode == 0, first.output

    # Day 2025-11-28 arrives, with a conflicting copy (another customer) of the last order of
    # the day before, an identical copy of that order, a row without an order_id, one whose
    # timestamp does not parse, and a survey response sent twice.
    order_id, customer_id, ordered_at, amount = latest_order(full, "2025-11-28")
    copies = [
        f"'{order_id}', 'C999999', '{ordered_at}', '{amount}', 'completed'",
        f"'{order_id}', '{customer_id}', '{ordered_at}', '{amount}', 'completed'",
        f"'', '{customer_id}', '2025-11-28 08:00:00', '5.00', 'completed'",
        f"'X-LATE', '{customer_id}', 'not a date', '5.00', 'completed'",
    ]
    responses = [
        f"'R-TWICE', '{customer_id}', 'nps', '9', '2025-11-28 09:00:00'",
        f"'R-TWICE', '{customer_id}', 'nps', '9', '2025-11-28 09:00:00'",
    ]
    steps = [
        ("2025-11-29", copies, responses),  # a day inside November
        ("2025-12-01", copies, responses),  # 2025-11-30: November becomes complete
        ("2026-01-02", copies, responses),  # the rest: December becomes complete
    ]
    for number, (cut, extra_orders, extra_responses) in enumerate(steps, start=1):
        data_dir = write_step(full, live, cut, extra_orders, extra_responses)
        incremental = run_dbt(tmp_path / "work", data_dir, database=incremental_db)
        assert incremental.returncode == 0, incremental.output
        rebuilt = run_dbt(tmp_path / "work", data_dir, database=tmp_path / f"full_{number}.duckdb")
        assert rebuilt.returncode == 0, rebuilt.output
        assert fingerprints(incremental) == fingerprints(rebuilt), f"step {number} (cut {cut})"

    # The conflicting copy really was screened against the loaded order: neither copy is in
    # the mart, and both customers' rows were recomputed.
    with duckdb.connect(str(incremental_db), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.orders where order_id = ?", [order_id]).fetchone() == (0,)
        reasons = connection.execute(
            "select reason, count(*) from audit.rejected_rows where row_key = ? group by reason", [order_id]
        ).fetchall()
    assert reasons == [("conflicting_duplicate", 3)]


@pytest.fixture
def loaded(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A shop loaded up to 2025-12-01 into an incremental database: (full files, data_dir, database)."""
    full = generate_shop(tmp_path / "full")
    data_dir = write_step(full, tmp_path / "live", "2025-12-01")
    database = tmp_path / "incremental.duckdb"
    build = run_dbt(tmp_path / "work", data_dir, database=database)
    assert build.returncode == 0, build.output
    return full, data_dir, database


def test_a_changed_var_asks_for_a_full_refresh(tmp_path: Path, loaded: tuple[Path, Path, Path]) -> None:
    _, data_dir, database = loaded
    changed = run_dbt(tmp_path / "work", data_dir, {"churn_window_days": 180}, database=database)
    assert changed.returncode != 0
    assert "var 'churn_window_days' changed since the last build (365 -> 180)" in changed.output
    assert "--full-refresh" in changed.output

    refreshed = run_dbt(
        tmp_path / "work",
        data_dir,
        {"churn_window_days": 180},
        database=database,
        extra_args=("--exclude", "test_type:unit", "--full-refresh"),
    )
    assert refreshed.returncode == 0, refreshed.output
    fresh = run_dbt(tmp_path / "work", data_dir, {"churn_window_days": 180}, database=tmp_path / "fresh.duckdb")
    assert fresh.returncode == 0, fresh.output
    assert fingerprints(refreshed) == fingerprints(fresh)


def test_a_row_older_than_the_lookback_stops_the_build(tmp_path: Path, loaded: tuple[Path, Path, Path]) -> None:
    # A new order dated a month before the latest loaded day is not re-read by an incremental
    # build: the reconciliation finds one input row neither accepted nor quarantined.
    full, _, database = loaded
    late = ["'O-LATE', 'C000001', '2025-10-15 10:00:00', '20.00', 'completed'"]
    data_dir = write_step(full, tmp_path / "late", "2025-12-01", late)
    incremental = run_dbt(tmp_path / "work", data_dir, database=database)
    assert incremental.returncode != 0
    assert "reconciles_with_quarantine" in incremental.output

    refreshed = run_dbt(
        tmp_path / "work", data_dir, database=database, extra_args=("--exclude", "test_type:unit", "--full-refresh")
    )
    assert refreshed.returncode == 0, refreshed.output
    with duckdb.connect(str(database), read_only=True) as connection:
        assert connection.execute("select count(*) from marts.orders where order_id = 'O-LATE'").fetchone() == (1,)
