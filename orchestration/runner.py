"""Runs the main Dagster job in this process, shows its progress, and summarises what it did.

The CLI and the tests use this one route, so ``scorecard run`` and the scheduled runs in the UI
execute the same job definition. What a run covers is chosen like a partition in the UI:

- one month (``period='2025-05'``): that month and the restatement window of months before it;
- a backfill (``period='2024-06', through='2024-12'``): those months in one run, as the UI's
  single-run backfill does;
- everything (``all_history=True``): every partition as one run, incremental models rebuilt;
- neither: the last closed month, which is what the monthly schedule runs.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from rich.console import Console
from rich.table import Table

from orchestration.config.periods import parse_month
from orchestration.defs.ingestion import left_alone_lines
from orchestration.defs.schedules import MAIN_JOB_NAME
from orchestration.freshness import Unchanged, unchanged_since_publication
from orchestration.history import HISTORY_END_ENV, HISTORY_START_ENV, PARTITION_FORMAT
from orchestration.run_lock import run_lock
from orchestration.settings import Settings

DBT_OP_NAME = "scorecard_dbt_models"
PUBLISH_STEP = "published__scorecard"
# Files held or ignored, listed per source table after the ingestion summary; the rest are counted.
_LISTED_PER_TABLE = 10


class RunScopeError(ValueError):
    """The months asked for are not partitions of the job; the message says which months exist."""


@dataclass(frozen=True)
class RunRequest:
    """The months a ``scorecard run`` asks for, as its options give them (``resolve_scope`` checks them).

    ``period`` alone is one month (none: the last closed month); with ``through``, a backfill of that
    range in one run; with ``restate``, every month from ``period`` to the last, for a correction older
    than the restatement window. ``all_history`` is every month, rebuilt from scratch.
    """

    period: str | None = None
    through: str | None = None
    all_history: bool = False
    restate: bool = False


@dataclass(frozen=True)
class RunScope:
    """Which partitions a run covers and whether incremental models are rebuilt."""

    first_key: str
    last_key: str
    full_refresh: bool = False

    @property
    def label(self) -> str:
        if self.full_refresh:
            return f"all history {self.first_key}…{self.last_key} (full refresh)"
        if self.first_key == self.last_key:
            return f"{self.last_key} and its restatement window"
        return f"{self.first_key}…{self.last_key} and the restatement window before it"


@dataclass(frozen=True)
class RunOutcome:
    """What a run did: success, the failure in plain words, and per-asset materialisation metadata.

    ``unchanged`` is set, and nothing ran, when the last publication already holds what the run would
    publish (``orchestration.freshness``); ``run_id`` is then that publication's run.
    """

    success: bool
    run_id: str
    failure_message: str = ""
    materialized: dict[str, dict[str, object]] = field(default_factory=dict)
    scope: RunScope | None = None
    published: bool = False
    unchanged: Unchanged | None = None


def _metadata_value(value: dg.MetadataValue) -> object:
    return getattr(value, "value", value)


def resolve_scope(partitions: dg.PartitionsDefinition, request: RunRequest | None = None) -> RunScope:
    """The partitions a ``scorecard run`` of ``request`` covers (default: the last closed month).

    ``RunScopeError`` for a month outside them or options that contradict each other.
    """
    request = request or RunRequest()
    period = request.period
    keys = partitions.get_partition_keys()
    if not keys:
        raise RunScopeError(
            "The job has no monthly partitions yet: no month has closed since the first month."
        )
    if request.all_history and (period or request.through):
        raise RunScopeError("Choose either --period YYYY-MM [--through YYYY-MM] or --all, not both.")
    if request.through and not period:
        raise RunScopeError("--through needs --period: the range runs from --period to --through.")
    if request.restate and (request.through or request.all_history or not period):
        raise RunScopeError(
            "--restate needs --period (the oldest month to restate) and no --through or --all: it recomputes "
            "every month from --period to the last, e.g. `scorecard run --period 2024-09 --restate`."
        )
    if request.all_history:
        return RunScope(keys[0], keys[-1], full_refresh=True)
    if period is None:
        return RunScope(keys[-1], keys[-1])
    first = _partition_key(keys, period, "--period")
    if request.restate:
        last = keys[-1]
    else:
        last = _partition_key(keys, request.through, "--through") if request.through else first
    if last < first:
        raise RunScopeError(f"--through {last} is before --period {first}; give the earlier month first.")
    return RunScope(first, last)


def _partition_key(keys: list[str], month: str, option: str) -> str:
    try:
        key = parse_month(month, option).strftime(PARTITION_FORMAT)
    except ValueError as error:
        raise RunScopeError(str(error)) from error
    if key not in keys:
        raise RunScopeError(
            f"{option} {key} is outside the scorecard's months {keys[0]}…{keys[-1]}. The first month is "
            f"${HISTORY_START_ENV} (default: 36 months back), the last is ${HISTORY_END_ENV} (default: "
            "the last closed month). Pick a month in that range or set the variables."
        )
    return key


def run_main_job(
    settings: Settings,
    request: RunRequest | None = None,
    *,
    console: Console | None = None,
    instance: dg.DagsterInstance | None = None,
    force: bool = False,
) -> RunOutcome:
    """Execute ``scorecard_job`` in process for the months of ``request`` (default: the last month).

    Progress is printed to ``console`` as steps finish; the returned outcome says whether the run
    succeeded and, if not, what failed in plain words. When nothing changed since the last
    publication (no new export, config, code or month; ``orchestration.freshness``) the job does not
    run at all and the outcome says so, unless ``force`` or ``all_history``. ``RunScopeError`` when
    ``period`` is not a month of the scorecard; ``RunLockedError`` at once when another run is
    writing the same warehouse or dbt project (see ``orchestration.run_lock``).
    """
    with run_lock(settings.warehouse_dir, settings.dbt_project_dir):
        _check_landing_dir(settings)
        request = request or RunRequest()
        if not (force or request.all_history):
            unchanged = _unchanged(settings, request)
            if unchanged is not None:
                return RunOutcome(True, unchanged.run_id, unchanged=unchanged)
        return _run_locked(settings, request, console=console, instance=instance)


def _unchanged(settings: Settings, request: RunRequest) -> Unchanged | None:
    """The last publication when it already holds what this run would publish (before any Dagster load)."""
    from orchestration.defs.schedules import monthly_partitions
    from orchestration.history import history_end_month, history_start_month
    from orchestration.ingestion.registry import load_registry
    from orchestration.transform.window import default_restatement_window

    scope = resolve_scope(monthly_partitions(), request)
    return unchanged_since_publication(
        settings,
        load_registry(settings.sources_path),
        history_start=history_start_month(),
        history_end=history_end_month(),
        range_start=parse_month(scope.first_key, "partition"),
        range_end=parse_month(scope.last_key, "partition"),
        restatement_window=default_restatement_window(settings.dbt_project_dir, settings.engine_dbt_dir),
    )


def _run_locked(
    settings: Settings,
    request: RunRequest,
    *,
    console: Console | None,
    instance: dg.DagsterInstance | None,
) -> RunOutcome:
    from orchestration.defs.definitions import build_definitions

    console = console or Console(quiet=True)
    with console.status("Loading definitions (validating config, parsing dbt)…"):
        defs = build_definitions(settings)
    job = defs.resolve_job_def(MAIN_JOB_NAME)
    scope = resolve_scope(job.partitions_def, request)
    instance = instance or dg.DagsterInstance.get()
    run_id = str(uuid.uuid4())
    progress = _Progress(console)
    instance.add_event_listener(run_id, progress.handle)
    console.print(f"Refreshing {scope.label}.")
    # Warnings and errors reach the terminal through the progress listener, in plain words; Dagster's
    # own console logger would repeat them with stack traces.
    run_config: dict[str, Any] = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    if scope.full_refresh:
        run_config["ops"] = {DBT_OP_NAME: {"config": {"full_refresh": True}}}
    tags = {"scorecard/trigger": "cli"}
    partition_key = None
    if scope.first_key == scope.last_key:
        partition_key = scope.last_key
    else:
        tags |= {
            ASSET_PARTITION_RANGE_START_TAG: scope.first_key,
            ASSET_PARTITION_RANGE_END_TAG: scope.last_key,
        }
    log_path = settings.warehouse_dir / "logs" / f"run-{run_id}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with (
        progress,
        log_path.open("w", buffering=1) as log,
        _terminal_pinned(console),
        contextlib.redirect_stdout(log),
    ):
        # What steps print (dbt's own log lines, mostly) goes to the run's log file; Dagster's event
        # log keeps the structured events (visible in `scorecard dev`). The terminal gets a line per
        # finished step and the summary below.
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            partition_key=partition_key,
            tags=tags,
            run_id=run_id,
        )

    materialized = {
        event.asset_key.to_user_string(): {
            key: _metadata_value(value) for key, value in event.materialization.metadata.items()
        }
        for event in result.get_asset_materialization_events()
    }
    published = "published/scorecard" in materialized
    # Dagster calls a run whose publish step was skipped (an input it reads was never yielded) a
    # success; the main job exists to publish, so for it that is a failure.
    success = result.success and published
    failure = "" if success else _describe_failure(result, progress, published, log_path)
    outcome = RunOutcome(success, result.run_id, failure, materialized, scope, published)
    _print_ingestion_summary(console, outcome)
    return outcome


class LandingDirError(ValueError):
    """The landing zone the file sources read from does not exist; the message says where to put it."""


def _check_landing_dir(settings: Settings) -> None:
    """One clear error for a missing landing zone, instead of one failed asset per source table."""
    from orchestration.ingestion.registry import FILE_FORMATS, load_registry

    if settings.landing_dir.is_dir():
        return
    registry = load_registry(settings.sources_path)
    relative = [
        f"{system}.{table}"
        for system, table, spec in registry.iter_tables()
        if spec.format in FILE_FORMATS and not Path(spec.location).is_absolute()
    ]
    if relative:
        raise LandingDirError(
            f"The landing directory {settings.landing_dir} does not exist, and {len(relative)} source "
            f"table(s) read their exports from it ({', '.join(relative[:3])}"
            f"{', ...' if len(relative) > 3 else ''}). Put the exports there, point SCORECARD_LANDING_DIR "
            "at the folder that holds them, or run `scorecard demo` for the demo company's."
        )


@contextlib.contextmanager
def _terminal_pinned(console: Console) -> Iterator[None]:
    """Keep ``console`` writing to the terminal while the run's stdout goes to a log file.

    A console created without a file follows ``sys.stdout`` at each write; pinning it to the stream it
    resolves to now (the terminal, or a test's capture) keeps progress visible during the redirect.
    """
    saved = console.__dict__.get("_file")
    console.file = console.file
    try:
        yield
    finally:
        console.file = saved


def _describe_failure(
    result: dg.ExecuteInProcessResult, progress: _Progress, published: bool, log_path: Path
) -> str:
    """The failed steps and checks in plain words, and what that means for readers."""
    lines = []
    for event in result.all_events:
        if event.is_step_failure:
            text = _failure_text(event.step_failure_data)
            # A blocking check's own failure is listed below with its message; the step's
            # "DagsterAssetCheckFailedError" would only repeat it without the what-to-do.
            if not text.startswith("DagsterAssetCheckFailedError"):
                lines.append(f"{_step_title(event.step_key)} failed: {text}")
    lines += [f"check failed: {text}" for text in progress.failed_checks]
    if result.success and not published:
        lines.append(
            "the publish step did not run: an asset it reads was not materialised by the step that "
            "builds it (look for that asset in the log below)"
        )
    if not lines:
        lines.append("see the run in `scorecard dev`")
    if progress.skipped:
        lines.append("Not run, because something upstream failed: " + ", ".join(progress.skipped) + ".")
    if not published:
        lines.append("Nothing was published: bsc_published.duckdb still holds the last good scorecard.")
    lines.append(f"Full output of the run's steps (dbt included): {log_path}")
    return "\n".join(lines)


def _failure_text(failure: Any) -> str:
    """A step failure in the words of whoever raised it: a ``dg.Failure``'s description, else the cause."""
    user = getattr(failure, "user_failure_data", None)
    if user is not None and user.description:
        return user.description.strip()
    error = failure.error
    if error is None:
        return "unknown error"
    while error.cause is not None:
        error = error.cause
    # "dagster_dbt.errors.DagsterDbtCliRuntimeError: ..." → "DagsterDbtCliRuntimeError: ..."
    head, sep, rest = error.message.strip().partition(": ")
    return f"{head.rsplit('.', 1)[-1]}{sep}{rest}" if sep and " " not in head else error.message.strip()


def _step_title(step_key: str | None) -> str:
    if not step_key:
        return "the run"
    if step_key == DBT_OP_NAME:
        return "dbt build"
    if step_key == PUBLISH_STEP:
        return "publish"
    return step_key.replace("__", "/")


class _Progress:
    """Prints a line per finished step and keeps a live status line, from the run's event stream."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.failed_checks: list[str] = []
        self.skipped: list[str] = []
        self._status = console.status("Starting the run…")
        self._started: dict[str, float] = {}
        # Asset keys per step: a run over a range materialises each asset once per month.
        self._materialized: dict[str, set[str]] = {}
        self._checks: dict[str, int] = {}

    def __enter__(self) -> _Progress:
        self._status.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._status.stop()

    def handle(self, entry: Any) -> None:
        """Event listener registered on the instance for this run (called in the run's thread)."""
        event = getattr(entry, "dagster_event", None)
        if event is None:
            if entry.level >= logging.WARNING and entry.user_message:
                self.console.print(
                    f"  [yellow]![/yellow] {entry.user_message.splitlines()[0]}", highlight=False
                )
            return
        step = event.step_key or ""
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            self._started[step] = time.monotonic()
            self._status.update(f"{_step_title(step)}…")
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            self._materialized.setdefault(step, set()).add(event.asset_key.to_user_string())
            self._status.update(self._detail(step, event.asset_key.to_user_string()))
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.asset_check_evaluation_data
            self._checks[step] = self._checks.get(step, 0) + 1
            if not evaluation.passed:
                severity = getattr(evaluation.severity, "value", evaluation.severity)
                text = f"{evaluation.asset_key.to_user_string()} {evaluation.check_name} ({severity})"
                # The check's description names the file, row or column and says what to do.
                description = (getattr(evaluation, "description", None) or "").strip()
                self.failed_checks.append(f"{text}\n    {description}" if description else text)
                self.console.print(f"  [yellow]check failed[/yellow] {text}", highlight=False)
        elif kind == dg.DagsterEventType.STEP_SUCCESS:
            self.console.print(f"  [green]✓[/green] {self._summary(step)}", highlight=False)
        elif kind == dg.DagsterEventType.STEP_FAILURE:
            self.console.print(f"  [red]✗[/red] {self._summary(step)}", highlight=False)

    def _detail(self, step: str, asset: str) -> str:
        built = len(self._materialized.get(step, ()))
        return f"{_step_title(step)}: {built} asset(s) done, last {asset}"

    def _summary(self, step: str) -> str:
        seconds = time.monotonic() - self._started.get(step, time.monotonic())
        parts = []
        if self._materialized.get(step):
            parts.append(f"{len(self._materialized[step])} asset(s)")
        if self._checks.get(step):
            parts.append(f"{self._checks[step]} check(s)")
        counts = f" ({', '.join(parts)})" if parts else ""
        return f"{_step_title(step)}{counts} in {seconds:.1f} s"


def _print_ingestion_summary(console: Console, outcome: RunOutcome) -> None:
    table = Table(
        "source table", "files read", "rows read", "loaded", "quarantined", "withdrawn", title="Ingestion"
    )
    rows = {key: meta for key, meta in sorted(outcome.materialized.items()) if key.startswith("raw/")}
    notices = []
    for key, meta in rows.items():
        source = key.removeprefix("raw/").replace("/", ".")
        table.add_row(
            source,
            f"{meta.get('files_read', 0):,}",
            f"{meta.get('rows_read', 0):,}",
            f"{meta.get('rows_loaded', 0):,}",
            f"{meta.get('rows_quarantined', 0):,}",
            f"{meta.get('rows_withdrawn', 0):,}",
        )
        notices += [f"{source}: {notice}" for notice in meta.get("withdrawals") or []]
    if rows:
        console.print(table)
    for notice in notices:
        console.print(f"[yellow]![/yellow] {notice}", highlight=False, soft_wrap=True)
    for key, meta in rows.items():
        lines = left_alone_lines(meta, key.removeprefix("raw/").replace("/", "."))
        for line in lines[:_LISTED_PER_TABLE]:
            console.print(f"  {line}", highlight=False, markup=False, soft_wrap=True)
        if len(lines) > _LISTED_PER_TABLE:
            console.print(
                f"  … and {len(lines) - _LISTED_PER_TABLE} more file(s) of {key} left in the landing zone: "
                "the asset's files_held and files_ignored metadata in `scorecard dev` lists them all.",
                highlight=False,
            )
    models = sum(1 for key in outcome.materialized if not key.startswith("raw/"))
    console.print(
        f"{len(rows)} source tables ingested, {models} warehouse assets materialised (run {outcome.run_id})."
    )
    publish: Mapping[str, object] = outcome.materialized.get("published/scorecard", {})
    if publish:
        console.print(
            f"Published {publish.get('path')} ({publish.get('storage_version')}, "
            f"{publish.get('dagster/row_count', 0):,} rows) at {publish.get('published_at')}."
        )
