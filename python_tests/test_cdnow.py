"""The predictive CLV's inputs and results on the CDNOW 1/10 sample, compared with the
numbers published for it (python_tests/data/cdnow/README.md has the data's provenance and
the sources: Fader, Hardie and Lee 2005).

The sample's 6,919 transactions become an orders file (one completed order per line, the
sample id as customer_id); the project is built with as_of_date 1997-10-01, so that the
calibration period ends on 1997-09-30 as in the papers, in weeks.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from pathlib import Path

import numpy as np
import pytest

from python_tests.dbt_helpers import Build, run_dbt, write_csv

CDNOW = Path(__file__).resolve().parent / "data" / "cdnow"
VARIABLES = {"as_of_date": "1997-10-01", "clv_model_time_unit": "week"}
# The published figures have 2 decimals: a value agrees when it rounds to them (22.345 is
# published as 22.35), so within half a unit of the last digit, plus float noise.
TWO_DECIMALS = 0.005 + 1e-9


def cdnow_orders() -> list[tuple[str, str, str, str, str]]:
    """One completed order per transaction line: (order_id, customer_id, ordered_at, amount, status)."""
    orders = []
    for number, line in enumerate((CDNOW / "CDNOW_sample.txt").read_text().splitlines(), start=1):
        _master_id, sample_id, day, _cds, dollars = line.split()
        ordered_on = dt.datetime.strptime(day, "%Y%m%d").date().isoformat()
        orders.append((f"t{number}", str(int(sample_id)), ordered_on, dollars, "completed"))
    return orders


@pytest.fixture(scope="module")
def cdnow(tmp_path_factory: pytest.TempPathFactory) -> Build:
    work = tmp_path_factory.mktemp("cdnow")
    write_csv(work / "data", "orders", ["order_id", "customer_id", "ordered_at", "amount", "status"], cdnow_orders())
    build = run_dbt(work, work / "data", VARIABLES)
    assert build.returncode == 0, build.output
    return build


def published(name: str) -> dict[str, dict[str, str]]:
    with (CDNOW / name).open() as file:
        return {row["ID"]: row for row in csv.DictReader(file)}


def test_the_purchase_summary_equals_the_published_one(cdnow: Build) -> None:
    summary = {row["customer_id"]: row for row in cdnow.rows("marts.customer_purchase_summary", "customer_id")}
    expected = published("cdnow_customers_summary_with_transactions.csv")
    # Every one of the 2,357 sampled customers bought in the first quarter of 1997.
    assert len(summary) == len(expected) == 2357
    assert sum(1 for row in summary.values() if row["frequency"] > 0) == 946  # the repeat buyers
    for customer_id, want in expected.items():
        got = summary[customer_id]
        # frequency exactly; recency, T and the repeat days' mean spend to the published 2 decimals.
        assert got["frequency"] == int(want["x"]), (customer_id, got, want)
        assert got["recency"] == pytest.approx(float(want["t_x"]), abs=TWO_DECIMALS), (customer_id, got, want)
        assert got["t"] == pytest.approx(float(want["T"]), abs=TWO_DECIMALS), (customer_id, got, want)
        if got["frequency"]:
            mean_spend = pytest.approx(float(want["zbar"]), abs=TWO_DECIMALS)
            assert got["monetary_value"] == mean_spend, (customer_id, got, want)
        else:
            assert got["monetary_value"] is None and float(want["zbar"]) == 0
        assert got["time_unit"] == "week"
    # Customer 1 (the docs' worked example): days 1997-01-01, 01-18, 08-02 -> x = 2,
    # t_x = 213 days = 30.43 weeks, T = 272 days = 38.86 weeks, (29.73 + 14.96) / 2.
    first = summary["1"]
    assert (first["frequency"], first["recency_days"], first["t_days"]) == (2, 213, 272)
    assert first["monetary_value"] == pytest.approx((29.73 + 14.96) / 2)
    # The other published file says the same.
    for customer_id, want in published("cdnow_customers_summary.csv").items():
        assert summary[customer_id]["frequency"] == int(want["frequency"])


def test_the_fitted_parameters_equal_the_published_ones(cdnow: Build) -> None:
    fitted = {(row["model"], row["parameter"]): row for row in cdnow.rows("metrics.clv_model_parameters", None)}
    # BG/NBD on the 2,357 customers (Fader, Hardie and Lee 2005, "Counting your customers the
    # easy way", p. 281): r 0.2426, alpha 4.4136, a 0.7929, b 2.4259, LL -9582.43.
    for parameter, value in {"r": 0.2426, "alpha": 4.4136, "a": 0.7929, "b": 2.4259}.items():
        row = fitted[("bg_nbd", parameter)]
        assert row["estimate"] == pytest.approx(value, abs=5e-4), row
        assert row["log_likelihood"] == pytest.approx(-9582.43, abs=0.01), row
        assert (row["customers"], row["is_converged"], row["time_unit"]) == (2357, True, "week")
        assert 0 < row["std_error"] < row["estimate"], row
    # Gamma-Gamma on the 946 repeat buyers ("RFM and CLV", 2005): p 6.25, q 3.74, gamma 15.44
    # (2 decimals), LL -4055.92.
    for parameter, value in {"p": 6.25, "q": 3.74, "gamma": 15.44}.items():
        row = fitted[("gamma_gamma", parameter)]
        assert row["estimate"] == pytest.approx(value, abs=TWO_DECIMALS), row
        assert row["log_likelihood"] == pytest.approx(-4055.92, abs=0.01), row
        assert (row["customers"], row["is_converged"]) == (946, True)


def test_the_forecasts_equal_the_published_ones() -> None:
    # With the published parameters (FHL 2005): customer 1 (x 2, t_x 30.43, T 38.86) expects
    # 1.226 purchases in 39 weeks; a customer with x 26, t_x 30.857, T 31 expects 25.757 in
    # 52 weeks and is alive with probability 0.9689; a new customer expects 1.444 in 52.
    path = Path(__file__).resolve().parent.parent / "models" / "intermediate" / "int_customer_predictions.py"
    spec = importlib.util.spec_from_file_location("int_customer_predictions", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    bg_nbd = np.array([0.2426, 4.4136, 0.7929, 2.4259])
    one = np.array([1.0])
    assert module.expected_purchases(bg_nbd, 39, 2 * one, 30.43 * one, 38.86 * one)[0] == pytest.approx(1.226, abs=1e-3)
    assert module.expected_purchases(bg_nbd, 52, 26 * one, 30.857 * one, 31 * one)[0] == pytest.approx(25.757, abs=1e-3)
    assert module.p_alive(bg_nbd, 26 * one, 30.857 * one, 31 * one)[0] == pytest.approx(0.9689, abs=1e-4)
    # A new customer: x = t_x = T = 0.
    assert module.expected_purchases(bg_nbd, 52, 0 * one, 0 * one, 0 * one)[0] == pytest.approx(1.444, abs=1e-3)


def test_the_expected_order_values_equal_the_published_ones(cdnow: Build) -> None:
    # Gamma-Gamma conditional expected spend of the first ten customers ("RFM and CLV"; as in
    # lifetimes' documentation): 24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28,
    # 35.17 (customers without a repeat purchase get the population mean, 35.17).
    predictions = {row["customer_id"]: row for row in cdnow.rows("intermediate.int_customer_predictions", None)}
    published_values = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17]
    for customer, value in enumerate(published_values, start=1):
        assert predictions[str(customer)]["expected_order_value"] == pytest.approx(value, abs=TWO_DECIMALS)
