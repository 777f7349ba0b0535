"""The Dagster code location loads, and every job and schedule in it resolves."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg

from orchestration.defs.definitions import build_definitions
from orchestration.defs.resources import CompanyResource
from orchestration.defs.schedules import MAIN_JOB_NAME
from orchestration.ingestion import load_registry
from orchestration.settings import Settings, get_settings
from orchestration.transform.project import prepare_dbt_project


def test_definitions_load_and_every_job_and_schedule_resolves(isolated_dirs):
    defs = build_definitions(get_settings())
    repo = defs.get_repository_def()
    assert MAIN_JOB_NAME in {job.name for job in repo.get_all_jobs()}
    for job in repo.get_all_jobs():
        assert repo.get_job(job.name).graph is not None
    for schedule in repo.schedule_defs:
        assert repo.get_job(schedule.job_name) is not None
    for sensor in repo.sensor_defs:
        for target in sensor.targets:
            assert repo.get_job(target.job_name) is not None


def test_every_registry_table_is_an_asset_upstream_of_dbt(isolated_dirs):
    settings = get_settings()
    defs = build_definitions(settings)
    graph = defs.resolve_asset_graph()
    registry = load_registry(settings.sources_path)
    raw_keys = {dg.AssetKey(["raw", system, table]) for system, table in registry.table_names()}
    assert raw_keys <= set(graph.get_all_asset_keys())
    # Each raw table feeds its staging model through the dbt source's meta.dagster.asset_key.
    for key in raw_keys:
        assert graph.get(key).child_keys, f"{key.to_user_string()} has no downstream dbt model"
    # The config seeds are downstream of the validated config, never of raw YAML.
    seed_parents = {
        parent
        for key in graph.get_all_asset_keys()
        if key.path[0] == "config"
        for parent in graph.get(key).parent_keys
    }
    assert seed_parents == {dg.AssetKey(["scorecard_config"])}


def test_every_dbt_test_is_an_asset_check(isolated_dirs):
    """A dbt test Dagster cannot attach to one asset runs as a mere observation: it blocks nothing.

    dagster-dbt attaches generic tests to their model and singular tests only when they read exactly
    one node, so a cross-model rule must be a generic test on each model it guards.
    """
    settings = get_settings()
    manifest = json.loads(prepare_dbt_project(settings).manifest_path.read_text())
    test_names = {node["name"] for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    graph = build_definitions(settings).resolve_asset_graph()
    check_names = {key.name for key in graph.asset_check_keys}
    assert test_names, "the manifest holds no dbt tests"
    assert sorted(test_names - check_names) == []


def test_the_company_resource_carries_every_setting(tmp_path: Path) -> None:
    """Assets read their folders from the ``company`` resource: nothing of Settings may get lost."""
    settings = Settings(
        warehouse_dir=tmp_path / "warehouse",
        landing_dir=tmp_path / "landing",
        config_dir=tmp_path / "config",
        dbt_project_dir=tmp_path / "dbt_project",
        dbt_target="spark",
        engine="spark",
        company_dir=tmp_path,
        expectations_dir=tmp_path / "suites",
        accept_redelivery=("billing/invoices/2025-05.csv", "crm/*.jsonl"),
    )
    resource = CompanyResource.from_settings(settings)
    assert resource.settings == settings
    assert resource.landing_dir == str(tmp_path / "landing")
