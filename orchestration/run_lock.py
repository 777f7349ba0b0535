"""One ``scorecard run`` at a time per warehouse and per dbt project.

A run writes the warehouse and published files (``SCORECARD_WAREHOUSE_DIR``) and the company's dbt
project (its ``generated/`` config seeds and ``target/`` manifest). Two runs at once would interleave
those writes, so a run takes an exclusive lock on a file beside each before it starts, and a second
run refuses at once, naming the run that holds the lock and since when.

The locks are ``flock`` locks, which the operating system releases when the holding process ends,
however it ends: a run killed with SIGKILL or by a power cut leaves no stale lock to clear by hand.
The lock file only records who holds it (for the message); its presence means nothing.

Every run takes them, however it is launched: ``scorecard run`` before it starts the job, and a run
launched from the Dagster UI, a schedule or a sensor when its first step opens the warehouse
(``WarehouseResource`` with ``lock_dirs``; the job runs in one process, so the lock lasts the whole
run). Within one process the locks are re-entrant: the job that ``scorecard run`` executes in process
does not lock itself out.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import socket
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

LOCK_NAME = ".scorecard-run.lock"
# Lock files this process holds, with how many blocks hold each (re-entrancy within one process).
_HELD: dict[Path, int] = {}


class RunLockedError(RuntimeError):
    """Another run holds a lock this run needs; the message says which run and what to do."""


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        holder = json.loads(handle.read() or "{}")
    except json.JSONDecodeError:
        holder = {}
    if not holder:
        return "another process"
    return (
        f"`{holder.get('command', 'scorecard run')}` (pid {holder.get('pid', '?')} on "
        f"{holder.get('host', '?')}, started {holder.get('started_at', '?')} UTC)"
    )


@contextlib.contextmanager
def _locked(directory: Path, what: str) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    path = (directory / LOCK_NAME).resolve()
    if path in _HELD:
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    handle = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunLockedError(
                f"{_holder(handle)} is running on {what} ({path}). Only one run at a time may write "
                "it: wait for that run to finish (or stop it), then run again."
            ) from None
        handle.seek(0)
        handle.truncate()
        record = {
            "command": " ".join(["scorecard", *sys.argv[1:]]) if sys.argv[1:] else "scorecard run",
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        }
        handle.write(json.dumps(record))
        handle.flush()
        _HELD[path] = 1
        try:
            yield
        finally:
            del _HELD[path]
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


@contextlib.contextmanager
def run_lock(warehouse_dir: Path, dbt_project_dir: Path) -> Iterator[None]:
    """Hold the run locks of ``warehouse_dir`` and ``dbt_project_dir`` for the block.

    Raises ``RunLockedError`` at once (no waiting) when another run holds either.
    """
    with _locked(Path(warehouse_dir), "this warehouse"), _locked(Path(dbt_project_dir), "this dbt project"):
        yield
