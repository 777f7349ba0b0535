"""Project rules read from target/manifest.json (dbt-project-evaluator's rules, checked by hand)."""

from __future__ import annotations

import csv
from typing import Any

import pytest

from tests.dbt.helpers import DbtProject

pytestmark = pytest.mark.slow


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {node["name"]: node for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def _measure_models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: node for name, node in _models(manifest).items() if "/measures/" in f"/{node['path']}"}


def _configured_measure_ids(project: DbtProject) -> set[str]:
    # What dbt seeded: the compiled config in the company project's generated/ folder.
    with (project.settings.generated_dir / "seeds" / "cfg_measures.csv").open(newline="") as handle:
        return {row["measure_id"] for row in csv.DictReader(handle)}


def test_every_model_and_column_is_described(built_project: DbtProject) -> None:
    manifest = built_project.manifest()
    undocumented = []
    for name, node in _models(manifest).items():
        if not node["description"].strip():
            undocumented.append(name)
        undocumented += [
            f"{name}.{column}" for column, spec in node["columns"].items() if not spec["description"]
        ]
    assert not undocumented, f"describe these in the model's YAML: {undocumented}"


# The measure shape (scorecard_engine/README.md): every msr_ model returns exactly these columns, which
# measure_values unions. Measure models do not repeat them in their YAML; one generic test,
# measure_shape, checks the rows instead.
MEASURE_SHAPE = (
    "measure_id",
    "period_grain",
    "period_start",
    "period_end",
    "period_label",
    "segment_dimension",
    "segment_value",
    "numerator",
    "denominator",
    "value",
)


def _column_names(project: DbtProject, node: dict[str, Any]) -> list[str]:
    return [
        row[0]
        for row in project.query(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [node["schema"], node["alias"]],
        )
    ]


def test_every_measure_model_returns_the_measure_shape_and_is_tested_for_it(
    built_project: DbtProject,
) -> None:
    manifest = built_project.manifest()
    contract = list(manifest["nodes"]["model.scorecard_engine.measure_values"]["columns"])
    assert contract[: len(MEASURE_SHAPE)] == list(MEASURE_SHAPE)
    shape_tested = {
        node["attached_node"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and (node.get("test_metadata") or {}).get("name") == "measure_shape"
    }
    for name, node in _measure_models(manifest).items():
        assert _column_names(built_project, node) == list(MEASURE_SHAPE), name
        assert node["unique_id"] in shape_tested, (
            f"{name}: add `data_tests: [scorecard_engine.measure_shape]`"
        )


def test_every_measure_model_is_incremental_by_the_restatement_window(built_project: DbtProject) -> None:
    # measure_result configures it; measure_values takes the same window from them.
    for name, node in _measure_models(built_project.manifest()).items():
        config = node["config"]
        assert config["materialized"] == "incremental", name
        assert config["incremental_strategy"] == "delete+insert", name
        assert config["unique_key"] == ["period_grain", "period_start"], name
        hooks = [hook["sql"] for hook in config["pre-hook"]]
        assert any("delete_restatement_window(this)" in hook for hook in hooks), name


def test_every_model_documents_exactly_its_columns(built_project: DbtProject) -> None:
    """The YAML lists the columns the model really has (no stale or missing entries).

    Measure models are the exception: their columns are the measure shape (checked above), so their
    YAML documents no columns, or exactly those.
    """
    manifest = built_project.manifest()
    measure_models = _measure_models(manifest)
    mismatched = {}
    for name, node in _models(manifest).items():
        if name in measure_models and not node["columns"]:
            continue
        actual = {
            row[0]
            for row in built_project.query(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ?",
                [node["schema"], node["alias"]],
            )
        }
        documented = set(node["columns"])
        if actual != documented:
            mismatched[name] = {"undocumented": actual - documented, "not in model": documented - actual}
    assert not mismatched, mismatched


def test_every_measure_model_is_named_by_its_measure_id(built_project: DbtProject) -> None:
    for name, node in _measure_models(built_project.manifest()).items():
        measure_id = node["config"]["meta"].get("measure_id")
        assert measure_id, f"{name}: add config(meta={{'measure_id': ...}})"
        assert name == f"msr_{measure_id}", f"{name} computes {measure_id}; name it msr_{measure_id}"


def test_each_measure_id_is_produced_by_exactly_one_model(built_project: DbtProject) -> None:
    ids = [
        node["config"]["meta"]["measure_id"] for node in _measure_models(built_project.manifest()).values()
    ]
    duplicated = sorted({measure_id for measure_id in ids if ids.count(measure_id) > 1})
    assert not duplicated, f"measure ids computed by more than one model: {duplicated}"


def test_configured_measures_and_measure_models_agree(built_project: DbtProject) -> None:
    modelled = {
        node["config"]["meta"]["measure_id"] for node in _measure_models(built_project.manifest()).values()
    }
    configured = _configured_measure_ids(built_project)
    assert configured - modelled == set(), "configured measures without a model (add models/measures/...)"
    assert modelled - configured == set(), (
        "measure models without a configured measure (add it to measures.yml)"
    )


def test_measure_values_unions_every_measure_model(built_project: DbtProject) -> None:
    manifest = built_project.manifest()
    # measure_values is the engine's; the measure models are the company's.
    measure_values = manifest["nodes"]["model.scorecard_engine.measure_values"]
    measure_model_ids = {node["unique_id"] for node in _measure_models(manifest).values()}
    upstream = {node for node in measure_values["depends_on"]["nodes"] if node.startswith("model.")}
    assert upstream == measure_model_ids
    assert sorted(measure_values["config"]["meta"]["measure_models"]) == sorted(_measure_models(manifest))


def test_measure_values_has_an_enforced_contract_and_key_tests(built_project: DbtProject) -> None:
    manifest = built_project.manifest()
    node = manifest["nodes"]["model.scorecard_engine.measure_values"]
    assert node["config"]["contract"]["enforced"] is True
    assert all(spec.get("data_type") for spec in node["columns"].values())
    tests_on_model = [
        test
        for test in manifest["nodes"].values()
        if test["resource_type"] == "test" and node["unique_id"] in test["depends_on"]["nodes"]
    ]
    names = {test["test_metadata"]["name"] for test in tests_on_model if test.get("test_metadata")}
    assert {"unique_combination_of_columns", "not_null_columns", "relationships", "accepted_values"} <= names


def test_every_measure_model_has_a_unit_test(built_project: DbtProject) -> None:
    manifest = built_project.manifest()
    tested = {unit_test["model"] for unit_test in manifest["unit_tests"].values()}
    untested = sorted(set(_measure_models(manifest)) - tested)
    assert not untested, f"add a unit test beside each of {untested}"


def test_staging_is_the_only_layer_reading_sources(built_project: DbtProject) -> None:
    for name, node in _models(built_project.manifest()).items():
        reads_source = any(parent.startswith("source.") for parent in node["depends_on"]["nodes"])
        assert reads_source == name.startswith("stg_"), name


def test_every_source_points_at_its_dagster_asset(built_project: DbtProject) -> None:
    for source in built_project.manifest()["sources"].values():
        system, table = source["source_name"], source["name"]
        asset_key = source["meta"]["dagster"]["asset_key"]
        if source["schema"] == "raw":
            # Ingested tables: raw.<system>__<table>, produced by the asset raw/<system>/<table>.
            assert asset_key == ["raw", system, table]
            assert source["identifier"] == f"{system}__{table}"
        else:
            # Bookkeeping written by Dagster itself (e.g. quality.source_flags): keyed by schema/table.
            assert asset_key == [source["schema"], source["identifier"]]
