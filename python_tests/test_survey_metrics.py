"""Compare every row of every survey relation, built on the hand-worked shop
(python_tests/shop_example.py, SURVEYS), with values worked out by hand below."""

from __future__ import annotations

import datetime as dt
import math

from python_tests.dbt_helpers import Build, assert_rows, row

D = dt.date
T = dt.datetime


def test_survey_responses(shop: Build) -> None:
    cols = "response_id customer_id survey_type nps_category score responded_at"
    # Valid responses before as_of_date 2024-05-01, types trimmed and lower-cased
    # (" NPS ", " CES"). Left out: n09 (NPS 12), s04 (CSAT 0), n10 and e04 (future).
    # Anonymous n03 and s05 stay, with a null customer_id.
    assert_rows(
        shop.rows("marts.survey_responses", "response_id"),
        [
            row(cols, "e01", "gary", "ces", None, 1, T(2024, 4, 16, 10)),
            row(cols, "e02", "bob", "ces", None, 4, T(2024, 4, 26, 10)),
            row(cols, "e03", "carol", "ces", None, 2, T(2024, 4, 30, 10)),
            row(cols, "n01", "alice", "nps", "promoter", 10, T(2024, 1, 10, 10)),
            row(cols, "n02", "bob", "nps", "detractor", 6, T(2024, 1, 25, 10)),
            row(cols, "n03", None, "nps", "promoter", 9, T(2024, 1, 28, 10)),
            row(cols, "n04", "alice", "nps", "passive", 8, T(2024, 2, 22, 10)),
            row(cols, "n05", "erin", "nps", "detractor", 3, T(2024, 2, 5, 10)),
            row(cols, "n06", "carol", "nps", "promoter", 9, T(2024, 4, 30, 12)),
            row(cols, "n07", "carol", "nps", "passive", 7, T(2024, 4, 30, 12)),
            row(cols, "n08", "gary", "nps", "promoter", 10, T(2024, 4, 20, 10)),
            row(cols, "n11", "hank", "nps", "detractor", 5, T(2024, 3, 5, 10)),
            row(cols, "n12", "gary", "nps", "promoter", 9, T(2024, 4, 21, 10)),
            row(cols, "s01", "alice", "csat", None, 5, T(2024, 1, 6, 10)),
            row(cols, "s02", "bob", "csat", None, 2, T(2024, 1, 21, 10)),
            row(cols, "s03", "erin", "csat", None, 4, T(2024, 3, 3, 10)),
            row(cols, "s05", None, "csat", None, 5, T(2024, 3, 15, 10)),
        ],
    )


def test_nps_monthly(shop: Build) -> None:
    cols = "month responses promoters passives detractors nps nps_margin_of_error"
    # January to April 2024 (the first NPS response is in January; May is incomplete).
    assert_rows(
        shop.rows("metrics.nps_monthly", "month"),
        [
            # n01 10 (P), n02 6 (D), anonymous n03 9 (P): 100 * (2 - 1) / 3 = 33.3.
            # p = 2/3, q = 1/3: p + q - (p - q)^2 = 1 - 1/9 = 8/9; / 3 = 8/27;
            # 196 * sqrt(8/27) = 106.69.
            row(cols, D(2024, 1, 1), 3, 2, 0, 1, 100 / 3, 196 * math.sqrt(8 / 27)),
            # n04 8 (Pa), n05 3 (D): 100 * (0 - 1) / 2 = -50; p = 0, q = 1/2:
            # 0.5 - 0.25 = 0.25; / 2 = 0.125; 196 * sqrt(0.125) = 69.30.
            row(cols, D(2024, 2, 1), 2, 0, 1, 1, -50.0, 196 * math.sqrt(0.125)),
            # n11 5 (D) only: -100; p + q - (p - q)^2 = 1 - 1 = 0 -> margin 0.
            row(cols, D(2024, 3, 1), 1, 0, 0, 1, -100.0, 0.0),
            # n06 9, n07 7, n08 10, n12 9 (n09 is invalid): 3 P, 1 Pa -> 75;
            # p = 3/4: 0.75 - 0.5625 = 0.1875; / 4 = 0.046875; 196 * sqrt(0.046875) = 42.44.
            row(cols, D(2024, 4, 1), 4, 3, 1, 0, 75.0, 196 * math.sqrt(0.046875)),
        ],
    )


def test_csat_monthly(shop: Build) -> None:
    cols = "month responses satisfied_responses csat mean_score"
    assert_rows(
        shop.rows("metrics.csat_monthly", "month"),
        [
            # s01 5 and s02 2: 1 of 2 satisfied -> 50; mean (5 + 2) / 2 = 3.5.
            row(cols, D(2024, 1, 1), 2, 1, 50.0, 3.5),
            # No CSAT response in February: zero counts, null scores.
            row(cols, D(2024, 2, 1), 0, 0, None, None),
            # s03 4 and anonymous s05 5 (s04's 0 is off the scale): 2 of 2 -> 100; mean 4.5.
            row(cols, D(2024, 3, 1), 2, 2, 100.0, 4.5),
            # April: none.
            row(cols, D(2024, 4, 1), 0, 0, None, None),
        ],
    )


def test_ces_monthly(shop: Build) -> None:
    cols = "month responses mean_effort low_effort_share"
    # The first CES response is in April: one month. e01 1, e02 4, e03 2 (e04 is future):
    # mean (1 + 4 + 2) / 3 = 7/3; scores 1-2: e01, e03 -> 2/3.
    assert_rows(
        shop.rows("metrics.ces_monthly", "month"),
        [row(cols, D(2024, 4, 1), 3, 7 / 3, 2 / 3)],
    )


def test_nps_by_segment(shop: Build) -> None:
    cols = "segment_type segment responses promoters passives detractors nps"
    # Customer-linked NPS responses (9; the anonymous n03 is left out), with each customer's
    # segments from marts.customers: alice (paid_search, medium, loyal_customers): P, Pa;
    # bob (organic, high, champions): D; carol (unknown, low, champions): P, Pa;
    # erin (unknown, low, hibernating): D; gary (paid_search, medium, loyal_customers): P, P;
    # hank (unknown, none, none): D. dan (email, none, none) and fred (email, low,
    # hibernating) have no valid NPS answer.
    assert_rows(
        # Sorted here, by code point (upper case first), whatever the engine's collation.
        sorted(shop.rows("metrics.nps_by_segment", None), key=lambda r: (r["segment_type"], r["segment"])),
        [
            # paid_search = alice + gary: 3 P, 1 Pa -> 75; organic = bob: D -> -100;
            # unknown = carol + erin + hank: 1 P, 1 Pa, 2 D -> 100 * (1 - 2) / 4 = -25;
            # email: no response -> null.
            row(cols, "acquisition_channel", "email", 0, 0, 0, 0, None),
            row(cols, "acquisition_channel", "organic", 1, 0, 0, 1, -100.0),
            row(cols, "acquisition_channel", "paid_search", 4, 3, 1, 0, 75.0),
            row(cols, "acquisition_channel", "unknown", 4, 1, 1, 2, -25.0),
            # Countries: DE = alice (+ fred): P, Pa -> 100 * (1 - 0) / 2 = 50; FR = bob: D;
            # NL = dan: none -> null; US = gary: P, P -> 100; unknown = carol + erin + hank:
            # as the channel unknown, -25.
            row(cols, "country", "DE", 2, 1, 1, 0, 50.0),
            row(cols, "country", "FR", 1, 0, 0, 1, -100.0),
            row(cols, "country", "NL", 0, 0, 0, 0, None),
            row(cols, "country", "US", 2, 2, 0, 0, 100.0),
            row(cols, "country", "unknown", 4, 1, 1, 2, -25.0),
            # champions = bob + carol: 1 P, 1 Pa, 1 D -> 0; hibernating = erin (+ fred): D;
            # loyal_customers = alice + gary: 75; none = hank (+ dan): D.
            row(cols, "rfm_segment", "champions", 3, 1, 1, 1, 0.0),
            row(cols, "rfm_segment", "hibernating", 1, 0, 0, 1, -100.0),
            row(cols, "rfm_segment", "loyal_customers", 4, 3, 1, 0, 75.0),
            row(cols, "rfm_segment", "none", 1, 0, 0, 1, -100.0),
            # high = bob: D; low = carol + erin (+ fred): P, Pa, D -> 0; medium = alice + gary:
            # 75; none = hank: D. Each segment type adds up to 9 responses.
            row(cols, "value_tier", "high", 1, 0, 0, 1, -100.0),
            row(cols, "value_tier", "low", 3, 1, 1, 1, 0.0),
            row(cols, "value_tier", "medium", 4, 3, 1, 0, 75.0),
            row(cols, "value_tier", "none", 1, 0, 0, 1, -100.0),
        ],
    )


def test_churn_by_nps_category(shop: Build) -> None:
    cols = "nps_category customers churned_customers churned_share"
    # Latest valid NPS answer per customer: alice n04 passive (inactive: churned);
    # bob n02 detractor (active); carol n06/n07 at the same instant -> the greater id, n07,
    # passive (active); erin n05 detractor (inactive); gary n12 promoter (active);
    # hank n11 detractor (never ordered, so not active: churned). fred's only answer is future.
    assert_rows(
        shop.rows("metrics.churn_by_nps_category", "nps_category"),
        [
            row(cols, "detractor", 3, 2, 2 / 3),
            row(cols, "passive", 2, 1, 0.5),
            row(cols, "promoter", 1, 0, 0.0),
        ],
    )
