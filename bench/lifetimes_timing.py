"""lifetimes' own cost on the benchmark's orders, on this machine (make bench-lifetimes).

lifetimes (0.11.3, archived) does not run on the lock's pandas 3, so this script runs in a
separate virtual environment with the versions it supports (the Makefile pins them). Per
size it times, as the project's predictive branch does its counterparts: the RFM summary
(summary_data_from_transaction_data, freq "D" with freq_multiplier 7: calendar days merged,
recency and T in weeks, as marts.customer_purchase_summary), the BG/NBD fit and the
Gamma-Gamma fit (repeat buyers with a positive mean spend). Completed orders before the day
after the latest order (the project's default as_of_date). Prints one Markdown table row.
"""

from __future__ import annotations

import sys
import time

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data


def main(path: str) -> None:
    orders = pd.read_parquet(path, columns=["customer_id", "ordered_at", "amount", "status"])
    orders["ordered_at"] = pd.to_datetime(orders["ordered_at"])
    as_of = orders["ordered_at"].max().normalize() + pd.Timedelta(days=1)
    completed = orders[orders["status"] == "completed"].copy()
    completed["amount"] = completed["amount"].astype(float)

    start = time.perf_counter()
    summary = summary_data_from_transaction_data(
        completed,
        "customer_id",
        "ordered_at",
        monetary_value_col="amount",
        observation_period_end=as_of - pd.Timedelta(days=1),
        freq="D",
        freq_multiplier=7,
    )
    summary_seconds = time.perf_counter() - start

    start = time.perf_counter()
    BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    bg_nbd_seconds = time.perf_counter() - start

    spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    start = time.perf_counter()
    GammaGammaFitter().fit(spenders["frequency"], spenders["monetary_value"])
    gamma_gamma_seconds = time.perf_counter() - start

    print(
        f"| {len(orders):,} | {len(summary):,} | {summary_seconds:.1f} | {bg_nbd_seconds:.1f} "
        f"| {gamma_gamma_seconds:.1f} | {summary_seconds + bg_nbd_seconds + gamma_gamma_seconds:.1f} |",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
