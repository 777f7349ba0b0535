"""Row-level results of the raw tables' suites, kept per load, so a run validates only what arrived.

The ``rows`` frame of a raw table is every current row (per primary key, the rows of its latest load);
its expectations are row-wise (a value in a range, in a set, a key unique within its load…), so a
row's result depends on that row alone. Great Expectations therefore only needs to see the rows of
loads it has not judged yet under the current version of the suite; the outcome over the whole frame
is then computed in DuckDB, set-based, from the failures recorded so far that are still current:

- ``quality.validated_loads``: each load a suite version has judged (``digest`` covers the frame's
  SQL and the rows expectations, so editing the suite or the table's declaration re-judges every load);
- ``quality.row_failures``: every row GE reported as unexpected, per expectation, by load, file and
  row number.

A row superseded by a later load leaves the frame and so stops counting; a load that no longer has a
current row is forgotten. Rows are only ever written by loads (the loader appends under a new load
id), which is what makes a load's results final — until a file version is withdrawn
(``raw._withdrawn_files``: replaced by a re-delivery, or its file removed). Its rows leave the frame,
which changes nothing for the other rows of a clean load; but a failure of a load may be stale (a
file delivered twice in one load: its key is unique once the copy is withdrawn), and rows a withdrawn
version had superseded come back to the frame. So a load is judged again when it has failures and a
withdrawal since it was judged, or more rows in the frame than it was judged on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa

from orchestration.ingestion.ledger import QUALITY_SCHEMA, RAW_SCHEMA
from orchestration.sql import identifier

_DDL = f"""
CREATE SCHEMA IF NOT EXISTS {QUALITY_SCHEMA};
CREATE TABLE IF NOT EXISTS {QUALITY_SCHEMA}.validated_loads (
    suite VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,
    load_id VARCHAR NOT NULL,
    rows_validated BIGINT NOT NULL
);
-- Warehouses judged before withdrawals existed: NULL reads as judged before any withdrawal.
ALTER TABLE {QUALITY_SCHEMA}.validated_loads ADD COLUMN IF NOT EXISTS judged_at TIMESTAMP WITH TIME ZONE;
CREATE TABLE IF NOT EXISTS {QUALITY_SCHEMA}.row_failures (
    suite VARCHAR NOT NULL,
    digest VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    load_id VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    source_row_number BIGINT NOT NULL
);
"""
# A row of the frame is identified by its load, file and row number.
ROW_IDENTITY = ("_load_id", "_source_file", "_source_row_number")
_FAILURE_SCHEMA = pa.schema(
    [
        ("position", pa.int32()),
        ("load_id", pa.string()),
        ("source_file", pa.string()),
        ("source_row_number", pa.int64()),
    ]
)


def suite_digest(frame_sql: str, expectations: Iterable[dict[str, Any]]) -> str:
    """The version of a suite's rows checks: the frame's SQL and the expectations with their positions."""
    payload = json.dumps(
        {"sql": " ".join(frame_sql.split()), "expectations": list(expectations)}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def loads_to_validate(con: duckdb.DuckDBPyConnection, frame_table: str, suite: str, digest: str) -> list[str]:
    """The loads with rows in the frame that this version of the suite has not judged; forgets the rest.

    Results of other suite versions, of loads with no current row left, of loads a withdrawal may
    have made stale (see the module's docstring), and failures of loads that were never recorded as
    judged (a validation that raised) are deleted here.
    """
    con.execute(_DDL)
    con.execute(
        f"""
        DELETE FROM {QUALITY_SCHEMA}.validated_loads AS judged
        WHERE suite = ? AND (
            (SELECT count(*) FROM {frame_table} AS frame WHERE frame._load_id = judged.load_id)
                > judged.rows_validated
            OR (
                EXISTS (
                    SELECT 1 FROM {RAW_SCHEMA}._withdrawn_files AS withdrawn
                    WHERE withdrawn.load_id = judged.load_id
                        AND withdrawn.withdrawn_at > coalesce(judged.judged_at, TIMESTAMPTZ '-infinity')
                )
                AND EXISTS (
                    SELECT 1 FROM {QUALITY_SCHEMA}.row_failures AS failure
                    WHERE failure.suite = judged.suite AND failure.digest = judged.digest
                        AND failure.load_id = judged.load_id
                )
            )
        )
        """,
        [suite],
    )
    for table in ("validated_loads", "row_failures"):
        con.execute(
            f"""
            DELETE FROM {QUALITY_SCHEMA}.{table}
            WHERE suite = ? AND (digest <> ? OR load_id NOT IN (SELECT DISTINCT _load_id FROM {frame_table}))
            """,
            [suite, digest],
        )
    con.execute(
        f"""
        DELETE FROM {QUALITY_SCHEMA}.row_failures AS failure
        WHERE suite = ? AND NOT EXISTS (
            SELECT 1 FROM {QUALITY_SCHEMA}.validated_loads AS judged
            WHERE judged.suite = failure.suite AND judged.digest = failure.digest
            AND judged.load_id = failure.load_id
        )
        """,
        [suite],
    )
    rows = con.execute(
        f"""
        SELECT DISTINCT _load_id FROM {frame_table}
        WHERE _load_id NOT IN (
            SELECT load_id FROM {QUALITY_SCHEMA}.validated_loads WHERE suite = ? AND digest = ?
        )
        ORDER BY 1
        """,
        [suite, digest],
    ).fetchall()
    return [load_id for (load_id,) in rows]


def record(
    con: duckdb.DuckDBPyConnection,
    frame_table: str,
    suite: str,
    digest: str,
    loads: Sequence[str],
    failures: Sequence[tuple[int, str, str, int]],
) -> None:
    """Store ``failures`` (position, load, file, row) and mark ``loads`` judged, in one transaction.

    A validation that could not judge every expectation stores its failures (this run's outcome
    reads them) without marking its loads judged: the next run judges them again.
    """
    if not loads and not failures:
        return
    table = pa.Table.from_pylist(
        [dict(zip(_FAILURE_SCHEMA.names, failure, strict=True)) for failure in failures],
        schema=_FAILURE_SCHEMA,
    )
    con.register("_new_row_failures", table)
    con.register("_new_loads", pa.table({"load_id": pa.array(list(loads), pa.string())}))
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute(
            f"""
            INSERT INTO {QUALITY_SCHEMA}.validated_loads (suite, digest, load_id, rows_validated, judged_at)
            SELECT ?, ?, l.load_id, count(f._load_id), ?
            FROM _new_loads AS l LEFT JOIN {frame_table} AS f ON f._load_id = l.load_id
            GROUP BY l.load_id
            """,
            [suite, digest, datetime.now(UTC)],
        )
        con.execute(
            f"""
            INSERT INTO {QUALITY_SCHEMA}.row_failures
            SELECT ?, ?, position, load_id, source_file, source_row_number FROM _new_row_failures
            """,
            [suite, digest],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_new_row_failures")
        con.unregister("_new_loads")


def current_failures(
    con: duckdb.DuckDBPyConnection,
    frame_table: str,
    suite: str,
    digest: str,
    position: int,
    columns: Sequence[str],
    period_column: str | None,
    examples: int,
) -> tuple[int, list[dict[str, Any]], list[str | None]]:
    """For one expectation: how many current rows failed, the first ``examples`` of them in file order
    (``columns`` of each), and the periods they fall in (text ``YYYY-MM-DD``, None for no period)."""
    joined = f"""
        FROM {frame_table} AS frame
        JOIN {QUALITY_SCHEMA}.row_failures AS failure
            ON failure.suite = ? AND failure.digest = ? AND failure.position = ?
            AND failure.load_id = frame._load_id
            AND failure.source_file = frame._source_file
            AND failure.source_row_number = frame._source_row_number
    """
    params = [suite, digest, position]
    count = con.execute(f"SELECT count(*) {joined}", params).fetchall()[0][0]
    if not count:
        return 0, [], []
    select = ", ".join(f"frame.{identifier(column)}" for column in columns)
    cursor = con.execute(
        f"SELECT {select} {joined} "
        f"ORDER BY frame._source_file, frame._source_row_number LIMIT {int(examples)}",
        params,
    )
    names = [description[0] for description in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    periods: list[str | None] = []
    if period_column:
        periods = [
            period
            for (period,) in con.execute(
                f"SELECT DISTINCT strftime(frame.{identifier(period_column)}, '%Y-%m-%d') " + joined,
                params,
            ).fetchall()
        ]
    return int(count), rows, periods
