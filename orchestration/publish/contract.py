"""Which tables the published file holds, and their keys, read from the dbt manifest.

The published contract is whatever dbt builds in schema ``scorecard`` (models and snapshots), so a
new mart is published without touching this package. Keys come from the uniqueness tests the dbt
project already declares (``unique_combination_of_columns`` or a column's ``unique``); a snapshot is
keyed by its ``unique_key`` plus ``dbt_valid_from``. A model may opt in to being published empty with
``meta: {publish_allow_empty: true}`` (e.g. ``restatements`` before any late data arrives).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from orchestration.publish.wap import PUBLISHED_SCHEMA, PublishedTable

_PUBLISHED_RESOURCES = frozenset({"model", "snapshot"})


def published_nodes(manifest: Mapping[str, Any], schema: str = PUBLISHED_SCHEMA) -> list[tuple[str, Any]]:
    """(unique id, node) of every enabled dbt model or snapshot materialised in ``schema``: what the
    published file holds (the rule the BI guide documents, too)."""
    published = []
    for unique_id, node in manifest["nodes"].items():
        config = node.get("config", {})
        if (
            node["resource_type"] in _PUBLISHED_RESOURCES
            and node.get("schema") == schema
            and config.get("enabled", True)
            and config.get("materialized") != "ephemeral"
        ):
            published.append((unique_id, node))
    return published


def contract_tables(manifest: Mapping[str, Any], schema: str = PUBLISHED_SCHEMA) -> list[PublishedTable]:
    """Every enabled dbt model or snapshot materialised in ``schema``, with its key, sorted by name."""
    keys = tested_keys(manifest["nodes"])
    tables = []
    for unique_id, node in published_nodes(manifest, schema):
        config = node.get("config", {})
        if node["resource_type"] == "snapshot":
            unique_key = config.get("unique_key") or []
            key = (*([unique_key] if isinstance(unique_key, str) else unique_key), "dbt_valid_from")
        else:
            key = keys.get(unique_id, ())
        meta = {**node.get("meta", {}), **config.get("meta", {})}
        tables.append(
            PublishedTable(
                name=node.get("alias") or node["name"],
                key_columns=tuple(key),
                allow_empty=bool(meta.get("publish_allow_empty", False)),
            )
        )
    return sorted(tables, key=lambda table: table.name)


def tested_keys(nodes: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Model id → key columns, from its multi-column uniqueness test, else a ``unique`` column test."""
    combined: dict[str, tuple[str, ...]] = {}
    single: dict[str, tuple[str, ...]] = {}
    for node in nodes.values():
        metadata = node.get("test_metadata") or {}
        attached = node.get("attached_node")
        if node["resource_type"] != "test" or not attached:
            continue
        kwargs = metadata.get("kwargs", {})
        if metadata.get("name") == "unique_combination_of_columns":
            combined.setdefault(attached, tuple(kwargs.get("combination_of_columns", ())))
        elif metadata.get("name") == "unique" and kwargs.get("column_name"):
            single.setdefault(attached, (kwargs["column_name"],))
    return {**single, **combined}
