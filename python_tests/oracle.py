"""A plain, slow Python statement of the metric definitions, used as a test oracle.

It restates the contract directly (brute force over days and customers, no spells, no
windows), so that property tests can compare the SQL models with an independent reading of
the same definitions. It handles valid input rows only; screening is tested elsewhere.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

SEGMENT_MAP = Path(__file__).resolve().parent.parent / "seeds" / "reference" / "rfm_segment_map.csv"


@dataclass(frozen=True)
class Order:
    order_id: str
    customer_id: str
    ordered_at: dt.datetime
    amount: Decimal
    status: str


@dataclass(frozen=True)
class Response:
    response_id: str
    customer_id: str | None
    survey_type: str
    score: int
    responded_at: dt.datetime


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def ratio(numerator: float | Decimal, denominator: float | Decimal) -> float | None:
    return None if denominator == 0 else float(numerator) / float(denominator)


class Oracle:
    def __init__(self, orders: list[Order], responses: list[Response], as_of: dt.date, window_days: int) -> None:
        self.as_of = as_of
        self.window = window_days
        as_of_instant = dt.datetime.combine(as_of, dt.time())
        self.orders = [o for o in orders if o.ordered_at < as_of_instant]
        self.completed = [o for o in self.orders if o.status == "completed"]
        self.responses = [r for r in responses if r.responded_at < as_of_instant]
        self.order_days: dict[str, set[dt.date]] = defaultdict(set)
        for order in self.completed:
            self.order_days[order.customer_id].add(order.ordered_at.date())
        last_complete = month_start(as_of) - dt.timedelta(days=1)
        self.last_month = month_start(last_complete)
        first = min((o.ordered_at.date() for o in self.completed), default=None)
        self.months = months_between(month_start(first), self.last_month) if first else []

    def is_active(self, customer_id: str, instant: dt.date) -> bool:
        """A completed order in [instant - W days, instant)."""
        start = instant - dt.timedelta(days=self.window)
        return any(start <= day < instant for day in self.order_days[customer_id])

    def customer_ids(self) -> list[str]:
        ids = {o.customer_id for o in self.orders} | {r.customer_id for r in self.responses if r.customer_id}
        return sorted(ids)

    def customers(self) -> list[dict[str, object]]:
        segment_map = {
            (int(row["recency_score"]), int(row["frequency_score"])): row["rfm_segment"]
            for row in csv.DictReader(SEGMENT_MAP.open())
        }
        rows = []
        for customer_id in self.customer_ids():
            mine = [o for o in self.completed if o.customer_id == customer_id]
            first = min((o.ordered_at for o in mine), default=None)
            last = max((o.ordered_at for o in mine), default=None)
            revenue = sum((o.amount for o in mine), Decimal("0.00"))
            rows.append(
                {
                    "customer_id": customer_id,
                    "acquisition_channel": "unknown",
                    "completed_orders": len(mine),
                    "revenue": revenue,
                    "aov": ratio(revenue, len(mine)),
                    "tenure_days": (self.as_of - first.date()).days if first else None,
                    "recency_days": (self.as_of - last.date()).days if last else None,
                    "lifespan_days": (last.date() - first.date()).days if first else None,
                    "is_active": self.is_active(customer_id, self.as_of),
                    "cohort_month": month_start(first.date()) if first else None,
                    "first_order_at": first,
                    "last_order_at": last,
                }
            )
        purchasers = [r for r in rows if r["completed_orders"]]
        n = len(purchasers)

        def at_or_below(row: dict[str, object], key: str, descending: bool) -> int:
            return sum(
                1
                for other in purchasers
                if (other[key] >= row[key] if descending else other[key] <= row[key])  # type: ignore[operator]
            )

        for row in rows:
            if not row["completed_orders"]:
                row |= {"recency_score": None, "frequency_score": None, "monetary_score": None}
                row |= {"rfm_segment": "none", "value_tier": "none"}
                continue
            row["recency_score"] = math.ceil(5 * at_or_below(row, "recency_days", True) / n)
            row["frequency_score"] = math.ceil(5 * at_or_below(row, "completed_orders", False) / n)
            row["monetary_score"] = math.ceil(5 * at_or_below(row, "revenue", False) / n)
            from_top = at_or_below(row, "revenue", True) / n
            row["rfm_segment"] = segment_map[(row["recency_score"], row["frequency_score"])]
            row["value_tier"] = "high" if from_top <= 0.2 else "medium" if from_top <= 0.5 else "low"
        return rows

    def sales_monthly(self) -> list[dict[str, object]]:
        firsts = {c: min(days) for c, days in self.order_days.items() if days}
        rows = []
        for month in self.months:
            inside = [o for o in self.completed if month <= o.ordered_at.date() < next_month(month)]
            revenue = sum((o.amount for o in inside), Decimal("0.00"))
            buyers = {o.customer_id for o in inside}
            rows.append(
                {
                    "month": month,
                    "orders": len(inside),
                    "revenue": revenue,
                    "purchasing_customers": len(buyers),
                    "new_customers": sum(1 for day in firsts.values() if month_start(day) == month),
                    "aov": ratio(revenue, len(inside)),
                    "purchase_frequency": ratio(len(inside), len(buyers)),
                }
            )
        return rows

    def retention_monthly(self) -> list[dict[str, object]]:
        customers = [c for c, days in self.order_days.items() if days]
        rows = []
        for month in self.months:
            end = next_month(month)
            start_active = {c for c in customers if self.is_active(c, month)}
            end_active = {c for c in customers if self.is_active(c, end)}
            new = {c for c in customers if month_start(min(self.order_days[c])) == month}
            ordered = {c for c in customers if any(month <= d < end for d in self.order_days[c])}
            lost = start_active - end_active
            reactivated = (ordered - start_active) - new
            rows.append(
                {
                    "month": month,
                    "customers_start": len(start_active),
                    "customers_end": len(end_active),
                    "new_customers": len(new),
                    "lost_customers": len(lost),
                    "reactivated_customers": len(reactivated),
                    "churn_rate": ratio(len(lost), len(start_active)),
                    "retention_rate": ratio(len(end_active) - len(new), len(start_active)),
                }
            )
        return rows

    def cohort_retention(self) -> list[dict[str, object]]:
        cohorts: dict[dt.date, set[str]] = defaultdict(set)
        for customer, days in self.order_days.items():
            if days and month_start(min(days)) in self.months:
                cohorts[month_start(min(days))].add(customer)
        rows = []
        for cohort, members in sorted(cohorts.items()):
            cumulative = Decimal("0.00")
            first_revenue: Decimal | None = None
            for k, month in enumerate(m for m in self.months if m >= cohort):
                inside = [
                    o
                    for o in self.completed
                    if o.customer_id in members and month <= o.ordered_at.date() < next_month(month)
                ]
                revenue = sum((o.amount for o in inside), Decimal("0.00"))
                cumulative += revenue
                first_revenue = revenue if first_revenue is None else first_revenue
                active = len({o.customer_id for o in inside})
                rows.append(
                    {
                        "cohort_month": cohort,
                        "months_since_first_order": k,
                        "cohort_customers": len(members),
                        "active_customers": active,
                        "retention_rate": active / len(members),
                        "revenue": revenue,
                        "cumulative_revenue_per_customer": float(cumulative) / len(members),
                        "revenue_retention_rate": ratio(revenue, first_revenue),
                    }
                )
        return rows

    def clv_overall(self, margin: float = 1.0, discount: float = 0.10, cap: float = 10.0) -> dict[str, object]:
        year_start = self.as_of - dt.timedelta(days=365)
        in_year = [o for o in self.completed if o.ordered_at.date() >= year_start]
        revenue = sum((o.amount for o in in_year), Decimal("0.00"))
        purchasers = {o.customer_id for o in in_year}
        customers = [c for c, days in self.order_days.items() if days]
        at_start = [c for c in customers if self.is_active(c, year_start)]
        lost = [c for c in at_start if not self.is_active(c, self.as_of)]
        aov, frequency = ratio(revenue, len(in_year)), ratio(len(in_year), len(purchasers))
        churn = ratio(len(lost), len(at_start))
        lifetime = None if churn is None else cap if churn == 0 else min(1 / churn, cap)
        clv = None if None in (aov, frequency, lifetime) else aov * frequency * lifetime * margin  # type: ignore[operator]
        return {
            "purchasers": len(purchasers),
            "aov": aov,
            "purchase_frequency": frequency,
            "annual_churn_rate": churn,
            "expected_lifetime_years": lifetime,
            "clv": clv,
        }

    def survey_monthly(self, survey_type: str) -> list[dict[str, object]]:
        mine = [r for r in self.responses if r.survey_type == survey_type]
        if not mine:
            return []
        rows = []
        for month in months_between(month_start(min(r.responded_at.date() for r in mine)), self.last_month):
            scores = [r.score for r in mine if month <= r.responded_at.date() < next_month(month)]
            n = len(scores)
            if survey_type == "nps":
                promoters = sum(1 for s in scores if s >= 9)
                detractors = sum(1 for s in scores if s <= 6)
                p, q = ratio(promoters, n), ratio(detractors, n)
                rows.append(
                    {
                        "month": month,
                        "responses": n,
                        "promoters": promoters,
                        "passives": n - promoters - detractors,
                        "detractors": detractors,
                        "nps": None if n == 0 else 100 * (promoters - detractors) / n,
                        "nps_margin_of_error": None if n == 0 else 196 * math.sqrt((p + q - (p - q) ** 2) / n),  # type: ignore[operator]
                    }
                )
            elif survey_type == "csat":
                satisfied = sum(1 for s in scores if s >= 4)
                rows.append(
                    {
                        "month": month,
                        "responses": n,
                        "satisfied_responses": satisfied,
                        "csat": None if n == 0 else 100 * satisfied / n,
                        "mean_score": ratio(sum(scores), n),
                    }
                )
            else:
                rows.append(
                    {
                        "month": month,
                        "responses": n,
                        "mean_effort": ratio(sum(scores), n),
                        "low_effort_share": ratio(sum(1 for s in scores if s <= 2), n),
                    }
                )
        return rows

    def periods(self) -> list[tuple[str, dt.date, dt.date]]:
        """(period_type, start, end) of every complete calendar month, quarter and year, from
        the one holding the first completed order."""
        if not self.months:
            return []
        last_end = next_month(self.last_month)
        found = []
        for period_type, length in [("month", 1), ("quarter", 3), ("year", 12)]:
            starts = sorted(
                {
                    month.replace(month=1) if length == 12 else month.replace(month=(month.month - 1) // 3 * 3 + 1)
                    for month in self.months
                }
                if length > 1
                else set(self.months)
            )
            for start in starts:
                end = start
                for _ in range(length):
                    end = next_month(end)
                if end <= last_end:
                    found.append((period_type, start, end))
        return found

    def retention_by_segment(self) -> list[dict[str, object]]:
        """Every row, ordered by period_type, period_start, segment_type, segment. Without a
        customers file every channel and country is `unknown`."""
        tiers = {row["customer_id"]: row["value_tier"] for row in self.customers()}
        segment_of = {
            "overall": dict.fromkeys(tiers, "all"),
            "acquisition_channel": dict.fromkeys(tiers, "unknown"),
            "country": dict.fromkeys(tiers, "unknown"),
            "value_tier": tiers,
        }
        firsts = {c: min(days) for c, days in self.order_days.items() if days}
        rows = []
        for period_type, start, end in sorted(self.periods()):
            for segment_type in sorted(segment_of):
                for segment in sorted(set(segment_of[segment_type].values())):
                    members = [c for c, value in segment_of[segment_type].items() if value == segment]
                    at_start = {c for c in members if self.is_active(c, start)}
                    at_end = {c for c in members if self.is_active(c, end)}
                    first_inside = {c for c in members if c in firsts and start <= firsts[c] < end}
                    new = first_inside & at_end
                    reactivated = at_end - at_start - first_inside
                    inside = [
                        o for o in self.completed if o.customer_id in members and start <= o.ordered_at.date() < end
                    ]
                    revenue = sum((o.amount for o in inside), Decimal("0.00"))
                    rows.append(
                        {
                            "period_type": period_type,
                            "period_start": start,
                            "segment_type": segment_type,
                            "segment": segment,
                            "customers_start": len(at_start),
                            "customers_end": len(at_end),
                            "new_customers": len(new),
                            "lost_customers": len(at_start - at_end),
                            "reactivated_customers": len(reactivated),
                            "churn_rate": ratio(len(at_start - at_end), len(at_start)),
                            "retention_rate": ratio(len(at_end) - len(new), len(at_start)),
                            "orders": len(inside),
                            "revenue": revenue,
                            "purchasing_customers": len({o.customer_id for o in inside}),
                            "aov": ratio(revenue, len(inside)),
                        }
                    )
        return rows
