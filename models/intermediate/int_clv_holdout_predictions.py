"""The holdout check's forecasts (metrics.clv_model_holdout): BG/NBD fitted, as
int_clv_model_fit fits it, on the summary of the orders before the holdout days
(int_clv_holdout_summary), then each customer's expected purchases over the holdout days,
E[X(holdout) | x, t_x, T]. Null when the model could not be fitted (fewer than 2 repeat
buyers before the holdout days, or no convergence).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from customer_value import btyd


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    summary = dbt.ref("int_clv_holdout_summary").df().sort_values("customer_id", ignore_index=True)
    days_per_unit = btyd.DAYS_PER_UNIT[dbt.config.get("clv_model_time_unit") or "week"]
    horizon = int(dbt.config.get("clv_holdout_days")) / days_per_unit
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    t = summary["t"].to_numpy(dtype=float)
    fitted = btyd.fit_bg_nbd(x, t_x, t)
    predicted = pd.array(np.full(len(summary), np.nan), dtype="Float64")
    predicted[:] = pd.NA
    if fitted is not None and fitted[3]:
        predicted = pd.array(btyd.expected_purchases(fitted[0], horizon, x, t_x, t), dtype="Float64")
    return pd.DataFrame({"customer_id": summary["customer_id"].astype("string"), "predicted_purchases": predicted})
