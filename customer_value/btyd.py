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
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize, special

# A model needs at least this many repeat buyers to be fitted; with fewer it is not (null).
MIN_REPEAT_BUYERS = 2
BG_NBD_PARAMETERS = ["r", "alpha", "a", "b"]
GAMMA_GAMMA_PARAMETERS = ["p", "q", "gamma"]
# The shape parameters of the mixing distributions (gamma shapes r, p, q; beta shapes a, b):
# unit-free, unlike the scales alpha (time) and gamma (money).
BG_NBD_SHAPES = np.array([True, False, True, True])
GAMMA_GAMMA_SHAPES = np.array([True, True, False])
# A shape beyond SHAPE_LIMIT (or below its inverse) is a limit of the model, not an estimate:
# a gamma with shape 1e6 has a coefficient of variation of 0.1 % (no heterogeneity left; r ->
# infinity is Poisson purchases at one rate), a beta with a + b beyond 1e6 a fixed dropout
# probability. The likelihood rose along a ridge towards that limit, where the parameters are
# not identified and the forecasts overflow (hypergeometric of huge arguments).
SHAPE_LIMIT = 1e6
# The model's time units in days (var clv_model_time_unit; the SQL summary divides by the same).
DAYS_PER_UNIT = {"week": 7.0, "day": 1.0}
# A month of the CLV horizon: a twelfth of 365 days, so 12 months are the 365 days of
# expected_purchases_365d.
DAYS_PER_MONTH = 365 / 12

# A fit counts as converged when a Newton step could gain no more than this in log-likelihood.
LIKELIHOOD_TOLERANCE = 1e-6
# The optimiser stops when a step improves the log-likelihood by less than this share of it
# (1e-6 on the likelihood of a million customers, about -1e7): smaller costs steps that are
# lost in the rounding of such a sum; the convergence test above is what decides.
RELATIVE_TOLERANCE = 1e-13

# estimates, standard errors, maximised log-likelihood, converged
Fit = tuple[np.ndarray, np.ndarray, float, bool]
# A fit on more than twice this many rows starts from a fit on every k-th row (about this many).
SAMPLE_ROWS = 20_000


# The distinct histories (x, t_x, T) of a purchase summary relation (columns frequency,
# recency, t), each with its number of customers, in (x, t_x, T) order, so that every sum
# runs in one order whatever order the table is stored in: what the fit reads.
DISTINCT_HISTORIES = """
    select frequency, recency, t, count(*) as customers
    from summary
    group by frequency, recency, t
    order by frequency, recency, t
"""
# What the forecasts read: the distinct histories, with the mean repeat spend as a double when
# the forecast needs it (KEYS: the columns a customer is found by again, see per_customer),
# each with its number of customers and the number of its distinct (x, T), counted in (x, T)
# order from 0; in (x, t_x, T, spend) order.
FORECAST_HISTORIES = """
    with histories as (
        select {keys}, count(*) as customers
        from (select frequency, recency, t{spend} from summary)
        group by {keys}
    )

    select *, dense_rank() over (order by frequency, t) - 1 as pair_index
    from histories
    order by {keys}
"""
# Each customer of a summary with the forecasts of their history (the registered table
# `forecasts`), found by the summary's own columns: the values fetched are given back
# unchanged, so every customer finds exactly their history's row.
PER_CUSTOMER = """
    select summary.customer_id, {columns}
    from summary
    inner join forecasts
        on summary.frequency = forecasts.frequency
        and summary.recency = forecasts.recency
        and summary.t = forecasts.t
        {spend_condition}
"""
SPEND_CONDITION = "and cast(summary.monetary_value as double) is not distinct from forecasts.monetary_value"


def distinct_histories(summary: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """x, t_x, T and the number of customers of each distinct history of SUMMARY (a DuckDB
    relation), in (x, t_x, T) order."""
    fetched = summary.query("summary", DISTINCT_HISTORIES).fetchnumpy()
    columns = ["frequency", "recency", "t", "customers"]
    x, t_x, t, customers = (np.asarray(fetched[name], dtype=float) for name in columns)
    return x, t_x, t, customers


def fitted_parameters(fitted: Any, model_name: str, names: list[str]) -> np.ndarray | None:
    """The estimates of MODEL_NAME's parameters NAMES in FITTED (int_clv_model_fit, a DuckDB
    relation), in that order; None when the model was not fitted (null estimates)."""
    rows = fitted.project("model, parameter, estimate").fetchall()
    estimates = {(model, name): estimate for model, name, estimate in rows}
    values = [estimates.get((model_name, name)) for name in names]
    return None if any(value is None for value in values) else np.array(values, dtype=float)


def floats(column: Any) -> np.ndarray:
    """A column that DuckDB's fetchnumpy returned (a masked array where it has nulls) as
    doubles, NaN where null."""
    return np.ma.filled(np.ma.asarray(column).astype(float), np.nan)


def per_index(index: np.ndarray, values: np.ndarray) -> np.ndarray:
    """VALUES gathered per distinct INDEX (0, 1, ...; rows of one index share their value)."""
    result = np.empty(int(index.max()) + 1 if len(index) else 0, dtype=values.dtype)
    result[index] = values
    return result


@dataclass(frozen=True)
class Histories:
    """A purchase summary's distinct histories, for the forecasts: each is computed once per
    distinct history (x, t_x, T; with the mean repeat spend when `with_spend`), or once per
    distinct (x, T) where it does not depend on t_x, and gathered per history with `pair`;
    per_customer gives each customer their history's values."""

    keys: dict[str, np.ndarray]  # the key columns as fetched, given back to find the customers
    with_spend: bool
    x: np.ndarray  # each distinct history's x, t_x, T, mean repeat spend (NaN without repeats)
    t_x: np.ndarray
    t: np.ndarray
    monetary_value: np.ndarray
    weights: np.ndarray  # its number of customers
    pair: np.ndarray  # its distinct (x, T), in (x, T) order
    pair_x: np.ndarray
    pair_t: np.ndarray


def histories(summary: Any, with_spend: bool = False) -> Histories:
    """The Histories of SUMMARY (a DuckDB relation: frequency, recency, t and, when WITH_SPEND,
    monetary_value), fetched as numpy arrays: no customer ids leave DuckDB."""
    names = ["frequency", "recency", "t", *(["monetary_value"] if with_spend else [])]
    spend = ", cast(monetary_value as double) as monetary_value" if with_spend else ""
    query = FORECAST_HISTORIES.format(keys=", ".join(names), spend=spend)
    fetched = summary.query("summary", query).fetchnumpy()
    x, t_x, t = (floats(fetched[name]) for name in ["frequency", "recency", "t"])
    pair = np.asarray(fetched["pair_index"], dtype=np.int64)
    return Histories(
        # The spend with NaN for null, which DuckDB reads back as NULL (a masked array it
        # would not); the other keys are never null.
        keys={name: floats(fetched[name]) if name == "monetary_value" else fetched[name] for name in names},
        with_spend=with_spend,
        x=x,
        t_x=t_x,
        t=t,
        monetary_value=floats(fetched["monetary_value"]) if with_spend else np.full(len(x), np.nan),
        weights=floats(fetched["customers"]),
        pair=pair,
        pair_x=per_index(pair, x),
        pair_t=per_index(pair, t),
    )


def per_customer(session: Any, summary: Any, histories: Histories, forecasts: dict[str, np.ndarray]) -> Any:
    """A DuckDB relation on SESSION (the Python model's cursor): every customer of SUMMARY
    with FORECASTS (doubles per distinct history of HISTORIES; a value that is not finite, as
    of a model not fitted, is NULL, never NaN). A relation, not an Arrow table, so that
    dbt-duckdb stores it without importing pyarrow.dataset and pandas."""
    values = {name: np.asarray(column, dtype=float) for name, column in forecasts.items()}
    values = {name: np.where(np.isfinite(column), column, np.nan) for name, column in values.items()}
    session.register("forecasts", {**histories.keys, **values})
    columns = ", ".join(f"forecasts.{name}" for name in forecasts)
    condition = SPEND_CONDITION if histories.with_spend else ""
    return summary.query("summary", PER_CUSTOMER.format(columns=columns, spend_condition=condition))


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


# An objective: parameters -> (negative log-likelihood, its gradient in the parameters).
Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]
# The objective on a sample of a fit's rows, and the weight of all the rows over the sample's.
Sample = tuple[Objective, float]


def every_kth(rows: int, sample_rows: int | None) -> np.ndarray | None:
    """Every k-th of ROWS rows (k = rows // SAMPLE_ROWS: about SAMPLE_ROWS of them), the rows a
    fit starts from; None with fewer than twice SAMPLE_ROWS rows (the plain fit is cheap) or
    no SAMPLE_ROWS."""
    if sample_rows is None or rows < 2 * sample_rows:
        return None
    return np.arange(0, rows, rows // sample_rows)


def hessian(objective: Objective, point: np.ndarray) -> np.ndarray:
    """Central finite differences of the analytic gradient, steps relative to each
    coordinate, symmetrised."""
    steps = 1e-5 * np.maximum(np.abs(point), 1e-3)
    columns = []
    for i, step in enumerate(steps):
        shift = np.eye(len(point))[i] * step
        columns.append((objective(point + shift)[1] - objective(point - shift)[1]) / (2 * step))
    result = np.array(columns)
    return (result + result.T) / 2


def in_log_space(objective: Objective) -> Objective:
    """OBJECTIVE as a function of the parameters' logarithms (so that they stay positive)."""

    def function(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(log_params)
        value, gradient = objective(params)
        return value, gradient * params  # d/d(log theta) = theta d/d(theta)

    return function


def lbfgsb(objective: Objective, start: np.ndarray) -> tuple[np.ndarray, float]:
    """OBJECTIVE's minimum in log space with L-BFGS-B from START and the analytic gradient:
    the estimates and the maximised log-likelihood."""
    result = optimize.minimize(
        in_log_space(objective),
        np.log(start),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": RELATIVE_TOLERANCE, "gtol": 1e-8, "maxiter": 10_000},
    )
    return np.exp(result.x), -float(result.fun)


def sample_start(sample: Sample, start: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Where a fit on all the rows starts from a fit on SAMPLE (the objective on a sample of
    them, and the weight of all the rows over the sample's): the sample's estimates, and its
    curvature in log space there scaled to all the rows; None when that curvature is not
    positive definite (no maximum inside the parameter space: the plain fit decides)."""
    sample_objective, scale = sample
    estimates, _ = lbfgsb(sample_objective, start)
    # d2/d(log theta)2 = D H D + diag(theta g), with D = diag(theta) and g the gradient.
    gradient = sample_objective(estimates)[1]
    curvature = (
        np.outer(estimates, estimates) * hessian(sample_objective, estimates) + np.diag(estimates * gradient)
    ) * scale
    try:
        np.linalg.cholesky(curvature)
    except np.linalg.LinAlgError:
        return None
    return estimates, curvature


def bfgs(objective: Objective, start: np.ndarray, curvature: np.ndarray) -> tuple[np.ndarray, float]:
    """OBJECTIVE's minimum in log space with BFGS from START, CURVATURE (in log space) as its
    first Hessian: it stops once a Newton step by that curvature would gain under a hundredth
    of LIKELIHOOD_TOLERANCE (the convergence test at the end, on the Hessian there, decides)."""
    function = in_log_space(objective)
    inverse = np.linalg.inv(curvature)
    inverse = (inverse + inverse.T) / 2
    gradients: dict[bytes, np.ndarray] = {}

    def remembered(log_params: np.ndarray) -> tuple[float, np.ndarray]:
        value, gradient = function(log_params)
        gradients[log_params.tobytes()] = gradient
        return value, gradient

    def stop_when_near(intermediate_result: optimize.OptimizeResult) -> None:
        gradient = gradients.get(intermediate_result.x.tobytes())
        if gradient is not None and float(gradient @ inverse @ gradient) / 2 <= LIKELIHOOD_TOLERANCE / 100:
            raise StopIteration

    result = optimize.minimize(
        remembered,
        np.log(start),
        jac=True,
        method="BFGS",
        callback=stop_when_near,
        options={"hess_inv0": inverse, "gtol": 1e-10, "maxiter": 1_000},
    )
    return np.exp(result.x), -float(result.fun)


def fit(objective: Objective, shapes: np.ndarray, start: np.ndarray, sample: Sample | None = None) -> Fit:
    """Maximum likelihood in log space (so the parameters stay positive) with the analytic
    gradient; standard errors from the inverse of the Hessian at the estimates. SHAPES marks
    the shape parameters (bounded by SHAPE_LIMIT for a converged fit). Without SAMPLE:
    L-BFGS-B from START. With SAMPLE (the objective on a sample of the rows, and their weight
    over the sample's): BFGS from the sample's optimum with the sample's curvature as its first
    Hessian, a few evaluations on all the rows instead of dozens (decision log D52); when that
    does not end converged, L-BFGS-B from START as without it."""
    if sample is not None:
        warm = sample_start(sample, start)
        if warm is not None:
            fitted = assess(objective, shapes, *bfgs(objective, *warm))
            if fitted[3]:
                return fitted
    return assess(objective, shapes, *lbfgsb(objective, start))


def assess(objective: Objective, shapes: np.ndarray, estimates: np.ndarray, log_likelihood: float) -> Fit:
    """The Fit at ESTIMATES, where the optimiser stopped: standard errors from the inverse of
    the Hessian there, and whether it is converged (a maximum inside the parameter space where
    a Newton step could gain at most LIKELIHOOD_TOLERANCE)."""
    size = len(shapes)
    try:
        curvature = hessian(objective, estimates)
        # A maximum inside the parameter space has a positive definite curvature (Cholesky
        # fails otherwise): on a few customers the likelihood can keep rising as parameters
        # run off towards infinity, and the optimiser stops somewhere on that ridge.
        np.linalg.cholesky(curvature)
        errors = np.sqrt(np.diag(np.linalg.inv(curvature)))
        # What a Newton step could still gain in log-likelihood, g' H^-1 g / 2.
        gradient = objective(estimates)[1]
        gain = float(gradient @ np.linalg.solve(curvature, gradient)) / 2
        is_interior_maximum = bool(np.all(np.isfinite(errors)))
    except np.linalg.LinAlgError:
        errors, gain, is_interior_maximum = np.full(size, np.nan), np.inf, False
    # A maximum inside the parameter space also has every shape within the limits: on a few
    # customers the likelihood can rise towards the Poisson limit (r and alpha -> infinity,
    # r / alpha fixed) with a Hessian that is still numerically positive definite there.
    shape_estimates = estimates[shapes]
    is_interior_maximum = is_interior_maximum and bool(
        np.all((shape_estimates <= SHAPE_LIMIT) & (shape_estimates >= 1 / SHAPE_LIMIT))
    )
    # Converged: a maximum inside the parameter space where no step can gain more than
    # LIKELIHOOD_TOLERANCE in log-likelihood (the optimum to that precision), whether the
    # optimiser stopped there by its own tests or in a line search that found no better point.
    converged = (
        is_interior_maximum
        and 0 <= gain <= LIKELIHOOD_TOLERANCE
        and bool(np.all(np.isfinite(estimates)))
        and bool(np.isfinite(log_likelihood))
    )
    return estimates, errors, log_likelihood, converged


def compressed(x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct histories (x, t_x, T) of the customers, in (x, t_x, T) order, and each
    one's number of customers (as floats, the weights of the fits)."""
    keys, counts = np.unique(np.stack([x, t_x, t], axis=1), axis=0, return_counts=True)
    return keys[:, 0], keys[:, 1], keys[:, 2], counts.astype(float)


def bg_nbd_objective(x: np.ndarray, t_x: np.ndarray, t: np.ndarray, weights: np.ndarray | None = None) -> Objective:
    """The negative BG/NBD log-likelihood of the customers (x, t_x, T), each row counting
    WEIGHTS times (identical rows are compressed first when no weights are given), and its
    gradient. The value equals -sum(weights * bg_nbd_log_likelihood(...)).
    Each customer's likelihood is exp(c) (exp(A) + exp(B)) with c the x-only terms,
    A = -(r + x) ln(alpha + T), B = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x) (x > 0 only);
    the gradient weighs A's and B's derivatives by their shares exp(A) / (exp(A) + exp(B)) and
    s = exp(B) / (exp(A) + exp(B)). Sums of terms that depend on x alone (the gamma functions)
    or on T alone (A's sum, -sum_T ln(alpha + T) (r W_T + (w x)_T), with W_T and (w x)_T the
    weights and weighted x of the rows with that T) run over the distinct values; per repeat
    buyer's row only z = B - A = ln a - ln(b + x - 1) + (r + x) d, with
    d = ln(alpha + T) - ln(alpha + t_x), then ln(1 + e^z) and its share s = 1 / (1 + e^-z)."""
    if weights is None:
        x, t_x, t, weights = compressed(x, t_x, t)
    weights = np.asarray(weights, dtype=float)
    distinct_x, x_index = np.unique(x, return_inverse=True)
    distinct_t, t_index = np.unique(t, return_inverse=True)
    weight_per_x = np.bincount(x_index, weights, minlength=len(distinct_x))
    weight_per_t = np.bincount(t_index, weights, minlength=len(distinct_t))
    weighted_x_per_t = np.bincount(t_index, weights * x, minlength=len(distinct_t))
    total_weight = float(weights.sum())
    # The repeat buyers' rows (x > 0), the only ones with a B.
    repeat = x > 0
    repeat_weights, repeat_x_index, repeat_t_index = weights[repeat], x_index[repeat], t_index[repeat]
    repeat_x = x[repeat]
    distinct_t_x, t_x_index = np.unique(t_x[repeat], return_inverse=True)
    # b + x - 1 per distinct x (1 stands in for x = 0, never read).
    x_minus_one = np.where(distinct_x > 0, distinct_x - 1, 1.0)
    digamma, gammaln = special.digamma, special.gammaln

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = params
        per_x = (
            gammaln(r + distinct_x)
            - gammaln(r)
            + r * np.log(alpha)
            + gammaln(a + b)
            + gammaln(b + distinct_x)
            - gammaln(b)
            - gammaln(a + b + distinct_x)
        )
        log_t, inverse_t = np.log(alpha + distinct_t), 1 / (alpha + distinct_t)
        weighted_r_x_per_t = r * weight_per_t + weighted_x_per_t  # sum of w (r + x) per T
        # Per repeat buyer's row: z = B - A, ln(exp(A) + exp(B)) - A = ln(1 + e^z), B's share s.
        r_plus_x = r + repeat_x
        log_ratio = log_t[repeat_t_index] - np.log(alpha + distinct_t_x)[t_x_index]
        z = (np.log(a) - np.log(b + x_minus_one))[repeat_x_index] + r_plus_x * log_ratio
        weighted_share = repeat_weights * special.expit(z)
        value = (
            float(weight_per_x @ per_x)
            - float(log_t @ weighted_r_x_per_t)
            + float(repeat_weights @ np.logaddexp(0.0, z))
        )
        d_r_x = digamma(r + distinct_x) - digamma(r) + np.log(alpha)
        d_a_x = digamma(a + b) - digamma(a + b + distinct_x)
        d_b_x = d_a_x + digamma(b + distinct_x) - digamma(b)
        share_per_x = np.bincount(repeat_x_index, weighted_share, minlength=len(distinct_x))
        gradient = np.array(
            [
                float(weight_per_x @ d_r_x) - float(log_t @ weight_per_t) + float(weighted_share @ log_ratio),
                r / alpha * total_weight
                - float(inverse_t @ weighted_r_x_per_t)
                + float(
                    (weighted_share * r_plus_x) @ (inverse_t[repeat_t_index] - (1 / (alpha + distinct_t_x))[t_x_index])
                ),
                float(weight_per_x @ d_a_x) + float(weighted_share.sum()) / a,
                float(weight_per_x @ d_b_x) - float(share_per_x @ (1 / (b + x_minus_one))),
            ]
        )
        return -value, -gradient

    return objective


def fit_bg_nbd(
    x: np.ndarray,
    t_x: np.ndarray,
    t: np.ndarray,
    weights: np.ndarray | None = None,
    start: np.ndarray | None = None,
    sample_rows: int | None = SAMPLE_ROWS,
) -> Fit | None:
    """BG/NBD on every purchaser (rows counted WEIGHTS times; identical rows compressed when
    none are given), from START (else bg_nbd_start), on many rows from a fit on every k-th row
    (about SAMPLE_ROWS of them; None: never); None with fewer than MIN_REPEAT_BUYERS repeat
    buyers."""
    if weights is None:
        x, t_x, t, weights = compressed(x, t_x, t)
    if float(np.sum(weights[x > 0])) < MIN_REPEAT_BUYERS:
        return None
    if start is None:
        start = bg_nbd_start(x, t, weights)
    chosen = every_kth(len(x), sample_rows)
    sample = None
    if chosen is not None:
        sample_objective = bg_nbd_objective(x[chosen], t_x[chosen], t[chosen], weights[chosen])
        sample = (sample_objective, float(weights.sum()) / float(weights[chosen].sum()))
    return fit(bg_nbd_objective(x, t_x, t, weights), BG_NBD_SHAPES, start, sample)


def bg_nbd_start(x: np.ndarray, t: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Where the BG/NBD fit starts: shapes 1 and alpha on the data's time scale, the observed
    time per repeat purchase (so that r / alpha, the mean purchase rate, starts at the
    observed one); 1 when that is not a positive number. The optimum does not depend on it;
    the number of steps to it does (alpha is in days or weeks, tens or hundreds)."""
    alpha = float(np.sum(weights * t)) / float(np.sum(weights * x))
    return np.array([1.0, alpha if np.isfinite(alpha) and alpha > 0 else 1.0, 1.0, 1.0])


def gamma_gamma_objective(x: np.ndarray, mean_spend: np.ndarray) -> Objective:
    """The negative Gamma-Gamma log-likelihood of repeat buyers (x, mean spend), equal to
    -sum(gamma_gamma_log_likelihood(...)), and its gradient: the gamma functions once per
    distinct x, the terms free of the parameters summed once."""
    distinct_x, counts = np.unique(x, return_counts=True)
    customers = len(x)
    spend_x = mean_spend * x
    # (px - 1) ln m + px ln x summed over the customers: p * sum(x (ln m + ln x)) - sum(ln m).
    log_terms = float(np.sum(x * (np.log(mean_spend) + np.log(x))))
    log_spend = float(np.sum(np.log(mean_spend)))
    digamma, gammaln = special.digamma, special.gammaln

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, gamma = params
        px = p * distinct_x
        log_total = np.log(gamma + spend_x)
        sum_x_log_total = float(np.sum(x * log_total))
        sum_log_total = float(np.sum(log_total))
        value = (
            float(np.sum(counts * (gammaln(px + q) - gammaln(px))))
            - customers * gammaln(q)
            + customers * q * np.log(gamma)
            + p * log_terms
            - log_spend
            - p * sum_x_log_total
            - q * sum_log_total
        )
        gradient = np.array(
            [
                float(np.sum(counts * distinct_x * (digamma(px + q) - digamma(px)))) + log_terms - sum_x_log_total,
                float(np.sum(counts * digamma(px + q)))
                - customers * digamma(q)
                + customers * np.log(gamma)
                - sum_log_total,
                customers * q / gamma - float(np.sum((p * x + q) / (gamma + spend_x))),
            ]
        )
        return -value, -gradient

    return objective


def spenders(x: np.ndarray, mean_spend: np.ndarray) -> np.ndarray:
    """The customers Gamma-Gamma is fitted on: a repeat purchase and a positive mean repeat
    spend (the model is for positive spend)."""
    return (x > 0) & (np.nan_to_num(mean_spend) > 0)


def fit_gamma_gamma(x: np.ndarray, mean_spend: np.ndarray, sample_rows: int | None = SAMPLE_ROWS) -> Fit | None:
    """Gamma-Gamma on the spenders, on many of them from a fit on every k-th one (about
    SAMPLE_ROWS; None: never); None with fewer than MIN_REPEAT_BUYERS of them."""
    chosen = spenders(x, mean_spend)
    if int(chosen.sum()) < MIN_REPEAT_BUYERS:
        return None
    x, mean_spend = x[chosen], mean_spend[chosen]
    # Shapes 1 and gamma on the data's money scale, the mean of the mean spends (positive).
    start = np.array([1.0, 1.0, float(np.mean(mean_spend))])
    sampled = every_kth(len(x), sample_rows)
    sample = None
    if sampled is not None:
        sample = (gamma_gamma_objective(x[sampled], mean_spend[sampled]), len(x) / len(sampled))
    return fit(gamma_gamma_objective(x, mean_spend), GAMMA_GAMMA_SHAPES, start, sample)


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


def expected_purchases_if_alive(params: np.ndarray, horizon: float, x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """E[X(horizon) | x, T, still alive] = (a + b + x - 1) / (a - 1) (1 - ((alpha + T) /
    (alpha + T + t))^(r + x) 2F1(r + x, b + x; a + b + x - 1; t / (alpha + T + t))), horizon t
    in the model's time unit: free of t_x, so one value per distinct (x, T)."""
    r, alpha, a, b = params
    hypergeometric = special.hyp2f1(r + x, b + x, a + b + x - 1, horizon / (alpha + t + horizon))
    return (a + b + x - 1) / (a - 1) * (1 - ((alpha + t) / (alpha + t + horizon)) ** (r + x) * hypergeometric)


def expected_purchases(params: np.ndarray, horizon: float, x: np.ndarray, t_x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """E[X(horizon) | x, t_x, T] (FHL 2005, eq. 10): expected_purchases_if_alive x P(alive)."""
    return expected_purchases_if_alive(params, horizon, x, t) * p_alive(params, x, t_x, t)


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
