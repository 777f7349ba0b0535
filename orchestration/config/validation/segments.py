"""Segment dimensions and filters against strategy.yml ``segments``: a measure's ``slice_by``, and the
``segment:`` filter of a target or a cascaded scorecard."""

from __future__ import annotations

from collections.abc import Mapping

from orchestration.config.models import Measure, SegmentDimension
from orchestration.config.validation.core import Parsed, State
from orchestration.issues import PathKey, did_you_mean


def resolved_slice_by(measure: Measure, segments: Mapping[str, list[str]]) -> list[str]:
    """The dimensions a measure is sliced by: its ``slice_by``, or every declared one when unset."""
    return list(segments) if measure.slice_by is None else list(measure.slice_by)


def check_dimension(
    state: State, file: str, path: PathKey, dimension: str, parsed: Parsed, otherwise: str
) -> bool:
    """``dimension`` is declared in strategy.yml segments; else an error whose fix ends ``otherwise``."""
    if dimension in parsed.segments:
        return True
    declared = ", ".join(parsed.segments) or "none"
    state.error(
        file,
        path,
        f"`{dimension}` is not a segment dimension declared in strategy.yml segments (declared: {declared}).",
        f"declare it there with its values (`segments: {{{dimension}: [...]}}`)"
        + did_you_mean(dimension, list(parsed.segments))
        + f", or {otherwise}",
        "unknown_reference",
    )
    return False


def check_segment(
    state: State,
    file: str,
    path: PathKey,
    segment: dict[SegmentDimension, str],
    measures: list[Measure],
    parsed: Parsed,
) -> bool:
    """A segment filter names one declared dimension, a declared value of it, and only measures
    sliced by that dimension."""
    if len(segment) > 1:
        named = ", ".join(f"{dimension}: {value}" for dimension, value in segment.items())
        state.error(
            file,
            path,
            f"the segment filter {{{named}}} names {len(segment)} dimensions; measure values are sliced "
            "by one dimension at a time.",
            "keep the one dimension this entry is about (e.g. the branch, not also its country)",
            "invalid_segment",
        )
        return False
    ok = True
    for dimension, value in segment.items():
        if not check_dimension(
            state, file, (*path, dimension), dimension, parsed, "filter on a declared dimension"
        ):
            ok = False
            continue
        allowed = parsed.segments[dimension]
        if value not in allowed:
            state.error(
                file,
                (*path, dimension),
                f"`{value}` is not a declared {dimension} in strategy.yml segments.",
                f"use one of {', '.join(allowed)}{did_you_mean(value, allowed)}, or declare it there",
                "unknown_reference",
            )
            ok = False
        for measure in measures:
            slice_by = resolved_slice_by(measure, parsed.segments)
            if dimension not in slice_by:
                sliceable = ", ".join(slice_by) or "nothing"
                state.error(
                    file,
                    (*path, dimension),
                    f"measure `{measure.id}` cannot be sliced by {dimension} (its slice_by: {sliceable}).",
                    f"drop the {dimension} filter, or leave `{measure.id}` out of this entry",
                    "invalid_segment",
                )
                ok = False
    return ok
