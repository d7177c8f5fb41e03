"""Reading input files through data_dir: formats, optional files, clear errors, repeatability."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from python_tests import shop_example
from python_tests.dbt_helpers import PUBLIC_RELATIONS, run_dbt, write_csv


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
    # Every customer comes from the orders alone, so every channel is unknown.
    customers = build.rows("marts.customers", "customer_id")
    assert [(c["customer_id"], c["acquisition_channel"], c["revenue"]) for c in customers] == [
        ("x", "unknown", Decimal("30.00")),
        ("y", "unknown", Decimal("30.00")),
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
        ("rfm_segment", "champions", 0, None),
        ("rfm_segment", "need_attention", 0, None),
        ("value_tier", "low", 0, None),
    ]
    # No spend rows at all: cac is unknown (null), not 0.
    overall = build.rows("metrics.clv_summary", "segment_type, segment")
    assert [(s["segment_type"], s["segment"], s["cac"]) for s in overall] == [
        ("acquisition_channel", "unknown", None),
        ("overall", "all", None),
    ]


def test_a_missing_orders_file_names_the_file(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    write_csv(data_dir, "customers", ["customer_id"], [("x",)])
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode != 0
    assert f"Missing input file: {data_dir}/orders.csv (or .parquet) is required." in build.output


@pytest.mark.parametrize("missing", ["order_id", "amount"])
def test_a_missing_required_column_names_the_file_and_column(tmp_path: Path, missing: str) -> None:
    data_dir = tmp_path / "data"
    header = [name for name in shop_example.ORDERS_HEADER if name != missing]
    write_csv(data_dir, "orders", header, [tuple("1" for _ in header)])
    build = run_dbt(tmp_path, data_dir, {"as_of_date": "2024-03-01"})
    assert build.returncode != 0
    assert f"Input file {data_dir}/orders.csv has no column '{missing}' (required)." in build.output
