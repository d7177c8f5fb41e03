"""Reading input files through data_dir: formats, optional files, clear errors, repeatability."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from customer_value import generate
from customer_value import run_dbt as run_dbt_module
from python_tests import shop_example
from python_tests.dbt_helpers import KEPT_RELATIONS, PROJECT_DIR, PUBLIC_RELATIONS, run_dbt, write_csv


def to_parquet(csv_folder: Path, parquet_folder: Path) -> Path:
    """Rewrite every CSV input as Parquet with the types DuckDB infers (not all text)."""
    parquet_folder.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        for path in csv_folder.glob("*.csv"):
            target = parquet_folder / f"{path.stem}.parquet"
            connection.execute(f"copy (select * from read_csv('{path}')) to '{target}' (format parquet)")
    return parquet_folder


def test_rebuilds_and_parquet_input_give_identical_relations(tmp_path: Path) -> None:
    csv_dir = shop_example.write_shop(tmp_path / "csv")
    first = run_dbt(tmp_path / "first", csv_dir, shop_example.VARIABLES)
    assert first.returncode == 0, first.output
    before = {relation: first.fingerprint(relation) for relation in PUBLIC_RELATIONS}

    again = run_dbt(tmp_path / "first", csv_dir, shop_example.VARIABLES)
    assert again.returncode == 0, again.output
    assert {relation: again.fingerprint(relation) for relation in PUBLIC_RELATIONS} == before

    parquet = run_dbt(tmp_path / "parquet", to_parquet(csv_dir, tmp_path / "parquet_data"), shop_example.VARIABLES)
    assert parquet.returncode == 0, parquet.output
    assert {relation: parquet.fingerprint(relation) for relation in PUBLIC_RELATIONS} == before


def test_only_the_orders_file_is_required(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Two customers, three orders; no customers, survey or spend file.
    write_csv(
        data_dir,
        "orders",
        shop_example.ORDERS_HEADER,
        [
            ("o1", "x", "2024-01-10", "10.00", "completed"),
            ("o2", "y", "2024-01-20", "30.00", "completed"),
            ("o3", "x", "2024-02-10", "20.00", "completed"),
        ],
    )
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode == 0, build.output
    # Every customer comes from the orders alone, so every channel and country is unknown.
    customers = build.rows("marts.customers", "customer_id")
    assert [(c["customer_id"], c["acquisition_channel"], c["country"], c["revenue"]) for c in customers] == [
        ("x", "unknown", "unknown", Decimal("30.00")),
        ("y", "unknown", "unknown", Decimal("30.00")),
    ]
    # January: 10 + 30 from 2 new customers; February: 20 from x.
    sales = build.rows("metrics.sales_monthly", "month")
    assert [(s["orders"], s["revenue"], s["new_customers"]) for s in sales] == [
        (2, Decimal("40.00"), 2),
        (1, Decimal("20.00"), 0),
    ]
    # No survey file: every survey relation exists and is empty, except the three NPS
    # categories of churn_by_nps_category, with no customer.
    for relation in ["marts.survey_responses", "metrics.nps_monthly", "metrics.csat_monthly", "metrics.ces_monthly"]:
        assert build.rows(relation, "1") == [], relation
    assert [
        (r["nps_category"], r["customers"], r["churned_share"])
        for r in build.rows("metrics.churn_by_nps_category", "nps_category")
    ] == [("detractor", 0, None), ("passive", 0, None), ("promoter", 0, None)]
    assert [
        (r["segment_type"], r["segment"], r["responses"], r["nps"])
        for r in build.rows("metrics.nps_by_segment", "segment_type, segment")
    ] == [
        # Segments of the two customers: recency x 20 days, y 41; frequency x 2, y 1 (n = 2):
        # x scores (5, 5) champions, y (ceil(5 * 1/2) = 3, 3) need_attention; revenues tie
        # at 30, so both have cume_dist 2/2 from the top: low.
        ("acquisition_channel", "unknown", 0, None),
        ("country", "unknown", 0, None),
        ("rfm_segment", "champions", 0, None),
        ("rfm_segment", "need_attention", 0, None),
        ("value_tier", "low", 0, None),
    ]
    # One repeat buyer (x) is too little to fit the predictive models: null estimates, not
    # converged (a warning), and null forecasts for both purchasers, never NaN.
    parameters = build.rows("metrics.clv_model_parameters", "model, parameter")
    assert {(p["estimate"], p["std_error"], p["is_converged"]) for p in parameters} == {(None, None, False)}
    assert len(parameters) == 7
    assert {p["spend_frequency_correlation"] for p in parameters} == {None}
    forecasts = build.rows("marts.customer_predictions", "customer_id")
    assert [(f["customer_id"], f["p_alive"], f["expected_order_value"], f["predicted_clv"]) for f in forecasts] == [
        ("x", None, None, None),
        ("y", None, None, None),
    ]
    assert {f["value_segment"] for f in forecasts} == {"unknown"}
    # The holdout check (273 days before 2024-03-01 is before every order) has no customers:
    # every bucket is a row of zeros and nulls, and a warning says the model was not fitted.
    holdout = build.rows("metrics.clv_model_holdout", "frequency_bucket")
    assert [(h["frequency_bucket"], h["customers"], h["predicted_mean_purchases"]) for h in holdout] == [
        (bucket, 0, None) for bucket in ["0", "1", "2", "3", "4", "5", "6", "7+", "all"]
    ]
    assert "WARN 1 clv_holdout_model_fitted" in build.output
    # No spend rows at all: cac is unknown (null), not 0.
    overall = build.rows("metrics.clv_summary", "segment_type, segment")
    assert [(s["segment_type"], s["segment"], s["cac"]) for s in overall] == [
        ("acquisition_channel", "unknown", None),
        ("country", "unknown", None),
        ("overall", "all", None),
    ]


def test_a_missing_orders_file_names_the_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_csv(data_dir, "customers", ["customer_id"], [("x",)])
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode != 0
    # The folder as the var gave it (relative to where dbt ran: dbt_helpers.dbt_command).
    assert "Missing input file: data/orders.csv (or .parquet) is required." in build.output
    assert "Check the var data_dir, or put the file there." in build.output


@pytest.mark.parametrize("missing", ["order_id", "amount"])
def test_a_missing_required_column_names_the_file_and_column(tmp_path: Path, missing: str) -> None:
    data_dir = tmp_path / "data"
    header = [name for name in shop_example.ORDERS_HEADER if name != missing]
    write_csv(data_dir, "orders", header, [tuple("1" for _ in header)])
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode != 0
    assert f"Input file data/orders.csv has no column '{missing}', which is required." in build.output


def test_threads_row_order_and_awkward_paths_do_not_change_results(tmp_path: Path) -> None:
    # A generated shop with a few bad rows of every kind, built twice: once as written with
    # one dbt thread and one DuckDB thread, once with every file's rows shuffled, four of
    # each, and a data_dir whose name holds spaces and quotes. Every relation must have the
    # same content.
    settings = generate.Settings(customers=300, start=dt.date(2023, 1, 1), end=dt.date(2024, 7, 1), seed=7, bad_rows=1)
    plain = tmp_path / "plain"
    generate.write(generate.generate(settings), plain, "csv")
    awkward = tmp_path / "shop data" / 'it\'s "quoted"'
    awkward.mkdir(parents=True)
    rng = random.Random(11)
    for path in plain.glob("*.csv"):
        header, *rows = path.read_text().splitlines(keepends=True)
        rng.shuffle(rows)
        (awkward / path.name).write_text(header + "".join(rows))

    no_unit_tests = ("--exclude-resource-type", "unit_test")
    one = run_dbt(
        tmp_path / "one", plain, extra_args=("--threads", "1", *no_unit_tests), extra_env={"DUCKDB_THREADS": "1"}
    )
    assert one.returncode == 0, one.output
    four = run_dbt(
        tmp_path / "four", awkward, extra_args=("--threads", "4", *no_unit_tests), extra_env={"DUCKDB_THREADS": "4"}
    )
    assert four.returncode == 0, four.output
    assert {r: four.fingerprint(r) for r in KEPT_RELATIONS} == {r: one.fingerprint(r) for r in KEPT_RELATIONS}
    assert one.rows("audit.rejected_rows", "row_key, reason"), "the generated shop should hold bad rows"


@pytest.mark.parametrize(
    ("first_line", "label"),
    [
        ("order_id;customer_id;ordered_at;amount;status", "semicolons"),
        ('"order_id";"customer_id";"ordered_at";"amount";"status"', "semicolons"),
        ("order_id\tcustomer_id\tordered_at\tamount\tstatus", "tabs"),
    ],
)
def test_a_csv_in_another_dialect_gets_a_hint(tmp_path: Path, first_line: str, label: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    row = first_line.replace("order_id", "o1").replace("customer_id", "c1").replace("ordered_at", "2024-01-01")
    (folder / "orders.csv").write_text(f"{first_line}\n{row.replace('amount', '1').replace('status', 'completed')}\n")
    build = run_dbt(tmp_path, folder, command="run", extra_args=("--select", "stg_orders"))
    assert build.returncode != 0
    assert f"Input file data/orders.csv looks separated by {label} (its first line: {first_line})." in (build.output)
    assert "Input CSV files must be comma-separated, with a header row and double quotes" in build.output


def test_structural_problems_fail_with_the_file_named(tmp_path: Path) -> None:
    # Binary garbage where a CSV should be: DuckDB's reader names the file; no stack trace.
    garbage = tmp_path / "garbage"
    garbage.mkdir()
    (garbage / "orders.csv").write_bytes(bytes(range(256)) * 4)
    build = run_dbt(tmp_path / "b", garbage, command="run", extra_args=("--select", "stg_orders"))
    assert build.returncode != 0
    assert f'Error when sniffing file "{garbage}/orders.csv"' in build.output
    assert "Traceback" not in build.output


def test_empty_files_are_valid_inputs(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_csv(data_dir, "orders", shop_example.ORDERS_HEADER, [("o1", "x", "2024-01-10", "10.00", "completed")])
    (data_dir / "customers.csv").write_text("")  # not even a header
    write_csv(data_dir, "survey_responses", shop_example.SURVEY_HEADER, [])  # a header only
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode == 0, build.output
    assert [(r["input_table"], r["rows_read"]) for r in build.rows("audit.input_reconciliation", "input_table")] == [
        ("customers", 0),
        ("marketing_spend", 0),
        ("orders", 1),
        ("survey_responses", 0),
    ]


# Each var value against its rule, with the message a build stops with.
BAD_VAR_VALUES = [
    (
        "as_of_date",
        "2024-01-01' or 1=1 --",
        "var 'as_of_date' (the end of observation, exclusive) must be a date written YYYY-MM-DD, got: "
        "2024-01-01' or 1=1 --",
    ),
    (
        "as_of_date",
        "2025-02-30",
        "var 'as_of_date' (the end of observation, exclusive) must be a real day written YYYY-MM-DD, got: "
        "2025-02-30 (no such day)",
    ),
    (
        "churn_window_days",
        "365; drop table marts.orders",
        "var 'churn_window_days' (days) must be a whole number from 31 to 36500, got: 365; drop table marts.orders",
    ),
    ("churn_window_days", 30, "var 'churn_window_days' (days) must be a whole number from 31 to 36500, got: 30"),
    ("churn_window_days", -5, "var 'churn_window_days' (days) must be a whole number from 31 to 36500, got: -5"),
    ("churn_window_days", 31.5, "var 'churn_window_days' (days) must be a whole number from 31 to 36500, got: 31.5"),
    (
        "gross_margin_rate",
        "1) or (1",
        "var 'gross_margin_rate' (a share of revenue) must be a number from 0 to 1, got: 1) or (1",
    ),
    ("gross_margin_rate", 1.5, "var 'gross_margin_rate' (a share of revenue) must be a number from 0 to 1, got: 1.5"),
    (
        "incremental",
        "maybe",
        "var 'incremental' (whether later builds are incremental) must be true or false, got: maybe",
    ),
    (
        "clv_model_time_unit",
        "month",
        "var 'clv_model_time_unit' (the time unit of the predictive CLV models) must be one of week, day, got: month",
    ),
    (
        "clv_horizon_months",
        0,
        "var 'clv_horizon_months' (months of predicted CLV) must be a whole number from 1 to 1200, got: 0",
    ),
    (
        "clv_holdout_days",
        "39 weeks",
        "var 'clv_holdout_days' (days held out to check the predictive CLV models) must be a whole number "
        "from 1 to 36500, got: 39 weeks",
    ),
    (
        "source_schema",
        'raw"; drop schema marts; --',
        "var 'source_schema' (a schema holding the input tables) must be a plain schema name (letters, digits, _), "
        'got: raw"; drop schema marts; --',
    ),
]
GOOD_VAR_VALUES = [
    ("as_of_date", "2024-02-29"),
    ("as_of_date", None),
    ("churn_window_days", 31),
    ("gross_margin_rate", 0.4),
    ("incremental", "TRUE"),
    ("clv_model_time_unit", "Day"),
    ("clv_holdout_days", 273),
    ("source_schema", "shop_files"),
]


def test_every_var_rule_says_what_is_expected(tmp_path: Path) -> None:
    # One run-operation checks every value (a build per value would repeat dbt's start-up).
    values = [[name, value] for name, value, _ in BAD_VAR_VALUES] + [list(pair) for pair in GOOD_VAR_VALUES]
    result = run_dbt(
        tmp_path, None, command="run-operation check_var_values", extra_args=("--args", json.dumps({"values": values}))
    )
    assert result.returncode == 0, result.output
    for name, value, message in BAD_VAR_VALUES:
        assert f"{name}={value}: {message}\n" in result.output
    for name, value in GOOD_VAR_VALUES:
        assert f"{name}={value}: ok\n" in result.output


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        # A bad value stops the build before anything runs (the rules themselves: above).
        ({"as_of_date": "2024-01-01' or 1=1 --"}, BAD_VAR_VALUES[0][2]),
        ({"source_schema": "shop"}, "Set either the var data_dir (a folder of files) or the var source_schema"),
    ],
)
def test_vars_are_checked_before_anything_runs(tmp_path: Path, variables: dict[str, object], message: str) -> None:
    data_dir = shop_example.write_shop(tmp_path / "data")
    build = run_dbt(tmp_path, data_dir, variables, command="run", extra_args=("--select", "stg_orders"))
    assert build.returncode != 0
    assert message in build.output
    assert "START sql" not in build.output  # the on-run-start hook stopped the run


def test_a_bad_duckdb_cap_is_named_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUCKDB_THREADS", "four")
    data_dir = shop_example.write_shop(tmp_path / "data")
    build = run_dbt(tmp_path, data_dir, command="run", extra_args=("--select", "stg_orders"))
    assert build.returncode != 0
    assert "DUCKDB_THREADS must be a whole number of threads (1 or more), e.g. 4; it is 'four'." in build.output
    assert "START sql" not in build.output


def test_a_busy_database_gets_a_one_line_message(tmp_path: Path) -> None:
    database = tmp_path / "busy.duckdb"
    env = os.environ | {"DBT_DUCKDB_PATH": str(database), "DBT_TARGET": "duckdb"}
    with duckdb.connect(str(database)):  # this test process holds the write lock
        result = subprocess.run(
            [sys.executable, "-m", "customer_value.run_dbt", "build"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert result.returncode == run_dbt_module.BUSY_EXIT_CODE
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"The database {database} is in use by process {os.getpid()} ")
    assert lines[0].endswith("wait for it to finish, or set DBT_DUCKDB_PATH to another file.")
