"""The strategy map as Mermaid text, for the README and the period report.

``flowchart BT`` (bottom to top): one subgraph per perspective, learning and growth at the bottom
and financial at the top (the reverse of the config's display order), objectives as nodes labelled
with their names, links as arrows labelled with the expected lag. Given statuses, objectives are
coloured by a ``classDef`` per status.

Node and subgraph ids are derived from config ids with a prefix (so no id can collide with a Mermaid
keyword such as ``end``) and restricted to ``[A-Za-z0-9_]``; labels are quoted with Mermaid's entity
escapes, so no config text can change the diagram's structure.
"""

from __future__ import annotations

import re

from orchestration.config.models import ScorecardConfig, Status

STATUS_STYLES: dict[Status, str] = {
    Status.on_track: "fill:#c8e6c9,stroke:#2e7d32,color:#1b5e20",
    Status.at_risk: "fill:#ffe0b2,stroke:#ef6c00,color:#e65100",
    Status.off_track: "fill:#ffcdd2,stroke:#c62828,color:#b71c1c",
    Status.no_data: "fill:#eeeeee,stroke:#9e9e9e,color:#424242",
    Status.provisional: "fill:#e0f2f1,stroke:#00796b,color:#004d40,stroke-dasharray:6 3",
    Status.no_target: "fill:#f5f5f5,stroke:#bdbdbd,color:#424242,stroke-dasharray:4 3",
    Status.untrusted: "fill:#e1bee7,stroke:#6a1b9a,color:#4a148c,stroke-dasharray:2 2",
}


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

    lines = ["flowchart BT"]
    for perspective in reversed(config.perspectives):
        members = [objective for objective in config.objectives if objective.perspective == perspective.id]
        if not members:
            continue
        lines.append(f"    subgraph {mermaid_id('p', perspective.id)}[{mermaid_label(perspective.name)}]")
        lines.append("        direction LR")
        for objective in members:
            lines.append(f"        {mermaid_id('o', objective.id)}[{mermaid_label(objective.name)}]")
        lines.append("    end")
    for link in config.strategy_map:
        lines.append(
            f"    {mermaid_id('o', link.cause)} -->|{mermaid_label(_lag_label(link.lag_months))}| "
            f"{mermaid_id('o', link.effect)}"
        )
    if resolved:
        used = [status for status in Status if status in resolved.values()]
        for status in used:
            lines.append(f"    classDef {status.value} {STATUS_STYLES[status]}")
        for status in used:
            members = [mermaid_id("o", o.id) for o in config.objectives if resolved.get(o.id) is status]
            lines.append(f"    class {','.join(members)} {status.value}")
    return "\n".join(lines) + "\n"
