"""Every kind of bad input row has its documented outcome, and no row disappears.

The corpus (python_tests/corpus/bad_rows/) holds one case per kind of bad row; the comments
below say what each case must become. as_of_date is pinned to 2024-06-01 and the quarantine
threshold is lifted (the corpus is mostly bad on purpose).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest

from python_tests.dbt_helpers import KEPT_RELATIONS, Build, run_dbt, write_csv

CORPUS = Path(__file__).parent / "corpus" / "bad_rows"
VARIABLES = {"as_of_date": "2024-06-01", "max_quarantined_share": 1}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("corpus")
    build = run_dbt(work, CORPUS, VARIABLES)
    assert build.returncode == 0, build.output
    return build


def raw_md5(raw_row: str) -> str:
    return "raw-md5:" + hashlib.md5(raw_row.encode()).hexdigest()


# (input_table, row_key, column_name, reason): every quarantined row, one per case.
EXPECTED_QUARANTINE = sorted(
    [
        # orders.csv
        ("orders", "dup-same", "order_id", "duplicate_copy"),  # identical copy: one kept
        ("orders", "dup-conflict", "order_id", "conflicting_duplicate"),  # both copies out
        ("orders", "dup-conflict", "order_id", "conflicting_duplicate"),
        # an empty order_id has no key: the row is named by a hash of its raw values
        (
            "orders",
            raw_md5("order_id=; customer_id=c1; ordered_at=2024-01-13 10:00:00; amount=5.00; status=completed"),
            "order_id",
            "missing_value",
        ),
        ("orders", "no-customer", "customer_id", "missing_value"),
        ("orders", "bad-date", "ordered_at", "not_a_timestamp"),
        ("orders", "negative", "amount", "negative_amount"),
        ("orders", "not-numeric", "amount", "not_a_number"),  # "5 EUR"
        ("orders", "unknown-status", "status", "unknown_status"),  # "shipped"
        ("orders", "empty-status", "status", "missing_value"),
        # customers.csv: c1 twice, "Email" and "email ": the same after normalising -> one
        # kept; c2 twice with two channels -> both out.
        ("customers", "c1", "customer_id", "duplicate_copy"),
        ("customers", "c2", "customer_id", "conflicting_duplicate"),
        ("customers", "c2", "customer_id", "conflicting_duplicate"),
        # survey_responses.csv
        ("survey_responses", "r-scale", "score", "score_out_of_scale"),  # NPS 11
        ("survey_responses", "r-csat-scale", "score", "score_out_of_scale"),  # CSAT 6
        ("survey_responses", "r-noninteger", "score", "not_an_integer"),  # 4.5
        ("survey_responses", "r-type", "survey_type", "unknown_survey_type"),  # "stars"
        ("survey_responses", "r-dup", "response_id", "duplicate_copy"),
        ("survey_responses", "r-dup-conflict", "response_id", "conflicting_duplicate"),
        ("survey_responses", "r-dup-conflict", "response_id", "conflicting_duplicate"),
        # marketing_spend.csv: a negative amount (spend rows have no key).
        ("marketing_spend", raw_md5("spent_on=2024-01-02; channel=email; amount=-50.00"), "amount", "negative_amount"),
    ]
)


def test_every_bad_row_is_quarantined_with_its_reason(corpus: Build) -> None:
    rows = corpus.rows("audit.rejected_rows", "input_table, row_key, reason")
    assert sorted((r["input_table"], r["row_key"], r["column_name"], r["reason"]) for r in rows) == EXPECTED_QUARANTINE


def test_the_quarantine_keeps_the_raw_values(corpus: Build) -> None:
    rows = corpus.rows("audit.rejected_rows", "row_key")
    raw = {r["row_key"]: r["raw_row"] for r in rows if r["input_table"] == "orders"}
    assert (
        raw["not-numeric"]
        == "order_id=not-numeric; customer_id=c1; ordered_at=2024-01-14 10:00:00; amount=5 EUR; status=completed"
    )


def test_reconciliation_counts(corpus: Build) -> None:
    cols = ["input_table", "rows_read", "rows_accepted", "rows_quarantined", "rows_outside_window"]
    rows = corpus.rows("audit.input_reconciliation", "input_table")
    assert [tuple(r[c] for c in cols) for r in rows] == [
        # c1 (one copy) and c3 accepted; 3 quarantined.
        ("customers", 5, 2, 3, 0),
        # email 100 and tiktok 10 accepted (tiktok: a channel no customer has, kept, with a
        # warning); the negative row quarantined.
        ("marketing_spend", 3, 2, 1, 0),
        # ok1 and one dup-same accepted; 10 quarantined; "future" (at as_of_date) is not bad
        # data: outside the observation window. 2 + 10 + 1 = 13.
        ("orders", 13, 2, 10, 1),
        # r-ok and one r-dup accepted; 7 quarantined; r-future outside. 2 + 7 + 1 = 10.
        ("survey_responses", 10, 2, 7, 1),
    ]


def test_accepted_rows_reach_the_marts(corpus: Build) -> None:
    orders = corpus.rows("marts.orders", "order_id")
    assert [(o["order_id"], o["customer_id"]) for o in orders] == [("dup-same", "c1"), ("ok1", "c1")]
    # Channels differing only in case and spaces are one channel; c2's customer rows
    # conflict and are quarantined, and c2 has no accepted order: no row.
    customers = corpus.rows("marts.customers", "customer_id")
    assert [(c["customer_id"], c["acquisition_channel"]) for c in customers] == [("c1", "email"), ("c3", "email")]
    responses = corpus.rows("marts.survey_responses", "response_id")
    assert [r["response_id"] for r in responses] == ["r-dup", "r-ok"]


def test_quarantine_counts_and_unknown_spend_channels_warn(corpus: Build) -> None:
    for table, count in [("orders", 10), ("customers", 3), ("survey_responses", 7), ("marketing_spend", 1)]:
        assert f"WARN {count} quarantined_rows_input_reconciliation_{table}" in corpus.output
    assert "WARN 1 relationships_stg_marketing_spend_channel" in corpus.output


def test_a_failed_build_loses_nothing(corpus: Build, tmp_path: Path) -> None:
    # Every public and audit relation stays as the good build left them.
    before = {relation: corpus.fingerprint(relation) for relation in KEPT_RELATIONS}

    # 1. More bad rows than the threshold allows, plus a new valid order that would change
    #    marts.orders if the build went through: it stops at the reconciliation checks.
    broken = tmp_path / "broken"
    shutil.copytree(CORPUS, broken)
    with (broken / "orders.csv").open("a") as handle:
        handle.write("new-valid,c1,2024-02-10 10:00:00,99.00,completed\n")
    failed = run_dbt(tmp_path, broken, {"as_of_date": "2024-06-01"}, database=corpus.database)
    assert failed.returncode != 0
    # The guard says in words what happened and what to do: 10 of 14 rows read.
    assert (
        "customer_value: Input orders: 10 of 14 rows read are quarantined (71.4 %), more than the var"
        " max_quarantined_share allows (5.0 %)." in failed.output
    ), failed.output
    assert "Fix the input, or raise max_quarantined_share." in failed.output

    # 2. A structural problem: a required column is missing.
    write_csv(
        tmp_path / "no_amount",
        "orders",
        ["order_id", "customer_id", "ordered_at", "status"],
        [("x1", "c1", "2024-02-10 10:00:00", "completed")],
    )
    failed = run_dbt(tmp_path, tmp_path / "no_amount", VARIABLES, database=corpus.database)
    assert failed.returncode != 0
    assert "has no column 'amount', which is required" in failed.output

    assert {relation: corpus.fingerprint(relation) for relation in KEPT_RELATIONS} == before


def test_dropping_a_quarantined_row_fails_the_reconciliation(corpus: Build, tmp_path: Path) -> None:
    # Runs last in this module: it damages the corpus database on purpose.
    with duckdb.connect(str(corpus.database)) as connection:
        connection.execute("delete from audit.rejected_rows where row_key = 'negative'")
    check = run_dbt(
        tmp_path,
        CORPUS,
        VARIABLES,
        command="test",
        database=corpus.database,
        extra_args=("--select", "input_reconciliation"),
    )
    assert check.returncode != 0
    assert "FAIL 1 reconciles_with_quarantine_input_reconciliation" in check.output
    assert "customer_value: Input orders: 13 rows read, but 2 accepted + 10 quarantined (9 in the quarantine)" in (
        check.output
    )
