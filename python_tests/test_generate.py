"""The generator's skewed shape (customer_value.generate --shape skewed) has the shape it
promises, on the same order count as the typical one. (The typical shape's files are
pinned by the demo data: the README test regenerates them and compares the bytes.)"""

from __future__ import annotations

import duckdb
import pytest

from customer_value import generate

# 20,000 customers: 20 heavy buyers and about 400 regulars expected.
SIZE = {"customers": 20_000, "orders": 200_000}


def order_profile(shape: str) -> tuple[int, int, int]:
    """Orders, the most orders of one customer, and the customers ordering in at least 30 of
    the period's 36 months."""
    orders = generate.generate(generate.Settings(**SIZE, shape=shape))["orders"]  # type: ignore[arg-type]
    with duckdb.connect() as connection:
        connection.register("orders", orders)
        most, regular = connection.execute(
            "select max(order_count), count(*) filter (where month_count >= 30) from ("
            " select customer_id, count(*) as order_count,"
            " count(distinct date_trunc('month', ordered_at)) as month_count"
            " from orders group by customer_id)"
        ).fetchone()
    return orders.num_rows, most, regular


def test_the_skewed_shape_has_heavy_buyers_and_regulars_on_the_same_order_count() -> None:
    typical_orders, typical_most, typical_regular = order_profile("typical")
    skewed_orders, skewed_most, skewed_regular = order_profile("skewed")
    # The target holds for both (Poisson noise: well under 1 %).
    assert typical_orders == pytest.approx(200_000, rel=0.01)
    assert skewed_orders == pytest.approx(200_000, rel=0.01)
    # A heavy buyer's rate is 100 times a typical one's: the top customer has several times
    # the typical top's orders.
    assert skewed_most > 5 * typical_most
    # Regulars (2 % of 20,000 = 400 expected) buy 24 times a year over 36 months: a month
    # without an order has probability e^-2 = 13.5 %, so most reach 30 months with orders.
    assert skewed_regular - typical_regular > 200


def test_an_unknown_shape_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown shape 'wide': typical or skewed"):
        generate.generate(generate.Settings(customers=10, shape="wide"))
