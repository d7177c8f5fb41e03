"""Build the project on the hand-worked shop (python_tests/shop_example.py) and compare every
row of every order-side public relation with values worked out by hand below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from python_tests.dbt_helpers import Build, assert_rows, row

D = dt.date
T = dt.datetime


def test_orders(shop: Build) -> None:
    cols = "order_id customer_id status amount customer_order_number is_completed ordered_at"
    # Completed orders are numbered per customer by ordered_at, then order_id: a1 and a2 share
    # an instant, so a1 is 1 and a2 is 2. Status is trimmed and lower-cased (" Completed",
    # "RETURNED"). e2 at 2024-05-01 00:00 = as_of_date is a future row and is absent.
    assert_rows(
        shop.rows("marts.orders", "order_id"),
        [
            row(cols, "a1", "alice", "completed", Decimal("100.00"), 1, True, T(2024, 1, 5, 10)),
            row(cols, "a2", "alice", "completed", Decimal("50.00"), 2, True, T(2024, 1, 5, 10)),
            row(cols, "a3", "alice", "completed", Decimal("80.00"), 3, True, T(2024, 2, 20, 9)),
            row(cols, "a4", "alice", "cancelled", Decimal("30.00"), None, False, T(2024, 3, 1, 12)),
            row(cols, "b1", "bob", "completed", Decimal("200.00"), 1, True, T(2024, 1, 20, 15)),
            row(cols, "b2", "bob", "returned", Decimal("40.00"), None, False, T(2024, 4, 10, 15)),
            row(cols, "b3", "bob", "completed", Decimal("60.00"), 2, True, T(2024, 4, 25, 8)),
            row(cols, "c1", "carol", "completed", Decimal("70.00"), 1, True, T(2024, 3, 10, 11)),
            row(cols, "c2", "carol", "completed", Decimal("10.00"), 2, True, T(2024, 4, 30, 23, 59, 59)),
            row(cols, "e1", "erin", "completed", Decimal("25.00"), 1, True, T(2024, 2, 2)),
            row(cols, "f1", "fred", "completed", Decimal("40.00"), 1, True, T(2023, 4, 20, 12)),
            row(cols, "g1", "gary", "completed", Decimal("60.00"), 1, True, T(2023, 4, 25, 12)),
            row(cols, "g2", "gary", "completed", Decimal("90.00"), 2, True, T(2024, 4, 15, 12)),
        ],
    )


def test_customers(shop: Build) -> None:
    cols = (
        "customer_id acquisition_channel rfm_segment value_tier completed_orders revenue aov"
        " tenure_days recency_days lifespan_days recency_score frequency_score monetary_score"
        " is_active cohort_month first_order_at last_order_at country"
    )
    # as_of_date 2024-05-01; active when the last order is on or after 2024-05-01 - 31 days
    # = 2024-03-31. Six purchasers (n = 6); score = ceil(5 * c / 6) where c counts the
    # purchasers at or below the customer's value in the ordering, ties included.
    # Recency descending: fred 377 (c=1 -> 1), erin 89 (2 -> 2), alice 71 (3 -> 3),
    #   gary 16 (4 -> 4), bob 6 (5 -> 5), carol 1 (6 -> 5).
    # Frequency ascending: erin, fred 1 order (c=2 -> 2); bob, carol, gary 2 (c=5 -> 5);
    #   alice 3 (c=6 -> 5).
    # Monetary ascending: erin 25 (1), fred 40 (2), carol 80 (3), gary 150 (4), alice 230 (5),
    #   bob 260 (c=6 -> 5).
    # Country trimmed and upper-cased (" fr " -> FR, "de" -> DE); carol's is empty, and erin
    # and hank have no customer row -> unknown.
    # Value tier from the top: bob c=1, 1/6 <= 0.2 -> high; alice 2/6 and gary 3/6 <= 0.5 ->
    #   medium; carol 4/6, fred 5/6, erin 6/6 -> low.
    # Segment (recency, frequency): alice (3,5) and gary (4,5) loyal_customers; bob and carol
    #   (5,5) champions; erin (2,2) and fred (1,2) hibernating.
    # fmt: off
    assert_rows(
        shop.rows("marts.customers", "customer_id"),
        [
            # 100 + 50 + 80 = 230 over 3 orders; tenure 2024-01-05 -> 05-01 = 26 + 29 + 31 + 30
            # + 1 = 117; recency 2024-02-20 -> 05-01 = 10 + 31 + 30 = 71; lifespan 117 - 71 = 46.
            row(cols, "alice", "paid_search", "loyal_customers", "medium", 3, Decimal("230.00"), 230 / 3,
                117, 71, 46, 3, 5, 5, False, D(2024, 1, 1), T(2024, 1, 5, 10), T(2024, 2, 20, 9), "DE"),
            # 200 + 60 (the returned 40 does not count); tenure 01-20 -> 05-01 = 12 + 29 + 31 + 30
            # = 102; recency 04-25 -> 05-01 = 6; lifespan 96.
            row(cols, "bob", "organic", "champions", "high", 2, Decimal("260.00"), 130.0,
                102, 6, 96, 5, 5, 5, True, D(2024, 1, 1), T(2024, 1, 20, 15), T(2024, 4, 25, 8), "FR"),
            # Empty channel -> unknown. 70 + 10; tenure 03-10 -> 05-01 = 22 + 30 = 52; recency 1.
            row(cols, "carol", "unknown", "champions", "low", 2, Decimal("80.00"), 40.0,
                52, 1, 51, 5, 5, 3, True, D(2024, 3, 1), T(2024, 3, 10, 11), T(2024, 4, 30, 23, 59, 59), "unknown"),
            # Never ordered.
            row(cols, "dan", "email", "none", "none", 0, Decimal("0.00"), None,
                None, None, None, None, None, None, False, None, None, None, "NL"),
            # Guest (no customer row) -> unknown; the future e2 does not count.
            # tenure = recency = 2024-02-02 -> 05-01 = 28 + 31 + 30 = 89.
            row(cols, "erin", "unknown", "hibernating", "low", 1, Decimal("25.00"), 25.0,
                89, 89, 0, 2, 2, 1, False, D(2024, 2, 1), T(2024, 2, 2), T(2024, 2, 2), "unknown"),
            # 2023-04-20 -> 2024-04-20 is 366 days (29 February), + 11 = 377.
            row(cols, "fred", "email", "hibernating", "low", 1, Decimal("40.00"), 40.0,
                377, 377, 0, 1, 2, 2, False, D(2023, 4, 1), T(2023, 4, 20, 12), T(2023, 4, 20, 12), "DE"),
            # 60 + 90; tenure 2023-04-25 -> 2024-05-01 = 366 + 6 = 372; recency 04-15 -> 05-01
            # = 16; lifespan 356.
            row(cols, "gary", "paid_search", "loyal_customers", "medium", 2, Decimal("150.00"), 75.0,
                372, 16, 356, 4, 5, 4, True, D(2023, 4, 1), T(2023, 4, 25, 12), T(2024, 4, 15, 12), "US"),
            # hank: known only from a survey response; no order.
            row(cols, "hank", "unknown", "none", "none", 0, Decimal("0.00"), None,
                None, None, None, None, None, None, False, None, None, None, "unknown"),
        ],
    )
    # fmt: on


EMPTY_2023_MONTHS = [D(2023, month, 1) for month in range(6, 13)]  # June..December 2023


def test_sales_monthly(shop: Build) -> None:
    cols = "month orders revenue purchasing_customers new_customers aov purchase_frequency"
    # Reported months: April 2023 (first completed order) to April 2024 (May is incomplete:
    # it ends after as_of_date). Months without orders have zeros and null ratios.
    zero = Decimal("0.00")
    assert_rows(
        shop.rows("metrics.sales_monthly", "month"),
        [
            # f1 40 + g1 60: 2 orders, 2 purchasing and new customers, aov 50, frequency 1.
            row(cols, D(2023, 4, 1), 2, Decimal("100.00"), 2, 2, 50.0, 1.0),
            row(cols, D(2023, 5, 1), 0, zero, 0, 0, None, None),
            *[row(cols, month, 0, zero, 0, 0, None, None) for month in EMPTY_2023_MONTHS],
            # a1 100 + a2 50 + b1 200 = 350 in 3 orders from alice and bob (both new):
            # aov 350 / 3, frequency 3 / 2.
            row(cols, D(2024, 1, 1), 3, Decimal("350.00"), 2, 2, 350 / 3, 1.5),
            # e1 25 + a3 80 = 105 in 2 orders from 2 customers; erin is new.
            row(cols, D(2024, 2, 1), 2, Decimal("105.00"), 2, 1, 52.5, 1.0),
            # c1 70 (a4 is cancelled); carol is new.
            row(cols, D(2024, 3, 1), 1, Decimal("70.00"), 1, 1, 70.0, 1.0),
            # g2 90 + b3 60 + c2 10 = 160 (b2 is returned) from 3 customers, none new.
            row(cols, D(2024, 4, 1), 3, Decimal("160.00"), 3, 0, 160 / 3, 1.0),
        ],
    )


def test_retention_monthly(shop: Build) -> None:
    cols = (
        "month customers_start customers_end new_customers lost_customers reactivated_customers"
        " churn_rate retention_rate"
    )
    # Active at the month boundaries (see the spells in shop_example):
    #   2023-05-01 fred, gary; 2023-06-01 .. 2024-01-01 nobody; 2024-02-01 alice, bob;
    #   2024-03-01 alice (second spell), erin; 2024-04-01 carol; 2024-05-01 bob, carol, gary.
    assert_rows(
        shop.rows("metrics.retention_monthly", "month"),
        [
            # S = 0, fred and gary new and active at the end: E = 0 - 0 + 2 + 0 = 2; S = 0 -> null rates.
            row(cols, D(2023, 4, 1), 0, 2, 2, 0, 0, None, None),
            # Both lost: churn 2 / 2 = 1, retention (0 - 0) / 2 = 0.
            row(cols, D(2023, 5, 1), 2, 0, 0, 2, 0, 1.0, 0.0),
            *[row(cols, month, 0, 0, 0, 0, 0, None, None) for month in EMPTY_2023_MONTHS],
            # alice and bob new: E = 0 - 0 + 2 + 0 = 2.
            row(cols, D(2024, 1, 1), 0, 2, 2, 0, 0, None, None),
            # S = {alice, bob}; bob lost; alice reorders (retained); erin new; E = 2 - 1 + 1 + 0 = 2.
            # churn 1 / 2; retention (2 - 1) / 2.
            row(cols, D(2024, 2, 1), 2, 2, 1, 1, 0, 0.5, 0.5),
            # S = {alice, erin}, both lost; carol new: E = 2 - 2 + 1 + 0 = 1.
            # churn 2 / 2 = 1; retention (1 - 1) / 2 = 0.
            row(cols, D(2024, 3, 1), 2, 1, 1, 2, 0, 1.0, 0.0),
            # S = {carol}, still active at the end (second spell from 05-01); bob and gary come
            # back after gaps longer than W: R = 2, E = 1 - 0 + 0 + 2 = 3.
            # churn 0 / 1 = 0; retention (3 - 0) / 1 = 3 (> 1 through reactivations).
            row(cols, D(2024, 4, 1), 1, 3, 0, 0, 2, 0.0, 3.0),
        ],
    )


def test_cohort_retention(shop: Build) -> None:
    cols = (
        "cohort_month months_since_first_order cohort_customers active_customers retention_rate"
        " revenue cumulative_revenue_per_customer revenue_retention_rate"
    )
    zero = Decimal("0.00")
    assert_rows(
        shop.rows("metrics.cohort_retention", "cohort_month, months_since_first_order"),
        [
            # Revenue retention = the month's revenue / month 0's.
            # April 2023 cohort {fred, gary}: 100 at k = 0 (100 / 2 = 50 per customer), nothing
            # from May 2023 to March 2024 (k = 1..11), gary's 90 at k = 12: (100 + 90) / 2 = 95,
            # revenue retention 90 / 100.
            row(cols, D(2023, 4, 1), 0, 2, 2, 1.0, Decimal("100.00"), 50.0, 1.0),
            *[row(cols, D(2023, 4, 1), k, 2, 0, 0.0, zero, 50.0, 0.0) for k in range(1, 12)],
            row(cols, D(2023, 4, 1), 12, 2, 1, 0.5, Decimal("90.00"), 95.0, 0.9),
            # January 2024 cohort {alice, bob}: 350 (175 each); February alice 80 ->
            # (350 + 80) / 2 = 215, 80 / 350; March only alice's cancelled order -> 0 active;
            # April bob 60 -> (430 + 60) / 2 = 245, 60 / 350.
            row(cols, D(2024, 1, 1), 0, 2, 2, 1.0, Decimal("350.00"), 175.0, 1.0),
            row(cols, D(2024, 1, 1), 1, 2, 1, 0.5, Decimal("80.00"), 215.0, 80 / 350),
            row(cols, D(2024, 1, 1), 2, 2, 0, 0.0, zero, 215.0, 0.0),
            row(cols, D(2024, 1, 1), 3, 2, 1, 0.5, Decimal("60.00"), 245.0, 60 / 350),
            # February 2024 cohort {erin}: 25, then nothing.
            row(cols, D(2024, 2, 1), 0, 1, 1, 1.0, Decimal("25.00"), 25.0, 1.0),
            row(cols, D(2024, 2, 1), 1, 1, 0, 0.0, zero, 25.0, 0.0),
            row(cols, D(2024, 2, 1), 2, 1, 0, 0.0, zero, 25.0, 0.0),
            # March 2024 cohort {carol}: 70, then 10 -> 80; revenue retention 10 / 70.
            row(cols, D(2024, 3, 1), 0, 1, 1, 1.0, Decimal("70.00"), 70.0, 1.0),
            row(cols, D(2024, 3, 1), 1, 1, 1, 1.0, Decimal("10.00"), 80.0, 10 / 70),
        ],
    )


def test_clv_summary(shop: Build) -> None:
    cols = (
        "segment_type segment purchasers aov purchase_frequency annual_churn_rate"
        " expected_lifetime_years clv discounted_clv observed_lifetime_years cac clv_to_cac"
    )
    # Trailing year Y = [2024-05-01 - 365 days, 2024-05-01) = [2023-05-02, 2024-05-01).
    # Orders in Y: alice 3 (230), bob 2 (260), carol 2 (80), erin 1 (25), gary 1 (g2 90);
    # fred's and gary's April 2023 orders are before Y.
    # Active at the start of Y: fred (to 2023-05-21) and gary (to 2023-05-26); fred is not
    # active at as_of_date, gary is. New in Y: alice, bob, carol, erin. Lapsed purchasers
    # (not active at as_of_date): alice (lifespan 46), erin (0), fred (0).
    # Spend in Y: paid_search 120, email 30, social 50 (500 on 2023-05-01 and 99 on
    # 2024-05-01 fall outside Y). Defaults: margin 1, d = 0.10, cap 10 years.
    # fmt: off
    assert_rows(
        # Sorted here, by code point (upper case first), whatever the engine's collation.
        sorted(shop.rows("metrics.clv_summary", None), key=lambda r: (r["segment_type"], r["segment"])),
        [
            # dan and fred: no order in Y; fred was active at the start and lapsed: churn 1 / 1,
            # lifetime 1 / 1 = 1; no aov -> clv null; 30 spent but no new customer -> cac null.
            row(cols, "acquisition_channel", "email", 0, None, None, 1.0, 1.0, None, None, 0.0, None, None),
            # bob: 260 in 2 orders; nobody active at the start of Y -> churn and all that
            # follows null; bob is active -> no lapsed purchaser; no spend -> cac null.
            row(cols, "acquisition_channel", "organic", 1, 130.0, 2.0, None, None, None, None, None, None, None),
            # alice and gary: (230 + 90) / 4 orders = 80, 4 / 2 = 2 a year; gary active at the
            # start and still active -> churn 0 -> the cap, 10 years; clv = 80 * 2 * 10 = 1,600;
            # discounted = 160 * 1.1 / (0.1 + 0) = 1,760; alice lapsed after 46 days;
            # cac = 120 / 1 (alice) = 120; clv / cac = 1,600 / 120.
            row(cols, "acquisition_channel", "paid_search", 2, 80.0, 2.0, 0.0, 10.0, 1600.0, 1760.0,
                46 / 365.25, 120.0, 1600 / 120),
            # Spend without customers: 50 / 0 new customers -> null.
            row(cols, "acquisition_channel", "social", 0, None, None, None, None, None, None, None, None, None),
            # carol and erin: (80 + 25) / 3 = 35, 3 / 2 = 1.5; nobody active at the start;
            # erin lapsed with lifespan 0 -> 0 years; no spend.
            row(cols, "acquisition_channel", "unknown", 2, 35.0, 1.5, None, None, None, None, 0.0, None, None),
            # Countries (no spend per country: cac and clv_to_cac null).
            # DE = alice, fred: alice 230 in 3 orders -> aov 230 / 3, frequency 3; fred was
            # active at the start of Y and lapsed -> churn 1 / 1, lifetime 1; clv = 230 * 1 = 230;
            # discounted = 230 * 1.1 / (1.1 - 0) = 230; lapsed alice 46, fred 0 -> 23 / 365.25.
            row(cols, "country", "DE", 1, 230 / 3, 3.0, 1.0, 1.0, 230.0, 230.0, 23 / 365.25, None, None),
            # FR = bob: as organic.
            row(cols, "country", "FR", 1, 130.0, 2.0, None, None, None, None, None, None, None),
            # NL = dan: no order ever.
            row(cols, "country", "NL", 0, None, None, None, None, None, None, None, None, None),
            # US = gary: 90 in 1 order; active at the start and at as_of_date -> churn 0 -> 10
            # years; clv = 90 * 1 * 10 = 900; discounted = 90 * 1.1 / 0.1 = 990; not lapsed.
            row(cols, "country", "US", 1, 90.0, 1.0, 0.0, 10.0, 900.0, 990.0, None, None, None),
            # unknown = carol, erin (and hank, no order): as the channel unknown.
            row(cols, "country", "unknown", 2, 35.0, 1.5, None, None, None, None, 0.0, None, None),
            # 685 in 9 orders from 5 purchasers: aov 685 / 9, frequency 9 / 5 = 1.8, so
            # aov * frequency = 137; churn 1 / 2 -> 2 years; clv = 137 * 2 = 274;
            # discounted = 137 * 1.1 / (0.1 + 0.5) = 150.7 / 0.6; observed (46 + 0 + 0) / 3 / 365.25;
            # cac = 200 / 4 = 50; clv / cac = 274 / 50 = 5.48.
            row(cols, "overall", "all", 5, 685 / 9, 1.8, 0.5, 2.0, 274.0, 150.7 / 0.6,
                46 / 3 / 365.25, 50.0, 5.48),
        ],
    )
    # fmt: on


def test_retention_by_segment(shop: Build) -> None:
    cols = (
        "period_type period_start segment_type segment customers_start customers_end new_customers"
        " lost_customers reactivated_customers churn_rate retention_rate orders revenue"
        " purchasing_customers aov"
    )
    zero = Decimal("0.00")
    rows = sorted(
        shop.rows("metrics.retention_by_segment", None),
        key=lambda r: (r["segment_type"], r["period_type"], r["period_start"], r["segment"]),
    )

    # fmt: off
    def quiet(period_type: str, start: dt.date, segment_type: str, segment: str) -> dict[str, object]:
        """A period in which the segment has no flow and no order."""
        return row(cols, period_type, start, segment_type, segment, 0, 0, 0, 0, 0, None, None, 0, zero, 0, None)

    # Overall, every period. Months: the rows of test_retention_monthly and test_sales_monthly.
    # Quarters and the year, W = 31 (spells in shop_example): complete quarters are Q2 2023
    # (holds the first order) to Q1 2024 (ends 2024-04-01 <= as_of_date 2024-05-01); the one
    # complete year is 2023.
    overall = [
        row(cols, "month", D(2023, 4, 1), "overall", "all", 0, 2, 2, 0, 0, None, None, 2, Decimal("100.00"), 2, 50.0),
        row(cols, "month", D(2023, 5, 1), "overall", "all", 2, 0, 0, 2, 0, 1.0, 0.0, 0, zero, 0, None),
        *[quiet("month", month, "overall", "all") for month in EMPTY_2023_MONTHS],
        row(cols, "month", D(2024, 1, 1), "overall", "all", 0, 2, 2, 0, 0, None, None, 3, Decimal("350.00"), 2,
            350 / 3),
        row(cols, "month", D(2024, 2, 1), "overall", "all", 2, 2, 1, 1, 0, 0.5, 0.5, 2, Decimal("105.00"), 2, 52.5),
        row(cols, "month", D(2024, 3, 1), "overall", "all", 2, 1, 1, 2, 0, 1.0, 0.0, 1, Decimal("70.00"), 1, 70.0),
        row(cols, "month", D(2024, 4, 1), "overall", "all", 1, 3, 0, 0, 2, 0.0, 3.0, 3, Decimal("160.00"), 3,
            160 / 3),
        # Q2 2023 = [04-01, 07-01): nobody active at either end; fred and gary are new in it but
        # lapsed in May (active to 05-21 and 05-26), so N = 0: no flow at all. Their orders
        # count: 40 + 60 in 2 orders, aov 50.
        row(cols, "quarter", D(2023, 4, 1), "overall", "all", 0, 0, 0, 0, 0, None, None, 2, Decimal("100.00"), 2,
            50.0),
        quiet("quarter", D(2023, 7, 1), "overall", "all"),
        quiet("quarter", D(2023, 10, 1), "overall", "all"),
        # Q1 2024 = [01-01, 04-01): S = 0; at 04-01 only carol is active (03-11..04-10): E = 1,
        # and her first order is in Q1: N = 1. alice, bob and erin are new in Q1 but lapsed by
        # 04-01: no flow. Orders a1 100, a2 50, b1 200, e1 25, a3 80, c1 70: 6 orders, 525,
        # 4 purchasing customers, aov 87.5.
        row(cols, "quarter", D(2024, 1, 1), "overall", "all", 0, 1, 1, 0, 0, None, None, 6, Decimal("525.00"), 4,
            87.5),
        # 2023 = [2023-01-01, 2024-01-01): as Q2 2023 (a customer new and lapsed inside the year).
        row(cols, "year", D(2023, 1, 1), "overall", "all", 0, 0, 0, 0, 0, None, None, 2, Decimal("100.00"), 2, 50.0),
    ]
    assert_rows([r for r in rows if r["segment_type"] == "overall"], overall)

    # Countries, quarters and year: DE = alice, fred; FR = bob; NL = dan; US = gary;
    # unknown = carol, erin, hank. Each country adds up to the overall rows above.
    countries = ["DE", "FR", "NL", "US", "unknown"]
    country = [
        # Q2 2023: fred's 40 (DE) and gary's 60 (US), no flow.
        row(cols, "quarter", D(2023, 4, 1), "country", "DE", 0, 0, 0, 0, 0, None, None, 1, Decimal("40.00"), 1, 40.0),
        quiet("quarter", D(2023, 4, 1), "country", "FR"),
        quiet("quarter", D(2023, 4, 1), "country", "NL"),
        row(cols, "quarter", D(2023, 4, 1), "country", "US", 0, 0, 0, 0, 0, None, None, 1, Decimal("60.00"), 1, 60.0),
        quiet("quarter", D(2023, 4, 1), "country", "unknown"),
        *[quiet("quarter", start, "country", name) for start in [D(2023, 7, 1), D(2023, 10, 1)] for name in countries],
        # Q1 2024: DE alice 100 + 50 + 80 = 230 in 3 orders (new and lapsed: no flow);
        # FR bob 200; unknown erin 25 + carol 70 = 95 in 2 orders, and carol is N and E.
        row(cols, "quarter", D(2024, 1, 1), "country", "DE", 0, 0, 0, 0, 0, None, None, 3, Decimal("230.00"), 1,
            230 / 3),
        row(cols, "quarter", D(2024, 1, 1), "country", "FR", 0, 0, 0, 0, 0, None, None, 1, Decimal("200.00"), 1,
            200.0),
        quiet("quarter", D(2024, 1, 1), "country", "NL"),
        quiet("quarter", D(2024, 1, 1), "country", "US"),
        row(cols, "quarter", D(2024, 1, 1), "country", "unknown", 0, 1, 1, 0, 0, None, None, 2, Decimal("95.00"), 2,
            47.5),
        # 2023: as Q2 2023.
        row(cols, "year", D(2023, 1, 1), "country", "DE", 0, 0, 0, 0, 0, None, None, 1, Decimal("40.00"), 1, 40.0),
        quiet("year", D(2023, 1, 1), "country", "FR"),
        quiet("year", D(2023, 1, 1), "country", "NL"),
        row(cols, "year", D(2023, 1, 1), "country", "US", 0, 0, 0, 0, 0, None, None, 1, Decimal("60.00"), 1, 60.0),
        quiet("year", D(2023, 1, 1), "country", "unknown"),
    ]
    assert_rows([r for r in rows if r["segment_type"] == "country" and r["period_type"] != "month"], country)
    # fmt: on

    # Every segment value of marts.customers in every period: 13 months + 4 quarters + 1 year,
    # times 1 overall + 4 channels (email, organic, paid_search, unknown) + 5 countries
    # + 4 tiers (high, medium, low, none).
    assert len(rows) == 18 * (1 + 4 + 5 + 4)
