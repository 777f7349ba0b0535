"""What the ``scorecard`` command line says when a command fails with an exception nobody caught.

A user's mistake (a file it cannot read, a warehouse another process holds, a YAML file that does not
parse) becomes one message naming the file and what to do, with an exit code; anything else is a bug
of ours: one line says so, and the traceback goes to a file the message names instead of the terminal.
``scorecard --debug <command>`` (or ``SCORECARD_DEBUG=1``) lets every exception through with its
traceback. The commands themselves still catch the errors they expect (a config error, a locked run)
and say more precisely what went wrong; this is the net under them.
"""

from __future__ import annotations

import os
import re
import tempfile
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.issues import IssuesError

DEBUG_ENV = "SCORECARD_DEBUG"
# sysexits: EX_USAGE-like problems are 2 here (as click's), a resource in use EX_TEMPFAIL, a bug 1.
USER_ERROR_EXIT = 2
IN_USE_EXIT = 75
BUG_EXIT = 1
INTERRUPTED_EXIT = 130

_DUCKDB_LOCK = re.compile(
    r'Could not set lock on file "(?P<path>[^"]+)": '
    r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)"
)


@dataclass(frozen=True)
class Explained:
    """The message for the terminal and the process's exit code."""

    message: str
    exit_code: int


def debug_enabled() -> bool:
    return os.environ.get(DEBUG_ENV, "").strip().lower() not in ("", "0", "false", "no")


def explain(error: BaseException, *, log_dir: Path | None = None) -> Explained:
    """The message and exit code for ``error``; a bug's traceback is written under ``log_dir`` first."""
    if isinstance(error, KeyboardInterrupt):
        return Explained("interrupted.", INTERRUPTED_EXIT)
    if isinstance(error, IssuesError):
        # sources.yml, a suite or the config: every Issue already names its file, line, entry and fix.
        return Explained(str(error), USER_ERROR_EXIT)
    lock = _DUCKDB_LOCK.search(str(error))
    if lock:
        return Explained(
            f"{lock['path']} is open for writing in another process ({lock['program']}, PID "
            f"{lock['pid']}): a notebook, a BI tool or `scorecard dev` holding the warehouse. Close it or "
            "let it finish, then run the command again.",
            IN_USE_EXIT,
        )
    if isinstance(error, OSError) and error.filename:
        what = {
            FileNotFoundError: "does not exist",
            PermissionError: "cannot be read or written by this user",
            IsADirectoryError: "is a directory where a file is expected",
            NotADirectoryError: "is a file where a directory is expected",
        }.get(type(error), error.strerror or "cannot be used")
        return Explained(
            f"{error.filename} {what} ({error.strerror or type(error).__name__}). Check the path "
            "(settings come from SCORECARD_* variables and --company) and its permissions.",
            USER_ERROR_EXIT,
        )
    mark = getattr(error, "problem_mark", None)
    if mark is not None and getattr(mark, "name", None):
        problem = getattr(error, "problem", None) or str(error)
        return Explained(
            f"{mark.name}, line {mark.line + 1}, column {mark.column + 1}: {problem}. Fix the YAML "
            "there (indentation, a missing colon or quote) and run again.",
            USER_ERROR_EXIT,
        )
    where = write_traceback(error, log_dir)
    return Explained(
        f"{type(error).__name__}: {error}\nThis is a bug in the scorecard, not a problem with your "
        f"files. The traceback is in {where}; `scorecard --debug …` prints it. Please report it with "
        "that file.",
        BUG_EXIT,
    )


def write_traceback(error: BaseException, log_dir: Path | None) -> Path:
    """Write ``error``'s traceback to ``<log_dir>/scorecard-error-<UTC time>.log`` (else the temp dir)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    text = "".join(traceback.format_exception(error))
    for directory in (log_dir, Path(tempfile.gettempdir())):
        if directory is None:
            continue
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / f"scorecard-error-{stamp}.log"
            path.write_text(text, encoding="utf-8")
            return path
        except OSError:
            continue
    raise error
