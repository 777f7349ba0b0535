"""Partitions, the monthly schedule, the landing-zone sensor, and how a partition becomes dbt vars."""

from __future__ import annotations

import dataclasses
import os
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.definitions import build_definitions
from orchestration.defs.publish import PUBLISHED_KEY
from orchestration.defs.schedules import (
    MAIN_JOB_NAME,
    SCHEDULE_NAME,
    SENSOR_NAME,
    landing_fingerprint,
    monthly_partitions,
    recomputed_materializations,
    recomputed_partition_keys,
)
from orchestration.history import history_start_month
from orchestration.ingestion import load_registry
from orchestration.runner import RunRequest, RunScope, RunScopeError, resolve_scope
from orchestration.settings import get_settings
from orchestration.transform.window import dbt_build_env, dbt_window, default_restatement_window

FIRST, LAST = "2024-03", "2025-05"


@pytest.fixture
def pinned_months(isolated_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Partitions 2024-03 … 2025-05, whatever today's date is."""
    monkeypatch.setenv("SCORECARD_FIRST_MONTH", FIRST)
    monkeypatch.setenv("SCORECARD_LAST_MONTH", LAST)
    return isolated_dirs


def test_definitions_resolve_the_partitioned_job_schedule_and_sensor(pinned_months):
    defs = build_definitions(get_settings())
    job = defs.resolve_job_def(MAIN_JOB_NAME)
    keys = job.partitions_def.get_partition_keys()
    assert keys[0] == FIRST and keys[-1] == LAST and len(keys) == 15

    graph = defs.resolve_asset_graph()
    dbt_key = dg.AssetKey(["scorecard", "measure_values"])
    assert graph.get(dbt_key).partitions_def == job.partitions_def
    assert graph.get(PUBLISHED_KEY).partitions_def == job.partitions_def
    # Ingestion loads whatever is new in the landing zone: not partitioned.
    assert graph.get(dg.AssetKey(["raw", "billing", "invoices"])).partitions_def is None
    # The published file waits for every table of the scorecard schema, restatements included.
    scorecard_keys = {key for key in graph.get_all_asset_keys() if key.path[0] == "scorecard"}
    assert {dbt_key, dg.AssetKey(["scorecard", "restatements"])} <= scorecard_keys
    assert scorecard_keys <= set(graph.get(PUBLISHED_KEY).parent_keys)

    schedule = defs.resolve_schedule_def(SCHEDULE_NAME)
    assert schedule.job_name == MAIN_JOB_NAME
    assert schedule.cron_schedule == "0 6 3 * *"
    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    assert [target.job_name for target in sensor.targets] == [MAIN_JOB_NAME]


def test_the_schedule_refreshes_the_just_closed_month_on_the_third(pinned_months):
    defs = build_definitions(get_settings())
    schedule = defs.resolve_schedule_def(SCHEDULE_NAME)
    tick = datetime(2025, 6, 3, 6, 0, tzinfo=UTC)
    with dg.DagsterInstance.ephemeral() as instance:
        context = dg.build_schedule_context(instance=instance, scheduled_execution_time=tick)
        result = schedule.evaluate_tick(context)
    assert [request.partition_key for request in result.run_requests] == ["2025-05"]


def test_the_first_month_defaults_to_36_months_and_follows_the_variable(monkeypatch):
    monkeypatch.delenv("SCORECARD_FIRST_MONTH", raising=False)
    monkeypatch.delenv("SCORECARD_LAST_MONTH", raising=False)
    assert history_start_month(date(2026, 11, 27)) == date(2023, 11, 1)
    keys = monthly_partitions(date(2026, 11, 27)).get_partition_keys(
        current_time=datetime(2026, 11, 27, tzinfo=UTC)
    )
    assert (keys[0], keys[-1], len(keys)) == ("2023-11", "2026-10", 36)

    monkeypatch.setenv("SCORECARD_FIRST_MONTH", "2020-11")
    assert history_start_month() == date(2020, 11, 1)
    monkeypatch.setenv("SCORECARD_FIRST_MONTH", "Nov 2020")
    with pytest.raises(ValueError, match=r"\$SCORECARD_FIRST_MONTH is 'Nov 2020'; write a month as YYYY-MM"):
        history_start_month()
    monkeypatch.setenv("SCORECARD_FIRST_MONTH", "2026-11")
    with pytest.raises(ValueError, match="after the scorecard's last month"):
        monthly_partitions(date(2026, 11, 27))


def test_the_last_month_cannot_be_pinned_to_a_month_that_has_not_ended(monkeypatch):
    monkeypatch.setenv("SCORECARD_LAST_MONTH", "2026-11")
    with pytest.raises(ValueError, match="the last closed month is 2026-10"):
        monthly_partitions(date(2026, 11, 27))


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_the_sensor_requests_a_refresh_when_exports_appear_or_change(pinned_months):
    settings = get_settings()
    landing = settings.landing_dir
    defs = build_definitions(settings)
    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    repository = defs.get_repository_def()

    def tick(cursor):
        with dg.DagsterInstance.ephemeral() as instance:
            context = dg.build_sensor_context(instance=instance, cursor=cursor, repository_def=repository)
            return sensor.evaluate_tick(context)

    empty = tick(None)
    assert not empty.run_requests and "No export files" in empty.skip_message

    plans = _write(landing / "billing" / "plans.csv", "plan_id,plan_name\nP1,Starter\n")
    _write(landing / "unrelated" / "notes.txt", "not an export")
    first = tick(empty.cursor)
    assert [request.partition_key for request in first.run_requests] == [LAST]
    assert first.run_requests[0].tags["scorecard/landing_files"] == "1"

    unchanged = tick(first.cursor)
    assert not unchanged.run_requests and "No change among the 1 export files" in unchanged.skip_message

    plans.write_text("plan_id,plan_name\nP1,Starter\nP2,Growth\n")
    changed = tick(unchanged.cursor)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key

    # A month-to-date export of the month after the last is held by runs: no reason for one.
    _write(landing / "billing" / "invoices" / "2025-06.csv", "invoice_id\nI1\n")
    held = tick(changed.cursor)
    assert not held.run_requests and "No change among the 1 export files" in held.skip_message

    _write(landing / "billing" / "invoices" / "2025-05.csv", "invoice_id\nI1\n")
    added = tick(held.cursor)
    assert added.run_requests and added.run_requests[0].tags["scorecard/landing_files"] == "2"


def test_the_fingerprint_ignores_files_the_registry_does_not_read(pinned_months):
    settings = get_settings()
    registry = load_registry(settings.sources_path)
    before = landing_fingerprint(registry, settings.landing_dir)
    _write(settings.landing_dir / "billing" / "README.md", "notes")
    assert landing_fingerprint(registry, settings.landing_dir) == before
    stat_target = _write(settings.landing_dir / "hr" / "employees.csv", "employee_id\nE1\n")
    after = landing_fingerprint(registry, settings.landing_dir)
    assert after != before and after[1] == 1
    # Same content, new modification time: the sensor asks; ingestion then skips it by content hash.
    os.utime(stat_target, ns=(0, 10**18))
    assert landing_fingerprint(registry, settings.landing_dir) != after


def test_a_month_restates_itself_and_the_window_before_it():
    window = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2025, 5, 1),
        range_end=date(2025, 5, 1),
        restatement_window=3,
        latest_built_month=date(2025, 4, 1),
    )
    assert (window.last_month, window.restatement_window_months) == (date(2025, 5, 1), 3)
    # The months and the run reach dbt as environment variables, not --vars: dbt re-parses the whole
    # project whenever --vars change, and a scheduled run covers a new month each time.
    assert dbt_build_env(window, "run-1", 7) == {
        "SCORECARD_BUILD_TESTED_THROUGH": None,
        "SCORECARD_BUILD_FIRST_MONTH": "2024-03",
        "SCORECARD_BUILD_LAST_MONTH": "2025-05",
        "SCORECARD_BUILD_RESTATEMENT_WINDOW_MONTHS": "3",
        "SCORECARD_RUN_ID": "run-1",
        "SCORECARD_RUN_SEQ": "7",
    }
    # Rows the last published build tested are not tested again, unless the build rebuilds all.
    tested = datetime(2025, 5, 3, 6, 0, 1, 250)
    assert dbt_build_env(window, "run-1", 7, tested)["SCORECARD_BUILD_TESTED_THROUGH"] == (
        "2025-05-03 06:00:01.000250"
    )
    full = dataclasses.replace(window, full_refresh=True)
    assert dbt_build_env(full, "run-1", 7, tested)["SCORECARD_BUILD_TESTED_THROUGH"] is None


def test_an_old_month_is_recomputed_up_to_the_latest_built_month():
    # Re-running 2024-08 after 2025-05 was built must not publish FY quarters cut at 2024-08.
    window = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2024, 8, 1),
        range_end=date(2024, 8, 1),
        restatement_window=3,
        latest_built_month=date(2025, 5, 1),
    )
    assert window.last_month == date(2025, 5, 1)
    assert window.restatement_window_months == 9 + 3  # 2024-08 … 2025-05, then 3 months before


def test_months_missed_since_the_last_build_are_built_too():
    window = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2025, 5, 1),
        range_end=date(2025, 5, 1),
        restatement_window=3,
        latest_built_month=date(2024, 12, 1),
    )
    assert window.restatement_window_months == 4 + 3  # 2025-01 … 2025-05, then 3 months before


def test_a_range_restates_from_its_first_month_and_a_full_refresh_from_the_start():
    backfill = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2024, 6, 1),
        range_end=date(2024, 12, 1),
        restatement_window=2,
        latest_built_month=None,
    )
    assert (backfill.last_month, backfill.restatement_window_months) == (date(2024, 12, 1), 6 + 2)
    full = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2024, 3, 1),
        range_end=date(2025, 5, 1),
        restatement_window=3,
        latest_built_month=None,
        full_refresh=True,
    )
    assert full.full_refresh and full.restatement_window_months == 14


def test_a_first_build_computes_every_month_and_the_window_says_so(pinned_months):
    # No scorecard.measure_values yet: dbt creates it whole, whatever month the run asked for.
    first = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2025, 5, 1),
        range_end=date(2025, 5, 1),
        restatement_window=3,
        latest_built_month=None,
        first_build=True,
    )
    assert not first.full_refresh and first.restatement_window_months == 14
    partitions = monthly_partitions()
    assert recomputed_partition_keys(first, partitions) == partitions.get_partition_keys()


def test_the_months_a_build_recomputed_are_its_partitions_and_the_window_before_them(pinned_months):
    partitions = monthly_partitions()
    monthly = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2025, 5, 1),
        range_end=date(2025, 5, 1),
        restatement_window=3,
        latest_built_month=date(2025, 4, 1),
    )
    keys = recomputed_partition_keys(monthly, partitions)
    assert keys == ["2025-02", "2025-03", "2025-04", "2025-05"]
    # Dagster records the run's own partition; the three months before it are recorded here.
    events = recomputed_materializations(PUBLISHED_KEY, keys, {"2025-05"})
    assert [(event.asset_key, event.partition) for event in events] == [
        (PUBLISHED_KEY, month) for month in ("2025-02", "2025-03", "2025-04")
    ]
    assert {event.metadata["scorecard/recomputed_in_window"].value for event in events} == {
        "2025-02..2025-05"
    }
    # A window reaching before the first partition stops at it.
    early = dbt_window(
        history_start=date(2024, 3, 1),
        range_start=date(2024, 4, 1),
        range_end=date(2024, 4, 1),
        restatement_window=3,
        latest_built_month=date(2024, 4, 1),
    )
    assert recomputed_partition_keys(early, partitions) == ["2024-03", "2024-04"]


def test_the_restatement_window_comes_from_dbt_project_yml(tmp_path):
    assert default_restatement_window(get_settings().dbt_project_dir) == 3
    (tmp_path / "dbt_project.yml").write_text("vars:\n  restatement_window_months: soon\n")
    with pytest.raises(
        ValueError, match=r"vars.restatement_window_months is 'soon'; set it to a whole number"
    ):
        default_restatement_window(tmp_path)


def test_run_scope_follows_the_flags():
    partitions = dg.MonthlyPartitionsDefinition(start_date="2024-03", end_date="2025-06", fmt="%Y-%m")
    assert resolve_scope(partitions) == RunScope(LAST, LAST)
    assert resolve_scope(partitions, RunRequest(period="2024-09")) == RunScope("2024-09", "2024-09")
    assert resolve_scope(partitions, RunRequest(all_history=True)) == RunScope(FIRST, LAST, full_refresh=True)
    with pytest.raises(
        RunScopeError, match=r"--period 2023-12 is outside the scorecard's months 2024-03…2025-05"
    ):
        resolve_scope(partitions, RunRequest(period="2023-12"))
    with pytest.raises(RunScopeError, match="write a month as YYYY-MM"):
        resolve_scope(partitions, RunRequest(period="2024/09"))
    with pytest.raises(RunScopeError, match="not both"):
        resolve_scope(partitions, RunRequest(period="2024-09", all_history=True))
    assert resolve_scope(partitions, RunRequest(period="2024-06", through="2024-12")) == RunScope(
        "2024-06", "2024-12"
    )
    with pytest.raises(RunScopeError, match="--through 2024-05 is before --period 2024-06"):
        resolve_scope(partitions, RunRequest(period="2024-06", through="2024-05"))
    with pytest.raises(RunScopeError, match="--through needs --period"):
        resolve_scope(partitions, RunRequest(through="2024-05"))
    # --restate: from --period through the last month, to restate a correction older than the window.
    assert resolve_scope(partitions, RunRequest(period="2024-09", restate=True)) == RunScope("2024-09", LAST)
    for flags in ({}, {"period": "2024-09", "through": "2024-12"}, {"all_history": True}):
        with pytest.raises(RunScopeError, match="--restate needs --period"):
            resolve_scope(partitions, RunRequest(restate=True, **flags))
