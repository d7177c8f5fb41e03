"""Load a data_dir's input files into a PostgreSQL or Spark schema, as the source tables.

On DuckDB the project reads the files in place (the var ``data_dir``). On PostgreSQL and
Spark the files are loaded first, every value as text (staging types and screens them, as
for the seeds), and dbt reads them with the var ``source_schema``:

    python -m customer_value.load_inputs DATA_DIR --schema shop_files [--target spark]
    DBT_TARGET=postgres dbt build --vars '{source_schema: shop_files}'

(Spark: the same DBT_SPARK_WAREHOUSE and DBT_SPARK_METASTORE for both, as profiles.yml.)

The tables and their columns are the source tables of models/staging/sources.yml. Each
input is ``<table>.csv`` (comma-separated, header row) or ``<table>.parquet``; a missing
optional file gives an empty table; extra columns are ignored; a missing ``orders`` file or
a missing column stops with a message naming the file and the column. Connection settings
come from the same environment variables as profiles.yml (DBT_POSTGRES_HOST, _PORT, _USER,
_PASSWORD, _DATABASE).
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import re
from pathlib import Path
from typing import Any

import duckdb
import psycopg2
import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent
SOURCES = PROJECT_DIR / "models" / "staging" / "sources.yml"
# The input that must have a file; the others read as empty tables when absent.
REQUIRED_TABLES = {"orders"}


def source_columns() -> dict[str, list[tuple[str, bool]]]:
    """The source tables and their columns, in order, each with whether a file must have it
    (meta.required in sources.yml)."""
    sources = yaml.safe_load(SOURCES.read_text())["sources"][0]["tables"]
    return {
        table["name"]: [(column["name"], bool(column.get("meta", {}).get("required"))) for column in table["columns"]]
        for table in sources
    }


def connect(database: str | None = None) -> psycopg2.extensions.connection:
    """A connection with profiles.yml's PostgreSQL settings (to DATABASE when given)."""
    return psycopg2.connect(
        host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
        port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
        user=os.environ.get("DBT_POSTGRES_USER", "dbt"),
        password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
        dbname=database or os.environ.get("DBT_POSTGRES_DATABASE", "customer_value"),
    )


def read_file(data_dir: Path, table: str, columns: list[tuple[str, bool]]) -> list[tuple[str | None, ...]]:
    """The input's rows with exactly COLUMNS (values as written; an absent optional column
    is null); no rows when an optional file is absent."""
    found = [path for path in (data_dir / f"{table}.csv", data_dir / f"{table}.parquet") if path.exists()]
    if not found:
        if table in REQUIRED_TABLES:
            raise SystemExit(f"Missing input file: {data_dir / table}.csv (or .parquet) is required.")
        return []
    path = found[0]
    with duckdb.connect() as connection:
        if path.suffix == ".csv":
            reader = f"read_csv('{path}', header = true, all_varchar = true, delim = ',', quote = '\"')"
        else:
            reader = f"read_parquet('{path}')"
        described = connection.execute(f"select * from {reader} limit 0").description
        header = {column[0].strip().lower(): column[0] for column in described}
        for column, required in columns:
            if required and column not in header:
                raise SystemExit(f"Input file {path} has no column '{column}'. Columns found: {', '.join(header)}.")
        select = ", ".join(
            f'cast("{header[column]}" as varchar)' if column in header else "cast(null as varchar)"
            for column, _ in columns
        )
        return connection.execute(f"select {select} from {reader}").fetchall()


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
    tables = {table: (columns, read_file(data_dir, table, columns)) for table, columns in source_columns().items()}
    if target == "spark":
        spark = spark_session()
        spark.sql(f"create database if not exists {schema}")
        for table, (columns, rows) in tables.items():
            definition = ", ".join(f"{column} string" for column, _ in columns)
            spark.createDataFrame(rows, definition).write.mode("overwrite").saveAsTable(f"{schema}.{table}")
        spark.stop()
        return
    with connect() as connection, connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {schema}")
        for table, (columns, rows) in tables.items():
            cursor.execute(f"drop table if exists {schema}.{table}")
            definition = ", ".join(f"{column} text" for column, _ in columns)
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
