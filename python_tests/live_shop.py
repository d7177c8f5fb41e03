"""A shop's input folder as it changes from day to day, and builds compared with fresh builds.

LiveShop holds the rows of each input file in memory and writes them as CSV: a generated
shop (bad rows of every kind included) exported up to a cut-off day, then changed the way real
exports change: a new day arrives, an old amount is corrected, an order is returned weeks
later, rows are deleted, a conflicting or identical copy of an order appears. Reference
compares a build with a full build of the same files and vars in a fresh database (cached,
so that a state seen twice is built once).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from customer_value import generate
from python_tests.dbt_helpers import KEPT_RELATIONS, Build, run_dbt

TIMESTAMPS = {"orders": "ordered_at", "survey_responses": "responded_at"}


def parse_time(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None


@dataclass
class LiveShop:
    """The input files of one folder; ``pending`` holds the generated rows not exported yet."""

    folder: Path
    header: dict[str, list[str]]
    rows: dict[str, list[list[str]]]
    pending: dict[str, list[list[str]]] = field(default_factory=dict)

    @classmethod
    def generated(cls, folder: Path, cut: dt.date, customers: int = 300, seed: int = 42) -> LiveShop:
        """A generated shop (2023-2025, two bad rows of each kind, three orders without an id)
        exported up to CUT: orders and responses dated before it, and those without a readable
        timestamp."""
        settings = generate.Settings(customers=customers, seed=seed, bad_rows=2)
        source = folder.with_name(folder.name + "_generated")
        generate.write(generate.generate(settings), source, "csv")
        header, rows, pending = {}, {}, {}
        for name in ["orders", "customers", "survey_responses", "marketing_spend"]:
            with (source / f"{name}.csv").open(newline="") as handle:
                header[name], *table = list(csv.reader(handle))
            column = header[name].index(TIMESTAMPS[name]) if name in TIMESTAMPS else None
            if column is None:
                rows[name], pending[name] = table, []
                continue
            start = dt.datetime(cut.year, cut.month, cut.day)
            exported = [(parse_time(r[column]) or dt.datetime.min) < start for r in table]
            rows[name] = [r for r, is_exported in zip(table, exported, strict=True) if is_exported]
            pending[name] = sorted(
                (r for r, is_exported in zip(table, exported, strict=True) if not is_exported),
                key=lambda r, c=column: parse_time(r[c]),
            )
        # Three orders without an id (empty or blank): quarantined, and compared by the key ''
        # as one group of three rows, which an incremental build re-screens and replaces
        # whole when one of them changes (correct_amount changes one; decision log D35, D58),
        # so a build that failed to delete the stored ones would keep them twice.
        order_id = header["orders"].index("order_id")
        for index, blank in enumerate(["", " ", ""]):
            rows["orders"].append([blank if i == order_id else value for i, value in enumerate(rows["orders"][index])])
        shop = cls(folder, header, rows, pending)
        shop.write()
        return shop

    def write(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, table in self.rows.items():
            with (self.folder / f"{name}.csv").open("w", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(self.header[name])
                writer.writerows(table)
        return self.folder

    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps([self.header, self.rows], sort_keys=True).encode()).hexdigest()

    def column(self, name: str, column: str) -> int:
        return self.header[name].index(column)

    def completed_orders(self) -> list[list[str]]:
        """Accepted-looking completed orders with a readable timestamp, oldest first."""
        status, at = self.column("orders", "status"), self.column("orders", "ordered_at")
        found = [r for r in self.rows["orders"] if r[status].strip().lower() == "completed" and parse_time(r[at])]
        return sorted(found, key=lambda r: (parse_time(r[at]), r[0]))

    # Changes, as real exports change.
    def append_day(self) -> int:
        """The next day of orders and responses arrives (the day of the next pending order)."""
        at = self.column("orders", "ordered_at")
        if not self.pending["orders"]:
            return 0
        day = parse_time(self.pending["orders"][0][at]).date()
        added = 0
        for name, column in TIMESTAMPS.items():
            index = self.column(name, column)
            arriving = [r for r in self.pending[name] if parse_time(r[index]).date() <= day]
            self.pending[name] = self.pending[name][len(arriving) :]
            self.rows[name].extend(arriving)
            added += len(arriving)
        return added

    def correct_amount(self, pick: int) -> None:
        """An old completed order's amount is corrected (same order_id, same timestamp), and
        so is one of the orders without an id (a key of three rows)."""
        order = self.completed_orders()[pick % len(self.completed_orders()) // 3]
        amount, order_id = self.column("orders", "amount"), self.column("orders", "order_id")
        order[amount] = f"{float(order[amount]) + 10000:.2f}"
        unkeyed = [r for r in self.rows["orders"] if not r[order_id].strip()]
        corrected = unkeyed[pick % len(unkeyed)]
        corrected[amount] = "2.00" if corrected[amount] == "1.00" else "1.00"

    def change_status(self, pick: int, status: str = "returned") -> None:
        """An old completed order is returned (or cancelled) weeks later: the status changes, the
        timestamp does not."""
        order = self.completed_orders()[pick % len(self.completed_orders()) // 2]
        order[self.column("orders", "status")] = status

    def delete_orders(self, pick: int, count: int = 2) -> None:
        """Rows disappear from the export (test orders removed, an erasure request)."""
        start = pick % max(len(self.rows["orders"]) - count, 1)
        del self.rows["orders"][start : start + count]

    def add_copy(self, pick: int, conflicting: bool) -> None:
        """A second copy of an old order appears: identical, or for another customer."""
        order = list(self.completed_orders()[pick % len(self.completed_orders())])
        if conflicting:
            order[self.column("orders", "customer_id")] = "C-OTHER"
        self.rows["orders"].append(order)

    def break_orders_file(self) -> str:
        """Write an orders file without its amount column (the in-memory rows stay good)."""
        drop = self.column("orders", "amount")
        with (self.folder / "orders.csv").open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c for i, c in enumerate(self.header["orders"]) if i != drop])
            writer.writerows([[v for i, v in enumerate(r) if i != drop] for r in self.rows["orders"]])
        return "has no column 'amount', which is required"


class Reference:
    """Full builds of given files and vars in fresh databases, as relation fingerprints.

    The database file is deleted before each build; its path and dbt's target folder stay
    the same, so that dbt parses the project again only when the vars change (as the live
    builds it is compared with)."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.cache: dict[str, dict[str, str]] = {}

    def fingerprints(self, shop: LiveShop, variables: dict[str, Any]) -> dict[str, str]:
        key = hashlib.sha256((shop.content_hash() + json.dumps(variables, sort_keys=True)).encode()).hexdigest()
        if key not in self.cache:
            database = self.work / "reference.duckdb"
            database.unlink(missing_ok=True)
            database.with_suffix(".duckdb.wal").unlink(missing_ok=True)
            build = run_dbt(
                self.work,
                shop.folder,
                variables,
                database=database,
                extra_args=("--exclude-resource-type", "test", "unit_test"),
            )
            assert build.returncode == 0, build.output
            self.cache[key] = fingerprints(build)
        return self.cache[key]


def fingerprints(build: Build) -> dict[str, str]:
    return {relation: build.fingerprint(relation) for relation in KEPT_RELATIONS}
