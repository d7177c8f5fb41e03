"""A small shop whose every public figure is worked out by hand in the tests.

Vars: as_of_date 2024-05-01, churn_window_days 31 (W), max_quarantined_share 0.5, other
vars at their defaults.
With W = 31 an order on day d makes its customer active from d + 1 to d + 31.

Customers file (channel, country): alice (" Paid_Search " -> paid_search, DE), bob
(organic, " fr " -> FR), carol (empty -> unknown, empty -> unknown), dan (email, NL, never
orders), fred (email, "de" -> DE), gary (paid_search, US). erin orders as a
guest (no customer row -> unknown). hank exists only through a survey response: a customer
without orders (channel unknown).

Completed orders (cancelled, returned and future rows do not count):
    fred   2023-04-20 40                    -> active 2023-04-21..2023-05-21
    gary   2023-04-25 60, 2024-04-15 90     -> active 2023-04-26..05-26, 2024-04-16..05-16
    alice  2024-01-05 100 and 50 (same instant), 2024-02-20 80 (46 days later > W)
                                            -> active 01-06..02-05, 02-21..03-22
    bob    2024-01-20 200, 2024-04-25 60    -> active 01-21..02-20, 04-26..05-26
    erin   2024-02-02 25 (a date alone)     -> active 02-03..03-04
    carol  2024-03-10 70, 2024-04-30 10     -> active 03-11..04-10, 05-01..05-31
Not counted: alice's cancelled 30 (2024-03-01), bob's returned 40 (2024-04-10), and erin's
90 at 2024-05-01 00:00, which is at as_of_date: a future row, left out of marts.orders.
"""

from __future__ import annotations

from pathlib import Path

from python_tests.dbt_helpers import write_csv

# The shop is tiny and holds a few bad rows on purpose (1 of 14 orders, 4 of 21 responses):
# raise the share of quarantined rows that fails the build.
VARIABLES = {"as_of_date": "2024-05-01", "churn_window_days": 31, "max_quarantined_share": 0.5}

ORDERS_HEADER = ["order_id", "customer_id", "ordered_at", "amount", "status"]
ORDERS = [
    ("f1", "fred", "2023-04-20 12:00:00", "40.00", "completed"),
    ("g1", "gary", "2023-04-25 12:00:00", "60.00", "completed"),
    ("a1", "alice", "2024-01-05 10:00:00", "100.00", "completed"),
    ("a2", "alice", "2024-01-05 10:00:00", "50.00", " Completed"),
    ("b1", "bob", "2024-01-20 15:00:00", "200.00", "completed"),
    ("e1", "erin", "2024-02-02", "25.00", "completed"),
    ("a3", "alice", "2024-02-20 09:00:00", "80.00", "completed"),
    ("a4", "alice", "2024-03-01 12:00:00", "30.00", "cancelled"),
    ("c1", "carol", "2024-03-10 11:00:00", "70.00", "completed"),
    ("b2", "bob", "2024-04-10 15:00:00", "40.00", "RETURNED"),
    ("g2", "gary", "2024-04-15 12:00:00", "90.00", "completed"),
    ("b3", "bob", "2024-04-25 08:00:00", "60.00", "completed"),
    ("c2", "carol", "2024-04-30 23:59:59", "10.00", "completed"),
    ("e2", "erin", "2024-05-01 00:00:00", "90.00", "completed"),
]

CUSTOMERS_HEADER = ["customer_id", "signed_up_at", "acquisition_channel", "country", "favourite_colour"]
CUSTOMERS = [
    ("alice", "2023-12-20 08:00:00", " Paid_Search ", "DE", "blue"),
    ("bob", "2024-01-02 08:00:00", "organic", " fr ", "red"),
    ("carol", "", "", "", ""),
    ("dan", "2024-02-01 08:00:00", "email", "NL", ""),
    ("fred", "2023-04-01 08:00:00", "email", "de", ""),
    ("gary", "2023-04-02 08:00:00", "paid_search", "US", ""),
]

SPEND_HEADER = ["spent_on", "channel", "amount"]
SPEND = [
    ("2023-05-01", "paid_search", "500.00"),  # before the trailing year (starts 2023-05-02)
    ("2023-06-15", " Paid_Search", "120.00"),
    ("2024-01-10", "email", "30.00"),
    ("2024-02-01", "social", "50.00"),  # a channel no customer has
    ("2024-05-01", "email", "99.00"),  # at as_of_date: outside the trailing year
]


SURVEY_HEADER = ["response_id", "customer_id", "survey_type", "score", "responded_at"]
SURVEYS = [
    # NPS. n09 (12 is off the 0-10 scale) and n10 (at or after as_of_date) do not count.
    ("n01", "alice", "nps", "10", "2024-01-10 10:00:00"),
    ("n02", "bob", "nps", "6", "2024-01-25 10:00:00"),
    ("n03", "", "nps", "9", "2024-01-28 10:00:00"),  # anonymous
    ("n04", "alice", "nps", "8", "2024-02-22 10:00:00"),
    ("n05", "erin", "nps", "3", "2024-02-05 10:00:00"),
    ("n06", "carol", "nps", "9", "2024-04-30 12:00:00"),
    ("n07", "carol", "nps", "7", "2024-04-30 12:00:00"),  # same instant as n06: n07 is the latest
    ("n08", "gary", "nps", "10", "2024-04-20 10:00:00"),
    ("n09", "bob", "nps", "12", "2024-04-26 10:00:00"),
    ("n10", "fred", "nps", "4", "2024-05-01 09:00:00"),
    ("n11", "hank", "nps", "5", "2024-03-05 10:00:00"),
    ("n12", "gary", " NPS ", "9", "2024-04-21 10:00:00"),
    # CSAT. s04 (0 is off the 1-5 scale) does not count; no response in February.
    ("s01", "alice", "csat", "5", "2024-01-06 10:00:00"),
    ("s02", "bob", "csat", "2", "2024-01-21 10:00:00"),
    ("s03", "erin", "csat", "4", "2024-03-03 10:00:00"),
    ("s04", "carol", "csat", "0", "2024-03-11 10:00:00"),
    ("s05", "", "csat", "5", "2024-03-15 10:00:00"),  # anonymous
    # CES. e04 is after as_of_date.
    ("e01", "gary", "ces", "1", "2024-04-16 10:00:00"),
    ("e02", "bob", " CES", "4", "2024-04-26 10:00:00"),
    ("e03", "carol", "ces", "2", "2024-04-30 10:00:00"),
    ("e04", "alice", "ces", "3", "2024-05-02 10:00:00"),
]


def write_shop(folder: Path) -> Path:
    """Write the shop's input files (CSV) into FOLDER."""
    write_csv(folder, "orders", ORDERS_HEADER, ORDERS)
    write_csv(folder, "customers", CUSTOMERS_HEADER, CUSTOMERS)
    write_csv(folder, "marketing_spend", SPEND_HEADER, SPEND)
    write_csv(folder, "survey_responses", SURVEY_HEADER, SURVEYS)
    return folder
