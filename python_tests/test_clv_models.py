"""The predictive CLV models (customer_value/btyd.py), tested as plain functions: parameter
recovery on data simulated from known parameters, the CLV sum, the independence check. The
published CDNOW numbers are checked through dbt in test_cdnow.py."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from customer_value import btyd


def simulate_bg_nbd(
    rng: np.random.Generator, customers: int, r: float, alpha: float, a: float, b: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BG/NBD's story, customer by customer: purchase rate lambda ~ Gamma(r, 1 / alpha),
    dropout probability p ~ Beta(a, b); from the first purchase at 0, repeat purchases come
    at rate lambda until T, and after each one the customer leaves with probability p."""
    rates = rng.gamma(r, 1 / alpha, customers)
    dropouts = rng.beta(a, b, customers)
    ages = rng.uniform(10, 52, customers)
    x, t_x = np.zeros(customers), np.zeros(customers)
    for i in range(customers):
        clock = 0.0
        while True:
            clock += rng.exponential(1 / rates[i])
            if clock > ages[i]:
                break
            x[i], t_x[i] = x[i] + 1, clock
            if rng.random() < dropouts[i]:
                break
    return x, t_x, ages


def test_bg_nbd_recovers_the_parameters_it_simulated_from() -> None:
    true = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
    x, t_x, t = simulate_bg_nbd(np.random.default_rng(2026), 100_000, *true.values())
    fitted = btyd.fit_bg_nbd(x, t_x, t)
    assert fitted is not None
    estimates, errors, _log_likelihood, converged = fitted
    assert converged
    for (name, value), estimate, error in zip(true.items(), estimates, errors, strict=True):
        # Within two standard errors of the truth (and the errors are small: 100 k customers).
        assert abs(estimate - value) <= 2 * error, (name, value, estimate, error)
        assert error < 0.2 * value, (name, error)


def test_where_the_bg_nbd_fit_ends_does_not_depend_on_where_it_starts() -> None:
    """From the optimum, from the default start and from far off, the fit ends at the same
    optimum, to well within a standard error (a converged fit is one where a Newton step gains
    at most 1e-6 in log-likelihood)."""
    x, t_x, t = simulate_bg_nbd(np.random.default_rng(7), 5_000, 0.25, 4.0, 0.8, 2.5)
    default = btyd.fit_bg_nbd(x, t_x, t)
    assert default is not None and default[3]
    for start in (default[0], default[0] * np.array([1.5, 0.5, 2.0, 0.7]), np.array([5.0, 50.0, 0.1, 20.0])):
        fitted = btyd.fit_bg_nbd(x, t_x, t, start=start)
        assert fitted is not None and fitted[3], start
        assert fitted[2] == pytest.approx(default[2], abs=1e-5), start
        assert np.all(np.abs(fitted[0] - default[0]) <= 1e-3 * default[1]), (start, fitted[0], default[0])


class CountedSteps:
    """Counts the calls of btyd's two optimisers: L-BFGS-B (the sample's fit, and the plain
    fit) and BFGS (from the sample's optimum on all the rows)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        for name in ("lbfgsb", "bfgs"):
            original = getattr(btyd, name)

            def counted(*args, _original=original, _name=name):  # type: ignore[no-untyped-def]
                self.calls.append(_name)
                return _original(*args)

            monkeypatch.setattr(btyd, name, counted)


def simulate_gamma_gamma(
    rng: np.random.Generator, customers: int, p: float, q: float, gamma: float
) -> tuple[np.ndarray, np.ndarray]:
    """Gamma-Gamma's story: each customer's nu ~ Gamma(q, 1 / gamma), each of their x repeat
    purchases ~ Gamma(p, 1 / nu); x from 1 to 20. Returns x and the mean repeat spend."""
    x = rng.integers(1, 21, customers).astype(float)
    nu = rng.gamma(q, 1 / gamma, customers)
    # The sum of x Gamma(p, 1 / nu) purchases is Gamma(p x, 1 / nu).
    return x, rng.gamma(p * x, 1 / nu) / x


def test_a_fit_on_many_rows_starts_from_a_sample_and_ends_where_the_plain_fit_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On more than 2 x btyd.SAMPLE_ROWS rows a fit starts from a fit on every k-th row, then
    BFGS takes its few steps on all of them with the sample's curvature (decision log D52):
    it must end converged at the plain L-BFGS-B fit's optimum (to 1e-3 standard errors, the
    log-likelihood to 1e-5) without falling back to the plain fit (one L-BFGS-B run, on the
    sample; one BFGS run)."""
    rng = np.random.default_rng(52)
    x, t_x, t = simulate_bg_nbd(rng, 50_000, 0.25, 4.0, 0.8, 2.5)
    spend_x, mean_spend = simulate_gamma_gamma(rng, 50_000, 6.0, 4.0, 15.0)
    plain_fits = [btyd.fit_bg_nbd(x, t_x, t, sample_rows=None), btyd.fit_gamma_gamma(spend_x, mean_spend, None)]
    steps = CountedSteps(monkeypatch)
    sampled_fits = [btyd.fit_bg_nbd(x, t_x, t), btyd.fit_gamma_gamma(spend_x, mean_spend)]
    # 50,000 distinct rows each (continuous ages and spends): every 2nd row is the sample.
    assert steps.calls == ["lbfgsb", "bfgs", "lbfgsb", "bfgs"]
    for plain, sampled in zip(plain_fits, sampled_fits, strict=True):
        assert plain is not None and plain[3] and sampled is not None and sampled[3]
        assert sampled[2] == pytest.approx(plain[2], abs=1e-5)
        assert np.all(np.abs(sampled[0] - plain[0]) <= 1e-3 * plain[1]), (sampled[0], plain[0], plain[1])
        assert np.allclose(sampled[1], plain[1], rtol=1e-3)


def test_a_fit_on_few_rows_is_the_plain_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # Under 2 x SAMPLE_ROWS rows there is no sample: one L-BFGS-B run, no BFGS.
    x, t_x, t = simulate_bg_nbd(np.random.default_rng(7), 5_000, 0.25, 4.0, 0.8, 2.5)
    steps = CountedSteps(monkeypatch)
    fitted = btyd.fit_bg_nbd(x, t_x, t)
    assert fitted is not None and fitted[3]
    assert steps.calls == ["lbfgsb"]


def test_the_fast_objectives_equal_the_likelihoods_and_their_gradients() -> None:
    # The objectives the fits minimise (terms computed per distinct value, analytic
    # gradients) against the plain per-customer log-likelihoods (FHL 2005, written term by
    # term) and against central finite differences of themselves, on random customers with
    # repeated histories.
    rng = np.random.default_rng(7)
    x = rng.integers(0, 6, 400).astype(float)
    t = rng.integers(1, 40, 400).astype(float)
    t_x = np.where(x > 0, np.floor(rng.uniform(0, 1, 400) * t), 0.0)
    spend = rng.gamma(4.0, 10.0, 400)

    def finite_differences(objective: btyd.Objective, point: np.ndarray) -> np.ndarray:
        steps = 1e-6 * point
        return np.array(
            [
                (objective(point + step)[0] - objective(point - step)[0]) / (2 * step[i])
                for i, step in enumerate(np.diag(steps))
            ]
        )

    bg_nbd = btyd.bg_nbd_objective(x, t_x, t)
    for params in [np.array([0.24, 4.4, 0.79, 2.4]), np.array([1.5, 0.7, 3.0, 0.4])]:
        value, gradient = bg_nbd(params)
        assert value == pytest.approx(-np.sum(btyd.bg_nbd_log_likelihood(params, x, t_x, t)), rel=1e-12)
        assert gradient == pytest.approx(finite_differences(bg_nbd, params), rel=1e-5, abs=1e-5)
    repeat = x > 0
    gamma_gamma = btyd.gamma_gamma_objective(x[repeat], spend[repeat])
    for params in [np.array([6.25, 3.74, 15.44]), np.array([1.2, 8.0, 3.0])]:
        value, gradient = gamma_gamma(params)
        expected = -np.sum(btyd.gamma_gamma_log_likelihood(params, x[repeat], spend[repeat]))
        assert value == pytest.approx(expected, rel=1e-12)
        assert gradient == pytest.approx(finite_differences(gamma_gamma, params), rel=1e-5, abs=1e-5)


def test_predicted_clv_discounts_each_month_from_its_end() -> None:
    # One purchase a month (E[X(h)] = h with a month as the time unit), order value 10, margin
    # 0.5, 12 months.
    def one_a_month(annual_discount_rate: float) -> float:
        return btyd.predicted_clv(
            lambda horizon: np.array([horizon]),
            np.array([10.0]),
            months=12,
            days_per_unit=365 / 12,
            gross_margin_rate=0.5,
            annual_discount_rate=annual_discount_rate,
        )[0]

    # At 10 % a year: 5 x sum over m of v^m with v = 1.1^(-1/12), a geometric series,
    # 5 v (1 - v^12) / (1 - v) = 5 v (1 - 1 / 1.1) / (1 - v).
    v = 1.1 ** (-1 / 12)
    assert one_a_month(0.1) == pytest.approx(5 * v * (1 - 1 / 1.1) / (1 - v), rel=1e-12)
    # Undiscounted: 12 purchases x 10 x 0.5 = 60.
    assert one_a_month(0.0) == pytest.approx(60, rel=1e-12)


def test_spend_frequency_correlation_is_undefined_without_variation() -> None:
    # Pearson's r of (1, 2, 3) and (2, 4, 6) is 1; with one constant side it is undefined.
    x, spend = np.array([1.0, 2.0, 3.0, 0.0]), np.array([2.0, 4.0, 6.0, np.nan])
    assert btyd.spend_frequency_correlation(x, spend) == pytest.approx(1.0)
    assert btyd.spend_frequency_correlation(np.array([2.0, 2.0]), np.array([1.0, 3.0])) is None
    assert btyd.spend_frequency_correlation(np.array([1.0, 0.0]), np.array([5.0, np.nan])) is None


def test_a_fit_running_off_to_infinity_is_not_converged() -> None:
    """Three customers of a random shop (test_properties found them): the likelihood keeps
    rising as the parameters grow without bound, so there is no interior maximum; the
    optimiser stopped on the ridge (r near 7e8) with a curvature that is not positive
    definite. The fit must say not converged (null estimates and forecasts) rather than
    give estimates whose forecasts are NaN."""
    observed_to = dt.date(2024, 7, 31)  # as_of_date 2024-08-01 less one day
    purchase_days = {
        "a": ["2023-01-25", "2023-01-30", "2023-05-24", "2023-12-15", "2024-02-23"],
        "c": ["2023-01-18", "2023-05-03", "2023-05-13", "2023-07-20"],
        "e": ["2023-01-10", "2023-01-16", "2023-03-12"],
    }
    histories = []
    for days in purchase_days.values():
        first, last = dt.date.fromisoformat(days[0]), dt.date.fromisoformat(days[-1])
        # x repeat days; t_x and T in weeks: a (4, 394 / 7, 553 / 7), c (3, 183 / 7, 560 / 7), e (2, 61 / 7, 568 / 7)
        histories.append((len(days) - 1, (last - first).days / 7, (observed_to - first).days / 7))
    x, t_x, t = (np.array(column, dtype=float) for column in zip(*histories, strict=True))
    fitted = btyd.fit_bg_nbd(x, t_x, t)
    assert fitted is not None
    assert not fitted[3], f"converged at {fitted[0]}"


def test_a_fit_on_the_poisson_ridge_is_not_converged() -> None:
    """Four customers of another random shop (test_properties, weeks, as_of_date 2023-08-01):
    the likelihood rises towards the Poisson limit (r and alpha without bound, r / alpha
    fixed) and the optimiser stopped near r = 5e8, alpha = 8e9, where the finite-difference
    curvature is still positive definite and every standard error finite, but the forecasts
    overflow to NaN. A shape parameter beyond btyd.SHAPE_LIMIT is a limit of the model, not
    an estimate: the fit must say not converged."""
    # (x repeat days, t_x days, T days): T = 2023-07-31 minus the first purchase day
    # (2023-01-07, 2023-01-06, 2023-01-05 and 2023-01-01: 205, 206, 207 and 211 days).
    histories = [(3, 174, 205), (0, 0, 206), (2, 52, 207), (2, 101, 211)]
    x, t_x_days, t_days = (np.array(column, dtype=float) for column in zip(*histories, strict=True))
    fitted = btyd.fit_bg_nbd(x, t_x_days / 7, t_days / 7)
    assert fitted is not None
    assert not fitted[3], f"converged at {fitted[0]}"
