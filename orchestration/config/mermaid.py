"""The strategy map as Mermaid text, for the README and the period report.

``flowchart BT`` (bottom to top): one subgraph per perspective, learning and growth at the bottom
and financial at the top (the reverse of the config's display order), objectives as nodes labelled
with their names, links as arrows labelled with the expected lag. Given statuses, objectives are
coloured by a ``classDef`` per status, in the colours of ``orchestration.status_styles``.

One renderer, ``strategy_map_flowchart``, serves both callers: ``render_strategy_map_mermaid`` draws
the map of a config (the README), and the period report draws the published map of one month with the
same function, adding each objective's status to its label and marking failed assumptions.

Node and subgraph ids are derived from config ids with a prefix (so no id can collide with a Mermaid
keyword such as ``end``) and restricted to ``[A-Za-z0-9_]``; labels are quoted with Mermaid's entity
escapes, so no config text can change the diagram's structure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from orchestration.config.models import ScorecardConfig, Status
from orchestration.status_styles import STATUS_ORDER, STATUS_STYLES, UNSCORED_STATUSES


@dataclass(frozen=True)
class MapObjective:
    """An objective as a node: its id, the text of its box, its perspective and its status, if any."""

    objective_id: str
    label: str
    perspective_id: str
    status: str | None = None


@dataclass(frozen=True)
class MapLink:
    """A cause → effect arrow, labelled with its lag; a failed assumption is a dotted arrow."""

    cause: str
    effect: str
    lag_months: int
    assumption_failed: bool = False


def class_style(status: str) -> str:
    """A status's ``classDef`` style, from the status palette: its fill, border and text colours.

    Statuses that carry no score get a dashed border, as on the report's SVG map.
    """
    style = STATUS_STYLES[status]
    dash = ",stroke-dasharray:5 3" if status in UNSCORED_STATUSES else ""
    return f"fill:{style.fill},stroke:{style.stroke},color:{style.text}{dash}"


def mermaid_id(prefix: str, value: str) -> str:
    """A Mermaid-safe id: ``prefix_`` + the value with anything outside ``[A-Za-z0-9_]`` replaced."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', value)}"


def mermaid_label(text: str) -> str:
    """A quoted Mermaid label; quotes, ``#``, ``<``, ``>``, ``&`` and line breaks cannot escape it."""
    escaped = " ".join(str(text).split())
    escaped = escaped.replace("#", "#35;")
    escaped = escaped.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;").replace("&", "#amp;")
    return f'"{escaped}"'


def _lag_label(months: int) -> str:
    return f"{months} month" if months == 1 else f"{months} months"


def strategy_map_flowchart(
    perspectives: Sequence[tuple[str, str]], objectives: Sequence[MapObjective], links: Sequence[MapLink]
) -> str:
    """Mermaid ``flowchart BT`` text of a strategy map; the one renderer for config and report alike.

    ``perspectives`` are (id, name) in display order, top first; an objective whose perspective is not
    among them is left out. Objectives with a status are coloured by one ``classDef`` per status used.
    """
    lines = ["flowchart BT"]
    for perspective_id, perspective_name in reversed(perspectives):
        members = [objective for objective in objectives if objective.perspective_id == perspective_id]
        if not members:
            continue
        lines.append(f"    subgraph {mermaid_id('p', perspective_id)}[{mermaid_label(perspective_name)}]")
        lines.append("        direction LR")
        for objective in members:
            lines.append(
                f"        {mermaid_id('o', objective.objective_id)}[{mermaid_label(objective.label)}]"
            )
        lines.append("    end")
    for link in links:
        label = _lag_label(link.lag_months)
        arrow = "-->"
        if link.assumption_failed:
            label += ", assumption failed"
            arrow = "-.->"
        lines.append(
            f"    {mermaid_id('o', link.cause)} {arrow}|{mermaid_label(label)}| "
            f"{mermaid_id('o', link.effect)}"
        )
    used = [status for status in STATUS_ORDER if any(objective.status == status for objective in objectives)]
    for status in used:
        lines.append(f"    classDef {status} {class_style(status)}")
    for status in used:
        members = [mermaid_id("o", o.objective_id) for o in objectives if o.status == status]
        lines.append(f"    class {','.join(members)} {status}")
    return "\n".join(lines) + "\n"


def render_strategy_map_mermaid(config: ScorecardConfig, statuses: dict[str, str] | None = None) -> str:
    """Mermaid ``flowchart BT`` text of the strategy map, optionally coloured by objective status.

    ``statuses`` maps objective id → a status (``on_track``, ``at_risk``, ``off_track``, ``no_data``,
    ``no_target``, ``untrusted``); an unknown objective id or status raises ``ValueError``.
    """
    objective_ids = {objective.id for objective in config.objectives}
    resolved: dict[str, Status] = {}
    for objective_id, status in (statuses or {}).items():
        if objective_id not in objective_ids:
            raise ValueError(f"status given for `{objective_id}`, which is not an objective of the config")
        try:
            resolved[objective_id] = Status(status)
        except ValueError:
            allowed = ", ".join(item.value for item in Status)
            message = f"`{status}` (for `{objective_id}`) is not a status; use one of {allowed}"
            raise ValueError(message) from None
    return strategy_map_flowchart(
        [(perspective.id, perspective.name) for perspective in config.perspectives],
        [
            MapObjective(
                objective.id,
                objective.name,
                objective.perspective,
                resolved[objective.id].value if objective.id in resolved else None,
            )
            for objective in config.objectives
        ],
        [MapLink(link.cause, link.effect, link.lag_months) for link in config.strategy_map],
    )
