"""Evidence's source queries run unchanged in DuckDB against the published file and return the contract.

Evidence's DuckDB driver opens ``connection.yaml``'s file read-only, runs each ``.sql`` file as it is
(plus two wrappers: ``WITH root AS (<query>) SELECT COUNT(*) FROM root`` and ``DESCRIBE <query>``)
and stores the result as ``<source>.<file stem>``. These tests do the same with the Python client.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from sqlglot import expressions as exp

from orchestration.export import documented_columns
from orchestration.settings import REPO_ROOT
from tests.bi.evidence_project import SOURCES_DIR, parse_one, source_queries, tables_read

pytestmark = pytest.mark.slow  # reads a demo warehouse built by the real pipeline
GUIDE = REPO_ROOT / "docs" / "bi-guide.md"
SOURCES = source_queries()
# Every published table except the publication log is expected to hold rows in a demo run.
MAY_BE_EMPTY = {"restatements"}


def _documented() -> dict[str, list[str]]:
    return documented_columns(GUIDE.read_text())


def _single_statement(sql: str, path: Path) -> str:
    statements = duckdb.extract_statements(sql)
    assert len(statements) == 1, f"{path} holds {len(statements)} statements; Evidence expects one query"
    return sql.strip().removesuffix(";")


def test_the_project_has_source_queries() -> None:
    assert {query.source for query in SOURCES} == {"scorecard"}
    assert len(SOURCES) >= 7


def test_connection_points_at_the_default_published_file_relative_to_the_source_folder() -> None:
    # Evidence's DuckDB driver joins `filename` onto the source's folder (path.join), never the
    # project root, and an absolute filename would be joined too: the path must be relative.
    for query in SOURCES:
        assert not Path(query.filename).is_absolute()
        resolved = (SOURCES_DIR / query.source / query.filename).resolve()
        assert resolved == REPO_ROOT / "warehouse" / "published" / "bsc_published.duckdb"


@pytest.mark.parametrize("query", SOURCES, ids=lambda query: query.qualified_name)
def test_source_query_is_named_after_a_documented_published_table(query) -> None:
    assert query.name in _documented(), (
        f"{query.path.name} is not named after a table documented in docs/bi-guide.md; pages call it "
        f"{query.qualified_name}, so keep the name of the published table it reads."
    )


@pytest.mark.parametrize("query", SOURCES, ids=lambda query: query.qualified_name)
def test_source_query_selects_its_whole_published_table(query) -> None:
    # The columns are the published contract (dbt enforces it, docs/bi-guide.md documents it): a
    # source query passes the table through whole rather than list the columns a third time.
    statement = parse_one(query.sql, query.path.name)
    assert isinstance(statement, exp.Select), f"{query.path.name} is not a plain select"
    assert [type(e) for e in statement.expressions] == [exp.Star], f"{query.path.name} should select *"
    clauses = ("joins", "where", "group", "having", "order", "limit", "distinct")
    assert not any(statement.args.get(clause) for clause in clauses), (
        f"{query.path.name} should pass its table through unchanged"
    )
    assert tables_read(query.sql, query.path.name) == {f"scorecard.{query.name}"}, (
        f"{query.path.name} should read scorecard.{query.name}"
    )


@pytest.mark.parametrize("query", SOURCES, ids=lambda query: query.qualified_name)
def test_source_query_runs_unchanged_and_returns_the_documented_columns(
    query, bi_con: duckdb.DuckDBPyConnection
) -> None:

    sql = _single_statement(query.sql, query.path)
    result = bi_con.execute(query.sql)
    columns = [description[0] for description in result.description]
    rows = result.fetchall()
    assert columns == _documented()[query.name], f"{query.path.name} columns differ from docs/bi-guide.md"
    if query.name not in MAY_BE_EMPTY:
        assert rows, f"{query.qualified_name} returned no rows from the demo warehouse"
    # The wrappers Evidence's driver runs around the query (cleanQuery adds the newline so a
    # trailing comment cannot swallow the closing parenthesis).
    (count,) = bi_con.execute(f"WITH root AS ({sql}\n) SELECT COUNT(*) FROM root").fetchone()
    assert count == len(rows)
    described = [row[0] for row in bi_con.execute(f"DESCRIBE {sql}\n").fetchall()]
    assert described == columns


def test_every_column_evidence_receives_has_a_type_it_maps(bi_con: duckdb.DuckDBPyConnection) -> None:
    # Evidence maps DuckDB types to number, string, date and boolean; anything else (lists,
    # structs, blobs) would arrive as an untyped string.
    mapped = ("BOOLEAN", "DATE", "TIMESTAMP", "DOUBLE", "FLOAT", "INTEGER", "BIGINT", "SMALLINT", "VARCHAR")
    for query in SOURCES:
        sql = _single_statement(query.sql, query.path)
        for name, column_type, *_ in bi_con.execute(f"DESCRIBE {sql}\n").fetchall():
            assert column_type.startswith(mapped) or column_type.startswith("DECIMAL"), (
                f"{query.qualified_name}.{name} is {column_type}, which Evidence cannot type"
            )


def test_published_file_holds_exactly_the_documented_tables_and_columns(
    bi_con: duckdb.DuckDBPyConnection, is_published_file: bool
) -> None:
    rows = bi_con.execute(
        """
        select table_name, list(column_name order by ordinal_position)
        from information_schema.columns
        where table_schema = 'scorecard' and table_catalog = current_database()
        group by table_name
        """
    ).fetchall()
    actual = {table: list(columns) for table, columns in rows}
    documented = _documented()
    if not is_published_file:
        # The publish step adds the publication log; a working warehouse does not have it.
        documented.pop("publications", None)
    assert actual == documented


def test_published_file_is_readable_by_duckdb_1_4_clients(bi_db: Path, is_published_file: bool) -> None:
    if not is_published_file:
        pytest.skip("a working warehouse is not written for DuckDB 1.4 clients; only the published file is")
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS probe (READ_ONLY)", [str(bi_db)])
        (version,) = con.execute(
            "select tags['storage_version'] from duckdb_databases() where database_name = 'probe'"
        ).fetchone()
    finally:
        con.close()
    assert version.startswith("v1.4"), (
        f"{bi_db.name} has storage version {version}; Evidence bundles DuckDB 1.4"
    )
