"""The semantic layer (MetricFlow) answers what the metrics relations hold: every metric by
month equals its relation's column; the period metrics and the customer slices equal
metrics.retention_by_segment; additive metrics sliced by a customer attribute sum back to
the total; a query of several metrics at a coarser grain has one row per period. On the
hand-worked shop (python_tests/shop_example.py), whose relations are checked by hand in
test_order_metrics and test_survey_metrics."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

import pytest

from python_tests.dbt_helpers import Build
from python_tests.semantic_answers import (
    answer,
    as_date,
    assert_monthly_metrics_equal_relations,
    assert_period_metrics_equal_retention_by_segment,
    assert_repeat_purchase_rate_equals_orders,
    same,
)

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("CV_TEST_TARGET") in ("postgres", "spark"),
    reason="the semantic layer's tests read the DuckDB build",
)


def test_every_monthly_metric_equals_its_relation(shop: Build) -> None:
    # 6 sales + 7 retention columns per reported month, plus the survey months with responses.
    assert assert_monthly_metrics_equal_relations(shop) > 13 * 12


def test_period_metrics_and_slices_equal_retention_by_segment(shop: Build) -> None:
    assert_period_metrics_equal_retention_by_segment(shop)


def test_cumulative_revenue_is_the_running_sum_of_monthly_revenue(shop: Build) -> None:
    months = shop.rows("metrics.sales_monthly", "month")
    running = list(itertools.accumulate(float(row["revenue"]) for row in months))
    got = answer(shop, ["cumulative_revenue"], ["metric_time__month"])
    assert [as_date(row["metric_time__month"]) for row in got] == [row["month"] for row in months]
    for row, total in zip(got, running, strict=True):
        assert same(row["cumulative_revenue"], total), (row, total)
    # By hand: every completed order before 2024-05-01 (shop_example): 40 + 60 + 90 + 100 + 50
    # + 80 + 200 + 60 + 25 + 70 + 10 = 785.
    assert same(got[-1]["cumulative_revenue"], 785)


def test_repeat_purchase_rate_counts_second_orders_within_90_days(shop: Build) -> None:
    # By hand (shop_example): first completed orders and the second one, in calendar days.
    # 2023-04: fred (no second), gary (2023-04-25 -> 2024-04-15, 356 days): 0 / 2.
    # 2024-01: alice (two orders at the same instant: 0 days, converted), bob (2024-01-20 ->
    #          2024-04-25: 11 + 29 + 31 + 25 = 96 days, too late): 1 / 2.
    # 2024-02: erin (her second order is at as_of_date, outside the window): 0 / 1.
    # 2024-03: carol (2024-03-10 -> 2024-04-30: 21 + 30 = 51 days): 1 / 1.
    rates = assert_repeat_purchase_rate_equals_orders(shop)
    assert rates == {
        dt.date(2023, 4, 1): 0.0,
        dt.date(2024, 1, 1): 0.5,
        dt.date(2024, 2, 1): 0.0,
        dt.date(2024, 3, 1): 1.0,
    }


@pytest.mark.parametrize("dimension", ["customer__acquisition_channel", "customer__country", "customer__value_tier"])
def test_additive_metrics_sliced_by_a_customer_attribute_sum_to_the_total(shop: Build, dimension: str) -> None:
    metrics = ["revenue", "orders", "new_customers", "customers_start", "lost_customers"]
    total = {as_date(row["metric_time__month"]): row for row in answer(shop, metrics, ["metric_time__month"])}
    summed: dict[object, dict[str, float]] = defaultdict(lambda: dict.fromkeys(metrics, 0.0))
    for row in answer(shop, metrics, ["metric_time__month", dimension]):
        for metric in metrics:
            summed[as_date(row["metric_time__month"])][metric] += float(row[metric] or 0)
    assert set(summed) <= set(total)
    for month, row in total.items():
        for metric in metrics:
            assert same(summed[month][metric] if month in summed else 0, row[metric]), (month, metric)


@pytest.mark.parametrize("grain", ["week", "month", "quarter", "year"])
def test_several_metrics_at_a_grain_have_one_row_per_period(shop: Build, grain: str) -> None:
    # MetricFlow fills each metric on the spine of the query's grain; with one daily spine it
    # joined days ungrouped when several filled metrics were queried together (decision log D42).
    time = f"metric_time__{grain}"
    rows = answer(shop, ["revenue", "orders", "aov", "churn_rate", "cumulative_revenue"], [time])
    periods = [row[time] for row in rows]
    assert periods == sorted(set(periods)), periods
    assert sum(float(row["revenue"]) for row in rows) == pytest.approx(785)


def test_nps_by_value_tier_counts_the_customers_responses(shop: Build) -> None:
    # Anonymous responses and those of customers without orders have no value tier: the
    # slices hold every other NPS response.
    total = sum(row["nps_responses"] for row in answer(shop, ["nps_responses"], ["metric_time__month"]))
    sliced = answer(shop, ["nps_responses", "nps"], ["customer__value_tier"])
    assert sum(row["nps_responses"] for row in sliced) == total
    for row in sliced:
        assert row["nps"] is None or -100 <= row["nps"] <= 100
