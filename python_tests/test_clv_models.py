"""The likelihoods and the fitting of the predictive CLV models (models/intermediate/
int_clv_model_fit.py), tested as plain functions: parameter recovery on data simulated from
known parameters. The published CDNOW numbers are checked through dbt in test_cdnow.py."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import numpy as np

from python_tests.dbt_helpers import PROJECT_DIR


def fit_module() -> ModuleType:
    path = PROJECT_DIR / "models" / "intermediate" / "int_clv_model_fit.py"
    spec = importlib.util.spec_from_file_location("int_clv_model_fit", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    module = fit_module()
    true = {"r": 0.25, "alpha": 4.0, "a": 0.8, "b": 2.5}
    x, t_x, t = simulate_bg_nbd(np.random.default_rng(2026), 100_000, *true.values())
    estimates, errors, _log_likelihood, converged = module.fit(
        lambda params: -float(np.sum(module.bg_nbd_log_likelihood(params, x, t_x, t))), 4
    )
    assert converged
    for (name, value), estimate, error in zip(true.items(), estimates, errors, strict=True):
        # Within two standard errors of the truth (and the errors are small: 100 k customers).
        assert abs(estimate - value) <= 2 * error, (name, value, estimate, error)
        assert error < 0.2 * value, (name, error)
