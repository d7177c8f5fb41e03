"""The semantic layer's answers on a built DuckDB database, and the checks that they equal
the metrics relations (used by test_semantic_layer on the hand-worked shop and by
test_properties on random shops)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import duckdb
import pytest

from customer_value import semantic
from python_tests.dbt_helpers import Build, as_records

# Each monthly metrics relation: its semantic-layer metric per column, and whether the
# metric is filled on the time spine (every reported month) or has rows only for months with
# data (the survey relations: a month without responses has null ratios there).
MONTHLY_RELATIONS: dict[str, tuple[dict[str, str], bool]] = {
    "metrics.sales_monthly": (
        {
            "revenue": "revenue",
            "orders": "orders",
            "purchasing_customers": "purchasing_customers",
            "new_customers": "new_customers",
            "aov": "aov",
            "purchase_frequency": "purchase_frequency",
        },
        True,
    ),
    "metrics.retention_monthly": (
        {
            "customers_start": "customers_start",
            "customers_end": "customers_end",
            "new_customers": "new_customers",
            "lost_customers": "lost_customers",
            "reactivated_customers": "reactivated_customers",
            "churn_rate": "churn_rate",
            "retention_rate": "retention_rate",
        },
        True,
    ),
    "metrics.nps_monthly": (
        {
            "responses": "nps_responses",
            "promoters": "promoters",
            "passives": "passives",
            "detractors": "detractors",
            "nps": "nps",
        },
        False,
    ),
    "metrics.csat_monthly": (
        {
            "responses": "csat_responses",
            "satisfied_responses": "satisfied_responses",
            "csat": "csat",
            "mean_score": "csat_mean_score",
        },
        False,
    ),
    "metrics.ces_monthly": (
        {"responses": "ces_responses", "mean_effort": "mean_effort", "low_effort_share": "low_effort_share"},
        False,
    ),
}
# The flows of metrics.retention_by_segment and their metrics per period type.
PERIOD_COLUMNS = [
    "customers_start",
    "customers_end",
    "new_customers",
    "lost_customers",
    "reactivated_customers",
    "churn_rate",
    "retention_rate",
]
PERIOD_METRIC_PREFIX = {"month": "", "quarter": "quarterly_", "year": "yearly_"}
# retention_by_segment's segment types and the semantic layer's dimension for each.
SEGMENT_DIMENSIONS = {
    "acquisition_channel": "customer__acquisition_channel",
    "country": "customer__country",
    "value_tier": "customer__value_tier",
}


def answer(build: Build, metrics: Sequence[str], group_by: Sequence[str]) -> list[dict[str, Any]]:
    """What `mf query --metrics METRICS --group-by GROUP_BY` answers on BUILD's database."""
    sql = semantic.query_sql(build.database.parent / "target" / "semantic_manifest.json", metrics, group_by)
    with duckdb.connect(str(build.database), read_only=True) as connection:
        return as_records(connection.execute(sql))


def as_date(value: Any) -> dt.date:
    """A metric_time value (a timestamp in MetricFlow's output) as a date."""
    return value.date() if isinstance(value, dt.datetime) else value


def same(got: Any, want: Any) -> bool:
    """Equal numbers (to 1e-9 relative; decimals and floats alike), or both null."""
    if got is None or want is None:
        return got is None and want is None
    return float(got) == pytest.approx(float(want), rel=1e-9, abs=1e-12)


def assert_monthly_metrics_equal_relations(build: Build) -> int:
    """Every monthly metric by metric_time__month equals its relation's column, every month:
    a filled metric has exactly the relation's months; a survey metric has every month with
    responses of its type, and any other month it has holds only other types' responses or
    lies after the relation's last month (the month of as_of_date, to date). Also
    repeat_purchase_rate_90d against the orders. Returns the number of values compared."""
    compared = 0
    for relation, (columns, is_filled) in MONTHLY_RELATIONS.items():
        want = {row["month"]: row for row in build.rows(relation, "month")}
        got = {
            as_date(row["metric_time__month"]): row
            for row in answer(build, list(columns.values()), ["metric_time__month"])
        }
        if is_filled:
            assert sorted(got) == sorted(want), relation
        else:
            assert {month for month, row in want.items() if row["responses"] > 0} <= set(got), relation
            # Other months: a month of another survey type's responses (0 of these), or the
            # month of as_of_date (responses to date).
            responses = columns["responses"]
            last = max(want, default=dt.date.min)
            assert all(month > last or got[month][responses] == 0 for month in set(got) - set(want)), relation
        for month, row in want.items():
            if month not in got:
                assert row["responses"] == 0, (relation, month)
                continue
            for column, metric in columns.items():
                assert same(got[month][metric], row[column]), (relation, month, column, got[month][metric], row[column])
                compared += 1
    return compared + len(assert_repeat_purchase_rate_equals_orders(build))


def repeat_purchase_rates(build: Build) -> dict[dt.date, float]:
    """repeat_purchase_rate_90d worked from marts.orders: per month of customers' first
    completed orders, the share whose second completed order is dated less than 90 calendar
    days after the first."""
    first: dict[str, dt.datetime] = {}
    second: dict[str, dt.datetime] = {}
    for order in build.rows("marts.orders", "order_id"):
        number = order["customer_order_number"]
        if order["is_completed"] and number in (1, 2):
            (first if number == 1 else second)[order["customer_id"]] = order["ordered_at"]
    customers: dict[dt.date, int] = {}
    converted: dict[dt.date, int] = {}
    for customer_id, at in first.items():
        month = at.date().replace(day=1)
        customers[month] = customers.get(month, 0) + 1
        again = second.get(customer_id)
        is_converted = again is not None and (again.date() - at.date()).days < 90
        converted[month] = converted.get(month, 0) + is_converted
    return {month: converted[month] / count for month, count in customers.items()}


def assert_repeat_purchase_rate_equals_orders(build: Build) -> dict[dt.date, float]:
    """repeat_purchase_rate_90d by metric_time__month equals repeat_purchase_rates, every
    month with first orders (the metric has no other rows); returns the rates."""
    want = repeat_purchase_rates(build)
    got = {
        as_date(row["metric_time__month"]): row["repeat_purchase_rate_90d"]
        for row in answer(build, ["repeat_purchase_rate_90d"], ["metric_time__month"])
    }
    assert set(got) == set(want), (sorted(got), sorted(want))
    for month, rate in want.items():
        # A month without any conversion: MetricFlow's outer join leaves the count null.
        assert same(got[month] or 0.0, rate), (month, got[month], rate)
    return want


def assert_period_metrics_equal_retention_by_segment(build: Build) -> None:
    """The flows, churn and retention of every period type, overall and per segment (the
    customer's channel, country and value tier), equal metrics.retention_by_segment's. Only
    the periods of the relation are compared: a quarter or year metric has a value for the
    complete reported periods only, the months are those of the spine."""
    relation = build.rows("metrics.retention_by_segment", "period_type, period_start, segment_type, segment")
    for period, prefix in PERIOD_METRIC_PREFIX.items():
        metrics = [prefix + column for column in PERIOD_COLUMNS]
        time = f"metric_time__{period}"
        for segment_type in ["overall", *SEGMENT_DIMENSIONS]:
            dimension = SEGMENT_DIMENSIONS.get(segment_type)
            group_by = [time] if dimension is None else [time, dimension]
            got = {
                (as_date(row[time]), row[dimension] if dimension else "all"): row
                for row in answer(build, metrics, group_by)
            }
            want = [row for row in relation if row["period_type"] == period and row["segment_type"] == segment_type]
            for row in want:
                key = (row["period_start"], row["segment"])
                if key not in got:  # no customer-period of that segment in that period
                    assert row["customers_start"] == row["customers_end"] == row["new_customers"] == 0, key
                    continue
                for column, metric in zip(PERIOD_COLUMNS, metrics, strict=True):
                    value = got[key][metric]
                    assert same(value, row[column]), (period, segment_type, key, column, value, row[column])
