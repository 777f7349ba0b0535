"""Runs the main Dagster job in this process and summarises what it did.

The CLI and the tests use this one route, so ``scorecard run`` and the scheduled runs in the UI
execute the same job definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dagster as dg
from rich.console import Console
from rich.table import Table

from orchestration.schedules import MAIN_JOB_NAME
from orchestration.settings import Settings


@dataclass(frozen=True)
class RunOutcome:
    """What a run did: success, the first failure in words, and per-asset materialisation metadata."""

    success: bool
    run_id: str
    failure_message: str = ""
    materialized: dict[str, dict[str, object]] = field(default_factory=dict)


def _metadata_value(value: dg.MetadataValue) -> object:
    return getattr(value, "value", value)


def run_main_job(
    settings: Settings, *, console: Console | None = None, instance: dg.DagsterInstance | None = None
) -> RunOutcome:
    """Execute ``scorecard_job`` in process against ``settings`` and print a summary to ``console``."""
    from orchestration.definitions import build_definitions

    console = console or Console(quiet=True)
    with console.status("Loading definitions (validating config, parsing dbt)…"):
        defs = build_definitions(settings)
    job = defs.resolve_job_def(MAIN_JOB_NAME)
    instance = instance or dg.DagsterInstance.get()
    with console.status(f"Running {MAIN_JOB_NAME}: config → ingestion → dbt build…"):
        # Step logs stay in the run's event log (visible in `scorecard dev`); the terminal gets the
        # summary below and any warnings.
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}},
        )

    materialized = {
        event.asset_key.to_user_string(): {
            key: _metadata_value(value) for key, value in event.materialization.metadata.items()
        }
        for event in result.get_asset_materialization_events()
    }
    failure = ""
    if not result.success:
        failures = [event for event in result.all_events if event.is_step_failure]
        failure = (
            "\n".join(
                f"{event.step_key}: {event.step_failure_data.error.message.strip()}" for event in failures
            )
            or "see the run in `scorecard dev`"
        )
    outcome = RunOutcome(result.success, result.run_id, failure, materialized)
    _print_ingestion_summary(console, outcome)
    return outcome


def _print_ingestion_summary(console: Console, outcome: RunOutcome) -> None:
    table = Table("source table", "files read", "rows read", "loaded", "quarantined", title="Ingestion")
    rows = {key: meta for key, meta in sorted(outcome.materialized.items()) if key.startswith("raw/")}
    for key, meta in rows.items():
        table.add_row(
            key.removeprefix("raw/").replace("/", "."),
            f"{meta.get('files_read', 0):,}",
            f"{meta.get('rows_read', 0):,}",
            f"{meta.get('rows_loaded', 0):,}",
            f"{meta.get('rows_quarantined', 0):,}",
        )
    if rows:
        console.print(table)
    models = sum(1 for key in outcome.materialized if not key.startswith("raw/"))
    console.print(
        f"{len(rows)} source tables ingested, {models} warehouse assets materialised (run {outcome.run_id})."
    )
