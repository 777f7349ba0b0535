"""A stand-in BI client, run as its own process by the tests: it reads the published file during a refresh.

    python reader_process.py <published file> <hold|reconnect> <observations.jsonl> <ready file> <stop file>

``hold`` opens one read-only connection and keeps it for the whole refresh, as a BI tool with an open
dashboard does; ``reconnect`` opens a fresh read-only connection for every read, as a scheduled query
does. Each read records which publication the reader saw, the row counts that publication recorded,
and the row counts the reader actually counted, all within one connection. The reader stops when the
stop file appears, after one last read.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def observe(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """One consistent read: the newest publication's recorded counts and the counted rows."""
    con.execute("BEGIN TRANSACTION")
    try:
        run_id, recorded = con.execute(
            "SELECT run_id, table_rows FROM scorecard.publications ORDER BY published_at DESC LIMIT 1"
        ).fetchall()[0]
        names = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'scorecard' AND table_name <> 'publications'"
            ).fetchall()
        ]
        counts = {
            name: con.execute(f'SELECT count(*) FROM scorecard."{name}"').fetchall()[0][0] for name in names
        }
    finally:
        con.execute("COMMIT")
    return {"run_id": run_id, "recorded": json.loads(recorded), "counted": counts, "at": time.time()}


def main(published: Path, mode: str, out: Path, ready: Path, stop: Path) -> None:
    held = duckdb.connect(str(published), read_only=True) if mode == "hold" else None
    with out.open("w") as sink:
        first = True
        while True:
            stopping = stop.exists()
            if held is not None:
                observation = observe(held)
            else:
                con = duckdb.connect(str(published), read_only=True)
                try:
                    observation = observe(con)
                finally:
                    con.close()
            sink.write(json.dumps(observation) + "\n")
            sink.flush()
            if first:
                ready.write_text("ready")
                first = False
            if stopping:
                break
            time.sleep(0.05)
    if held is not None:
        held.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), Path(sys.argv[5]))
