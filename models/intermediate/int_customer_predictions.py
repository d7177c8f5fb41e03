"""Per-purchaser forecasts from the fitted models (int_clv_model_fit), vectorised with numpy.

BG/NBD (Fader, Hardie and Lee 2005, eqs. 10 and 13 of the appendix):
  P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
  E[X(t) | x, t_x, T] = (a + b + x - 1) / (a - 1)
      * (1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t)))
      / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))
Gamma-Gamma conditional mean spend per purchase: (gamma p + p x m) / (p x + q - 1); the
population mean gamma p / (q - 1) without a repeat purchase.

A model that was not fitted (int_clv_model_fit's null estimates) gives null forecasts.
Issue 12's next step builds the public marts.customer_predictions (with predicted CLV) on
this model.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

DAYS_PER_UNIT = {"week": 7.0, "day": 1.0}


def p_alive(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    r, alpha, a, b = params
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + t) / (alpha + t_x)) ** (r + x), 0.0)
    return 1 / (1 + odds)


def expected_purchases(params: np.ndarray, horizon: float, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """E[X(horizon) | x, t_x, T], horizon in the model's time unit."""
    r, alpha, a, b = params
    hypergeometric = special.hyp2f1(r + x, b + x, a + b + x - 1, horizon / (alpha + t + horizon))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + t) / (alpha + t + horizon)) ** (r + x) * hypergeometric)
    return numerator * p_alive(params, x, t_x, t)


def expected_order_value(params: np.ndarray, x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    p, q, gamma = params
    population = gamma * p / (q - 1)
    conditional = (gamma * p + p * x * np.nan_to_num(mean_spend)) / (p * x + q - 1)
    return np.where(x > 0, conditional, population)


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    summary = dbt.ref("customer_purchase_summary").df().sort_values("customer_id", ignore_index=True)
    fitted = dbt.ref("int_clv_model_fit").df()
    estimates = {(row.model, row.parameter): row.estimate for row in fitted.itertuples()}

    def parameters(model_name: str, names: list[str]) -> np.ndarray | None:
        """The model's estimates, or None when it was not fitted (then its columns are null)."""
        values = [estimates.get((model_name, name)) for name in names]
        return None if any(value is None or pd.isna(value) for value in values) else np.array(values, dtype=float)

    bg_nbd = parameters("bg_nbd", ["r", "alpha", "a", "b"])
    gamma_gamma = parameters("gamma_gamma", ["p", "q", "gamma"])
    unit = DAYS_PER_UNIT[dbt.config.get("clv_model_time_unit") or "week"]
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    t = summary["t"].to_numpy(dtype=float)
    missing = np.full(len(summary), np.nan)
    columns = {
        "p_alive": p_alive(bg_nbd, x, t_x, t) if bg_nbd is not None else missing,
        **{
            f"expected_purchases_{days}d": expected_purchases(bg_nbd, days / unit, x, t_x, t)
            if bg_nbd is not None
            else missing
            for days in (30, 90, 365)
        },
        "expected_order_value": expected_order_value(gamma_gamma, x, summary["monetary_value"].to_numpy(dtype=float))
        if gamma_gamma is not None
        else missing,
    }
    result = pd.DataFrame({"customer_id": summary["customer_id"]})
    for name, values in columns.items():
        # Nullable floats: a value that is not finite (a model not fitted) is NULL, never NaN.
        result[name] = pd.array(np.where(np.isfinite(values), values, np.nan), dtype="Float64")
        result.loc[~np.isfinite(values), name] = pd.NA
    return result
