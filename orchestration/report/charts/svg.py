"""SVG rendering: the report's pictures as inline ``<svg>`` elements, so a browser fetches nothing.

Trend charts are drawn by vl-convert from the Vega-Lite specs of ``trend_spec``; the strategy map
and the status bars are written here from the geometry of ``map_layout`` and the status palette.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import vl_convert
from markupsafe import Markup, escape

from orchestration.report.charts.map_layout import (
    BAND_HEIGHT,
    LABEL_WIDTH,
    MAP_WIDTH,
    NODE_HEIGHT,
    MapNode,
    RoutedLink,
    layout_strategy_map,
    route_links,
)
from orchestration.report.charts.trend_spec import trend_chart_spec
from orchestration.report.formatting import format_score, status_style
from orchestration.status_styles import SCORED_STATUSES, STATUS_ORDER, STATUS_STYLES, UNSCORED_STATUSES

_SVG_ID = re.compile(r'\bid="([^"]+)"')
_FONT_FAMILY = "Liberation Sans, DejaVu Sans, Arial, sans-serif"
_LINK_COLOUR = "#52627a"
_FAILED_COLOUR = "#c62828"
_LEGEND_HEIGHT = 44


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make an SVG's ids unique in the page: every inline chart from vl-convert names its clip ``clip1``."""
    for element_id in set(_SVG_ID.findall(svg)):
        new_id = f"{prefix}-{element_id}"
        svg = svg.replace(f'id="{element_id}"', f'id="{new_id}"')
        svg = svg.replace(f"url(#{element_id})", f"url(#{new_id})")
        svg = svg.replace(f'href="#{element_id}"', f'href="#{new_id}"')
    return svg


def render_trend_chart(
    history: Sequence[dict[str, Any]], unit: str | None, *, title: str, chart_id: str
) -> Markup:
    """The trend chart as inline ``<svg>`` with an accessible title; empty markup without history."""
    if not history:
        return Markup("")
    svg = vl_convert.vegalite_to_svg(trend_chart_spec(history, unit, title=title))
    svg = _prefix_ids(svg, chart_id)
    # An accessible name for screen readers, and a class for styling and tests (vl-convert's root
    # element already has a class attribute; a second one would be ignored).
    opening, rest = svg.split(">", 1)
    opening = re.sub(r'\sclass="([^"]*)"', r' class="\1 trend-chart"', opening, count=1)
    if "trend-chart" not in opening:
        opening += ' class="trend-chart"'
    return Markup(f'{opening} role="img" aria-label="{escape(title)}">{rest}')


# --- the strategy map ------------------------------------------------------------------------------


def _wrap(text: str, width_px: float, *, max_lines: int = 2) -> list[str]:
    chars = max(8, int(width_px / 7.4))
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            textwrap.shorten(" ".join(lines[max_lines - 1 :]), chars, placeholder="…"),
        ]
    return lines


def _band_svg(index: int, name: str) -> str:
    """A band's background, shaded alternately, and the perspective's name at its left."""
    top = index * BAND_HEIGHT
    shade = "#f7f9fc" if index % 2 == 0 else "#eef2f7"
    label_lines = _wrap(name, LABEL_WIDTH - 24)
    first_y = top + BAND_HEIGHT / 2 - (len(label_lines) - 1) * 9
    tspans = "".join(
        f'<tspan x="16" y="{first_y + i * 18:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(label_lines)
    )
    return (
        f'<rect x="0" y="{top}" width="{MAP_WIDTH}" height="{BAND_HEIGHT}" fill="{shade}"/>'
        f'<text class="band-label" font-size="15" font-weight="700" fill="#24324a">{tspans}</text>'
    )


def _arrow_markers() -> str:
    """The arrowheads: grey for a link, red for a link whose assumption failed."""
    return (
        "<defs>"
        + "".join(
            f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for marker_id, colour in (("map-arrow", _LINK_COLOUR), ("map-arrow-failed", _FAILED_COLOUR))
        )
        + "</defs>"
    )


def _link_svg(routed: RoutedLink) -> str:
    """A link as an arrow with a tooltip; a failed assumption dashed red and labelled on the arrow."""
    link = routed.link
    failed = bool(link.get("assumption_failed"))
    title = f"{link['cause_objective_name']} → {link['effect_objective_name']}"
    if link.get("assumption"):
        title += f": {link['assumption']}"
    if failed:
        title += " (assumption judged failed in a review)"
    stroke = (
        f'stroke="{_FAILED_COLOUR}" stroke-dasharray="6 4" stroke-width="2.2"'
        if failed
        else f'stroke="{_LINK_COLOUR}" stroke-width="1.6"'
    )
    marker = "map-arrow-failed" if failed else "map-arrow"
    svg = (
        f'<g class="map-link{" failed" if failed else ""}"><title>{escape(title)}</title>'
        f'<path d="{routed.path}" fill="none" {stroke} marker-end="url(#{marker})"/>'
    )
    if failed:
        mid_x, mid_y = routed.mid_x, routed.mid_y
        svg += (
            f'<rect x="{mid_x - 62:.1f}" y="{mid_y - 10:.1f}" width="124" height="18" rx="9" fill="#fff" '
            f'stroke="{_FAILED_COLOUR}"/><text x="{mid_x:.1f}" y="{mid_y + 3.5:.1f}" text-anchor="middle" '
            f'font-size="11" fill="#7f1010">✕ assumption failed</text>'
        )
    return svg + "</g>"


def _node_svg(node: MapNode) -> str:
    """An objective's box: its name, its status as symbol, word and score, and a tooltip with its owner."""
    style = status_style(node.status)
    left = node.x - node.width / 2
    top = node.y - NODE_HEIGHT / 2
    dash = ' stroke-dasharray="5 3"' if node.status in UNSCORED_STATUSES else ""
    name_lines = _wrap(node.name, node.width - 16)
    status_line = f"{style.symbol} {style.label}"
    if node.status in SCORED_STATUSES:
        status_line += f" · {format_score(node.score)}"
    title = f"{node.name}: {style.label}, score {format_score(node.score)}"
    if node.measured_in:
        status_line += f" ({node.measured_in})"
        title += f", measured quarterly: {node.measured_in}"
    if node.owner:
        title += f"; owner {node.owner}"
    text_top = top + 20 if len(name_lines) == 1 else top + 16
    name_spans = "".join(
        f'<tspan x="{node.x:.1f}" y="{text_top + i * 16:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(name_lines)
    )
    return (
        f'<g class="map-node status-{escape(node.status)}" data-objective="{escape(node.objective_id)}">'
        f"<title>{escape(title)}</title>"
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{node.width:.1f}" height="{NODE_HEIGHT}" rx="10" '
        f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="2"{dash}/>'
        f'<text text-anchor="middle" font-size="13" font-weight="600" fill="#1d2633">{name_spans}</text>'
        f'<text x="{node.x:.1f}" y="{top + NODE_HEIGHT - 11:.1f}" text-anchor="middle" font-size="12" '
        f'font-weight="700" fill="{style.text}">{escape(status_line)}</text></g>'
    )


def _legend_svg(legend_top: int) -> str:
    """Every status, so colours are never the only key, and the failed-assumption arrow."""
    parts = []
    x = 16.0
    for name in STATUS_ORDER:
        style = STATUS_STYLES[name]
        parts.append(
            f'<rect x="{x:.1f}" y="{legend_top}" width="22" height="18" rx="4" fill="{style.fill}" '
            f'stroke="{style.stroke}" stroke-width="1.5"/><text x="{x + 11:.1f}" y="{legend_top + 13}" '
            f'text-anchor="middle" font-size="11" font-weight="700" fill="{style.text}">{style.symbol}</text>'
            f'<text x="{x + 28:.1f}" y="{legend_top + 13}" font-size="12" fill="#333">'
            f"{escape(style.label)}</text>"
        )
        x += 40 + 7.2 * len(style.label)
    parts.append(
        f'<path d="M{x + 10:.1f},{legend_top + 9} h34" stroke="{_FAILED_COLOUR}" stroke-width="2.2" '
        'stroke-dasharray="6 4" '
        f'marker-end="url(#map-arrow-failed)"/><text x="{x + 52:.1f}" y="{legend_top + 13}" font-size="12" '
        'fill="#333">assumption judged failed</text>'
    )
    return "".join(parts)


def render_strategy_map(
    perspectives: Sequence[dict[str, Any]],
    objectives: Sequence[dict[str, Any]],
    links: Sequence[dict[str, Any]],
) -> Markup:
    """The strategy map as inline SVG: one band per perspective, objectives coloured by status, arrows.

    ``perspectives`` in display order (top first), ``objectives`` and ``links`` as published in
    ``objective_scores`` and ``strategy_map`` for one period. A failed assumption is a dashed red arrow.
    """
    layout = layout_strategy_map(perspectives, objectives, links)
    band_count = len(layout.band_ids)
    parts = [_band_svg(index, layout.band_names[pid]) for index, pid in enumerate(layout.band_ids)]
    parts.append(_arrow_markers())
    parts.extend(_link_svg(routed) for routed in route_links(layout, links))
    parts.extend(_node_svg(node) for node in layout.nodes.values())
    parts.append(_legend_svg(BAND_HEIGHT * band_count + 12))
    summary = (
        f"Strategy map: {len(layout.nodes)} objectives in {band_count} perspectives, "
        f"{len(links)} cause-and-effect links"
    )
    height = BAND_HEIGHT * band_count + _LEGEND_HEIGHT
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" role="img" '
        f'aria-label="{escape(summary)}" '
        f'viewBox="0 0 {MAP_WIDTH} {height}" width="100%" '
        f'font-family="{_FONT_FAMILY}">{"".join(parts)}</svg>'
    )


def status_bar(counts: dict[str, int], *, width: int = 220, height: int = 14) -> Markup:
    """A stacked bar of how many children have each status (so a green average never hides red)."""
    total = sum(counts.values())
    if total == 0:
        return Markup("")
    parts = []
    x = 0.0
    for name in STATUS_ORDER:
        count = counts.get(name, 0)
        if not count:
            continue
        segment = width * count / total
        style = STATUS_STYLES[name]
        parts.append(
            f'<rect x="{x:.1f}" y="0" width="{segment:.1f}" height="{height}" fill="{style.stroke}">'
            f"<title>{count} {escape(style.label.lower())}</title></rect>"
        )
        x += segment
    label = ", ".join(f"{counts[n]} {STATUS_STYLES[n].label.lower()}" for n in STATUS_ORDER if counts.get(n))
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="status-bar" role="img" aria-label="{escape(label)}" '
        f'width="100%" height="{height}" viewBox="0 0 {width} {height}" preserveAspectRatio="none">'
        f"{''.join(parts)}</svg>"
    )
