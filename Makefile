# One command each: `make build` (set up, then dbt build on the demo data) and
# `make test` (set up, then every test). Everything runs from the pinned virtual environment.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-from-lock
# dbt behind a check that says in one line when another process holds the DuckDB file.
DBT := $(BIN)/python -m customer_value.run_dbt
# `make build FULL_REFRESH=1` rebuilds the incremental tables from scratch.
REFRESH := $(if $(FULL_REFRESH),--full-refresh)

.PHONY: setup build test test-duckdb test-postgres test-spark unit-test property-test pytest lint docs docs-static report demo-data lock clean bench bench-lifetimes

# DuckDB uses every core and 80 % of the memory unless DUCKDB_THREADS / DUCKDB_MEMORY_LIMIT
# cap it; the tests and the benchmark run with explicit caps (CI's machine: 2 cores), which
# the environment may change.
test test-duckdb test-postgres test-spark pytest unit-test property-test bench: export DUCKDB_THREADS ?= 2
test test-duckdb test-postgres test-spark pytest unit-test property-test bench: export DUCKDB_MEMORY_LIMIT ?= 3GB

$(STAMP): requirements.lock
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip check
	touch $(STAMP)

setup: $(STAMP)

## dbt build on the bundled demo data (data/demo: models, unit and data tests).
build: setup
	$(DBT) build $(REFRESH)

## Every test: on DuckDB (pytest, the README's commands among them),
## then on PostgreSQL when its server programs are installed (Debian's postgresql package)
## and on Spark when Java is installed.
test: test-duckdb
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ -n "$$DBT_POSTGRES_HOST" ]; then \
		$(MAKE) test-postgres; \
	else \
		echo "PostgreSQL is not installed: skipped make test-postgres (apt-get install postgresql)"; \
	fi
	@if command -v java >/dev/null 2>&1; then \
		$(MAKE) test-spark; \
	else \
		echo "Java is not installed: skipped make test-spark (Spark needs Java 17)"; \
	fi

## pytest on DuckDB: the README test runs `make build` (dbt build with unit and data tests on
## the demo data) as its first command.
test-duckdb: setup
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

## The full dbt build and the hand-worked and cross-engine checks on a throwaway PostgreSQL
## server (127.0.0.1, port PG_PORT, default 55432), or on DBT_POSTGRES_HOST when set.
test-postgres: setup
	bash .ci/test-postgres

## The same on a local Spark session (pyspark, Java 17; SPARK_LOCAL_IP=127.0.0.1).
test-spark: setup
	bash .ci/test-spark

## Unit tests only (fast feedback while editing SQL), in a scratch database under target/:
## dbt needs the tables they read to exist, so the models are first built empty (--empty).
UNIT_DB := target/unit-test.duckdb
unit-test: setup
	rm -f $(UNIT_DB)
	DBT_DUCKDB_PATH=$(UNIT_DB) $(BIN)/dbt build --empty --exclude-resource-type test unit_test --quiet
	DBT_DUCKDB_PATH=$(UNIT_DB) $(BIN)/dbt test --select "test_type:unit"

## Random sequences of builds (hypothesis): every build equals a fresh full build.
## PROPERTY_EXAMPLES sequences of up to PROPERTY_STEPS steps (a minute or two per sequence).
PROPERTY_EXAMPLES ?= 20
PROPERTY_STEPS ?= 10
property-test: setup
	CV_PROPERTY_EXAMPLES=$(PROPERTY_EXAMPLES) CV_PROPERTY_STEPS=$(PROPERTY_STEPS) \
		$(BIN)/python -m pytest -x python_tests/test_build_sequences.py

pytest: setup
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

## sqlfluff (dbt templater, DuckDB dialect), dbt-score and ruff.
lint: setup
	$(BIN)/sqlfluff lint models tests macros
	$(BIN)/dbt parse --quiet
	$(BIN)/dbt-score lint --manifest target/manifest.json
	$(BIN)/ruff check customer_value python_tests models
	$(BIN)/ruff format --check customer_value python_tests models

## The documentation site with lineage: http://localhost:8080
docs: setup
	$(DBT) docs generate
	$(DBT) docs serve --port 8080

## The docs site as one file, target/static_index.html, that opens from disk or as an
## attachment (no server, no network; usage tracking off; decision log D43).
docs-static: setup
	DBT_SEND_ANONYMOUS_USAGE_STATS=false $(DBT) docs generate --static
	$(BIN)/python -m customer_value.docs_static target/static_index.html

## The report: charts of the built database's metrics relations in one self-contained HTML
## file, target/report.html (its links open target/static_index.html: make docs-static).
report: setup
	$(BIN)/python -m customer_value.report --database "$${DBT_DUCKDB_PATH:-customer_value.duckdb}" --out target/report.html

## Benchmark: dbt build / run vs a plain DuckDB script and pandas, at 1 M and 10 M orders of
## the typical and the skewed data shape by default (BENCH_SIZES=100000000 for 100 M orders,
## BENCH_SHAPES=typical for one shape); writes bench/results.md, .json and .html (the plot),
## replacing the rows of the sizes and shapes it runs and keeping the others.
BENCH_SIZES ?= 1000000 10000000
BENCH_SHAPES ?= typical skewed
bench: setup
	$(BIN)/python -m customer_value.bench --sizes $(BENCH_SIZES) --shapes $(BENCH_SHAPES)

## lifetimes' own cost on the benchmark's orders (after make bench): it needs pandas < 2, so it
## runs in its own virtual environment with the versions it supports; writes bench/lifetimes.md.
LIFETIMES_VENV := bench/.lifetimes-venv
LIFETIMES_PINS := lifetimes==0.11.3 pandas==1.5.3 numpy==1.26.4 scipy==1.11.4 pyarrow==15.0.2 autograd==1.9.1 dill==0.4.1
bench-lifetimes:
	$(PYTHON) -m venv $(LIFETIMES_VENV)
	$(LIFETIMES_VENV)/bin/python -m pip install --quiet $(LIFETIMES_PINS)
	{ echo "# lifetimes on the benchmark's orders"; echo; \
	  echo "Written by make bench-lifetimes on $$(date -u +%F) ($(LIFETIMES_PINS); seconds, one run each):"; \
	  echo "the RFM summary (calendar days merged, weeks), the BG/NBD fit, the Gamma-Gamma fit."; echo; \
	  echo "| orders | customers | summary | BG/NBD fit | Gamma-Gamma fit | total |"; echo "|---|---|---|---|---|---|"; \
	  for size in $(BENCH_SIZES); do $(LIFETIMES_VENV)/bin/python bench/lifetimes_timing.py bench/data/orders_$$size/orders.parquet; done; \
	} > bench/lifetimes.md
	cat bench/lifetimes.md

## Regenerate the demo seeds (deterministic: the same files every time).
demo-data: setup
	$(BIN)/python -m customer_value.generate --customers 3000 --mean-orders-per-year 3 --seed 42 --bad-rows 2 \
		--out data/demo

## Re-pin requirements.lock from requirements.in in a scratch environment.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	( echo "# Generated from requirements.in by 'make lock' (pip freeze of a clean venv). Do not edit by hand."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable ) > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) target logs dbt_packages *.duckdb *.duckdb.wal
