# `make test` is the README's test command and what .ci/run calls: on a fresh clone it creates .venv
# from the lock file, then lints Python and SQL and runs the whole test suite. The test venv takes
# requirements-spark.lock (requirements.lock plus the `spark` extra, pinned alike) because CI builds
# the demo on Spark too.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test lint clean

$(BIN)/scorecard: pyproject.toml requirements.lock requirements-spark.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements-spark.lock -e '.[spark]'
	touch $@

lint: $(BIN)/scorecard
	$(BIN)/ruff check orchestration tests
	$(BIN)/ruff format --check orchestration tests
	$(BIN)/sqlfluff lint scorecard_engine/models scorecard_engine/macros dbt_project/models --disable-progress-bar
	SCORECARD_COMPANY_DIR=examples/scrumptious_sweets \
		$(BIN)/sqlfluff lint examples/scrumptious_sweets/dbt_project/models --disable-progress-bar

# The report's browser tests look at the page through headless Chromium (Debian's package). On a
# machine without it, `make test` installs it (needs root and the Debian mirror, as on CI); set
# CHROMIUM to use a browser installed elsewhere.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM

# The PostgreSQL source tests start a real server from Debian's PostgreSQL 15 binaries; `make test`
# installs the package when they are missing (needs root, as for chromium).
SCORECARD_TEST_PG_BIN ?= /usr/lib/postgresql/15/bin
export SCORECARD_TEST_PG_BIN

test: lint $(CHROMIUM) $(SCORECARD_TEST_PG_BIN)/initdb
	$(BIN)/pytest

$(CHROMIUM):
	@echo "Installing Debian's chromium for the report's browser tests (apt-get, needs root)..."
	@if [ "$$(id -u)" != "0" ]; then \
		echo "Not root: run 'sudo apt-get install -y chromium', or set CHROMIUM=/path/to/chromium."; exit 1; fi
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

$(SCORECARD_TEST_PG_BIN)/initdb:
	@echo "Installing Debian's postgresql for the PostgreSQL source tests (apt-get, needs root)..."
	@if [ "$$(id -u)" != "0" ]; then \
		echo "Not root: run 'sudo apt-get install -y postgresql', or set SCORECARD_TEST_PG_BIN=/path/to/bin."; exit 1; fi
	DEBIAN_FRONTEND=noninteractive apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql

clean:
	rm -rf warehouse landing dbt_project/target dbt_project/logs dbt_project/generated dbt_project/dbt_packages
