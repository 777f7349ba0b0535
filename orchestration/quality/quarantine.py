"""Reading ``raw._quarantine``: the rows ingestion kept aside, with their rule, file and load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from orchestration.ingestion.ledger import RAW_SCHEMA
from orchestration.settings import Settings
from orchestration.warehouse import connect, table_exists


@dataclass(frozen=True)
class QuarantinedRow:
    """One quarantined source row. ``superseded`` is true once a newer version of its file was loaded."""

    load_id: str
    system: str
    table: str
    source_file: str
    source_row_number: int
    rule: str
    column_name: str | None
    detail: str
    raw_record: str
    quarantined_at: datetime
    superseded: bool


def list_quarantine(
    settings: Settings, system: str | None = None, table: str | None = None, limit: int = 50
) -> list[QuarantinedRow]:
    """The newest quarantined rows (of ``system`` / ``table`` when given), at most ``limit``.

    Raises ``FileNotFoundError`` saying what to run when the warehouse does not exist yet.
    """
    path = settings.warehouse_path
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path} yet — run `scorecard run` first")
    con = connect(path, read_only=True)
    try:
        if not table_exists(con, RAW_SCHEMA, "_quarantine"):
            return []
        rows = con.execute(
            f"""
            WITH latest AS (
                SELECT system, "table", source_file, max(loaded_at) AS loaded_at
                FROM {RAW_SCHEMA}._ingested_files
                GROUP BY ALL
            )
            SELECT
                q.load_id, q.system, q."table", q.source_file, q.source_row_number, q.rule, q.column_name,
                q.detail, q.raw_record, q.quarantined_at,
                coalesce(l.loaded_at > q.quarantined_at, false) AS superseded
            FROM {RAW_SCHEMA}._quarantine AS q
            LEFT JOIN latest AS l USING (system, "table", source_file)
            WHERE (CAST(? AS VARCHAR) IS NULL OR q.system = ?)
              AND (CAST(? AS VARCHAR) IS NULL OR q."table" = ?)
            ORDER BY q.quarantined_at DESC, q.source_file, q.source_row_number
            LIMIT ?
            """,
            [system, system, table, table, max(0, int(limit))],
        ).fetchall()
    finally:
        con.close()
    return [QuarantinedRow(*row) for row in rows]
