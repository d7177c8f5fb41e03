"""The dbt unit tests test logic: they pass whatever inputs and vars the user configured.

They run here with vars far from the defaults, on files (data_dir) and on typed warehouse
tables (source_schema), on DuckDB, and on PostgreSQL under make test-postgres. Every unit
test pins the vars its model reads and types its input fixtures itself, so none of this may
change a result. Also checked: the declarations that must agree (the staging models' input
columns and sources.yml; the vars of dbt_project.yml and the rules that check them).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb
import pytest
import yaml

from python_tests import shop_example
from python_tests.dbt_helpers import PROJECT_DIR, run_dbt, run_dbt_on

TARGET = os.environ.get("CV_TEST_TARGET", "duckdb")
# Far from the defaults: a unit test that forgets to pin a var it reads fails here.
ODD_VARS = {
    "as_of_date": "2025-01-01",
    "churn_window_days": 180,
    "gross_margin_rate": 0.5,
    "annual_discount_rate": 0.25,
    "max_lifetime_years": 3,
    "max_quarantined_share": 0,
    "incremental": False,
    "clv_model_time_unit": "day",
}


def unit_tests(tmp_path: Path, data_dir: Path | None, variables: dict[str, object], database: Path) -> str:
    """Build the models empty, then run every unit test; the output of the test run."""
    empty = run_dbt(
        tmp_path, data_dir, variables, database=database, extra_args=("--empty", "--exclude-resource-type", "test")
    )
    assert empty.returncode == 0, empty.output
    tested = run_dbt(
        tmp_path, data_dir, variables, command="test", database=database, extra_args=("--select", "test_type:unit")
    )
    assert tested.returncode == 0, tested.output
    return tested.output


DUCKDB_ONLY = "{{ target.type == 'duckdb' }}"


def unit_test_count(target: str = "duckdb") -> int:
    """The unit tests that run on TARGET: those of models enabled only on DuckDB (the
    predictive CLV's) are disabled with their models elsewhere."""
    documents = [yaml.safe_load(path.read_text()) for path in PROJECT_DIR.glob("models/*/*.yml")]
    duckdb_only = {
        model["name"]
        for document in documents
        for model in document.get("models", [])
        if model.get("config", {}).get("enabled") == DUCKDB_ONLY
    }
    assert duckdb_only, "the DuckDB-only models are found"
    tests = [test for document in documents for test in document.get("unit_tests", [])]
    return sum(1 for test in tests if target == "duckdb" or test["model"] not in duckdb_only)


def hook_count() -> int:
    """The project's on-run-start and on-run-end hooks (each counts as a PASS)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return len(project["on-run-start"]) + len(project["on-run-end"])


@pytest.mark.skipif(TARGET != "duckdb", reason="DuckDB")
def test_unit_tests_pass_on_files_with_other_vars(tmp_path: Path) -> None:
    data_dir = shop_example.write_shop(tmp_path / "data")
    output = unit_tests(tmp_path, data_dir, ODD_VARS, tmp_path / "files.duckdb")
    assert f"PASS={unit_test_count() + hook_count()} " in output


@pytest.mark.skipif(TARGET != "duckdb", reason="DuckDB")
def test_unit_tests_pass_on_typed_warehouse_tables(tmp_path: Path) -> None:
    # Input tables with the types a warehouse would give them (numbers, timestamps), in a
    # schema of the database: the fixtures must not be cast to these types.
    database = tmp_path / "tables.duckdb"
    with duckdb.connect(str(database)) as connection:
        connection.execute("create schema shop")
        connection.execute(
            "create table shop.orders (order_id varchar, customer_id varchar, ordered_at timestamp,"
            " amount decimal(18, 2), status varchar)"
        )
        connection.execute("insert into shop.orders values ('o1', 'c1', '2024-01-05 10:00:00', 10.50, 'completed')")
    output = unit_tests(tmp_path, None, {**ODD_VARS, "source_schema": "shop"}, database)
    assert f"PASS={unit_test_count() + hook_count()} " in output


@pytest.mark.skipif(TARGET != "postgres", reason="runs under make test-postgres")
def test_unit_tests_pass_on_postgresql(tmp_path: Path) -> None:
    # A whole build with the odd vars (its unit tests included), on the demo files.
    variables = {name: value for name, value in ODD_VARS.items() if name != "max_quarantined_share"}
    build = run_dbt_on("postgres", tmp_path, None, variables)
    assert build.returncode == 0, build.output
    assert f"{unit_test_count('postgres')} unit tests" in build.output


def test_staging_models_read_the_declared_input_columns() -> None:
    sources = yaml.safe_load((PROJECT_DIR / "models" / "staging" / "sources.yml").read_text())["sources"][0]
    for table in sources["tables"]:
        declared = [column["name"] for column in table["columns"]]
        model = (PROJECT_DIR / "models" / "staging" / f"stg_{table['name']}.sql").read_text()
        listed = re.search(r"set input_columns = \[(.*?)\]", model).group(1)
        assert [name.strip(" '") for name in listed.split(",")] == declared, table["name"]


def test_every_var_has_a_rule_and_counts_in_the_build_settings() -> None:
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    macro = (PROJECT_DIR / "macros" / "vars.sql").read_text()
    rules = re.findall(r"^\s+'(\w+)': \{'kind'", macro, flags=re.MULTILINE)
    assert sorted(rules) == sorted(project_vars)


def test_unit_test_names_fit_postgresql() -> None:
    # dbt names a relation after each unit test; PostgreSQL cuts identifiers at 63 bytes and
    # dbt then refuses to run the test there.
    names = [
        test["name"]
        for path in PROJECT_DIR.glob("models/*/*.yml")
        for test in yaml.safe_load(path.read_text()).get("unit_tests", [])
    ]
    assert [name for name in names if len(name.encode()) > 63] == []
