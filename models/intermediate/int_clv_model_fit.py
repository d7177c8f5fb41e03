"""The buy-till-you-die models fitted by maximum likelihood on marts.customer_purchase_summary.

BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way") for the number
of repeat purchases and the dropout, on every purchaser; Gamma-Gamma (Fader, Hardie and Lee
2005, "RFM and CLV") for the spend per purchase, on the repeat buyers with a positive mean
repeat spend. Identical (x, t_x, T) rows are compressed to weights; the parameters are
optimised in log space (so they stay positive) with L-BFGS-B; standard errors come from the
inverse of a finite-difference Hessian of the negative log-likelihood. A model with too
little data (fewer than MIN_REPEAT_BUYERS repeat buyers) or that does not converge gives
rows with null estimates and is_converged false, never NaN.

A dbt Python model: DuckDB runs it in the dbt process (numpy, scipy). PostgreSQL and Spark
run no Python models; there it is disabled (int_clv_model_fit.yml).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import optimize, special

MIN_REPEAT_BUYERS = 2
BG_NBD_PARAMETERS = ["r", "alpha", "a", "b"]
GAMMA_GAMMA_PARAMETERS = ["p", "q", "gamma"]


def bg_nbd_log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood (FHL 2005, eq. 6): x repeat purchases, the last at t_x,
    observed for t."""
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + t)
    repeat = x > 0
    a4 = np.full_like(x, -np.inf, dtype=float)
    a4[repeat] = np.log(a) - np.log(b + x[repeat] - 1) - (r + x[repeat]) * np.log(alpha + t_x[repeat])
    return a1 + a2 + np.logaddexp(a3, a4)


def gamma_gamma_log_likelihood(params: np.ndarray, x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    """Each repeat buyer's log-likelihood of their mean spend over x purchases (FHL 2005b)."""
    p, q, gamma = params
    px = p * x
    return (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(mean_spend)
        + px * np.log(x)
        - (px + q) * np.log(gamma + mean_spend * x)
    )


def hessian(function: Callable[[np.ndarray], float], point: np.ndarray) -> np.ndarray:
    """Central finite-difference Hessian, with steps relative to each coordinate."""
    steps = 1e-4 * np.maximum(np.abs(point), 1e-3)
    size = len(point)
    result = np.empty((size, size))
    for i in range(size):
        for j in range(i, size):
            shift_i, shift_j = np.eye(size)[i] * steps[i], np.eye(size)[j] * steps[j]
            value = (
                function(point + shift_i + shift_j)
                - function(point + shift_i - shift_j)
                - function(point - shift_i + shift_j)
                + function(point - shift_i - shift_j)
            ) / (4 * steps[i] * steps[j])
            result[i, j] = result[j, i] = value
    return result


Fit = tuple[np.ndarray, np.ndarray, float, bool]


def fit(negative_log_likelihood: Callable[[np.ndarray], float], size: int) -> Fit:
    """Estimates, standard errors, maximised log-likelihood and whether the fit converged."""
    result = optimize.minimize(
        lambda log_params: negative_log_likelihood(np.exp(log_params)),
        np.zeros(size),
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000},
    )
    estimates = np.exp(result.x)
    log_likelihood = -float(result.fun)
    converged = bool(result.success) and np.all(np.isfinite(estimates)) and np.isfinite(log_likelihood)
    try:
        covariance = np.linalg.inv(hessian(negative_log_likelihood, estimates))
        errors = np.sqrt(np.diag(covariance))
    except np.linalg.LinAlgError:
        errors = np.full(size, np.nan)
    return estimates, errors, log_likelihood, converged


def rows(model: str, names: list[str], customers: int, time_unit: str, fitted: Fit | None) -> list[dict]:
    """One row per parameter; null estimates when the model was not fitted or did not converge."""
    estimates, errors, log_likelihood, converged = fitted if fitted else (None, None, None, False)
    return [
        {
            "model": model,
            "parameter": name,
            "estimate": float(estimates[i]) if converged else None,
            "std_error": float(errors[i]) if converged and np.isfinite(errors[i]) else None,
            "log_likelihood": log_likelihood if converged else None,
            "customers": customers,
            "is_converged": bool(converged),
            "time_unit": time_unit,
        }
        for i, name in enumerate(names)
    ]


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    # Sorted, so that sums run in one order and the estimates are the same bit for bit
    # whatever order the table is read in.
    summary = dbt.ref("customer_purchase_summary").df().sort_values("customer_id", ignore_index=True)
    time_unit = dbt.config.get("clv_model_time_unit") or "week"
    x = summary["frequency"].to_numpy(dtype=float)
    t_x = summary["recency"].to_numpy(dtype=float)
    t = summary["t"].to_numpy(dtype=float)
    repeat_buyers = int((x > 0).sum())

    bg_nbd = None
    if repeat_buyers >= MIN_REPEAT_BUYERS:
        keys, weights = np.unique(np.stack([x, t_x, t], axis=1), axis=0, return_counts=True)
        bg_nbd = fit(
            lambda params: -float(np.sum(weights * bg_nbd_log_likelihood(params, keys[:, 0], keys[:, 1], keys[:, 2]))),
            len(BG_NBD_PARAMETERS),
        )

    spenders = (x > 0) & (summary["monetary_value"].fillna(0).to_numpy(dtype=float) > 0)
    gamma_gamma = None
    if int(spenders.sum()) >= MIN_REPEAT_BUYERS:
        spend_x, spend = x[spenders], summary["monetary_value"].to_numpy(dtype=float)[spenders]
        gamma_gamma = fit(
            lambda params: -float(np.sum(gamma_gamma_log_likelihood(params, spend_x, spend))),
            len(GAMMA_GAMMA_PARAMETERS),
        )

    fitted = pd.DataFrame(
        rows("bg_nbd", BG_NBD_PARAMETERS, len(summary), time_unit, bg_nbd)
        + rows("gamma_gamma", GAMMA_GAMMA_PARAMETERS, int(spenders.sum()), time_unit, gamma_gamma)
    )
    # Nullable floats: a model not fitted has null estimates (NULL in the table, never NaN).
    for column in ["estimate", "std_error", "log_likelihood"]:
        fitted[column] = fitted[column].astype("Float64")
    return fitted
