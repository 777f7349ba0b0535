"""``quality.source_flags``: the periods of a source table that failed a check, for the marts to read.

The marts mark a measure ``untrusted`` for a period when one of its data sources has a flag for that
period, or one with ``period_start`` NULL (every period). Each check owns its rows: a run replaces
the check's previous flags with its current failures, so fixing the data clears them.

``message`` is the failed expectation in plain words, its ``meta.description`` from the suite file
(e.g. "No row of a delivery is quarantined."), not the check's name: the marts show it to readers of
the scorecard as "<system.table> failed the check '<message>' for <month>". What failed where, and
what to do, is in the quality report and the check's result (``failure_message``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb

from orchestration.ingestion.ledger import QUALITY_SCHEMA, ensure_bookkeeping_tables
from orchestration.quality.validate import ExpectationOutcome, SuiteOutcome

FLAGS_TABLE = f"{QUALITY_SCHEMA}.source_flags"


def flag_message(expectation: ExpectationOutcome) -> str:
    """The check that failed, in plain words: the expectation's description (its type if it has none)."""
    return " ".join(expectation.description.split()) or expectation.type


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
            flag_message(expectation),
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
