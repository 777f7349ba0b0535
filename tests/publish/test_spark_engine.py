"""One definition, two engines: the demo published by dbt on Spark equals the one dbt on DuckDB publishes.

The session's DuckDB baseline and a real ``scorecard run --engine spark`` process (a local
SparkSession through dbt-spark, the README's command) read the same landing zone. Every published
table must agree row for row: text, dates and flags exactly, floating-point values within 1e-9
relative (``first_difference``). Only what records *when* or *which run* computed a row may differ.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.settings import ENGINE_ENV, SettingsError, get_settings
from orchestration.transform.exchange import Exchange
from orchestration.transform.project import DbtProjectError, check_engine_installed
from tests.publish.conftest import LAST_MONTH, Deployment
from tests.publish.helpers import first_difference, read_tables

pytestmark = pytest.mark.slow

# Columns that say when or by which run a row was computed: they differ between any two runs.
RUN_COLUMNS = frozenset(
    {
        "computed_at",
        "run_id",
        "published_at",
        "dbt_scd_id",
        "dbt_updated_at",
        "dbt_valid_from",
        "dbt_valid_to",
        "judged_at",
    }
)


@pytest.fixture(scope="module")
def on_spark(baseline: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """The baseline's exports, ingested into a warehouse of their own and built by dbt on Spark."""
    deployment = Deployment(tmp_path_factory.mktemp("spark"), shared_landing=baseline.landing)
    deployment.run("run", "--period", LAST_MONTH, "--engine", "spark", log_name="spark")
    return deployment


def _run_log(deployment: Deployment) -> str:
    """The output of the run's steps, dbt's included (the CLI prints only a summary)."""
    newest = max(deployment.run_logs.glob("run-*.log"), key=lambda path: path.stat().st_mtime)
    return newest.read_text()


def _published_tables(path: Path) -> dict[str, list[tuple[str, str]]]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'scorecard' ORDER BY table_name, ordinal_position"
        ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def test_spark_publishes_the_same_tables_and_columns_as_duckdb(
    baseline: Deployment, on_spark: Deployment
) -> None:
    assert "target='spark'" in _run_log(on_spark)
    assert _published_tables(on_spark.published) == _published_tables(baseline.published)


def test_spark_publishes_the_same_numbers_as_duckdb(baseline: Deployment, on_spark: Deployment) -> None:
    ignore = {table: RUN_COLUMNS for table in _published_tables(baseline.published)}
    on_duckdb, on_spark_rows = (
        read_tables(baseline.published, ignore),
        read_tables(on_spark.published, ignore),
    )
    assert {"measure_values", "scorecard", "balance_report", "balance_findings", "strategy_map"} <= set(
        on_duckdb
    )
    assert len(on_duckdb["measure_values"]) > 1000
    differences = {
        table: difference
        for table, rows in on_duckdb.items()
        if (difference := first_difference(rows, on_spark_rows[table]))
    }
    assert not differences


def test_the_spark_run_built_the_models_on_spark_and_read_them_back(on_spark: Deployment) -> None:
    results = on_spark.root / "warehouse" / "spark" / "exchange" / "results"
    assert {"measure_values", "scorecard", "balance_report"} <= {
        path.name for path in (results / "scorecard").iterdir()
    }
    # What Spark wrote is what was published (the history snapshot is DuckDB's, built on it).
    spark_rows = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{results / 'scorecard' / 'measure_values' / '*.parquet'}')"
    ).fetchall()[0][0]
    with duckdb.connect(str(on_spark.published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM scorecard.measure_values").fetchone()[0] == spark_rows
    assert not (results / "scorecard" / "measure_value_history").exists()


def test_a_second_spark_run_with_nothing_new_stops_before_building(on_spark: Deployment) -> None:
    on_spark.run("run", "--period", LAST_MONTH, "--engine", "spark", log_name="spark_again")
    assert "Nothing new" in on_spark.output("spark_again")


def test_an_unknown_engine_is_refused_with_the_engines_there_are(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENGINE_ENV, "trino")
    with pytest.raises(SettingsError, match=r"SCORECARD_ENGINE is 'trino'; the engines are duckdb, spark"):
        get_settings()


def test_spark_without_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENGINE_ENV, "spark")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DbtProjectError, match=r"no `java` is on PATH .* install Java 17 or 21"):
        check_engine_installed(get_settings())


def test_reading_back_replaces_tables_and_views_run_after_run(tmp_path: Path) -> None:
    """A second run reads back over the tables the first one read back, and over DuckDB's views."""
    exchange = Exchange(tmp_path / "exchange")
    exchange.environment([])
    warehouse = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    warehouse.execute("CREATE SCHEMA staging")
    warehouse.execute("CREATE VIEW staging.stg_orders AS SELECT 1 AS order_id")
    for run, orders in enumerate(([1, 2], [1, 2, 3]), start=1):
        for schema, table in (("staging", "stg_orders"), ("scorecard", "measure_values")):
            folder = exchange.results_dir / schema / table
            folder.mkdir(parents=True, exist_ok=True)
            duckdb.sql(
                f"COPY (SELECT unnest({orders}) AS order_id, "
                "TIMESTAMPTZ '2025-05-01 12:00:00+02' AS computed_at) "
                f"TO '{folder / 'part-00000.parquet'}' (FORMAT parquet)"
            )
        assert exchange.read_back(warehouse) == ["scorecard.measure_values", "staging.stg_orders"], run
        assert warehouse.execute("SELECT count(*) FROM staging.stg_orders").fetchone()[0] == len(orders)
    kinds = warehouse.execute(
        "SELECT table_name, table_type FROM information_schema.tables ORDER BY table_name"
    ).fetchall()
    assert kinds == [("measure_values", "BASE TABLE"), ("stg_orders", "BASE TABLE")]
    # Spark's instants come back as the naive UTC wall time the models compute.
    assert str(warehouse.execute("SELECT computed_at FROM scorecard.measure_values").fetchone()[0]) == (
        "2025-05-01 10:00:00"
    )
