"""The demo company with two of its tables read from a real PostgreSQL server publishes the same values.

The tables' rows are the demo's CSV exports (the latest export of each key, as staging keeps them),
bulk-loaded with ADBC into native PostgreSQL columns; sources.yml then points those two tables at the
server with ``format: postgres`` and keeps their columns, keys and rules. A real ``scorecard run``
must publish exactly the measure values of the all-files run, and the password must appear nowhere
the run wrote: its output, the load logs, Dagster's storage, the warehouse's ledger.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.registry import load_registry
from orchestration.settings import REPO_ROOT
from tests.postgres_server import PostgresServer
from tests.publish.conftest import LAST_MONTH, Deployment
from tests.publish.helpers import first_difference, read_tables

pytestmark = pytest.mark.slow

PASSWORD_ENV = "SCORECARD_TEST_PGPASSWORD"
# Two CSV tables of the demo; csat_responses is append-only, so it also extracts incrementally.
MOVED = {("support", "tickets"): None, ("support", "csat_responses"): "responded_at"}
RUN_METADATA = {"measure_values": {"computed_at"}}


def copy_tables_to_postgres(landing: Path, server: PostgresServer, database: str) -> None:
    """Each moved table's exports, typed as sources.yml declares them, into ``public.<table>``."""
    registry = load_registry(REPO_ROOT / "scorecard_config" / "sources.yml")
    with server.connect(database) as connection, connection.cursor() as cursor, duckdb.connect() as con:
        for system, table in MOVED:
            spec = registry.table(system, table)
            typed = ", ".join(
                f'TRY_CAST("{column}" AS {kind.upper()}) AS "{column}"'
                for column, kind in spec.columns.items()
            )
            key = ", ".join(f'"{column}"' for column in spec.primary_key)
            # Files load in name order, and the latest load of a key is the one staging keeps.
            rows = con.sql(
                f"SELECT {typed} FROM read_csv($files, all_varchar = true, header = true, filename = true) "
                f"QUALIFY row_number() OVER (PARTITION BY {key} ORDER BY filename DESC) = 1",
                params={"files": [str(path) for path in spec.resolve_files(landing)]},
            ).to_arrow_table()
            cursor.adbc_ingest(table, rows, mode="create")


def point_at_postgres(config: Path, uri: str) -> None:
    sources = config / "sources.yml"
    text = sources.read_text()
    for (system, table), incremental in MOVED.items():
        old = f"        format: csv\n        location: {system}/{table}/*.csv\n"
        new = f"        format: postgres\n        location: {uri}\n        table: public.{table}\n"
        if incremental:
            new += f"        incremental_column: {incremental}\n"
        assert text.count(old) == 1
        text = text.replace(old, new)
    sources.write_text(text)


def test_two_demo_tables_from_postgres_publish_the_same_measure_values(
    baseline: Deployment, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    postgres_server.create_database("demo")
    copy_tables_to_postgres(baseline.landing, postgres_server, "demo")
    config = tmp_path / "scorecard_config"
    shutil.copytree(REPO_ROOT / "scorecard_config", config)
    point_at_postgres(
        config, f"postgresql://postgres:${{{PASSWORD_ENV}}}@127.0.0.1:{postgres_server.port}/demo"
    )
    deployment = Deployment(tmp_path / "from_postgres", shared_landing=baseline.landing)
    deployment.root.mkdir()

    process = deployment.start(
        "run", "--period", LAST_MONTH, log_name="run",
        SCORECARD_CONFIG_DIR=str(config), **{PASSWORD_ENV: postgres_server.password},
    )  # fmt: skip
    if process.wait() != 0:
        pytest.fail(f"scorecard run failed:\n{deployment.output('run')[-6000:]}")

    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        extracts = con.execute(
            'SELECT "table", count(*), sum(rows_read) FROM raw._ingested_files '
            "WHERE source_file LIKE 'postgres:%' GROUP BY 1 ORDER BY 1"
        ).fetchall()
        recorded = con.execute(
            "SELECT string_agg(CAST(t AS VARCHAR), ' ') FROM raw._loads AS t UNION ALL "
            "SELECT string_agg(CAST(f AS VARCHAR), ' ') FROM raw._ingested_files AS f"
        ).fetchall()
    assert [(table, files) for table, files, _ in extracts] == [("csat_responses", 1), ("tickets", 1)]
    assert all(rows > 0 for *_, rows in extracts)
    before = read_tables(baseline.published, ignore=RUN_METADATA)["measure_values"]
    after = read_tables(deployment.published, ignore=RUN_METADATA)["measure_values"]
    assert len(after) > 0
    assert first_difference(before, after) is None

    password = postgres_server.password.encode()
    assert all(password not in (text or "").encode() for (text,) in recorded)
    written = [path for path in deployment.root.rglob("*") if path.is_file() and path.suffix != ".duckdb"]
    assert [path for path in written if password in path.read_bytes()] == []
