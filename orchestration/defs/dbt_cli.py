"""How the dbt step drives its ``dbt build``: the log stream read without back-pressure, the parse kept.

Two costs of running dbt under Dagster that have nothing to do with the models:

- **Back-pressure.** dagster-dbt reads dbt's JSON log lines from a pipe in the step's thread and turns
  each finished node into Dagster events, which the event log stores one by one. While it does, the
  pipe (64 KiB) fills and dbt's threads wait to write their next log line: the SQL waits for the
  bookkeeping. ``read_log_ahead`` moves the reading into a thread of its own that drains the pipe
  as fast as dbt writes, so dbt runs at its own speed while the events are recorded behind it.
- **Re-parsing.** dagster-dbt gives each invocation a target directory of its own and seeds it with
  the project's ``target/partial_parse.msgpack``. The build's parse result stays in that directory,
  so the next run would start again from whatever parse is in ``target/``. ``keep_partial_parse``
  copies the build's result back, so the next run parses only the files that changed (what changes
  every run reaches dbt through ``process_environment``, never as ``--vars``).
- **Two steps before dbt starts.** Before every invocation dagster-dbt runs ``dbt --version`` in a
  process of its own (to tell dbt Core from the Fusion engine) and builds a dbt Core adapter in the
  step's process (only ``fetch_row_counts``/``fetch_column_metadata`` use it, which this project does
  not call): ~2.8 s of a ~45 s one-month refresh, measured with py-spy. ``ScorecardDbtCliResource``
  skips both.
"""

from __future__ import annotations

import importlib.metadata
import os
import queue
import shutil
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import IO, Any

from dagster_dbt import DbtCliResource
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from packaging import version

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
# Target directories of past builds kept under <project>/target (dagster-dbt makes one per build).
KEPT_BUILDS = 5


class ScorecardDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt resource without the two steps it takes before each invocation that we never need.

    - The dbt it runs is dbt Core from this environment (``dbt_executable``), so its version is the
      installed ``dbt-core`` distribution's, read from package metadata instead of a ``dbt --version``
      process.
    - No in-process adapter: dagster-dbt builds one only for ``fetch_row_counts`` and
      ``fetch_column_metadata``, which the scorecard assets do not call. An asset that starts calling
      them must use ``DbtCliResource`` itself.

    Both override private members of ``DbtCliResource``; ``tests/dbt/test_invocation.py`` fails when
    an upgrade of dagster-dbt renames them, so the cost cannot come back unnoticed.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    # Overrides DbtCliResource's hook, which dagster-dbt calls with the parsed args; none needed here.
    def _initialize_dbt_core_adapter(self, args: Any) -> None:  # noqa: ARG002
        return None


class _PipeReadAhead:
    """A process's stdout pipe, read to its end by a background thread and iterated line by line.

    It stands in for ``Popen.stdout`` where dagster-dbt reads it: a context manager, iterable, with
    ``closed``. Lines wait in memory (dbt's log of a whole build is a few MiB) instead of in the pipe.
    """

    def __init__(self, pipe: IO[bytes]) -> None:
        self._pipe = pipe
        self._lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._consumed = False
        self._reader = threading.Thread(target=self._drain, name="dbt-log-read-ahead", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        try:
            for line in self._pipe:
                self._lines.put(line)
        finally:
            self._pipe.close()
            self._lines.put(None)

    @property
    def closed(self) -> bool:
        """True once every line has been handed out: dagster-dbt reads stdout again after the end."""
        return self._consumed

    def __iter__(self) -> Iterator[bytes]:
        if self._consumed:
            return
        while (line := self._lines.get()) is not None:
            yield line
        self._consumed = True

    def __enter__(self) -> _PipeReadAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        # The reader thread closes the pipe when dbt closes its end; nothing to release here.
        return None

    def close(self) -> None:
        return None


def read_log_ahead(invocation: DbtCliInvocation) -> DbtCliInvocation:
    """Let dbt write its log without waiting for Dagster to consume it (see the module docstring)."""
    stdout = invocation.process.stdout
    if stdout is not None and not isinstance(stdout, _PipeReadAhead):
        invocation.process.stdout = _PipeReadAhead(stdout)  # type: ignore[assignment]
    return invocation


@contextmanager
def process_environment(values: Mapping[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for the block, then put back what was there.

    For the start of one dbt process: nothing of one build lingers in the environment of the next
    (a test process runs many builds and hand-run dbt commands).
    """
    saved = {name: os.environ.get(name) for name in values}
    try:
        _set_environment(values)
        yield
    finally:
        _set_environment(saved)


def _set_environment(values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def keep_partial_parse(
    invocation: DbtCliInvocation, project_dir: Path, keep_builds: int = KEPT_BUILDS
) -> None:
    """Copy the build's partial-parse state to ``<project>/target`` for the next invocation to start from,
    and remove the target directories of all but the ``keep_builds`` newest builds.

    Written under a temporary name and renamed, so a concurrent reader never sees half a file. Each
    build's directory holds its compiled SQL, run results and logs (several MiB): the newest are kept
    to look into, the rest would pile up with every scheduled run.
    """
    built_dir = Path(invocation.target_path)
    target = Path(project_dir) / "target"
    built = built_dir / PARTIAL_PARSE_FILE
    if built.exists():
        target.mkdir(parents=True, exist_ok=True)
        temporary = target / f".{PARTIAL_PARSE_FILE}.{os.getpid()}.tmp"
        shutil.copyfile(built, temporary)
        os.replace(temporary, target / PARTIAL_PARSE_FILE)
    if built_dir.parent == target:
        builds = sorted(
            (path for path in target.iterdir() if path.is_dir() and (path / "run_results.json").exists()),
            key=lambda path: path.stat().st_mtime,
        )
        for old in builds[:-keep_builds]:
            if old != built_dir:
                shutil.rmtree(old, ignore_errors=True)
