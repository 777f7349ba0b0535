"""Pictures for the report, as inline SVG: trend charts (Vega-Lite via vl-convert) and the strategy map.

The strategy map is drawn from Python geometry: perspectives as horizontal bands (the first
perspective in display order, normally financial, at the top), objectives as nodes coloured by
their status, cause → effect links as arrows. Nothing is fetched by a browser: every chart is an
``<svg>`` element in the page.
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import vl_convert
from markupsafe import Markup, escape

from orchestration.report.formatting import (
    SCORED_STATUSES,
    STATUS_ORDER,
    STATUS_STYLES,
    UNSCORED_STATUSES,
    format_score,
    status_style,
)

_SVG_ID = re.compile(r'\bid="([^"]+)"')

# How a unit's axis labels are written (d3-format types): an SI prefix ("$20M", "1.5k"), a percentage
# of a fraction, or a fixed-point number. The precision is not fixed per unit: it follows each
# chart's tick step (see ``y_axis_ticks``), so distinct ticks never print alike ("3.9, 4.0, 4.1",
# never "4, 4, 4"). Units not listed (a company's own, e.g. "minutes") read as SI numbers.
_AXIS_STYLES: dict[str, str] = {
    "usd": "currency",
    "percent": "percent",
    "count": "si",
    "days": "fixed",
    "hours": "fixed",
    "score": "fixed",
}
# At most this many y ticks on an 80 px high small multiple: labels stay readable and apart.
_MAX_Y_TICKS = 4
_TOOLTIP_FORMATS: dict[str, str] = {
    "usd": "$,.0f",
    "percent": ".1%",
    "count": ",.1~f",
    "days": ".1f",
    "hours": ".1f",
    "score": ".1f",
}
_ACTUAL_COLOUR = "#1f4e79"
_TARGET_COLOUR = "#8a8a8a"


def _prefix_ids(svg: str, prefix: str) -> str:
    """Make an SVG's ids unique in the page: every inline chart from vl-convert names its clip ``clip1``."""
    for element_id in set(_SVG_ID.findall(svg)):
        new_id = f"{prefix}-{element_id}"
        svg = svg.replace(f'id="{element_id}"', f'id="{new_id}"')
        svg = svg.replace(f"url(#{element_id})", f"url(#{new_id})")
        svg = svg.replace(f'href="#{element_id}"', f'href="#{new_id}"')
    return svg


@dataclass(frozen=True)
class AxisTicks:
    """A y axis laid out in Python: its nice domain, every tick value and the d3 format of their labels."""

    domain: tuple[float, float]
    values: tuple[float, ...]
    label_format: str


def _exponent(value: float) -> int:
    """The decimal exponent of ``value``: 3 for 1,234, -2 for 0.05."""
    return math.floor(math.log10(abs(value)))


def _label_format(unit: str | None, ticks: Sequence[float], power: int) -> str:
    """The d3 format that writes each tick with just the digits its step needs, in the unit's style.

    A step of ``f * 10**power`` needs ``-power`` decimals as a plain number, two fewer as a percentage
    of a fraction, and, with an SI prefix, as many significant digits as separate the largest tick's
    exponent from the step's: ticks 1.20M, 1.25M, 1.30M need three.
    """
    style = _AXIS_STYLES.get(unit or "", "si")
    if style == "fixed":
        return f".{max(0, -power)}f"
    if style == "percent":
        return f".{max(0, -power - 2)}%"
    largest = max((abs(tick) for tick in ticks), default=0.0)
    digits = _exponent(largest) - power + 1 if largest else 1
    prefix = "$" if style == "currency" else ""
    return f"{prefix}.{min(21, max(1, digits))}~s"


def y_axis_ticks(
    values: Iterable[object], unit: str | None, *, max_ticks: int = _MAX_Y_TICKS
) -> AxisTicks | None:
    """Nice y ticks for a trend chart's ``values`` (None ignored), labelled so that no two read alike.

    The step is the finest of 1, 2 or 5 times a power of ten that covers the values in at most
    ``max_ticks`` ticks; the domain runs from the tick below the lowest value to the tick above the
    highest (Vega-Lite's ``nice``). The label precision follows the step (``_label_format``). None
    when there is no value to plot.
    """
    numbers = [float(value) for value in values if value is not None and not math.isnan(float(value))]
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    if high == low:
        # A flat line: a band around it, so the axis still shows a scale.
        pad = abs(low) * 0.05 or (0.01 if unit == "percent" else 1.0)
        low, high = low - pad, high + pad
    power = math.floor(math.log10((high - low) / (max_ticks - 1)))
    factors = itertools.cycle((1, 2, 5))
    while True:
        factor = next(factors)
        size = factor * 10.0**power
        # A whisker of tolerance: 0.3 / 0.1 is 2.9999999999999996 in floating point.
        first, last = math.floor(low / size + 1e-9), math.ceil(high / size - 1e-9)
        if last - first < max_ticks:
            break
        if factor == 5:
            power += 1
    decimals = max(0, -power)
    ticks = tuple(round(index * factor * 10.0**power, decimals) + 0.0 for index in range(first, last + 1))
    return AxisTicks(
        domain=(ticks[0], ticks[-1]), values=ticks, label_format=_label_format(unit, ticks, power)
    )


def trend_chart_spec(history: Sequence[dict[str, Any]], unit: str | None, *, title: str) -> dict[str, Any]:
    """A small Vega-Lite chart: actual (solid, points coloured by status) against target (dashed)."""
    values = [
        {
            "period": row["period_start"].isoformat(),
            "label": row["period_label"],
            "actual": row["actual"],
            "target": row["target"],
            "status": status_style(row["status"]).label,
        }
        for row in history
    ]
    ticks = y_axis_ticks([value for row in history for value in (row["actual"], row["target"])], unit)
    tooltip_format = _TOOLTIP_FORMATS.get(unit or "", ",.2~f")
    x = {
        "field": "period",
        "type": "temporal",
        "timeUnit": "utcyearmonth",
        "title": None,
        "axis": {"format": "%b %y", "labelAngle": 0, "tickCount": 4, "grid": False, "labelColor": "#555"},
    }
    y_axis: dict[str, Any] = {"labelColor": "#555", "gridColor": "#eee"}
    # Movement matters more than distance from zero in a small multiple.
    y_scale: dict[str, Any] = {"zero": False, "nice": True}
    if ticks is None:
        y_axis |= {"tickCount": _MAX_Y_TICKS - 1, "format": _label_format(unit, (), 0)}
    else:
        # The ticks and their precision are chosen here, not by Vega, so the labels are exact.
        # tickCount too: Vega thins explicit values down to its count (2 for a chart this high).
        y_axis |= {
            "values": list(ticks.values),
            "tickCount": len(ticks.values),
            "format": ticks.label_format,
        }
        y_scale = {"zero": False, "nice": False, "domain": list(ticks.domain)}
    status_scale = {
        "domain": [STATUS_STYLES[name].label for name in STATUS_ORDER],
        "range": [STATUS_STYLES[name].stroke for name in STATUS_ORDER],
    }
    status_shapes = {
        "domain": [STATUS_STYLES[name].label for name in STATUS_ORDER],
        "range": ["circle", "triangle-up", "cross", "square", "diamond", "triangle-down"],
    }
    tooltip = [
        {"field": "label", "title": "period"},
        {"field": "actual", "format": tooltip_format},
        {"field": "target", "format": tooltip_format},
        {"field": "status"},
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": title,
        "width": 250,
        "height": 80,
        "padding": 4,
        "background": "white",
        "config": {"view": {"stroke": None}, "font": "Liberation Sans, DejaVu Sans, Arial, sans-serif"},
        "data": {"values": values},
        "encoding": {"x": x},
        "layer": [
            {
                "mark": {"type": "line", "strokeDash": [5, 3], "color": _TARGET_COLOUR, "strokeWidth": 1.5},
                "encoding": {
                    "y": {
                        "field": "target",
                        "type": "quantitative",
                        "title": None,
                        "axis": y_axis,
                        "scale": y_scale,
                    },
                },
            },
            {
                "mark": {"type": "line", "color": _ACTUAL_COLOUR, "strokeWidth": 2},
                "encoding": {"y": {"field": "actual", "type": "quantitative", "title": None}},
            },
            {
                "mark": {"type": "point", "filled": True, "size": 36, "opacity": 1},
                "encoding": {
                    "y": {"field": "actual", "type": "quantitative", "title": None},
                    "color": {"field": "status", "type": "nominal", "scale": status_scale, "legend": None},
                    "shape": {"field": "status", "type": "nominal", "scale": status_shapes, "legend": None},
                    "tooltip": tooltip,
                },
            },
        ],
        "resolve": {"scale": {"y": "shared"}},
    }


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

_MAP_WIDTH = 1200
_LABEL_WIDTH = 150
_BAND_HEIGHT = 132
_NODE_HEIGHT = 66
_NODE_MAX_WIDTH = 220
_NODE_GAP = 40


@dataclass(frozen=True)
class _Node:
    objective_id: str
    name: str
    status: str
    score: object
    owner: str | None
    # The period actually measured when it is not the map's own (a quarterly-only objective in a month).
    measured_in: str | None
    x: float  # centre
    y: float  # centre
    width: float


def _band_layout(count: int) -> tuple[float, float]:
    """Node width and the left edge of the first node for a band of ``count`` objectives, centred."""
    plot_width = _MAP_WIDTH - _LABEL_WIDTH - 20
    width = min(_NODE_MAX_WIDTH, (plot_width - _NODE_GAP * (count - 1)) / count)
    total = width * count + _NODE_GAP * (count - 1)
    return width, _LABEL_WIDTH + (plot_width - total) / 2


def _centre_x(count: int, position: int) -> float:
    width, left = _band_layout(count)
    return left + position * (width + _NODE_GAP) + width / 2


# Bands with more objectives than this are ordered by the barycentre heuristic alone.
_MAX_PERMUTED_BAND = 6


def _mean_linked_x(
    objective_id: str,
    band_index: int,
    pairs: Sequence[tuple[str, str]],
    band_of: dict[str, int],
    placed: dict[str, float],
) -> float:
    """The mean x of the objectives in other bands that ``objective_id`` is linked to (its own if none)."""
    others = [
        effect if cause == objective_id else cause
        for cause, effect in pairs
        if objective_id in (cause, effect)
    ]
    linked = [placed[other] for other in others if band_of.get(other) != band_index and other in placed]
    return sum(linked) / len(linked) if linked else placed[objective_id]


def _order_band_members(
    bands: list[list[dict[str, Any]]], links: Sequence[dict[str, Any]]
) -> list[list[dict[str, Any]]]:
    """Order each band's objectives so arrows are short and a band's linked objectives sit side by side.

    ``bands`` bottom first. Each band in turn (sweeping up, down and up again) takes the order that
    minimises the horizontal length of its links to other bands, with a penalty for links inside the
    band between objectives that are not neighbours (their arrow would have to pass others). Bands of
    up to six objectives try every order; larger ones sort by the mean position of their links.
    """
    pairs = [(link["cause_objective_id"], link["effect_objective_id"]) for link in links]
    ordered = [list(band) for band in bands]
    band_of = {row["objective_id"]: index for index, band in enumerate(ordered) for row in band}

    def x_positions() -> dict[str, float]:
        return {
            row["objective_id"]: _centre_x(len(band), position)
            for band in ordered
            for position, row in enumerate(band)
        }

    def cost(candidate: Sequence[dict[str, Any]], band_index: int, placed: dict[str, float]) -> float:
        own = {row["objective_id"]: position for position, row in enumerate(candidate)}
        total = 0.0
        for cause, effect in pairs:
            if cause in own and effect in own:
                total += 400.0 * (abs(own[cause] - own[effect]) - 1)
            elif cause in own or effect in own:
                here, there = (cause, effect) if cause in own else (effect, cause)
                if there in placed:
                    distance = abs(_centre_x(len(candidate), own[here]) - placed[there])
                    total += distance / max(1, abs(band_of[there] - band_index))
        return total

    upward = list(range(1, len(ordered)))
    sweep = [0, *upward, *range(len(ordered) - 2, -1, -1), *upward]
    for band_index in sweep:
        band = ordered[band_index]
        if len(band) < 2:
            continue
        placed = x_positions()
        if len(band) <= _MAX_PERMUTED_BAND:
            ordered[band_index] = list(
                min(itertools.permutations(band), key=lambda order: cost(order, band_index, placed))
            )
        else:
            ordered[band_index] = sorted(
                band, key=lambda row: _mean_linked_x(row["objective_id"], band_index, pairs, band_of, placed)
            )
    return ordered


def _wrap(text: str, width_px: float, *, max_lines: int = 2) -> list[str]:
    chars = max(8, int(width_px / 7.4))
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            textwrap.shorten(" ".join(lines[max_lines - 1 :]), chars, placeholder="…"),
        ]
    return lines


def _sides(cause: _Node, effect: _Node) -> tuple[str, str]:
    """Which side ('top'/'bottom') of cause and effect a non-neighbour link attaches to."""
    if abs(cause.y - effect.y) < 1:
        return "bottom", "bottom"
    return ("top", "bottom") if effect.y < cause.y else ("bottom", "top")


def _port_positions(pairs: Sequence[tuple[_Node, _Node]]) -> dict[tuple[int, str], float]:
    """x of each link's start and end, spread along the node's side so arrows do not share a point.

    Keyed by (link index, 'start' | 'end'); links on one side of a node are ordered by the x of the
    node at their other end, so they do not cross each other at the node.
    """
    sides: dict[tuple[str, str], list[tuple[float, int, str]]] = {}
    for index, (cause, effect) in enumerate(pairs):
        cause_side, effect_side = _sides(cause, effect)
        sides.setdefault((cause.objective_id, cause_side), []).append((effect.x, index, "start"))
        sides.setdefault((effect.objective_id, effect_side), []).append((cause.x, index, "end"))
    by_id = {node.objective_id: node for pair in pairs for node in pair}
    ports: dict[tuple[int, str], float] = {}
    for (objective_id, _side), attached in sides.items():
        node = by_id[objective_id]
        span = node.width * 0.6
        attached.sort()
        for rank, (_other_x, index, end) in enumerate(attached):
            offset = 0.0 if len(attached) == 1 else span * (rank / (len(attached) - 1) - 0.5)
            ports[(index, end)] = node.x + offset
    return ports


def _node_y(band_index: int) -> float:
    """The centre y of the nodes in a band (a little below the band's middle, under its arcs)."""
    return band_index * _BAND_HEIGHT + _BAND_HEIGHT / 2 + 8


def _detour_x(x: float, spans: Sequence[tuple[float, float]]) -> float:
    """``x`` if it is clear of every node span in a band, else the centre of the nearest free gap."""
    margin = 10.0
    if all(not (left - margin < x < right + margin) for left, right in spans):
        return x
    ordered = sorted(spans)
    gaps = [ordered[0][0] - 2 * margin]
    gaps += [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(ordered)]
    gaps.append(ordered[-1][1] + 2 * margin)
    return min(gaps, key=lambda gap: abs(gap - x))


def _edge_path(
    cause: _Node,
    effect: _Node,
    *,
    adjacent: bool,
    start_x: float,
    end_x: float,
    between: Sequence[tuple[float, Sequence[tuple[float, float]]]] = (),
) -> tuple[str, float, float]:
    """An SVG path from cause to effect, and a point near its middle for a label.

    ``between`` lists, for each band the link crosses on its way, the band's node y and its nodes'
    (left, right) spans: the path passes those bands through a gap, never behind a node.
    """
    half = _NODE_HEIGHT / 2
    if abs(cause.y - effect.y) < 1 and adjacent:
        # Neighbours in one band: a straight arrow between their facing sides.
        rightward = effect.x > cause.x
        start = (cause.x + (cause.width / 2 if rightward else -cause.width / 2), cause.y)
        end = (effect.x + (-effect.width / 2 - 3 if rightward else effect.width / 2 + 3), effect.y)
        path = f"M{start[0]:.1f},{start[1]:.1f} L{end[0]:.1f},{end[1]:.1f}"
        return path, (start[0] + end[0]) / 2, start[1] - 12
    if abs(cause.y - effect.y) < 1:
        # Farther apart in one band: an arc under the nodes between them.
        start = (start_x, cause.y + half)
        end = (end_x, effect.y + half + 3)
        drop = 20.0
        path = (
            f"M{start[0]:.1f},{start[1]:.1f} C{start[0]:.1f},{start[1] + drop:.1f} "
            f"{end[0]:.1f},{end[1] + drop:.1f} {end[0]:.1f},{end[1]:.1f}"
        )
        return path, (start[0] + end[0]) / 2, start[1] + drop * 0.75
    upward = effect.y < cause.y
    start = (start_x, cause.y + (-half if upward else half))
    end = (end_x, effect.y + (half + 3 if upward else -half - 3))
    points = [start]
    for band_y, spans in between:
        share = (band_y - start[1]) / (end[1] - start[1])
        points.append((_detour_x(start[0] + share * (end[0] - start[0]), spans), band_y))
    points.append(end)
    # Vertical tangents at every point: smooth S-curves through the gaps.
    segments = []
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        bend = (y2 - y1) / 2
        segments.append(f"C{x1:.1f},{y1 + bend:.1f} {x2:.1f},{y2 - bend:.1f} {x2:.1f},{y2:.1f}")
    middle = len(points) // 2
    if len(points) % 2 == 0:
        mid = (
            (points[middle - 1][0] + points[middle][0]) / 2,
            (points[middle - 1][1] + points[middle][1]) / 2,
        )
    else:
        mid = points[middle]
    return f"M{start[0]:.1f},{start[1]:.1f} " + " ".join(segments), mid[0], mid[1]


def render_strategy_map(
    perspectives: Sequence[dict[str, Any]],
    objectives: Sequence[dict[str, Any]],
    links: Sequence[dict[str, Any]],
) -> Markup:
    """The strategy map as inline SVG: one band per perspective, objectives coloured by status, arrows.

    ``perspectives`` in display order (top first), ``objectives`` and ``links`` as published in
    ``objective_scores`` and ``strategy_map`` for one period. A failed assumption is a dashed red arrow.
    """
    band_ids = [row["perspective_id"] for row in perspectives]
    band_names = {row["perspective_id"]: row["perspective_name"] for row in perspectives}
    for row in objectives:
        if row["perspective_id"] not in band_names:
            band_ids.append(row["perspective_id"])
            band_names[row["perspective_id"]] = row["perspective_name"]
    bands = [[row for row in objectives if row["perspective_id"] == pid] for pid in band_ids]
    # Order within bands bottom-up, so causes sit under their effects.
    bands = list(reversed(_order_band_members(list(reversed(bands)), links)))

    legend_height = 44
    height = _BAND_HEIGHT * len(band_ids) + legend_height
    nodes: dict[str, _Node] = {}
    slot: dict[str, tuple[int, int]] = {}  # objective id → (band, position), to spot neighbours
    band_spans: dict[int, list[tuple[float, float]]] = {}  # band → its nodes' (left, right)
    parts: list[str] = []
    for index, (pid, members) in enumerate(zip(band_ids, bands, strict=True)):
        top = index * _BAND_HEIGHT
        shade = "#f7f9fc" if index % 2 == 0 else "#eef2f7"
        parts.append(f'<rect x="0" y="{top}" width="{_MAP_WIDTH}" height="{_BAND_HEIGHT}" fill="{shade}"/>')
        label_lines = _wrap(band_names[pid], _LABEL_WIDTH - 24)
        first_y = top + _BAND_HEIGHT / 2 - (len(label_lines) - 1) * 9
        tspans = "".join(
            f'<tspan x="16" y="{first_y + i * 18:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(label_lines)
        )
        parts.append(
            f'<text class="band-label" font-size="15" font-weight="700" fill="#24324a">{tspans}</text>'
        )
        if not members:
            continue
        width, left = _band_layout(len(members))
        for position, row in enumerate(members):
            slot[row["objective_id"]] = (index, position)
            band_spans.setdefault(index, []).append(
                (left + position * (width + _NODE_GAP), left + position * (width + _NODE_GAP) + width)
            )
            nodes[row["objective_id"]] = _Node(
                objective_id=row["objective_id"],
                name=row["objective_name"],
                status=row["status"],
                score=row.get("score"),
                owner=row.get("owner"),
                measured_in=(
                    row.get("measured_period_label")
                    if row.get("measured_period_label") not in (None, row.get("period_label"))
                    else None
                ),
                x=left + position * (width + _NODE_GAP) + width / 2,
                y=_node_y(index),
                width=width,
            )

    parts.append(
        "<defs>"
        + "".join(
            f'<marker id="{marker_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
            for marker_id, colour in (("map-arrow", "#52627a"), ("map-arrow-failed", "#c62828"))
        )
        + "</defs>"
    )
    drawn = [
        (link, nodes[link["cause_objective_id"]], nodes[link["effect_objective_id"]])
        for link in links
        if link["cause_objective_id"] in nodes and link["effect_objective_id"] in nodes
    ]

    def neighbours(cause: _Node, effect: _Node) -> bool:
        (cause_band, cause_pos), (effect_band, effect_pos) = (
            slot[cause.objective_id],
            slot[effect.objective_id],
        )
        return cause_band == effect_band and abs(cause_pos - effect_pos) == 1

    ports = _port_positions([(cause, effect) for _, cause, effect in drawn if not neighbours(cause, effect)])
    port_index = 0
    for link, cause, effect in drawn:
        adjacent = neighbours(cause, effect)
        start_x = end_x = 0.0
        if not adjacent:
            start_x, end_x = ports[(port_index, "start")], ports[(port_index, "end")]
            port_index += 1
        low, high = sorted((slot[cause.objective_id][0], slot[effect.objective_id][0]))
        crossed = [(_node_y(band), band_spans.get(band, [])) for band in range(low + 1, high)]
        if slot[cause.objective_id][0] > slot[effect.objective_id][0]:
            crossed.reverse()  # listed from the cause's end
        path, mid_x, mid_y = _edge_path(
            cause, effect, adjacent=adjacent, start_x=start_x, end_x=end_x, between=crossed
        )
        failed = bool(link.get("assumption_failed"))
        title = f"{link['cause_objective_name']} → {link['effect_objective_name']}"
        if link.get("assumption"):
            title += f": {link['assumption']}"
        if failed:
            title += " (assumption judged failed in a review)"
        stroke = (
            'stroke="#c62828" stroke-dasharray="6 4" stroke-width="2.2"'
            if failed
            else 'stroke="#52627a" stroke-width="1.6"'
        )
        marker = "map-arrow-failed" if failed else "map-arrow"
        parts.append(
            f'<g class="map-link{" failed" if failed else ""}"><title>{escape(title)}</title>'
            f'<path d="{path}" fill="none" {stroke} marker-end="url(#{marker})"/>'
        )
        if failed:
            parts.append(
                f'<rect x="{mid_x - 62:.1f}" y="{mid_y - 10:.1f}" width="124" height="18" rx="9" fill="#fff" '
                f'stroke="#c62828"/><text x="{mid_x:.1f}" y="{mid_y + 3.5:.1f}" text-anchor="middle" '
                f'font-size="11" fill="#7f1010">✕ assumption failed</text>'
            )
        parts.append("</g>")
    for node in nodes.values():
        style = status_style(node.status)
        left = node.x - node.width / 2
        top = node.y - _NODE_HEIGHT / 2
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
        parts.append(
            f'<g class="map-node status-{escape(node.status)}" data-objective="{escape(node.objective_id)}">'
            f"<title>{escape(title)}</title>"
            f'<rect x="{left:.1f}" y="{top:.1f}" width="{node.width:.1f}" height="{_NODE_HEIGHT}" rx="10" '
            f'fill="{style.fill}" stroke="{style.stroke}" stroke-width="2"{dash}/>'
            f'<text text-anchor="middle" font-size="13" font-weight="600" fill="#1d2633">{name_spans}</text>'
            f'<text x="{node.x:.1f}" y="{top + _NODE_HEIGHT - 11:.1f}" text-anchor="middle" font-size="12" '
            f'font-weight="700" fill="{style.text}">{escape(status_line)}</text></g>'
        )
    # Legend: every status, so colours are never the only key.
    legend_top = _BAND_HEIGHT * len(band_ids) + 12
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
        f'<path d="M{x + 10:.1f},{legend_top + 9} h34" stroke="#c62828" stroke-width="2.2" '
        'stroke-dasharray="6 4" '
        f'marker-end="url(#map-arrow-failed)"/><text x="{x + 52:.1f}" y="{legend_top + 13}" font-size="12" '
        'fill="#333">assumption judged failed</text>'
    )
    summary = (
        f"Strategy map: {len(nodes)} objectives in {len(band_ids)} perspectives, "
        f"{len(links)} cause-and-effect links"
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="strategy-map" role="img" '
        f'aria-label="{escape(summary)}" '
        f'viewBox="0 0 {_MAP_WIDTH} {height}" width="100%" '
        f'font-family="Liberation Sans, DejaVu Sans, Arial, sans-serif">{"".join(parts)}</svg>'
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
