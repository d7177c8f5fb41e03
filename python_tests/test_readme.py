"""The README's commands, run as a reader runs them: in order, in one database, on small data.

Every shell command of the README's user sections runs (the placeholder folders become
folders of this test; the example sizes shrink), and each `#>` line under a command is text
its output must show. A comment saying a build fails means it must fail, and then every
public and audit relation must be as the last successful build left it; every build that
ran incrementally must equal a full build of the same files and vars in a fresh database
(a full build replaces every relation: test_build_sequences compares those too). The README's
`<!-- readme-test: the export changes -->` marks where the test changes the export (a new
day, a corrected amount, a returned order), as a shop's export changes between two builds.
Commands that serve (make docs), lint, benchmark, re-pin or run the tests themselves are not
run here; the PostgreSQL and Spark section runs under `make test-postgres`
(CV_TEST_TARGET=postgres).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from python_tests.dbt_helpers import PROJECT_DIR, Build, run_dbt
from python_tests.live_shop import fingerprints

README = PROJECT_DIR / "README.md"
# Sections whose commands run, in the README's order; the PostgreSQL section only on PostgreSQL.
SECTIONS_RUN = [
    "customer-value",
    "Query the results",
    "Ask questions with MetricFlow",
    "Read the docs and the lineage",
    "Use your own data",
    "Every day: build again",
    "Parameters (dbt vars)",
    "Another folder, and a failed build",
    "Other commands",
    "Bad input",
]
NOT_RUN = re.compile(r"^make (test|docs(?!-static)|lint|lock|bench|property-test)\b|^export ")
TARGET = os.environ.get("CV_TEST_TARGET", "duckdb")


@dataclass
class Command:
    section: str
    text: str
    expected: list[str] = field(default_factory=list)
    fails: bool = False
    marker: str | None = None


def readme_commands() -> list[Command]:
    """Every command of the README's sh and python blocks, with its section, the `#>` lines
    under it, whether a comment says it fails, and the readme-test marker before its block."""
    commands: list[Command] = []
    section, marker, block, says_fails = "", None, None, False
    lines = README.read_text().splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if block is None:
            if line.startswith("#"):
                section = line.lstrip("#").strip()
            elif line.startswith("<!-- readme-test:"):
                marker = line.removeprefix("<!-- readme-test:").removesuffix("-->").strip()
            elif line in ("```sh", "```python"):
                block = line[3:]
                code: list[str] = []
            continue
        if line == "```":
            if block == "python":
                commands.append(Command(section, f"{sys.executable} - <<'PYTHON'\n" + "\n".join(code) + "\nPYTHON"))
            block, marker = None, None
            continue
        if block == "python":
            code.append(line)
            continue
        if line.startswith("#>"):
            commands[-1].expected.append(line[2:].strip())
        elif line.startswith("#") or not line.strip():
            says_fails = says_fails or "fails" in line
        else:
            text = line.split("  # ")[0].rstrip()
            while text.endswith("\\"):
                text = text[:-1] + " " + lines[index].strip()
                index += 1
            commands.append(Command(section, text, fails=says_fails, marker=marker))
            says_fails, marker = False, None
    return commands


def change_the_export(folder: Path) -> None:
    """A day later: a new order arrives, an old order's amount is corrected, another old order
    is returned (same order ids and timestamps)."""
    path = folder / "orders.csv"
    with path.open(newline="") as handle:
        header, *rows = list(csv.reader(handle))
    at, amount, status = header.index("ordered_at"), header.index("amount"), header.index("status")
    completed = [r for r in rows if r[status] == "completed"]
    completed[3][amount] = f"{float(completed[3][amount]) + 10000:.2f}"
    completed[7][status] = "returned"
    latest = max(dt.datetime.fromisoformat(r[at]) for r in rows)
    new = list(completed[-1])
    new[0], new[at] = "O-NEW-DAY", (latest + dt.timedelta(days=1)).isoformat(sep=" ")
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([header, *rows, new])


def folder_hashes(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def test_the_readme_commands_do_what_the_readme_says(tmp_path: Path) -> None:
    database = tmp_path / "readme.duckdb"
    replacements = {
        "/path/to/other/folder": str(tmp_path / "other_folder"),
        "/path/to/folder": str(tmp_path / "own_folder"),
        "/tmp/shop": str(tmp_path / "larger"),
        "--customers 1000000": "--customers 300",
        "customer_value.duckdb": str(database),
    }
    env = os.environ | {"DBT_DUCKDB_PATH": str(database), "DBT_TARGET": "duckdb"}
    env.pop("DBT_PROFILES_DIR", None)
    demo_before = folder_hashes(PROJECT_DIR / "data" / "demo")
    last_good: dict[str, str] | None = None
    ran, compared = [], 0
    for command in readme_commands():
        if command.section not in SECTIONS_RUN or NOT_RUN.match(command.text):
            continue
        text = command.text
        for placeholder, value in replacements.items():
            text = text.replace(placeholder, value)
        if command.marker == "the export changes":
            change_the_export(tmp_path / "own_folder")
        result = subprocess.run(text, shell=True, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
        output = result.stdout + result.stderr
        ran.append(text)
        assert (result.returncode != 0) == command.fails, f"{text}\n{output}"
        for expected in command.expected:
            for placeholder, value in replacements.items():
                expected = expected.replace(placeholder, value)
            assert expected in output, f"{text}\nexpected: {expected}\n{output}"
        if re.match(r"^(\.venv/bin/dbt build|make build)", command.text):
            build = Build(result.returncode, output, database)
            if command.fails:
                assert fingerprints(build) == last_good, f"{text}: a failed build changed a relation"
                continue
            last_good = fingerprints(build)
            if " is incremental: " not in output:
                continue
            found = re.search(r"--vars '(.*)'", text)
            variables = yaml.safe_load(found.group(1)) if found else {}
            data_dir = variables.pop("data_dir", None)
            # A fresh database each time, at one path: dbt parses again only when vars change.
            fresh = tmp_path / "reference" / "reference.duckdb"
            fresh.unlink(missing_ok=True)
            fresh.with_suffix(".duckdb.wal").unlink(missing_ok=True)
            reference = run_dbt(
                tmp_path / "reference",
                Path(data_dir) if data_dir else None,
                variables,
                database=fresh,
                extra_args=("--exclude-resource-type", "test", "unit_test"),
            )
            assert reference.returncode == 0, reference.output
            assert last_good == fingerprints(reference), f"{text}: differs from a fresh full build"
            compared += 1
    assert len(ran) >= 15, ran
    assert compared >= 1, "no README build ran incrementally"
    # make demo-data writes the same demo files again (the generator is deterministic).
    assert folder_hashes(PROJECT_DIR / "data" / "demo") == demo_before


@pytest.mark.skipif(TARGET != "postgres", reason="runs under make test-postgres")
def test_the_postgresql_commands_of_the_readme(tmp_path: Path) -> None:
    env = os.environ | {"DBT_TARGET": "postgres"}
    commands = [c for c in readme_commands() if c.section == "On PostgreSQL and Spark" and not NOT_RUN.match(c.text)]
    assert [c.text.split()[0] for c in commands] == [".venv/bin/python", ".venv/bin/dbt"]
    for command in commands:
        text = command.text + f" --target-path {tmp_path}/target --log-path {tmp_path}/logs"
        if "load_inputs" in text:
            text = command.text
        result = subprocess.run(text, shell=True, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
