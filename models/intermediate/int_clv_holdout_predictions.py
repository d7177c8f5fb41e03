"""The holdout check's forecasts (metrics.clv_model_holdout): BG/NBD fitted, as
int_clv_model_fit fits it, on the summary of the orders before the holdout days
(int_clv_holdout_summary), then each customer's expected purchases over the holdout days,
E[X(holdout) | x, t_x, T] (the holdout's length in the model's time unit from
int_clv_holdout_window), computed once per distinct history and given to each customer in
DuckDB (decision log D53). Null when the model could not
be fitted (fewer than 2 repeat buyers before the holdout days, or no convergence).
The fit reads nothing of int_clv_model_fit's, so the two run side by side (decision log D52).
"""

from __future__ import annotations

import numpy as np

from customer_value import btyd


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    summary = dbt.ref("int_clv_holdout_summary")
    # One row (none in an --empty build, when there is nothing to forecast either).
    window = dbt.ref("int_clv_holdout_window").project("holdout_length").fetchall()
    histories = btyd.histories(summary)
    fitted = btyd.fit_bg_nbd(histories.x, histories.t_x, histories.t, histories.weights)
    predicted = np.full(len(histories.x), np.nan)
    if fitted is not None and fitted[3] and window:
        predicted = btyd.expected_purchases(fitted[0], window[0][0], histories.x, histories.t_x, histories.t)
    return btyd.per_customer(session, summary, histories, {"predicted_purchases": predicted})
