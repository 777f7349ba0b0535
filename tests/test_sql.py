"""orchestration.sql against hostile names and values, through a real DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from orchestration.sql import identifier, literal, qualified

HOSTILE = [
    "plain",
    'double"quote',
    "single'quote",
    "x'; DROP TABLE victims; --",
    'y"; DROP TABLE victims; --',
    "-- a comment",
    "/* a block */",
    "semi;colon",
    "two\nlines",
    "tab\there",
    "ünïcødé ✓ 数据",
    "a.b",
    " padded ",
    '"',
    "''",
    "\\",
    "$1",
    "?",
]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("CREATE TABLE victims (id INTEGER)")
    connection.execute("INSERT INTO victims VALUES (1)")
    yield connection
    connection.close()


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_name_is_one_column_and_a_hostile_value_one_string(con, text: str) -> None:
    con.execute(f"CREATE SCHEMA {identifier(text)}")
    con.execute(f"CREATE TABLE {qualified(text, text)} ({identifier(text)} VARCHAR)")
    con.execute(f"INSERT INTO {qualified(text, text)} VALUES ({literal(text)})")
    assert con.execute(f"SELECT {identifier(text)} FROM {qualified(text, text)}").fetchall() == [(text,)]
    columns = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = ?", [text]
    ).fetchall()
    assert columns == [(text,)]
    # Nothing else ran: the table the injections name is still there.
    assert con.execute("SELECT count(*) FROM victims").fetchall() == [(1,)]


def test_nul_and_non_text_are_refused() -> None:
    with pytest.raises(ValueError, match="NUL"):
        identifier("a\x00b")
    with pytest.raises(ValueError, match="NUL"):
        literal("a\x00b")
    with pytest.raises(TypeError, match="must be text"):
        literal(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="at least one part"):
        qualified()
