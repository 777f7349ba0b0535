"""Row-level rules from sources.yml: rows that break them are quarantined with the rule's name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.loader import (
    RULE_IN_FUTURE,
    RULE_NOT_ALLOWED_VALUE,
    RULE_NULL_REQUIRED,
    RULE_OUT_OF_RANGE,
    SourceReadError,
    ingest_table,
    new_load_id,
)
from orchestration.ingestion.registry import RegistryError, file_period, load_registry
from orchestration.warehouse import connect
from tests.ingestion.builders import registry_from, write_text

RULES_SOURCES = """
version: 1
systems:
  shop:
    tables:
      lines:
        format: csv
        location: shop/lines/*.csv
        primary_key: [line_id]
        event_time: issued_at
        columns:
          line_id: varchar
          line_type: varchar
          amount: decimal(18,2)
          score: bigint
          channel: varchar
          issued_at: timestamp
        not_null: [amount]
        rules:
          amount: {min: 0, unless: {line_type: [discount]}}
          score: {min: 1, max: 5}
          channel: {allowed_values: [email, chat]}
          issued_at: {not_in_future: true}
      events:
        format: jsonl
        location: shop/events/*.jsonl
        primary_key: [event_id]
        columns:
          event_id: varchar
          occurred_at: timestamptz
          happened_on: date
        rules:
          occurred_at: {not_in_future: true}
          happened_on: {not_in_future: true}
"""

HEADER = "line_id,line_type,amount,score,channel,issued_at"


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(tmp_path / "warehouse" / "warehouse.duckdb")
    yield connection
    connection.close()


def quarantined(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT source_row_number, rule, column_name, detail FROM raw._quarantine ORDER BY 1"
    ).fetchall()


def test_range_allowed_values_and_unless_quarantine_with_the_rule(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    registry = registry_from(tmp_path, RULES_SOURCES)
    landing = tmp_path / "landing"
    write_text(
        landing / "shop/lines/2024-01.csv",
        f"""
        {HEADER}
        L-1,fee,10.00,3,email,2024-01-05 10:00:00
        L-2,fee,-4.00,3,email,2024-01-05 10:00:00
        L-3,discount,-4.00,3,chat,2024-01-05 10:00:00
        L-4,fee,1.00,0,chat,2024-01-05 10:00:00
        L-5,fee,1.00,6,chat,2024-01-05 10:00:00
        L-6,fee,1.00,2,fax,2024-01-05 10:00:00
        L-7,fee,-1.00,9,fax,2024-01-05 10:00:00
        L-8,fee,,2,email,2024-01-05 10:00:00
        L-9,,-2.00,,,
        """,
    )
    result = ingest_table(con, registry, "shop", "lines", landing, new_load_id())

    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (9, 2, 7)
    assert con.execute("SELECT line_id FROM raw.shop__lines ORDER BY 1").fetchall() == [("L-1",), ("L-3",)]
    assert quarantined(con) == [
        (2, RULE_OUT_OF_RANGE, "amount", "amount='-4.00' is below the minimum 0"),
        (4, RULE_OUT_OF_RANGE, "score", "score='0' is below the minimum 1"),
        (5, RULE_OUT_OF_RANGE, "score", "score='6' is above the maximum 5"),
        (6, RULE_NOT_ALLOWED_VALUE, "channel", "channel='fax' is not one of 'email', 'chat'"),
        # Every broken rule is listed; the row is filed under the first.
        (7, RULE_OUT_OF_RANGE, "amount",
         "amount='-1.00' is below the minimum 0; score='9' is above the maximum 5; "
         "channel='fax' is not one of 'email', 'chat'"),
        # An empty value breaks not_null, not the range rule.
        (8, RULE_NULL_REQUIRED, "amount", "required column(s) empty: amount"),
        # Empty line_type is not 'discount': the exemption does not apply.
        (9, RULE_OUT_OF_RANGE, "amount", "amount='-2.00' is below the minimum 0"),
    ]  # fmt: skip


def test_not_in_future_uses_the_files_period_and_the_load_time(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    registry = registry_from(tmp_path, RULES_SOURCES)
    landing = tmp_path / "landing"
    # 2024-01.csv covers January: a day of slack for time zones, nothing later.
    write_text(
        landing / "shop/lines/2024-01.csv",
        f"""
        {HEADER}
        L-1,fee,1.00,1,email,2024-01-31 23:59:59
        L-2,fee,1.00,1,email,2024-02-01 23:00:00
        L-3,fee,1.00,1,email,2024-02-02 00:00:01
        L-4,fee,1.00,1,email,2025-03-01 00:00:00
        """,
    )
    # A file without a period in its name is bounded by the load time only.
    far = datetime.now(UTC).year + 2
    write_text(
        landing / "shop/lines/backfill.csv",
        f"""
        {HEADER}
        B-1,fee,1.00,1,email,2025-03-01 00:00:00
        B-2,fee,1.00,1,email,{far}-01-01 00:00:00
        """,
    )
    ingest_table(con, registry, "shop", "lines", landing, new_load_id())

    rows = con.execute(
        "SELECT source_file LIKE '%backfill.csv', source_row_number, rule, detail "
        "FROM raw._quarantine ORDER BY 1, 2"
    ).fetchall()
    assert [(backfill, row, rule) for backfill, row, rule, _ in rows] == [
        (False, 3, RULE_IN_FUTURE),
        (False, 4, RULE_IN_FUTURE),
        (True, 2, RULE_IN_FUTURE),
    ]
    assert rows[0][3] == (
        "issued_at='2024-02-02 00:00:01' is after the end of the file's period 2024-01 "
        "(plus 1 day of time-zone slack)"
    )
    assert rows[2][3].startswith(f"issued_at='{far}-01-01 00:00:00' is after the load time ")


def test_not_in_future_compares_instants_for_timestamptz_and_dates(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    registry = registry_from(tmp_path, RULES_SOURCES)
    landing = tmp_path / "landing"
    write_text(
        landing / "shop/events/2024-01.jsonl",
        """
        {"event_id": "E-1", "occurred_at": "2024-02-01T20:00:00-03:00", "happened_on": "2024-02-01"}
        {"event_id": "E-2", "occurred_at": "2024-02-01T22:00:00-03:00", "happened_on": "2024-01-31"}
        {"event_id": "E-3", "occurred_at": "2024-01-15T10:00:00+00:00", "happened_on": "2024-02-05"}
        """,
    )
    ingest_table(con, registry, "shop", "events", landing, new_load_id())

    # 20:00 at -03:00 is 23:00 UTC, within the slack; 22:00 at -03:00 is 01:00 UTC on 2 February.
    assert [(row, rule, column) for row, rule, column, _ in quarantined(con)] == [
        (2, RULE_IN_FUTURE, "occurred_at"),
        (3, RULE_IN_FUTURE, "happened_on"),
    ]


def test_file_period_reads_the_last_month_in_the_file_name() -> None:
    assert file_period("landing/support/tickets/2025-05.csv") == date(2025, 5, 1)
    assert file_period("tickets_2024-12_to_2025-02_late.csv") == date(2025, 2, 1)
    assert file_period("2025-13.csv") is None
    assert file_period("/data/2025-05/accounts.jsonl") is None
    assert file_period("accounts.jsonl") is None


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        ("nope: {min: 0}", "rules[nope]: `nope` is not one of the table's columns."),
        ("label: {min: 0}", "rules[label].min: `label` is a `varchar` column; min and max apply to numbers."),
        ("amount: {min: 5, max: 1}", "rules[amount]: min 5 is greater than max 1. Fix: swap them"),
        ("amount: {not_in_future: true}", "rules[amount].not_in_future: `amount` is a `decimal(18,2)`"),
        ("amount: {min: 0, unless: {kind: [x]}}", "rules[amount].unless[kind]: `kind` is not one of the"),
        ("amount: {}", "rules[amount]: the entry declares no rule. Fix: give it min, max, allowed_values or"),
        ("amount: {minimum: 0}", "rules[amount].minimum: `minimum` is not a known field here. Fix: remove "
         "it or fix its spelling (did you mean `min`?)"),
    ],
)  # fmt: skip
def test_broken_rules_are_explained_with_the_entry_and_the_fix(
    tmp_path: Path, rules: str, expected: str
) -> None:
    text = f"""
version: 1
systems:
  shop:
    tables:
      lines:
        format: csv
        location: lines.csv
        primary_key: [line_id]
        columns:
          line_id: varchar
          label: varchar
          amount: decimal(18,2)
        rules:
          {rules}
"""
    with pytest.raises(RegistryError) as raised:
        load_registry(write_text(tmp_path / "sources.yml", text))
    assert f"sources.yml:{raised.value.issues[0].line}: tables[shop.lines].{expected}" in str(raised.value)


def test_shipped_registry_declares_the_rules_real_systems_break() -> None:
    registry = load_registry(Path(__file__).resolve().parents[2] / "scorecard_config" / "sources.yml")
    lines = registry.table("billing", "invoice_lines").rules["amount"]
    assert (lines.min, lines.unless) == (0, {"line_type": ["discount"]})
    assert registry.table("billing", "invoices").rules["total_amount"].min == 0
    assert (
        registry.table("support", "csat_responses").rules["score"].min,
        registry.table("support", "csat_responses").rules["score"].max,
    ) == (1, 5)
    assert registry.table("support", "tickets").rules["contacts_to_resolution"].min == 1
    engagement = registry.table("hr", "engagement_survey").rules["engagement_score"]
    assert (engagement.min, engagement.max) == (1, 5)
    for system, table, spec in registry.iter_tables():
        if spec.event_time and system in ("billing", "product", "support") and table != "plans":
            assert spec.rules[spec.event_time].not_in_future, f"{system}.{table}"


def test_a_file_put_back_to_an_earlier_content_loads_again(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    registry = registry_from(tmp_path, RULES_SOURCES)
    landing = tmp_path / "landing"
    good = f"{HEADER}\nL-1,fee,10.00,3,email,2024-01-05 10:00:00\n"
    path = landing / "shop/lines/2024-01.csv"
    for content in (good, good.replace("10.00", "-10.00"), good):
        write_text(path, content)
        ingest_table(con, registry, "shop", "lines", landing, new_load_id())

    # The restored file is the latest load, so its row is what staging sees, not the quarantined one.
    ledger = con.execute(
        "SELECT rows_loaded, rows_quarantined FROM raw._ingested_files ORDER BY loaded_at"
    ).fetchall()
    assert ledger == [(1, 0), (0, 1), (1, 0)]


def test_a_utf16_export_is_named_as_such_with_the_fix(tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    registry = registry_from(tmp_path, RULES_SOURCES)
    landing = tmp_path / "landing"
    path = landing / "shop/lines/2024-01.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes(f"{HEADER}\nL-1,fee,10.00,3,email,2024-01-05 10:00:00\n".encode("utf-16"))

    with pytest.raises(SourceReadError) as raised:
        ingest_table(con, registry, "shop", "lines", landing, new_load_id())

    assert str(raised.value).startswith(
        f"{path}: cannot be read as csv: it is UTF-16 encoded, not UTF-8 — re-export it as UTF-8, or declare "
        "`encoding: utf-16` for it in sources.yml (csv only)."
    )
    assert con.execute("SELECT count(*) FROM raw._quarantine").fetchall() == [(0,)]
