"""Loading-speed benchmark (not collected by pytest): ``python -m tests.ingestion.bench_ingestion [rows]``.

Writes a support.tickets CSV of ``rows`` rows (default 5,000,000) with DuckDB into a temp landing
zone, ingests it with the shipped registry into a fresh warehouse file, checks that every row was
loaded in file order, and prints rows/s and the process's peak RSS.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from orchestration.ingestion import ingest_table, load_registry, new_load_id
from orchestration.settings import get_settings
from orchestration.warehouse import connect


def write_tickets(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"""
            COPY (
                SELECT 'TCK-' || lpad(i::VARCHAR, 10, '0') AS ticket_id, 'ACC-' || (i % 50000) AS account_id,
                       'AG-' || (i % 300) AS agent_id, ['email', 'chat', 'phone'][1 + i % 3] AS channel,
                       ['low', 'normal', 'high', 'urgent'][1 + i % 4] AS priority,
                       TIMESTAMP '2022-01-01' + INTERVAL (i) SECOND AS opened_at,
                       TIMESTAMP '2022-01-01' + INTERVAL (i + 600) SECOND AS first_response_at,
                       CASE WHEN i % 10 <> 0 THEN TIMESTAMP '2022-01-01' + INTERVAL (i + 7200) SECOND END
                           AS resolved_at,
                       1 + i % 5 AS contacts_to_resolution, i % 13 = 0 AS reopened
                FROM range({int(rows)}) AS t(i)
            ) TO '{path}' (HEADER)
            """
        )


def main(rows: int) -> None:
    registry = load_registry(get_settings().sources_path)
    with tempfile.TemporaryDirectory() as scratch:
        landing = Path(scratch) / "landing"
        csv_path = landing / "support" / "tickets" / "big.csv"
        write_tickets(csv_path, rows)
        size_mb = csv_path.stat().st_size / 1e6
        con = connect(Path(scratch) / "warehouse" / "warehouse.duckdb")
        started = time.perf_counter()
        result = ingest_table(con, registry, "support", "tickets", landing, new_load_id())
        elapsed = time.perf_counter() - started
        in_order = con.execute(
            "SELECT count(*) FROM raw.support__tickets "
            "WHERE CAST(substr(ticket_id, 5) AS BIGINT) + 1 <> _source_row_number"
        ).fetchall()[0][0]
        con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert result.rows_loaded == rows and result.rows_quarantined == 0, result
    assert in_order == 0, f"{in_order} rows have a source row number that differs from their file position"
    print(
        f"{rows:,} rows ({size_mb:,.0f} MB CSV) loaded in {elapsed:.1f} s: {rows / elapsed:,.0f} rows/s, "
        f"peak RSS {peak_mb:,.0f} MB, row numbers match file order"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000)
