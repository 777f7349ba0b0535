"""PostgreSQL sources against a real server: typing, quarantine, incremental extraction, redaction."""

from __future__ import annotations

import csv
import sqlite3
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow as pa
import pytest
import yaml

from orchestration.defs.ingestion import build_ingestion_assets
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.ingestion.loader import (
    SourceReadError,
    SourceSchemaError,
    ensure_bookkeeping_tables,
    ingest_table,
    new_load_id,
)
from orchestration.ingestion.registry import SourceRegistry
from orchestration.settings import get_settings
from tests.ingestion.builders import TEST_SOURCES, registry_from
from tests.ingestion.test_ingestion_loader import assert_nothing_vanished, rows
from tests.postgres_server import PG_BIN_ENV, PostgresServer, PostgresUnavailableError, start_server

Connection = duckdb.DuckDBPyConnection
PASSWORD_ENV = "SCORECARD_TEST_PGPASSWORD"

# The test registry's orders table three ways (a CSV export, a SQLite table, a PostgreSQL table),
# with a row rule so every quarantine rule is exercised.
SHOP_ORDERS = yaml.safe_load(TEST_SOURCES)["systems"]["shop"]["tables"]["orders"]


def orders_entry(source_format: str, location: str, table: str | None = None) -> dict[str, object]:
    return {
        **SHOP_ORDERS,
        "format": source_format,
        "location": location,
        **({"table": table} if table else {}),
        "not_null": ["customer_id"],
        "rules": {"amount": {"min": 0}},
    }


ORDER_COLUMNS = list(SHOP_ORDERS["columns"])
# Native PostgreSQL types where the values allow; text where a bad value must reach the quarantine.
PG_ORDERS_DDL = """
CREATE TABLE public.orders (
    order_id text, customer_id text, amount numeric(18,2), quantity text, paid boolean,
    ordered_on date, ordered_at timestamp, discount double precision
)
"""
# In the order PostgreSQL extracts them (primary key, then every column as text; C collation), so
# every export numbers its rows alike.
ORDER_ROWS = [
    ("O-1", "C-1", "12.50", "2", "true", "2024-01-05", "2024-01-05 10:30:00", "0.1"),
    ("O-2", None, "3.00", "1", "false", "2024-01-06", "2024-01-06 11:00:00", None),
    ("O-3", "C-2", "4.00", "1", "true", "2024-01-07", None, "0"),
    ("O-3", "C-3", "5.00", "1", "true", "2024-01-07", "2024-01-07 09:00:00", "0"),
    ("O-4", "C-1", "7.25", "1.5", "false", None, "2024-02-01 00:00:00", "2.5"),
    ("O-5", "C-4", "1000000.99", "10", "true", "2024-02-02", "2024-02-02 23:59:59", "1e-05"),
    ("O-6", "C-2", "-4.00", "1", "true", "2024-02-03", None, "0"),
    (None, "C-5", "1.00", "1", "true", "2024-02-03", None, None),
]


def _unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@pytest.fixture
def pg_uri(postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database on the session's server; the password only in the environment."""
    monkeypatch.setenv(PASSWORD_ENV, postgres_server.password)
    database = _unique_name("test")
    postgres_server.create_database(database)
    return f"postgresql://postgres:${{{PASSWORD_ENV}}}@127.0.0.1:{postgres_server.port}/{database}"


def run_sql(server: PostgresServer, uri: str, *statements: str) -> None:
    with server.connect(uri.rsplit("/", 1)[1]) as connection, connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def registry_with(tmp_path: Path, tables: str | dict[str, object]) -> SourceRegistry:
    """A registry of one system ``shop`` holding ``tables`` (YAML text, or a mapping to write as YAML)."""
    if isinstance(tables, dict):
        tables = textwrap.indent(yaml.safe_dump(tables, sort_keys=False), "      ")
    return registry_from(tmp_path, f"version: 1\nsystems:\n  shop:\n    tables:\n{tables}")


def load(con: Connection, registry: SourceRegistry, table: str, landing: Path):
    return ingest_table(con, registry, "shop", table, landing, new_load_id())


def ledger(con: Connection, table: str) -> list[tuple]:
    return rows(
        con,
        "SELECT rows_read, rows_loaded, rows_quarantined, high_water_mark FROM raw._ingested_files "
        'WHERE "table" = ? ORDER BY loaded_at',
        [table],
    )


def test_a_postgres_table_loads_exactly_as_the_same_data_from_csv_and_sqlite(
    tmp_path: Path, con: Connection, landing: Path, postgres_server: PostgresServer, pg_uri: str
) -> None:
    export = landing / "orders.csv"
    with export.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ORDER_COLUMNS)
        writer.writerows([["" if value is None else value for value in row] for row in ORDER_ROWS])
    with sqlite3.connect(landing / "shop.db") as database:
        database.execute(f"CREATE TABLE orders ({', '.join(c + ' TEXT' for c in ORDER_COLUMNS)})")
        database.executemany(f"INSERT INTO orders VALUES ({', '.join('?' * 8)})", ORDER_ROWS)
    with postgres_server.connect(pg_uri.rsplit("/", 1)[1]) as connection, connection.cursor() as cursor:
        cursor.execute(PG_ORDERS_DDL)
        # Through ADBC's bulk ingest as text, then cast by PostgreSQL into the native columns.
        staged = pa.table(
            {c: pa.array([row[i] for row in ORDER_ROWS], pa.string()) for i, c in enumerate(ORDER_COLUMNS)}
        )
        cursor.adbc_ingest("orders_text", staged, mode="create")
        cursor.execute(
            "INSERT INTO public.orders SELECT order_id, customer_id, amount::numeric, quantity, "
            "paid::boolean, ordered_on::date, ordered_at::timestamp, discount::double precision "
            "FROM orders_text"
        )
    registry = registry_with(
        tmp_path,
        {
            "orders_csv": orders_entry("csv", "orders.csv"),
            "orders_sqlite": orders_entry("sqlite", "shop.db", "orders"),
            "orders_pg": orders_entry("postgres", pg_uri, "public.orders"),
        },
    )

    results = {name: load(con, registry, f"orders_{name}", landing) for name in ("csv", "sqlite", "pg")}

    columns = ", ".join(ORDER_COLUMNS)
    loaded = {
        name: rows(con, f"SELECT {columns}, _source_row_number FROM raw.shop__orders_{name} ORDER BY ALL")
        for name in results
    }
    quarantined = {
        name: rows(
            con,
            "SELECT source_row_number, rule, column_name, detail FROM raw._quarantine "
            'WHERE "table" = ? ORDER BY 1',
            [f"orders_{name}"],
        )
        for name in results
    }
    assert loaded["pg"] == loaded["csv"] == loaded["sqlite"]
    assert quarantined["pg"] == quarantined["csv"] == quarantined["sqlite"]
    assert {rule for _, rule, _, _ in quarantined["pg"]} == {
        "null_primary_key", "null_required", "invalid_type", "out_of_range", "duplicate_primary_key"
    }  # fmt: skip
    assert [(r.rows_read, r.rows_loaded, r.rows_quarantined) for r in results.values()] == [(8, 3, 5)] * 3
    for result in results.values():
        assert_nothing_vanished(con, result)
    assert rows(con, "SELECT amount, paid, ordered_at FROM raw.shop__orders_pg WHERE order_id = 'O-1'") == [
        (pytest.approx(12.5), True, datetime(2024, 1, 5, 10, 30))
    ]
    source_file = results["pg"].files[0].source_file
    assert source_file.startswith("postgres:postgresql://postgres:***@127.0.0.1:")
    assert postgres_server.password not in source_file

    again = load(con, registry, "orders_pg", landing)
    assert (again.files_read, again.files_skipped_unchanged, again.rows_read) == (0, 1, 0)
    assert ledger(con, "orders_pg") == [(8, 3, 5, None)]


INCREMENTAL = """
      accounts:
        format: {format}
        location: {location}
        table: accounts
        primary_key: [account_id]
        incremental_column: updated_at
        columns:
          account_id: bigint
          name: varchar
          updated_at: timestamptz
        not_null: [name]
"""


def latest_per_key(con: Connection) -> list[tuple]:
    """What staging keeps (scorecard_engine's latest_load_per_key): the latest load of each key."""
    return rows(
        con,
        """
        SELECT account_id, name, updated_at FROM raw.shop__accounts
        QUALIFY row_number() OVER (
            PARTITION BY account_id ORDER BY _loaded_at DESC, _load_id DESC, _source_row_number DESC
        ) = 1
        ORDER BY account_id
        """,
    )


def test_incremental_extraction_reads_from_the_high_water_mark_on(
    tmp_path: Path, con: Connection, landing: Path, postgres_server: PostgresServer, pg_uri: str
) -> None:
    t = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    stamp = lambda hours: f"'{(t + timedelta(hours=hours)).isoformat()}'"  # noqa: E731
    run_sql(
        postgres_server,
        pg_uri,
        "CREATE TABLE accounts (account_id bigint PRIMARY KEY, name text, updated_at timestamptz)",
        f"INSERT INTO accounts VALUES (1, 'Ada', {stamp(0)}), (2, 'Grace', {stamp(1)}), "
        f"(3, 'Linus', {stamp(2)}), (4, NULL, {stamp(2)})",
    )
    registry = registry_with(tmp_path, INCREMENTAL.format(format="postgres", location=pg_uri))

    first = load(con, registry, "accounts", landing)
    assert (first.rows_read, first.rows_loaded, first.rows_quarantined) == (4, 3, 1)
    assert ledger(con, "accounts") == [(4, 3, 1, "2025-03-01 14:00:00+00")]

    # Nothing changed: the extract holds only the two rows at the mark, as loaded: nothing new.
    unchanged = load(con, registry, "accounts", landing)
    assert (unchanged.files_read, unchanged.files_skipped_unchanged, unchanged.rows_read) == (0, 1, 0)
    assert len(ledger(con, "accounts")) == 1

    # An update (its updated_at rises), a fix of the quarantined row, and a late row at the old mark.
    run_sql(
        postgres_server,
        pg_uri,
        f"UPDATE accounts SET name = 'Ada L.', updated_at = {stamp(5)} WHERE account_id = 1",
        f"UPDATE accounts SET name = 'Margaret', updated_at = {stamp(3)} WHERE account_id = 4",
        f"INSERT INTO accounts VALUES (5, 'Barbara', {stamp(2)})",
    )
    changed = load(con, registry, "accounts", landing)
    # Rows 2 (before the mark) is not extracted; 3 and 5 share the mark, 4 and 1 are past it.
    assert (changed.rows_read, changed.rows_loaded, changed.rows_quarantined) == (4, 4, 0)
    assert ledger(con, "accounts")[1] == (4, 4, 0, "2025-03-01 17:00:00+00")
    extracted = rows(
        con, "SELECT account_id FROM raw.shop__accounts WHERE _load_id = ? ORDER BY 1", [changed.load_id]
    )
    assert extracted == [(1,), (3,), (4,), (5,)]
    assert latest_per_key(con) == [
        (1, "Ada L.", t + timedelta(hours=5)),
        (2, "Grace", t + timedelta(hours=1)),
        (3, "Linus", t + timedelta(hours=2)),
        (4, "Margaret", t + timedelta(hours=3)),
        (5, "Barbara", t + timedelta(hours=2)),
    ]

    # Only the row at the new mark is read again, found unchanged, and nothing is loaded.
    quiet = load(con, registry, "accounts", landing)
    assert (quiet.files_skipped_unchanged, quiet.rows_read) == (1, 0)
    # A deleted row at the mark leaves an empty extract: nothing new either.
    run_sql(postgres_server, pg_uri, "DELETE FROM accounts WHERE account_id = 1")
    assert load(con, registry, "accounts", landing).files_skipped_unchanged == 1
    assert len(ledger(con, "accounts")) == 2


def test_incremental_extraction_from_sqlite(tmp_path: Path, con: Connection, landing: Path) -> None:
    database = landing / "shop.db"
    with sqlite3.connect(database) as source:
        source.execute("CREATE TABLE accounts (account_id INTEGER, name TEXT, updated_at TEXT)")
        source.executemany(
            "INSERT INTO accounts VALUES (?, ?, ?)",
            [(1, "Ada", "2025-03-01 12:00:00+00"), (2, "Grace", "2025-03-01 13:00:00+00")],
        )
    registry = registry_with(tmp_path, INCREMENTAL.format(format="sqlite", location="shop.db"))
    assert load(con, registry, "accounts", landing).rows_read == 2
    assert load(con, registry, "accounts", landing).files_skipped_unchanged == 1

    with sqlite3.connect(database) as source:
        source.execute(
            "UPDATE accounts SET name = 'Ada L.', updated_at = '2025-03-02 08:00:00+00' WHERE account_id = 1"
        )
    changed = load(con, registry, "accounts", landing)
    assert changed.rows_read == 2  # the row at the old mark and the updated one
    assert ledger(con, "accounts")[-1] == (2, 2, 0, "2025-03-02 08:00:00+00")
    assert [name for _, name, _ in latest_per_key(con)] == ["Ada L.", "Grace"]


def test_a_ledger_from_before_high_water_marks_gains_them(
    tmp_path: Path, con: Connection, landing: Path
) -> None:
    # The file ledger as warehouses created before incremental extraction had it.
    ensure_bookkeeping_tables(con)
    for column in ("incremental_column", "high_water_mark"):
        con.execute(f"ALTER TABLE raw._ingested_files DROP COLUMN {column}")
    database = landing / "shop.db"
    con.execute(
        "INSERT INTO raw._ingested_files VALUES ('old', 'shop', 'customers', ?, 'x', 0, 1, 1, 0, now())",
        [f"sqlite:{database}#customers"],
    )
    with sqlite3.connect(database) as source:
        source.execute("CREATE TABLE accounts (account_id INTEGER, name TEXT, updated_at TEXT)")
        source.execute("INSERT INTO accounts VALUES (1, 'Ada', '2025-03-01 12:00:00+00')")
    registry = registry_with(tmp_path, INCREMENTAL.format(format="sqlite", location="shop.db"))

    assert load(con, registry, "accounts", landing).rows_read == 1
    assert load(con, registry, "accounts", landing).files_skipped_unchanged == 1
    assert rows(con, 'SELECT "table", incremental_column, high_water_mark FROM raw._ingested_files') == [
        ("customers", None, None),
        ("accounts", "updated_at", "2025-03-01 12:00:00+00"),
    ]


# -- failures name the entry and never the password ---------------------------------------------------


def assert_password_nowhere(con: Connection, message: str, *passwords: str) -> None:
    """Not in the message, nor in anything the warehouse recorded about the load."""
    recorded = rows(
        con,
        "SELECT string_agg(CAST(t AS VARCHAR), ' ') FROM (SELECT * FROM raw._loads) AS t "
        "UNION ALL SELECT string_agg(CAST(f AS VARCHAR), ' ') FROM raw._ingested_files AS f "
        "UNION ALL SELECT string_agg(CAST(q AS VARCHAR), ' ') FROM raw._quarantine AS q",
    )
    for password in passwords:
        assert password not in message
        assert all(password not in (text or "") for (text,) in recorded)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong_password", "password authentication failed"),
        ("unreachable", "Connection refused"),
        ("missing_table", "the database has no table 'public.nowhere'"),
    ],
)
def test_failures_name_the_entry_and_never_the_password(
    tmp_path: Path,
    con: Connection,
    landing: Path,
    postgres_server: PostgresServer,
    pg_uri: str,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    expected: str,
) -> None:
    location, table = pg_uri, "accounts"
    wrong = "not-" + postgres_server.password
    if case == "wrong_password":
        monkeypatch.setenv(PASSWORD_ENV, wrong)
    elif case == "unreachable":
        location = pg_uri.replace(f":{postgres_server.port}/", f":{_closed_port()}/")
    else:
        table = "public.nowhere"
    registry = registry_with(
        tmp_path,
        INCREMENTAL.format(format="postgres", location=location).replace(
            "table: accounts", f"table: {table}"
        ),
    )

    with pytest.raises(SourceReadError) as caught:
        load(con, registry, "accounts", landing)
    message = str(caught.value)
    assert expected in message
    assert "tables[shop.accounts] in sources.yml" in message
    assert "postgres:postgresql://postgres:***@127.0.0.1:" in message
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    assert_password_nowhere(con, message, postgres_server.password, wrong)


def test_a_missing_column_is_a_schema_error_naming_it(
    tmp_path: Path, con: Connection, landing: Path, postgres_server: PostgresServer, pg_uri: str
) -> None:
    run_sql(
        postgres_server,
        pg_uri,
        "CREATE TABLE accounts (account_id bigint, name text, changed_at timestamptz)",
    )
    registry = registry_with(tmp_path, INCREMENTAL.format(format="postgres", location=pg_uri))
    with pytest.raises(SourceSchemaError) as caught:
        load(con, registry, "accounts", landing)
    assert (
        "(tables[shop.accounts] in sources.yml): column 'updated_at' is missing and 'changed_at' is "
        in str(caught.value)
    )


def test_a_dagster_failure_shows_the_entry_but_not_the_password(
    tmp_path: Path, landing: Path, warehouse_path: Path, postgres_server: PostgresServer, pg_uri: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    wrong = "not-" + postgres_server.password
    monkeypatch.setenv(PASSWORD_ENV, wrong)
    registry = registry_with(tmp_path, INCREMENTAL.format(format="postgres", location=pg_uri))
    assets = build_ingestion_assets(registry)
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        assets,
        resources={
            "warehouse": WarehouseResource(path=str(warehouse_path)),
            "company": CompanyResource.from_settings(get_settings()),
        },
        instance=instance,
        raise_on_error=False,
    )

    assert not result.success
    (failure,) = [event for event in result.all_events if event.is_step_failure]
    shown = str(failure.step_failure_data.error) + str(failure.step_failure_data.user_failure_data)
    assert "tables[shop.accounts] in sources.yml" in shown
    records = instance.get_records_for_run(result.run_id).records
    logged = " ".join(str(record.event_log_entry) for record in records)
    descriptions = " ".join(str(spec.description) + str(spec.metadata) for a in assets for spec in a.specs)
    for password in (postgres_server.password, wrong):
        assert password not in shown and password not in logged and password not in descriptions


def test_without_postgresql_the_server_fixture_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PG_BIN_ENV, str(tmp_path / "no-postgres"))
    with pytest.raises(PostgresUnavailableError) as caught:
        start_server()
    assert "apt-get install postgresql" in str(caught.value)
    assert str(tmp_path / "no-postgres" / "initdb") in str(caught.value)


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
