"""Per-purchaser forecasts from the fitted models (int_clv_model_fit), vectorised with numpy
(the formulas: customer_value/btyd.py and docs/metrics.md, `clv_models`).

P(alive), expected purchases in the next 30, 90 and 365 days, the Gamma-Gamma expected order
value and the predicted CLV over var clv_horizon_months months (monthly discounting at
annual_discount_rate, times gross_margin_rate). They depend on the history (x, t_x, T) and
the mean repeat spend only, so they are computed once per distinct one (the hypergeometric
part once per distinct (x, T)) and each purchaser is given theirs in DuckDB: no customer id
passes through Python (decision log D53). A model that was not fitted gives null forecasts
(never NaN).
"""

from __future__ import annotations

import numpy as np

from customer_value import btyd


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    summary = dbt.ref("customer_purchase_summary")
    # A model that was not fitted has None here, and null columns.
    fitted = dbt.ref("int_clv_model_fit")
    bg_nbd = btyd.fitted_parameters(fitted, "bg_nbd", btyd.BG_NBD_PARAMETERS)
    gamma_gamma = btyd.fitted_parameters(fitted, "gamma_gamma", btyd.GAMMA_GAMMA_PARAMETERS)
    days_per_unit = btyd.DAYS_PER_UNIT[dbt.config.get("clv_model_time_unit") or "week"]
    histories = btyd.histories(summary, with_spend=True)
    size = len(histories.x)
    missing = np.full(size, np.nan)

    order_value = (
        btyd.expected_order_value(gamma_gamma, histories.x, histories.monetary_value)
        if gamma_gamma is not None
        else missing
    )
    columns = {"p_alive": missing, **{f"expected_purchases_{days}d": missing for days in (30, 90, 365)}}
    predicted_clv = missing
    if bg_nbd is not None and size:
        alive = btyd.p_alive(bg_nbd, histories.x, histories.t_x, histories.t)

        def purchases(horizon: float) -> np.ndarray:
            """E[X(horizon) | x, t_x, T] per distinct history."""
            if_alive = btyd.expected_purchases_if_alive(bg_nbd, horizon, histories.pair_x, histories.pair_t)
            return if_alive[histories.pair] * alive

        columns["p_alive"] = alive
        for days in (30, 90, 365):
            columns[f"expected_purchases_{days}d"] = purchases(days / days_per_unit)
        predicted_clv = btyd.predicted_clv(
            purchases,
            order_value,
            months=int(dbt.config.get("clv_horizon_months")),
            days_per_unit=days_per_unit,
            gross_margin_rate=float(dbt.config.get("gross_margin_rate")),
            annual_discount_rate=float(dbt.config.get("annual_discount_rate")),
        )

    forecasts = {**columns, "expected_order_value": order_value, "predicted_clv": predicted_clv}
    return btyd.per_customer(session, summary, histories, forecasts)
