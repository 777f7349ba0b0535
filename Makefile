# `make test` is the README's test command and what .ci/run calls: on a fresh clone it creates .venv
# from the lock file, then lints Python and SQL and runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: test lint clean

$(BIN)/scorecard: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock -e .
	touch $@

lint: $(BIN)/scorecard
	$(BIN)/ruff check orchestration tests
	$(BIN)/ruff format --check orchestration tests
	$(BIN)/sqlfluff lint dbt_project/models dbt_project/macros --disable-progress-bar

test: lint
	$(BIN)/pytest

clean:
	rm -rf warehouse landing dbt_project/target dbt_project/logs dbt_project/seeds/config
