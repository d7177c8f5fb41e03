"""Property tests: random small order and survey logs, built through data_dir, satisfy the
identities and equal the plain Python reading of the definitions (python_tests/oracle.py).

dbt's start-up dominates, so the example count is small and fixed (derandomized, so CI is
repeatable); the dbt data tests (identities, bounds) run in the same build.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from python_tests.dbt_helpers import assert_rows, run_dbt, write_csv
from python_tests.oracle import Oracle, Order, Response
from python_tests.semantic_answers import (
    assert_monthly_metrics_equal_relations,
    assert_period_metrics_equal_retention_by_segment,
)

START = dt.datetime(2023, 1, 1)
CUSTOMERS = ["a", "b", "c", "d", "e"]


@st.composite
def shops(draw: st.DrawFn) -> tuple[list[Order], list[Response], dt.date, int]:
    instants = st.integers(min_value=0, max_value=700 * 24).map(lambda hours: START + dt.timedelta(hours=hours))
    orders = [
        Order(
            order_id=f"o{index:03d}",
            customer_id=draw(st.sampled_from(CUSTOMERS)),
            ordered_at=draw(instants),
            amount=Decimal(draw(st.integers(min_value=0, max_value=20_000))) / 100,
            status=draw(st.sampled_from(["completed", "completed", "completed", "cancelled", "returned"])),
        )
        for index in range(draw(st.integers(min_value=1, max_value=30)))
    ]
    responses = []
    for index in range(draw(st.integers(min_value=0, max_value=20))):
        survey_type = draw(st.sampled_from(["nps", "csat", "ces"]))
        low, high = (0, 10) if survey_type == "nps" else (1, 5)
        responses.append(
            Response(
                response_id=f"r{index:03d}",
                customer_id=draw(st.sampled_from([*CUSTOMERS, None])),
                survey_type=survey_type,
                score=draw(st.integers(min_value=low, max_value=high)),
                responded_at=draw(instants),
            )
        )
    # Up to March 2025, so that the leap year 2024 is sometimes complete.
    as_of = draw(st.dates(min_value=dt.date(2023, 2, 1), max_value=dt.date(2025, 3, 1)))
    window = draw(st.sampled_from([31, 90, 365]))
    return orders, responses, as_of, window


def comparable(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    return [{column: row[column] for column in columns} for row in rows]


@settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(shops())
def test_models_match_the_plain_definitions(shop: tuple[list[Order], list[Response], dt.date, int]) -> None:
    orders, responses, as_of, window = shop
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        write_csv(
            work / "data",
            "orders",
            ["order_id", "customer_id", "ordered_at", "amount", "status"],
            [(o.order_id, o.customer_id, o.ordered_at, o.amount, o.status) for o in orders],
        )
        write_csv(
            work / "data",
            "survey_responses",
            ["response_id", "customer_id", "survey_type", "score", "responded_at"],
            [(r.response_id, r.customer_id or "", r.survey_type, r.score, r.responded_at) for r in responses],
        )
        variables = {"as_of_date": as_of.isoformat(), "churn_window_days": window, "max_quarantined_share": 1}
        build = run_dbt(work, work / "data", variables)
        # The build runs every data test too: E = S - L + N + R, revenue agreement across
        # models, cohort sizes = purchasers, rates and NPS within bounds, ...
        assert build.returncode == 0, build.output

        oracle = Oracle(orders, responses, as_of, window)
        expected_customers = oracle.customers()
        assert_rows(
            comparable(build.rows("marts.customers", "customer_id"), list(expected_customers[0]))
            if expected_customers
            else build.rows("marts.customers", "customer_id"),
            expected_customers,
        )
        for relation, expected in [
            ("metrics.sales_monthly", oracle.sales_monthly()),
            ("metrics.retention_monthly", oracle.retention_monthly()),
            ("metrics.nps_monthly", oracle.survey_monthly("nps")),
            ("metrics.csat_monthly", oracle.survey_monthly("csat")),
            ("metrics.ces_monthly", oracle.survey_monthly("ces")),
        ]:
            assert_rows(build.rows(relation, "month"), expected)
        assert_rows(
            build.rows("metrics.cohort_retention", "cohort_month, months_since_first_order"), oracle.cohort_retention()
        )
        # Sorted here by code point, whatever the engine's collation.
        by_segment = build.rows("metrics.retention_by_segment", None)
        assert_rows(
            sorted(by_segment, key=lambda r: (r["period_type"], r["period_start"], r["segment_type"], r["segment"])),
            oracle.retention_by_segment(),
        )
        overall = oracle.clv_overall()
        clv = [row for row in build.rows("metrics.clv_summary", "segment") if row["segment_type"] == "overall"]
        assert_rows(comparable(clv, list(overall)), [overall])
        # The semantic layer (MetricFlow) answers the same as the relations, month by month,
        # per period type and per customer segment.
        assert_monthly_metrics_equal_relations(build)
        assert_period_metrics_equal_retention_by_segment(build)
