"""Jobs, partitions, schedules and sensors.

**Partitions.** The period-based assets (the dbt project and the published file) are partitioned by
calendar month; fiscal quarters and years are derived from months in dbt. The partitions run from the
scorecard's first month to the last closed month (the month before today, UTC):

- the first month is ``SCORECARD_FIRST_MONTH`` (``YYYY-MM``) when set; otherwise the 36 months ending
  with the last closed month, which is exactly the history ``scorecard demo`` writes by default. A
  company with a longer history (``scorecard demo --months 72``) sets the variable. It is the same
  month dbt gets as ``scorecard_first_month``, so the partitions and the scorecard agree.
- ``SCORECARD_LAST_MONTH`` pins the last month instead of following the calendar: for replaying a
  history that ends in the past (``scorecard demo --end-month``) and for tests that must not depend
  on today's date.

**Ingestion is not partitioned.** Exports are not laid out by month (price lists, employee files and
databases are re-exported whole, invoices arrive late), and the loader is idempotent by content hash,
so every run loads whatever is new in the landing zone; the partition only says which months dbt
recomputes (see ``orchestration.transform.window.dbt_window``).

**Schedule.** On the 3rd of every month at 06:00 UTC, the just-closed month is refreshed together with
the restatement window of the ``restatement_window_months`` previous months (dbt var), so late data for
recent months is picked up and recorded as restatements.

**Sensor.** ``landing_zone_sensor`` fingerprints the export files the registry points at (path, size,
modification time) and requests a refresh of the last closed month when the set changes.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.config.periods import add_months, parse_month
from orchestration.history import (
    HISTORY_START_ENV,
    PARTITION_FORMAT,
    history_end_month,
    history_start_month,
)
from orchestration.ingestion.landing import without_held
from orchestration.ingestion.registry import SourceRegistry
from orchestration.publish.wap import RunWindow

MAIN_JOB_NAME = "scorecard_job"
SCHEDULE_NAME = "monthly_scorecard_refresh"
SENSOR_NAME = "landing_zone_sensor"


# Every asset writes the same DuckDB file, which takes one writer at a time: run steps in one process.
scorecard_job = dg.define_asset_job(
    name=MAIN_JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description=(
        "Validate config, ingest every source, build and test every dbt model for the month (or range) "
        "and its restatement window, then write, audit and publish bsc_published.duckdb."
    ),
)

scorecard_schedule = dg.build_schedule_from_partitioned_job(
    scorecard_job,
    name=SCHEDULE_NAME,
    description=(
        "After month end: refresh the just-closed month plus the restatement window of previous months."
    ),
    day_of_month=3,
    hour_of_day=6,
    minute_of_hour=0,
)


def monthly_partitions(today: date | None = None) -> dg.MonthlyPartitionsDefinition:
    """Monthly partitions keyed ``YYYY-MM``, from the history start to the last closed (or pinned) month."""
    start, end = history_start_month(today), history_end_month(today)
    if start > end:
        raise ValueError(
            f"${HISTORY_START_ENV} is {start:%Y-%m}, after the scorecard's last month {end:%Y-%m}; "
            "set it to an earlier month."
        )
    return dg.MonthlyPartitionsDefinition(
        start_date=start.strftime(PARTITION_FORMAT),
        end_date=add_months(end, 1).strftime(PARTITION_FORMAT),
        fmt=PARTITION_FORMAT,
        timezone="UTC",
    )


def landing_fingerprint(
    registry: SourceRegistry, landing_dir: Path, last_month: date | None = None
) -> tuple[str, int]:
    """A digest of every export file the registry reads (path, size, mtime) and how many there are.

    Stat only, never read: the sensor runs every minute, and ingestion checks content hashes anyway,
    so a file touched without changing is loaded as a no-op. Files held for a month after
    ``last_month`` are left out: a month-to-date export growing daily is no reason for a run.
    """
    entries = []
    for _system, _table, spec in registry.iter_tables():
        if spec.format == "postgres":
            continue
        paths = (
            [spec.database_path(landing_dir)]
            if spec.format == "sqlite"
            else without_held(spec.resolve_files(landing_dir), last_month)
        )
        for path in paths:
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    digest = hashlib.sha256("\n".join(sorted(set(entries))).encode()).hexdigest()
    return digest, len(set(entries))


def build_landing_sensor(
    registry: SourceRegistry, landing_dir: Path, partitions: dg.PartitionsDefinition
) -> dg.SensorDefinition:
    """A sensor that requests a refresh of the last month (and its window) when the landing zone changes."""

    @dg.sensor(
        name=SENSOR_NAME,
        job=scorecard_job,
        minimum_interval_seconds=60,
        description=(
            "Watches the export files of scorecard_config/sources.yml in the landing zone; when files "
            "appear, change or disappear, refreshes the last closed month and its restatement window."
        ),
    )
    def landing_zone_sensor(context: dg.SensorEvaluationContext):
        last_key = partitions.get_last_partition_key()
        last_month = parse_month(last_key, "the last partition") if last_key else None
        digest, files = landing_fingerprint(registry, landing_dir, last_month)
        if digest == context.cursor:
            return dg.SkipReason(f"No change among the {files} export files in {landing_dir}.")
        context.update_cursor(digest)
        if files == 0:
            return dg.SkipReason(f"No export files in {landing_dir} yet.")
        return dg.RunRequest(
            run_key=f"landing-{digest[:16]}",
            partition_key=partitions.get_last_partition_key(),
            tags={"scorecard/trigger": "landing_zone_sensor", "scorecard/landing_files": str(files)},
        )

    return landing_zone_sensor


def recomputed_partition_keys(window: RunWindow, partitions_def: dg.PartitionsDefinition) -> list[str]:
    """The month partitions a build over ``window`` recomputed, oldest first.

    dbt replaces every period ending on or after ``last_month - restatement_window_months``: the
    month a run asks for and the restatement window before it, or the whole history for a full
    refresh or a first build. Dagster records a run's materialisations only for the partitions it was
    asked for, so the others are recorded with ``recomputed_materializations``.
    """
    if window.last_month is None or window.restatement_window_months is None:
        return []
    month = add_months(window.last_month, -window.restatement_window_months)
    if window.first_month is not None:
        month = max(month, window.first_month)
    existing = set(partitions_def.get_partition_keys())
    keys = []
    while month <= window.last_month:
        if (key := month.strftime(PARTITION_FORMAT)) in existing:
            keys.append(key)
        month = add_months(month, 1)
    return keys


def recomputed_materializations(
    asset_key: dg.AssetKey, window_keys: list[str], requested: set[str]
) -> list[dg.AssetMaterialization]:
    """A materialisation of ``asset_key`` per month of ``window_keys`` the run was not asked for.

    ``window_keys`` are ``recomputed_partition_keys``; Dagster records the ``requested`` ones itself.
    Without these the UI shows months a build wrote (a first build writes them all) as missing. They
    carry only the window that recomputed them; the run's own partitions carry the asset's metadata.
    """
    if not window_keys:
        return []
    window = dg.MetadataValue.text(f"{window_keys[0]}..{window_keys[-1]}")
    return [
        dg.AssetMaterialization(
            asset_key=asset_key, partition=key, metadata={"scorecard/recomputed_in_window": window}
        )
        for key in window_keys
        if key not in requested
    ]
