"""The buy-till-you-die models fitted by maximum likelihood on marts.customer_purchase_summary.

BG/NBD for the number of repeat purchases and the dropout, on every purchaser; Gamma-Gamma
for the spend per purchase, on the repeat buyers with a positive mean repeat spend (the
likelihoods and the fitting: customer_value/btyd.py). A model with too little data (fewer
than 2 repeat buyers) or that does not converge gives rows with null estimates and
is_converged false, never NaN. The Gamma-Gamma rows carry the correlation of frequency and
mean spend among the customers it was fitted on (the model assumes none).

A dbt Python model: DuckDB runs it in the dbt process (numpy, scipy). PostgreSQL and Spark
run no Python models; there it is disabled (int_clv_model_fit.yml).
"""

from __future__ import annotations

import numpy as np

from customer_value import btyd

# Gamma-Gamma reads the repeat buyers' (x, mean spend), in that order (every sum in one order,
# whatever order the table is stored in; rows that tie are equal).
REPEAT_BUYERS = """
    select frequency, cast(monetary_value as double) as monetary_value
    from summary
    where frequency > 0
    order by frequency, monetary_value
"""

# The table's columns and their numpy types; a value that is NaN (not fitted) is NULL in it.
COLUMNS = {
    "model": str,
    "parameter": str,
    "estimate": float,
    "std_error": float,
    "log_likelihood": float,
    "customers": np.int64,
    "is_converged": bool,
    "time_unit": str,
    "spend_frequency_correlation": float,
}
# The fitted rows as DuckDB reads the registered arrays (numpy strings arrive as ENUMs).
FITTED = """
    select
        cast(model as varchar) as model,
        cast(parameter as varchar) as parameter,
        estimate,
        std_error,
        log_likelihood,
        customers,
        is_converged,
        cast(time_unit as varchar) as time_unit,
        spend_frequency_correlation
    from fitted_rows
"""


def rows(model: str, names: list[str], customers: int, time_unit: str, fitted: btyd.Fit | None) -> list[dict]:
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


def column(fitted: list[dict], name: str, kind: type) -> np.ndarray:
    """Column NAME of the FITTED rows as a numpy array of KIND; None is NaN in a float column."""
    values = [row[name] for row in fitted]
    return np.array([np.nan if value is None else value for value in values] if kind is float else values, kind)


def model(dbt, session):  # dbt's Python model signature
    dbt.config(materialized="table")
    summary = dbt.ref("customer_purchase_summary")
    time_unit = dbt.config.get("clv_model_time_unit") or "week"
    # BG/NBD reads each distinct history (x, t_x, T) once, with its number of customers.
    x, t_x, t, weights = btyd.distinct_histories(summary)
    repeat_buyers = summary.query("summary", REPEAT_BUYERS).fetchnumpy()
    spend_x = np.asarray(repeat_buyers["frequency"], dtype=float)
    mean_spend = np.asarray(repeat_buyers["monetary_value"], dtype=float)

    fitted = rows(
        "bg_nbd", btyd.BG_NBD_PARAMETERS, int(weights.sum()), time_unit, btyd.fit_bg_nbd(x, t_x, t, weights)
    ) + rows(
        "gamma_gamma",
        btyd.GAMMA_GAMMA_PARAMETERS,
        int(btyd.spenders(spend_x, mean_spend).sum()),
        time_unit,
        btyd.fit_gamma_gamma(spend_x, mean_spend),
    )
    correlation = btyd.spend_frequency_correlation(spend_x, mean_spend)
    for row in fitted:
        row["spend_frequency_correlation"] = correlation if row["model"] == "gamma_gamma" else None
    # A DuckDB relation of numpy arrays (no pyarrow.dataset or pandas to import to store it,
    # decision log D53); a model not fitted has null estimates (NULL in the table, never NaN).
    session.register("fitted_rows", {name: column(fitted, name, kind) for name, kind in COLUMNS.items()})
    return session.sql(FITTED)
