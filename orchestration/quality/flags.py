"""``quality.source_flags``: the periods of a source table that failed a check, for the marts to read.

The marts mark a measure ``untrusted`` for a period when one of its data sources has a flag for that
period, or one with ``period_start`` NULL (every period). Each check owns its rows: a run replaces
the check's previous flags with its current failures, so fixing the data clears them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

from orchestration.ingestion.loader import QUALITY_SCHEMA, ensure_bookkeeping_tables
from orchestration.quality.validate import SuiteOutcome, failure_message

FLAGS_TABLE = f"{QUALITY_SCHEMA}.source_flags"


def replace_flags(con: duckdb.DuckDBPyConnection, outcome: SuiteOutcome) -> int:
    """Replace the flags ``outcome``'s check wrote before with one row per failed expectation and period.

    Only raw-table suites flag sources; returns the number of flags written.
    """
    if outcome.source_table is None:
        return 0
    flagged_at = datetime.now(UTC).replace(tzinfo=None)
    rows = [
        (
            outcome.source_table,
            date.fromisoformat(period) if period else None,
            outcome.check_name,
            expectation.severity,
            failure_message(outcome, expectation),
            flagged_at,
        )
        for expectation in outcome.failures
        for period in (expectation.failing_periods or [None])
    ]
    ensure_bookkeeping_tables(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            f"DELETE FROM {FLAGS_TABLE} WHERE source_table = ? AND check_name = ?",
            [outcome.source_table, outcome.check_name],
        )
        if rows:
            con.executemany(f"INSERT INTO {FLAGS_TABLE} VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)
