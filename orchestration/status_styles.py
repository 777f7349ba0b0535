"""How each status looks, wherever one is drawn: the one status palette of the project.

The report (HTML, SVG charts and map, its legend, the terminal summary) reads it through
``orchestration.report.formatting``; the Mermaid strategy map (``orchestration.config.mermaid``)
derives its ``classDef`` styles from it; the Evidence measure page, which cannot import Python,
mirrors its strong colours, and ``tests/bi`` checks that it still does. It lives outside both
packages so that neither imports the other for a colour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusStyle:
    """How one status looks: text label, a symbol that survives greyscale, and its colours."""

    label: str
    symbol: str
    fill: str  # light background for nodes, cards and badges
    stroke: str  # strong colour for borders, lines and chart points
    text: str  # readable text colour on ``fill``
    rich: str  # style name for rich in the terminal


# Hues chosen to stay apart for the common colour-vision deficiencies (blue/orange/red-purple rather
# than red/green alone); the symbols carry the meaning where colour cannot.
STATUS_STYLES: dict[str, StatusStyle] = {
    "on_track": StatusStyle("On track", "✓", "#d7ecd9", "#1b7a3d", "#0f4d25", "bold green"),
    "at_risk": StatusStyle("At risk", "!", "#ffe7b8", "#c77700", "#6b3f00", "bold dark_orange"),
    "off_track": StatusStyle("Off track", "✕", "#f9d0d0", "#c62828", "#7f1010", "bold red"),
    # The symbol is an en dash, spelled as an escape so it is not mistaken for a hyphen.
    "no_data": StatusStyle("No data", "\u2013", "#ececec", "#7a7a7a", "#333333", "dim"),
    # Shown, not scored: the period's observation window is still open (scorecard.is_provisional).
    "provisional": StatusStyle("Provisional", "◔", "#dff2ef", "#00796b", "#004d40", "cyan"),
    "no_target": StatusStyle("No target", "○", "#e3edf7", "#4a6f94", "#1f3b57", "steel_blue"),
    "untrusted": StatusStyle("Untrusted data", "?", "#eadcf3", "#7b3fa0", "#4a1d66", "bold magenta"),
}
STATUS_ORDER: tuple[str, ...] = tuple(STATUS_STYLES)
# The statuses that carry a score; every other one is shown but left out of roll-ups.
SCORED_STATUSES: tuple[str, ...] = ("on_track", "at_risk", "off_track")
# Drawn with a dashed border on a strategy map, SVG or Mermaid: shown, but not scored.
UNSCORED_STATUSES: tuple[str, ...] = tuple(s for s in STATUS_ORDER if s not in SCORED_STATUSES)
