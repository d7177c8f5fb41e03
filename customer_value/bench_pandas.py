"""The baseline a user would write instead of the project: pandas computing marts.customers,
metrics.sales_monthly and metrics.retention_monthly from the same Parquet files (clean
input, default vars). Used by the benchmark, which checks its output equals the project's.

Usage: ``python -m customer_value.bench_pandas DATA_DIR OUTPUT.duckdb``
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

WINDOW_DAYS = 365
SEGMENT_MAP = Path(__file__).resolve().parent.parent / "seeds" / "reference" / "rfm_segment_map.csv"


def _month_index(dates: pd.Series) -> np.ndarray:
    return (dates.dt.year * 12 + dates.dt.month - 1).to_numpy()


def compute(data_dir: Path) -> dict[str, pd.DataFrame]:
    orders = pd.read_parquet(data_dir / "orders.parquet")
    orders["status"] = orders["status"].str.strip().str.lower()
    orders["customer_id"] = orders["customer_id"].str.strip()
    orders["amount"] = orders["amount"].astype(float)
    as_of = orders["ordered_at"].max().normalize() + pd.Timedelta(days=1)
    completed = orders[orders["status"] == "completed"].copy()
    completed["order_date"] = completed["ordered_at"].dt.normalize()

    known = pd.read_parquet(data_dir / "customers.parquet")
    known["customer_id"] = known["customer_id"].str.strip()
    known["acquisition_channel"] = known["acquisition_channel"].str.strip().str.lower().replace("", np.nan)
    known["country"] = known["country"].str.strip().str.upper().replace("", np.nan)
    surveys = pd.read_parquet(data_dir / "survey_responses.parquet", columns=["customer_id"])
    ids = pd.Index(
        pd.concat([known["customer_id"], orders["customer_id"], surveys["customer_id"].dropna().str.strip()])
    ).unique()

    summary = completed.groupby("customer_id").agg(
        completed_orders=("order_id", "size"),
        revenue=("amount", "sum"),
        first_order_at=("ordered_at", "min"),
        last_order_at=("ordered_at", "max"),
    )
    customers = pd.DataFrame(index=ids.rename("customer_id")).join(summary)
    customers = customers.join(known.set_index("customer_id")[["acquisition_channel", "country"]])
    customers["acquisition_channel"] = customers["acquisition_channel"].fillna("unknown")
    customers["country"] = customers["country"].fillna("unknown")
    customers["completed_orders"] = customers["completed_orders"].fillna(0).astype("int64")
    customers["revenue"] = customers["revenue"].fillna(0.0).round(2)
    customers["aov"] = customers["revenue"] / customers["completed_orders"].replace(0, np.nan)
    first_day, last_day = customers["first_order_at"].dt.normalize(), customers["last_order_at"].dt.normalize()
    customers["tenure_days"] = (as_of - first_day).dt.days.astype("Int32")
    customers["recency_days"] = (as_of - last_day).dt.days.astype("Int32")
    customers["lifespan_days"] = (last_day - first_day).dt.days.astype("Int32")
    customers["is_active"] = (customers["recency_days"] <= WINDOW_DAYS).fillna(False).astype(bool)
    customers["cohort_month"] = customers["first_order_at"].dt.to_period("M").dt.to_timestamp()

    buyers = customers[customers["completed_orders"] > 0]
    n = len(buyers)
    scores = pd.DataFrame(index=buyers.index)
    scores["recency_score"] = np.ceil(5 * buyers["recency_days"].rank(method="max", ascending=False) / n)
    scores["frequency_score"] = np.ceil(5 * buyers["completed_orders"].rank(method="max") / n)
    scores["monetary_score"] = np.ceil(5 * buyers["revenue"].rank(method="max") / n)
    from_top = buyers["revenue"].rank(method="max", ascending=False)
    scores["value_tier"] = np.where(5 * from_top <= n, "high", np.where(2 * from_top <= n, "medium", "low"))
    segment_map = pd.read_csv(SEGMENT_MAP)
    scores = scores.astype({"recency_score": int, "frequency_score": int, "monetary_score": int})
    scores = scores.reset_index().merge(segment_map, on=["recency_score", "frequency_score"]).set_index("customer_id")
    customers = customers.join(scores)
    customers["value_tier"] = customers["value_tier"].fillna("none")
    customers["rfm_segment"] = customers["rfm_segment"].fillna("none")

    # Months: from the first completed order's month to the last complete month.
    first_month = completed["order_date"].min().to_period("M")
    last_month = as_of.to_period("M") - 1  # the month before as_of_date's month
    months = pd.period_range(first_month, last_month, freq="M")
    boundaries = np.append(months.to_timestamp().to_numpy(), (months[-1] + 1).to_timestamp().to_datetime64())
    first_index = first_month.year * 12 + first_month.month - 1

    # Activity spells: order dates less than W + 1 days apart chain; active d + 1 .. d + W.
    days = completed[["customer_id", "order_date"]].drop_duplicates().sort_values(["customer_id", "order_date"])
    gap = days.groupby("customer_id")["order_date"].diff().dt.days
    days["spell"] = (gap.isna() | (gap > WINDOW_DAYS)).cumsum()
    spells = days.groupby("spell").agg(
        customer_id=("customer_id", "first"), first=("order_date", "min"), last=("order_date", "max")
    )
    active_from = (spells["first"] + pd.Timedelta(days=1)).to_numpy()
    active_until = (spells["last"] + pd.Timedelta(days=WINDOW_DAYS)).to_numpy()
    low = np.searchsorted(boundaries, active_from, side="left")
    high = np.searchsorted(boundaries, active_until, side="right")
    count = np.maximum(high - low, 0)
    owner = np.repeat(spells["customer_id"].to_numpy(), count)
    boundary = np.repeat(low, count) + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    active = pd.DataFrame({"customer_id": owner, "boundary": boundary})
    at_start = active[active["boundary"] < len(months)].assign(month=lambda f: f["boundary"], at_start=True)
    at_end = active[active["boundary"] > 0].assign(month=lambda f: f["boundary"] - 1, at_end=True)
    completed["month"] = _month_index(completed["order_date"]) - first_index
    in_range = completed[completed["month"] < len(months)]
    bought = in_range.groupby(["customer_id", "month"]).agg(orders=("order_id", "size"), revenue=("amount", "sum"))
    flags = pd.concat(
        [
            at_start[["customer_id", "month", "at_start"]],
            at_end[["customer_id", "month", "at_end"]],
            bought.reset_index()[["customer_id", "month"]],
        ]
    )
    customer_months = flags.groupby(["customer_id", "month"]).agg(
        at_start=("at_start", "any"), at_end=("at_end", "any")
    )
    customer_months = customer_months.join(bought).fillna({"orders": 0, "revenue": 0.0}).reset_index()
    cohort_index = _month_index(customers["cohort_month"].dropna()) - first_index
    customer_months["is_new"] = (
        customer_months["month"].to_numpy()
        == pd.Series(cohort_index, index=customers["cohort_month"].dropna().index)
        .reindex(customer_months["customer_id"])
        .to_numpy()
    )

    per_month = customer_months.groupby("month")
    s, e = per_month["at_start"].sum(), per_month["at_end"].sum()
    new = per_month["is_new"].sum()
    lost = customer_months[customer_months["at_start"] & ~customer_months["at_end"]].groupby("month").size()
    reactivated = (
        customer_months[~customer_months["at_start"] & ~customer_months["is_new"] & (customer_months["orders"] > 0)]
        .groupby("month")
        .size()
    )
    index = pd.RangeIndex(len(months), name="month")
    retention = pd.DataFrame(
        {
            "customers_start": s.reindex(index, fill_value=0),
            "customers_end": e.reindex(index, fill_value=0),
            "new_customers": new.reindex(index, fill_value=0),
            "lost_customers": lost.reindex(index, fill_value=0),
            "reactivated_customers": reactivated.reindex(index, fill_value=0),
        }
    ).astype("int64")
    retention["churn_rate"] = retention["lost_customers"] / retention["customers_start"].replace(0, np.nan)
    retention["retention_rate"] = (retention["customers_end"] - retention["new_customers"]) / retention[
        "customers_start"
    ].replace(0, np.nan)

    sales = pd.DataFrame(
        {
            "orders": per_month["orders"].sum().reindex(index, fill_value=0).astype("int64"),
            "revenue": per_month["revenue"].sum().reindex(index, fill_value=0.0).round(2),
            "purchasing_customers": customer_months[customer_months["orders"] > 0]
            .groupby("month")
            .size()
            .reindex(index, fill_value=0),
            "new_customers": retention["new_customers"],
        }
    )
    sales["aov"] = sales["revenue"] / sales["orders"].replace(0, np.nan)
    sales["purchase_frequency"] = sales["orders"] / sales["purchasing_customers"].replace(0, np.nan)
    month_dates = pd.Series(months.to_timestamp(), index=index)
    for frame in (sales, retention):
        frame.insert(0, "month", month_dates.dt.date)

    customers = customers.reset_index()
    return {
        "marts.customers": customers[
            [
                "customer_id", "acquisition_channel", "rfm_segment", "value_tier", "completed_orders", "revenue",
                "aov", "tenure_days", "recency_days", "lifespan_days", "recency_score", "frequency_score",
                "monetary_score", "is_active", "cohort_month", "first_order_at", "last_order_at", "country",
            ]
        ],
        "metrics.sales_monthly": sales.reset_index(drop=True),
        "metrics.retention_monthly": retention.reset_index(drop=True),
    }  # fmt: skip


def main(argv: list[str]) -> None:
    data_dir, output = Path(argv[0]), Path(argv[1])
    frames = compute(data_dir)
    with duckdb.connect(str(output)) as connection:
        for name, frame in frames.items():
            schema = name.split(".")[0]
            connection.execute(f"create schema if not exists {schema}")
            connection.register("frame", frame)
            connection.execute(f"create or replace table {name} as select * from frame")
            connection.unregister("frame")


if __name__ == "__main__":
    main(sys.argv[1:])
