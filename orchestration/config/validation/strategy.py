"""strategy.yml: the company, perspectives, segments, objectives and the strategy map (no cycles)."""

from __future__ import annotations

from itertools import pairwise

from pydantic import TypeAdapter

from orchestration.config.models import (
    DEFAULT_PERSPECTIVES,
    Objective,
    Perspective,
    SegmentDimension,
    StrategyLink,
)
from orchestration.config.models import Company as CompanyModel
from orchestration.config.validation.core import STRATEGY, FileChecker, Located, Parsed, State, find_cycles
from orchestration.config.validation.references import check_references


def parse(strategy: FileChecker, parsed: Parsed) -> None:
    """Read strategy.yml's sections into ``parsed`` (the four default perspectives when it has none)."""
    parsed.company = strategy.one("company", TypeAdapter(CompanyModel))
    if "perspectives" in strategy.data:
        parsed.perspectives_explicit = True
        parsed.perspectives = strategy.items("perspectives", Perspective)
    else:
        parsed.perspectives = [
            Located(perspective, STRATEGY, ("perspectives", index))
            for index, perspective in enumerate(DEFAULT_PERSPECTIVES)
        ]
    parsed.segments = strategy.one("segments", TypeAdapter(dict[SegmentDimension, list[str]]), default={})
    parsed.objectives = strategy.items("objectives", Objective)
    parsed.links = strategy.items("strategy_map", StrategyLink)


def check(state: State, parsed: Parsed) -> None:
    """Unique ids and links, references to perspectives and objectives, segment values, no cycles."""
    state.check_ids(parsed.perspectives, "perspective")
    state.check_ids(parsed.objectives, "objective")
    state.check_duplicates(
        parsed.links, "strategy-map link", lambda model: f"{model.cause} -> {model.effect}"
    )
    for located in parsed.objectives:
        check_references(state, parsed, located, ("objectives",))
    for located in parsed.links:
        check_references(state, parsed, located, ("strategy_map",))
    for dimension, values in parsed.segments.items():
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value in seen:
                state.error(
                    STRATEGY,
                    ("segments", dimension, index),
                    f"segment value `{value}` is listed twice for `{dimension}`.",
                    "remove the duplicate",
                    "duplicate_id",
                )
            seen.add(value)
    _check_cycles(state, parsed)


def _check_cycles(state: State, parsed: Parsed) -> None:
    edges = [(located.model.cause, located.model.effect) for located in parsed.links]
    position = {edge: index for index, edge in enumerate(edges)}
    for cycle in find_cycles(edges):
        # Report the cycle at its link listed last in the file (usually the one just added), named so
        # that this link is the arrow that closes it.
        cycle_edges = list(pairwise(cycle))
        last = max(range(len(cycle_edges)), key=lambda index: position[cycle_edges[index]])
        rotated = cycle_edges[last + 1 :] + cycle_edges[: last + 1]
        named = [rotated[0][0], *(effect for _, effect in rotated)]
        closing = parsed.links[position[cycle_edges[last]]]
        state.error(
            STRATEGY,
            closing.path,
            "the strategy map has a cycle: " + " → ".join(named) + ".",
            "cause and effect run one way (learning → process → customer → financial): "
            "remove or reverse one of the links in this cycle",
            "strategy_map_cycle",
        )
