"""Run dbt, but first say in one line when the DuckDB file is busy.

DuckDB lets one process write a database file at a time. dbt answers a second writer with a
Python stack trace; this wrapper checks the lock first and, when another process holds it,
prints one line naming that process and exits with status 75 (temporary failure).

Usage: ``python -m customer_value.run_dbt build [dbt arguments...]`` (the Makefile uses it).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import duckdb

BUSY_EXIT_CODE = 75


def busy_message(database: Path) -> str | None:
    """A one-line explanation when another process holds DATABASE's write lock, else None."""
    if not database.exists():
        return None
    try:
        duckdb.connect(str(database)).close()
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            return None
        holder = re.search(r"held in (.+?) \(PID (\d+)\)", text)
        who = f"process {holder.group(2)} ({holder.group(1)})" if holder else "another process"
        return (
            f"The database {database} is in use by {who}: wait for it to finish, "
            "or set DBT_DUCKDB_PATH to another file."
        )
    return None


def main(argv: list[str]) -> int:
    if os.environ.get("DBT_TARGET", "duckdb") == "duckdb":
        message = busy_message(Path(os.environ.get("DBT_DUCKDB_PATH", "customer_value.duckdb")))
        if message:
            print(message, file=sys.stderr)
            return BUSY_EXIT_CODE
    dbt = Path(sys.executable).parent / "dbt"
    os.execv(dbt, [str(dbt), *argv])
    return 0  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
