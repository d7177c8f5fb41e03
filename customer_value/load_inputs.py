"""Load a data_dir's input files into a PostgreSQL or Spark schema, as the source tables.

On DuckDB the project reads the files in place (the var ``data_dir``). On PostgreSQL and
Spark the files are loaded first, every value as text (staging types and screens them), and
dbt reads them with the var ``source_schema``:

    python -m customer_value.load_inputs DATA_DIR --schema shop_files [--target spark]
    DBT_TARGET=postgres dbt build --vars '{source_schema: shop_files}'

(Spark: the same DBT_SPARK_WAREHOUSE and DBT_SPARK_METASTORE for both, as profiles.yml.)

The files are read exactly as dbt reads them on DuckDB (the project's own macro
prepare_inputs, run on a scratch DuckDB file): the tables and columns declared in
models/staging/sources.yml, ``<table>.csv`` (comma-separated, header row) or
``<table>.parquet``; a missing optional file gives an empty table; extra columns are
ignored; a missing ``orders`` file or column stops with the same message naming the file and
the column. Connection settings come from the same environment variables as profiles.yml
(DBT_POSTGRES_HOST, _PORT, _USER, _PASSWORD, _DATABASE).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

PROJECT_DIR = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"


def read_inputs(data_dir: Path) -> dict[str, tuple[list[str], list[tuple[str | None, ...]]]]:
    """Every input of DATA_DIR as the project itself reads files: its on-run-start hook
    (macro prepare_inputs: the checks, the messages, the declared columns of
    models/staging/sources.yml) is run with dbt on a scratch DuckDB file, and the rows of the
    views it makes are returned, {table: (columns, rows)}, every value as text."""
    with tempfile.TemporaryDirectory() as scratch:
        env = os.environ | {"DBT_TARGET": "duckdb", "DBT_DUCKDB_PATH": f"{scratch}/scratch.duckdb"}
        result = subprocess.run(
            [
                str(DBT),
                "run-operation",
                "make_input_views",
                "--project-dir",
                str(PROJECT_DIR),
                "--profiles-dir",
                str(PROJECT_DIR),
                "--target-path",
                f"{scratch}/target",
                "--log-path",
                f"{scratch}/logs",
                "--vars",
                json.dumps({"data_dir": str(data_dir.resolve())}),
            ],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            problems = [
                line.strip()
                for line in result.stdout.splitlines()
                if line.startswith("  ") and not line.strip().startswith(">") and line.strip()
            ]
            raise SystemExit("\n".join(problems) or result.stdout + result.stderr)
        with duckdb.connect(f"{scratch}/scratch.duckdb", read_only=True) as connection:
            tables = connection.execute(
                "select table_name from information_schema.tables where table_schema = 'inputs' order by table_name"
            ).fetchall()
            inputs = {}
            for (table,) in tables:
                cursor = connection.execute(f"select * from inputs.{table}")
                inputs[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return inputs


def connect(database: str | None = None) -> psycopg2.extensions.connection:
    """A connection with profiles.yml's PostgreSQL settings (to DATABASE when given)."""
    return psycopg2.connect(
        host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
        port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
        user=os.environ.get("DBT_POSTGRES_USER", "dbt"),
        password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
        dbname=database or os.environ.get("DBT_POSTGRES_DATABASE", "customer_value"),
    )


def as_csv(rows: list[tuple[str | None, ...]]) -> io.StringIO:
    """Rows as CSV for COPY: unquoted empty fields are nulls, quoted ones empty strings."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write(",".join("" if value is None else '"' + value.replace('"', '""') + '"' for value in row) + "\n")
    buffer.seek(0)
    return buffer


def spark_session() -> Any:
    """A local Spark session with the settings of profiles.yml's spark target (its Hive
    metastore lives in the working directory, as dbt's)."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.enableHiveSupport()
        .config("spark.sql.warehouse.dir", os.environ.get("DBT_SPARK_WAREHOUSE", "spark-warehouse"))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={os.environ.get('DBT_SPARK_METASTORE', 'metastore_db')};create=true",
        )
        .getOrCreate()
    )


def export_spark(relations: list[str], path: Path) -> None:
    """Write every row of RELATIONS, as Python values, to PATH (a pickle of
    {relation: (column names, rows)}): tests read Spark's results without a session."""
    spark = spark_session()
    export = {}
    for relation in relations:
        frame = spark.table(relation)
        export[relation] = (frame.columns, [tuple(row) for row in frame.collect()])
    spark.stop()
    path.write_bytes(pickle.dumps(export))


def load(data_dir: Path, schema: str, target: str = "postgres") -> None:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", schema):
        raise SystemExit(f"--schema must be a plain schema name (letters, digits, _), got: {schema}")
    tables = read_inputs(data_dir)
    if target == "spark":
        spark = spark_session()
        spark.sql(f"create database if not exists {schema}")
        for table, (columns, rows) in tables.items():
            definition = ", ".join(f"{column} string" for column in columns)
            spark.createDataFrame(rows, definition).write.mode("overwrite").saveAsTable(f"{schema}.{table}")
        spark.stop()
        return
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {schema}")
        for table, (columns, rows) in tables.items():
            cursor.execute(f"drop table if exists {schema}.{table}")
            definition = ", ".join(f"{column} text" for column in columns)
            cursor.execute(f"create table {schema}.{table} ({definition})")
            cursor.copy_expert(f"copy {schema}.{table} from stdin with (format csv)", as_csv(rows))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--schema", default="shop_files", help="schema to load into (then the var source_schema)")
    parser.add_argument("--target", choices=["postgres", "spark"], default="postgres")
    args = parser.parse_args(argv)
    load(args.data_dir, args.schema, args.target)


if __name__ == "__main__":
    main()
