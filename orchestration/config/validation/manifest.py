"""The config against dbt's ``target/manifest.json``: config measures and dbt measure models match one
to one, and each measure's ``data_sources`` are exactly the sources its model reads in the lineage."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orchestration.config.issues import Issue, Severity
from orchestration.config.models import Measure
from orchestration.config.validation.core import MEASURES, Located, Parsed, State


def _measure_models(manifest: Mapping[str, Any]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """By ``meta.measure_id``: the file paths and the unique ids of the models under models/measures/."""
    models: dict[str, list[str]] = defaultdict(list)
    model_ids: dict[str, list[str]] = defaultdict(list)
    for unique_id, node in (manifest.get("nodes") or {}).items():
        if node.get("resource_type") != "model":
            continue
        file_path = str(node.get("original_file_path") or node.get("path") or "").replace("\\", "/")
        if not (file_path.startswith("models/measures/") or "/models/measures/" in file_path):
            continue
        meta = {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}
        measure_id = meta.get("measure_id")
        if isinstance(measure_id, str):
            models[measure_id].append(file_path)
            model_ids[measure_id].append(unique_id)
    return models, model_ids


def check_dbt_manifest(state: State, parsed: Parsed, manifest_path: Path) -> None:
    """Config measures and dbt measure models (``models/measures/`` with ``meta.measure_id``) match 1:1,
    and each measure's ``data_sources`` are exactly the sources its model reads in the dbt lineage."""
    name = manifest_path.name
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        state.error(
            name,
            (),
            f"the dbt manifest {manifest_path} cannot be read: {error}.",
            "run `dbt parse` in dbt_project to produce target/manifest.json",
            "dbt_manifest",
        )
        return
    models, model_ids = _measure_models(manifest)
    if "*" in state.broken_ids["Measure"]:
        return  # measures.yml could not be read: its own errors say so; a comparison would be noise
    configured = {located.model.id: located for located in parsed.measures}
    for measure_id, located in configured.items():
        if measure_id not in models:
            state.error(
                MEASURES,
                located.path,
                f"measure `{measure_id}` has no governed dbt model: no model under models/measures/ has "
                f"`meta.measure_id: {measure_id}`.",
                "add its model under dbt_project/models/measures/<perspective>/ with "
                f"`config: {{meta: {{measure_id: {measure_id}}}}}`, or remove the measure from the config",
                "dbt_measure_missing",
            )
        elif len(models[measure_id]) > 1:
            state.error(
                MEASURES,
                located.path,
                f"measure `{measure_id}` is computed by {len(models[measure_id])} dbt models: "
                + ", ".join(sorted(models[measure_id]))
                + ".",
                "keep exactly one governed model per measure",
                "dbt_measure_duplicate",
            )
        else:
            _check_measure_lineage(state, parsed, located, manifest, model_ids[measure_id][0])
    for measure_id in sorted(set(models) - set(configured) - state.broken_ids["Measure"]):
        for file_path in sorted(models[measure_id]):
            state.issues.append(
                Issue(
                    Severity.error,
                    file_path,
                    f"meta.measure_id: {measure_id}",
                    f"dbt measure model {file_path} computes `{measure_id}`, which is not in measures.yml.",
                    "add the measure (owner, definition, targets) to scorecard_config/measures.yml, "
                    "or correct the model's meta.measure_id",
                    code="dbt_model_without_config",
                )
            )


def upstream_sources(manifest: Mapping[str, Any], unique_id: str) -> dict[str, list[str]]:
    """The company's dbt sources a node reads, directly or through other nodes, as ``system.table``.

    Walks the manifest's ``parent_map`` (or each node's ``depends_on.nodes``) upstream from
    ``unique_id`` to every ``source.<project>.<system>.<table>`` node; the dbt source name is the
    system and the source table's name the table, as in sources.yml. Only sources of the root
    project (the company) count: the engine package's own sources (its quality bookkeeping) are no
    data source of a measure. Each source maps to one path of node names that reaches it (the
    nearest), from the node's first parent to the source's last reader, for messages.
    """
    nodes: Mapping[str, Any] = manifest.get("nodes") or {}
    sources: Mapping[str, Any] = manifest.get("sources") or {}
    parent_map: Mapping[str, list[str]] = manifest.get("parent_map") or {}
    project = (manifest.get("metadata") or {}).get("project_name")

    def parents(node_id: str) -> list[str]:
        if node_id in parent_map:
            return list(parent_map[node_id])
        return list(((nodes.get(node_id) or {}).get("depends_on") or {}).get("nodes") or [])

    found: dict[str, list[str]] = {}
    via: dict[str, list[str]] = {unique_id: []}
    queue = [unique_id]
    while queue:  # breadth first, so each source is reached by its shortest path
        current = queue.pop(0)
        for parent in parents(current):
            if parent in via:
                continue
            via[parent] = [*via[current], current]
            if parent.startswith("source."):
                source = sources.get(parent) or {}
                if project and source.get("package_name") not in (None, project):
                    continue
                system = source.get("source_name") or parent.split(".")[-2]
                table = source.get("name") or parent.split(".")[-1]
                path = [str((nodes.get(step) or {}).get("name") or step) for step in via[parent][1:]]
                found.setdefault(f"{system}.{table}", path)
            else:
                queue.append(parent)
    return found


def _check_measure_lineage(
    state: State, parsed: Parsed, located: Located, manifest: Mapping[str, Any], model_id: str
) -> None:
    """A measure's ``data_sources`` list every source its dbt model reads, and nothing else.

    Which measures turn ``untrusted`` follows ``data_sources``: a source the SQL reads but the config
    omits would leave the measure trusted on flagged data; a listed source the SQL does not read would
    mark it untrusted for nothing.
    """
    measure: Measure = located.model
    model = (manifest.get("nodes") or {}).get(model_id) or {}
    model_name = model.get("name") or model_id
    read = upstream_sources(manifest, model_id)
    declared = list(measure.data_sources)
    for source in sorted(set(read) - set(declared)):
        through = f" through {' → '.join(read[source])}" if read[source] else " directly"
        state.error(
            MEASURES,
            (*located.path, "data_sources"),
            f"measure `{measure.id}` reads `{source}` (its dbt model {model_name} reads it{through}), "
            "but its data_sources do not list it: a quality flag on that table would leave the measure "
            "trusted.",
            f"add `{source}` to data_sources of measure {measure.id} in measures.yml",
            "data_source_not_declared",
        )
    for index, source in enumerate(declared):
        if source in read or (parsed.data_sources is not None and source not in parsed.data_sources):
            continue  # an unregistered table has its own error already
        state.error(
            MEASURES,
            (*located.path, "data_sources", index),
            f"measure `{measure.id}` lists `{source}` in data_sources, but its dbt model {model_name} does "
            "not read it (no path in the dbt lineage leads to that source): a quality flag on that table "
            "would mark the measure untrusted for nothing.",
            f"remove `{source}` from data_sources of measure {measure.id} in measures.yml, or make the "
            "model read it",
            "data_source_not_read",
        )
