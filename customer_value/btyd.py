"""The buy-till-you-die models, written once: the dbt Python models (int_clv_model_fit,
int_customer_predictions, int_clv_holdout_predictions) import them (profiles.yml puts the
project folder on their module path) and the tests call them directly.

BG/NBD (Fader, Hardie and Lee 2005, "Counting your customers the easy way") for the number
of repeat purchases and the dropout; Gamma-Gamma (Fader, Hardie and Lee 2005, "RFM and CLV")
for the spend per purchase. x = repeat purchases, t_x = recency, T = age, in the model's
time unit. docs/metrics.md (`clv_models`) has the formulas for a reader.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import optimize, special

# A model needs at least this many repeat buyers to be fitted; with fewer it is not (null).
MIN_REPEAT_BUYERS = 2
BG_NBD_PARAMETERS = ["r", "alpha", "a", "b"]
GAMMA_GAMMA_PARAMETERS = ["p", "q", "gamma"]
# The model's time units in days (var clv_model_time_unit; the SQL summary divides by the same).
DAYS_PER_UNIT = {"week": 7.0, "day": 1.0}
# A month of the CLV horizon: a twelfth of 365 days, so 12 months are the 365 days of
# expected_purchases_365d.
DAYS_PER_MONTH = 365 / 12

# estimates, standard errors, maximised log-likelihood, converged
Fit = tuple[np.ndarray, np.ndarray, float, bool]


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


def fit(negative_log_likelihood: Callable[[np.ndarray], float], size: int) -> Fit:
    """Maximum likelihood in log space (so the parameters stay positive) with L-BFGS-B;
    standard errors from the inverse of the Hessian at the estimates."""
    result = optimize.minimize(
        lambda log_params: negative_log_likelihood(np.exp(log_params)),
        np.zeros(size),
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000},
    )
    estimates = np.exp(result.x)
    log_likelihood = -float(result.fun)
    converged = bool(result.success) and bool(np.all(np.isfinite(estimates))) and np.isfinite(log_likelihood)
    try:
        covariance = np.linalg.inv(hessian(negative_log_likelihood, estimates))
        errors = np.sqrt(np.diag(covariance))
    except np.linalg.LinAlgError:
        errors = np.full(size, np.nan)
    return estimates, errors, log_likelihood, converged


def fit_bg_nbd(x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> Fit | None:
    """BG/NBD on every purchaser, identical (x, t_x, T) rows compressed to weights; None with
    fewer than MIN_REPEAT_BUYERS repeat buyers."""
    if int((x > 0).sum()) < MIN_REPEAT_BUYERS:
        return None
    keys, weights = np.unique(np.stack([x, t_x, t], axis=1), axis=0, return_counts=True)
    return fit(
        lambda params: -float(np.sum(weights * bg_nbd_log_likelihood(params, keys[:, 0], keys[:, 1], keys[:, 2]))),
        len(BG_NBD_PARAMETERS),
    )


def spenders(x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    """The customers Gamma-Gamma is fitted on: a repeat purchase and a positive mean repeat
    spend (the model is for positive spend)."""
    return (x > 0) & (np.nan_to_num(mean_spend) > 0)


def fit_gamma_gamma(x: np.ndarray, mean_spend: np.ndarray) -> Fit | None:
    """Gamma-Gamma on the spenders; None with fewer than MIN_REPEAT_BUYERS of them."""
    chosen = spenders(x, mean_spend)
    if int(chosen.sum()) < MIN_REPEAT_BUYERS:
        return None
    spend_x, spend = x[chosen], mean_spend[chosen]
    return fit(
        lambda params: -float(np.sum(gamma_gamma_log_likelihood(params, spend_x, spend))),
        len(GAMMA_GAMMA_PARAMETERS),
    )


def spend_frequency_correlation(x: np.ndarray, mean_spend: np.ndarray) -> float | None:
    """Pearson correlation of frequency and mean spend among the spenders: Gamma-Gamma
    assumes they are independent. None when it is undefined (fewer than 2 spenders, or one
    of them constant)."""
    chosen = spenders(x, mean_spend)
    if int(chosen.sum()) < MIN_REPEAT_BUYERS:
        return None
    spend_x, spend = x[chosen], mean_spend[chosen]
    if np.all(spend_x == spend_x[0]) or np.all(spend == spend[0]):
        return None
    return float(np.corrcoef(spend_x, spend)[0, 1])


def p_alive(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x))."""
    r, alpha, a, b = params
    odds = np.where(x > 0, a / np.maximum(b + x - 1, 1e-300) * ((alpha + t) / (alpha + t_x)) ** (r + x), 0.0)
    return 1 / (1 + odds)


def expected_purchases(params: np.ndarray, horizon: float, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """E[X(horizon) | x, t_x, T], horizon in the model's time unit (FHL 2005, eq. 10):
    (a + b + x - 1) / (a - 1) (1 - ((alpha + T) / (alpha + T + t))^(r + x)
    2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))) P(alive)."""
    r, alpha, a, b = params
    hypergeometric = special.hyp2f1(r + x, b + x, a + b + x - 1, horizon / (alpha + t + horizon))
    numerator = (a + b + x - 1) / (a - 1) * (1 - ((alpha + t) / (alpha + t + horizon)) ** (r + x) * hypergeometric)
    return numerator * p_alive(params, x, t_x, t)


def expected_order_value(params: np.ndarray, x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    """Gamma-Gamma conditional mean spend (gamma p + p x m) / (p x + q - 1); the population
    mean gamma p / (q - 1) without a repeat purchase."""
    p, q, gamma = params
    population = gamma * p / (q - 1)
    conditional = (gamma * p + p * x * np.nan_to_num(mean_spend)) / (p * x + q - 1)
    return np.where(x > 0, conditional, population)


def predicted_clv(
    purchases: Callable[[float], np.ndarray],
    order_value: np.ndarray,
    *,
    months: int,
    days_per_unit: float,
    gross_margin_rate: float,
    annual_discount_rate: float,
) -> np.ndarray:
    """Sum over months m = 1..months of the purchases expected in month m (E[X(m)] - E[X(m - 1)],
    a month being DAYS_PER_MONTH days) x order_value x gross_margin_rate, discounted to the
    as-of date at the end of each month: / (1 + annual_discount_rate)^(m / 12).
    `purchases(horizon)` is E[X(horizon)] per customer, horizon in the model's time unit."""
    total = np.zeros_like(order_value, dtype=float)
    previous = np.zeros_like(total)
    for month in range(1, months + 1):
        cumulative = purchases(month * DAYS_PER_MONTH / days_per_unit)
        total += (cumulative - previous) / (1 + annual_discount_rate) ** (month / 12)
        previous = cumulative
    return total * order_value * gross_margin_rate
