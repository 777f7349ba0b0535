"""The BI guide (docs/bi-guide.md): every published table and column, generated from the dbt manifest.

The published tables are the dbt models and snapshots materialised in schema ``scorecard`` (the same
rule the publish step uses), so their names, grain, keys, types and meanings come from the dbt YAML
the warehouse enforces, never from a second hand-kept list. The prose around them (connecting, the
stability promise, the publication log the publish step adds) is the template
``templates/bi-guide.md.j2``. A test regenerates the guide and fails when the committed file differs;
regenerate it with::

    scorecard bi-guide            # --check compares instead of writing

``documented_columns`` reads the guide back (table → columns) for the tests that check the published
file and the Evidence sources against it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from orchestration.publish.contract import published_nodes, tested_keys
from orchestration.publish.wap import PUBLISHED_SCHEMA

TEMPLATE_NAME = "bi-guide.md.j2"
_TEMPLATES = Path(__file__).parent / "templates"
# Readers start with the report and drill down; anything new follows in name order.
READING_ORDER = (
    "balance_report",
    "balance_findings",
    "perspective_scores",
    "objective_scores",
    "scorecard",
    "strategy_map",
    "review_actions",
    "measure_values",
    "measure_value_history",
    "restatements",
)
# Columns dbt adds to every snapshot; the snapshot YAML documents them but declares no type.
_SNAPSHOT_META_TYPES = {
    "dbt_scd_id": "varchar",
    "dbt_updated_at": "timestamp",
    "dbt_valid_from": "timestamp",
    "dbt_valid_to": "timestamp",
}
_SECTION = re.compile(r"^### `" + PUBLISHED_SCHEMA + r"\.([A-Za-z0-9_]+)`\s*$")
_COLUMN_ROW = re.compile(r"^\| `([A-Za-z0-9_]+)` \|")


@dataclass(frozen=True)
class GuideColumn:
    """One documented column: name, SQL type as published and its meaning in one line."""

    name: str
    data_type: str
    description: str


@dataclass(frozen=True)
class GuideTable:
    """One published table as the guide presents it."""

    name: str
    resource_type: str
    description: str
    key: tuple[str, ...]
    contract_enforced: bool
    materialized: str
    columns: tuple[GuideColumn, ...]


def published_tables(manifest: Mapping[str, Any], schema: str = PUBLISHED_SCHEMA) -> list[GuideTable]:
    """The enabled dbt models and snapshots materialised in ``schema``, in reading order."""
    nodes = manifest["nodes"]
    keys = tested_keys(nodes)
    known_types = _contract_types(nodes, schema)
    tables = []
    for unique_id, node in published_nodes(manifest, schema):
        config = node.get("config", {})
        columns = tuple(
            GuideColumn(
                name=column["name"],
                data_type=column.get("data_type")
                or _SNAPSHOT_META_TYPES.get(column["name"])
                or known_types.get(column["name"], "—"),
                description=_one_line(column.get("description", "")),
            )
            for column in node.get("columns", {}).values()
        )
        tables.append(
            GuideTable(
                name=node.get("alias") or node["name"],
                resource_type=node["resource_type"],
                description=_one_line(node.get("description", "")),
                key=keys.get(unique_id, ()),
                contract_enforced=bool((config.get("contract") or {}).get("enforced")),
                materialized=config.get("materialized", ""),
                columns=columns,
            )
        )
    return sorted(tables, key=_reading_position)


def render_bi_guide(manifest: Mapping[str, Any]) -> str:
    """The complete text of docs/bi-guide.md for this manifest."""
    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML; cells are escaped by the `cell` filter.
    )
    environment.filters["cell"] = _cell
    template = environment.get_template(TEMPLATE_NAME)
    return template.render(tables=published_tables(manifest), schema=PUBLISHED_SCHEMA)


def documented_columns(guide_text: str) -> dict[str, list[str]]:
    """Table → column names, in order, as the guide documents them (``### `scorecard.x` `` sections)."""
    tables: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in guide_text.splitlines():
        section = _SECTION.match(line)
        if section:
            current = tables.setdefault(section.group(1), [])
            continue
        if line.startswith("## "):
            current = None
            continue
        row = _COLUMN_ROW.match(line)
        if row and current is not None:
            current.append(row.group(1))
    return tables


def _contract_types(nodes: Mapping[str, Any], schema: str) -> dict[str, str]:
    """Column name → declared type across the schema's contract models.

    A snapshot copies its columns from a contract model, so an undeclared snapshot column takes
    the type its source declares.
    """
    types: dict[str, str] = {}
    for node in nodes.values():
        if node["resource_type"] == "model" and node.get("schema") == schema:
            for column in node.get("columns", {}).values():
                if column.get("data_type"):
                    types.setdefault(column["name"], column["data_type"])
    return types


def _reading_position(table: GuideTable) -> tuple[int, str]:
    try:
        return READING_ORDER.index(table.name), table.name
    except ValueError:
        return len(READING_ORDER), table.name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    """Text safe inside one Markdown table cell."""
    return _one_line(text).replace("|", "\\|") or "—"


class BiGuideError(Exception):
    """The guide cannot be generated (no manifest); the message says what to run."""


def _load_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise BiGuideError(
            f"No dbt manifest at {path}: run `scorecard validate` (it parses the dbt project), "
            "or pass --manifest."
        )
    return json.loads(path.read_text())


def write_bi_guide(manifest_path: Path, output: Path, *, check: bool = False) -> bool:
    """Write the guide from the manifest at ``manifest_path`` to ``output``.

    With ``check``, write nothing and return whether ``output`` is already what the manifest gives.
    """
    text = render_bi_guide(_load_manifest(manifest_path))
    if check:
        return output.is_file() and output.read_text() == text
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    return True
