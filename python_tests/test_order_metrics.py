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
        " is_active cohort_month first_order_at last_order_at"
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
                117, 71, 46, 3, 5, 5, False, D(2024, 1, 1), T(2024, 1, 5, 10), T(2024, 2, 20, 9)),
            # 200 + 60 (the returned 40 does not count); tenure 01-20 -> 05-01 = 12 + 29 + 31 + 30
            # = 102; recency 04-25 -> 05-01 = 6; lifespan 96.
            row(cols, "bob", "organic", "champions", "high", 2, Decimal("260.00"), 130.0,
                102, 6, 96, 5, 5, 5, True, D(2024, 1, 1), T(2024, 1, 20, 15), T(2024, 4, 25, 8)),
            # Empty channel -> unknown. 70 + 10; tenure 03-10 -> 05-01 = 22 + 30 = 52; recency 1.
            row(cols, "carol", "unknown", "champions", "low", 2, Decimal("80.00"), 40.0,
                52, 1, 51, 5, 5, 3, True, D(2024, 3, 1), T(2024, 3, 10, 11), T(2024, 4, 30, 23, 59, 59)),
            # Never ordered.
            row(cols, "dan", "email", "none", "none", 0, Decimal("0.00"), None,
                None, None, None, None, None, None, False, None, None, None),
            # Guest (no customer row) -> unknown; the future e2 does not count.
            # tenure = recency = 2024-02-02 -> 05-01 = 28 + 31 + 30 = 89.
            row(cols, "erin", "unknown", "hibernating", "low", 1, Decimal("25.00"), 25.0,
                89, 89, 0, 2, 2, 1, False, D(2024, 2, 1), T(2024, 2, 2), T(2024, 2, 2)),
            # 2023-04-20 -> 2024-04-20 is 366 days (29 February), + 11 = 377.
            row(cols, "fred", "email", "hibernating", "low", 1, Decimal("40.00"), 40.0,
                377, 377, 0, 1, 2, 2, False, D(2023, 4, 1), T(2023, 4, 20, 12), T(2023, 4, 20, 12)),
            # 60 + 90; tenure 2023-04-25 -> 2024-05-01 = 366 + 6 = 372; recency 04-15 -> 05-01
            # = 16; lifespan 356.
            row(cols, "gary", "paid_search", "loyal_customers", "medium", 2, Decimal("150.00"), 75.0,
                372, 16, 356, 4, 5, 4, True, D(2023, 4, 1), T(2023, 4, 25, 12), T(2024, 4, 15, 12)),
            # hank: known only from a survey response; no order.
            row(cols, "hank", "unknown", "none", "none", 0, Decimal("0.00"), None,
                None, None, None, None, None, None, False, None, None, None),
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
        " revenue cumulative_revenue_per_customer"
    )
    zero = Decimal("0.00")
    assert_rows(
        shop.rows("metrics.cohort_retention", "cohort_month, months_since_first_order"),
        [
            # April 2023 cohort {fred, gary}: 100 at k = 0 (100 / 2 = 50 per customer), nothing
            # from May 2023 to March 2024 (k = 1..11), gary's 90 at k = 12: (100 + 90) / 2 = 95.
            row(cols, D(2023, 4, 1), 0, 2, 2, 1.0, Decimal("100.00"), 50.0),
            *[row(cols, D(2023, 4, 1), k, 2, 0, 0.0, zero, 50.0) for k in range(1, 12)],
            row(cols, D(2023, 4, 1), 12, 2, 1, 0.5, Decimal("90.00"), 95.0),
            # January 2024 cohort {alice, bob}: 350 (175 each); February alice 80 ->
            # (350 + 80) / 2 = 215; March only alice's cancelled order -> 0 active;
            # April bob 60 -> (430 + 60) / 2 = 245.
            row(cols, D(2024, 1, 1), 0, 2, 2, 1.0, Decimal("350.00"), 175.0),
            row(cols, D(2024, 1, 1), 1, 2, 1, 0.5, Decimal("80.00"), 215.0),
            row(cols, D(2024, 1, 1), 2, 2, 0, 0.0, zero, 215.0),
            row(cols, D(2024, 1, 1), 3, 2, 1, 0.5, Decimal("60.00"), 245.0),
            # February 2024 cohort {erin}: 25, then nothing.
            row(cols, D(2024, 2, 1), 0, 1, 1, 1.0, Decimal("25.00"), 25.0),
            row(cols, D(2024, 2, 1), 1, 1, 0, 0.0, zero, 25.0),
            row(cols, D(2024, 2, 1), 2, 1, 0, 0.0, zero, 25.0),
            # March 2024 cohort {carol}: 70, then 10 -> 80.
            row(cols, D(2024, 3, 1), 0, 1, 1, 1.0, Decimal("70.00"), 70.0),
            row(cols, D(2024, 3, 1), 1, 1, 1, 1.0, Decimal("10.00"), 80.0),
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
        shop.rows("metrics.clv_summary", "segment_type, segment"),
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
            # 685 in 9 orders from 5 purchasers: aov 685 / 9, frequency 9 / 5 = 1.8, so
            # aov * frequency = 137; churn 1 / 2 -> 2 years; clv = 137 * 2 = 274;
            # discounted = 137 * 1.1 / (0.1 + 0.5) = 150.7 / 0.6; observed (46 + 0 + 0) / 3 / 365.25;
            # cac = 200 / 4 = 50; clv / cac = 274 / 50 = 5.48.
            row(cols, "overall", "all", 5, 685 / 9, 1.8, 0.5, 2.0, 274.0, 150.7 / 0.6,
                46 / 3 / 365.25, 50.0, 5.48),
        ],
    )
    # fmt: on
