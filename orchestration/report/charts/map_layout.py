"""Strategy-map layout: where bands, objectives and arrows go, as numbers and SVG path data.

Perspectives are horizontal bands (the first in display order, normally financial, at the top);
each band's objectives are ordered so that arrows stay short, then spread evenly across it. Links
between objectives are routed through gaps between nodes. ``orchestration.report.charts.svg`` draws
what this module places.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAP_WIDTH = 1200
LABEL_WIDTH = 150
BAND_HEIGHT = 132
NODE_HEIGHT = 66
_NODE_MAX_WIDTH = 220
_NODE_GAP = 40


@dataclass(frozen=True)
class MapNode:
    """An objective placed on the map, with what its box shows."""

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
    plot_width = MAP_WIDTH - LABEL_WIDTH - 20
    width = min(_NODE_MAX_WIDTH, (plot_width - _NODE_GAP * (count - 1)) / count)
    total = width * count + _NODE_GAP * (count - 1)
    return width, LABEL_WIDTH + (plot_width - total) / 2


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


def _sides(cause: MapNode, effect: MapNode) -> tuple[str, str]:
    """Which side ('top'/'bottom') of cause and effect a non-neighbour link attaches to."""
    if abs(cause.y - effect.y) < 1:
        return "bottom", "bottom"
    return ("top", "bottom") if effect.y < cause.y else ("bottom", "top")


def _port_positions(pairs: Sequence[tuple[MapNode, MapNode]]) -> dict[tuple[int, str], float]:
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


def node_y(band_index: int) -> float:
    """The centre y of the nodes in a band (a little below the band's middle, under its arcs)."""
    return band_index * BAND_HEIGHT + BAND_HEIGHT / 2 + 8


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
    cause: MapNode,
    effect: MapNode,
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
    half = NODE_HEIGHT / 2
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


@dataclass(frozen=True)
class MapLayout:
    """Every band and node of a strategy map, placed: bands top first, nodes band by band."""

    band_ids: list[str]
    band_names: dict[str, str]
    nodes: dict[str, MapNode]
    # objective id → (band, position), to spot neighbours
    slot: dict[str, tuple[int, int]]
    # band → its nodes' (left, right)
    band_spans: dict[int, list[tuple[float, float]]]


@dataclass(frozen=True)
class RoutedLink:
    """A link to draw: its published row, its SVG path and a point near the path's middle for a label."""

    link: dict[str, Any]
    path: str
    mid_x: float
    mid_y: float


def _measured_in(row: dict[str, Any]) -> str | None:
    """The period actually measured when it is not the map's own (a quarterly-only objective in a month)."""
    if row.get("measured_period_label") not in (None, row.get("period_label")):
        return row.get("measured_period_label")
    return None


def layout_strategy_map(
    perspectives: Sequence[dict[str, Any]],
    objectives: Sequence[dict[str, Any]],
    links: Sequence[dict[str, Any]],
) -> MapLayout:
    """Place one band per perspective (display order, top first; unknown ones after) and their nodes."""
    band_ids = [row["perspective_id"] for row in perspectives]
    band_names = {row["perspective_id"]: row["perspective_name"] for row in perspectives}
    for row in objectives:
        if row["perspective_id"] not in band_names:
            band_ids.append(row["perspective_id"])
            band_names[row["perspective_id"]] = row["perspective_name"]
    bands = [[row for row in objectives if row["perspective_id"] == pid] for pid in band_ids]
    # Order within bands bottom-up, so causes sit under their effects.
    bands = list(reversed(_order_band_members(list(reversed(bands)), links)))
    nodes: dict[str, MapNode] = {}
    slot: dict[str, tuple[int, int]] = {}
    band_spans: dict[int, list[tuple[float, float]]] = {}
    for index, members in enumerate(bands):
        if not members:
            continue
        width, left = _band_layout(len(members))
        for position, row in enumerate(members):
            slot[row["objective_id"]] = (index, position)
            band_spans.setdefault(index, []).append(
                (left + position * (width + _NODE_GAP), left + position * (width + _NODE_GAP) + width)
            )
            nodes[row["objective_id"]] = MapNode(
                objective_id=row["objective_id"],
                name=row["objective_name"],
                status=row["status"],
                score=row.get("score"),
                owner=row.get("owner"),
                measured_in=_measured_in(row),
                x=left + position * (width + _NODE_GAP) + width / 2,
                y=node_y(index),
                width=width,
            )
    return MapLayout(band_ids, band_names, nodes, slot, band_spans)


def route_links(layout: MapLayout, links: Sequence[dict[str, Any]]) -> list[RoutedLink]:
    """A path for every link whose two objectives are on the map, in the order of ``links``.

    Neighbours in a band get a straight arrow; other links leave and enter their nodes at spread-out
    ports (``_port_positions``) and pass the bands between them through gaps (``_detour_x``).
    """
    nodes, slot = layout.nodes, layout.slot
    drawn = [
        (link, nodes[link["cause_objective_id"]], nodes[link["effect_objective_id"]])
        for link in links
        if link["cause_objective_id"] in nodes and link["effect_objective_id"] in nodes
    ]

    def neighbours(cause: MapNode, effect: MapNode) -> bool:
        (cause_band, cause_pos), (effect_band, effect_pos) = (
            slot[cause.objective_id],
            slot[effect.objective_id],
        )
        return cause_band == effect_band and abs(cause_pos - effect_pos) == 1

    ports = _port_positions([(cause, effect) for _, cause, effect in drawn if not neighbours(cause, effect)])
    port_index = 0
    routed: list[RoutedLink] = []
    for link, cause, effect in drawn:
        adjacent = neighbours(cause, effect)
        start_x = end_x = 0.0
        if not adjacent:
            start_x, end_x = ports[(port_index, "start")], ports[(port_index, "end")]
            port_index += 1
        low, high = sorted((slot[cause.objective_id][0], slot[effect.objective_id][0]))
        crossed = [(node_y(band), layout.band_spans.get(band, [])) for band in range(low + 1, high)]
        if slot[cause.objective_id][0] > slot[effect.objective_id][0]:
            crossed.reverse()  # listed from the cause's end
        path, mid_x, mid_y = _edge_path(
            cause, effect, adjacent=adjacent, start_x=start_x, end_x=end_x, between=crossed
        )
        routed.append(RoutedLink(link, path, mid_x, mid_y))
    return routed
