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
import pyarrow as pa

from customer_value import btyd

# Gamma-Gamma reads the repeat buyers' (x, mean spend), in that order (every sum in one order,
# whatever order the table is stored in; rows that tie are equal).
REPEAT_BUYERS = """
    select frequency, cast(monetary_value as double) as monetary_value
    from summary
    where frequency > 0
    order by frequency, monetary_value
"""

SCHEMA = pa.schema(
    [
        ("model", pa.string()),
        ("parameter", pa.string()),
        ("estimate", pa.float64()),
        ("std_error", pa.float64()),
        ("log_likelihood", pa.float64()),
        ("customers", pa.int64()),
        ("is_converged", pa.bool_()),
        ("time_unit", pa.string()),
        ("spend_frequency_correlation", pa.float64()),
    ]
)


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
    # Typed: a model not fitted has null estimates (NULL in the table, never NaN).
    return pa.Table.from_pylist(fitted, schema=SCHEMA)
