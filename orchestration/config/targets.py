"""Turning configured targets into per-period target rows (and relative rules).

Shared by validation (overlaps, missing targets) and the compiler (``cfg_targets``), so both see the
same expansion. Inputs are assumed structurally valid; period spellings are parsed here and a bad one
raises ``ValueError`` with a user-facing reason (validation reports those before anything compiles).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from orchestration.config.models import (
    AbsoluteTarget,
    AnnualTarget,
    Measure,
    RelativeTarget,
    SegmentDimension,
    Target,
)
from orchestration.config.periods import Grain, Period, parse_period, periods_between
from orchestration.config.vocabulary import Frequency, Phasing

ALL = "all"


def measure_grain(measure: Measure) -> Grain:
    """The period grain a measure is reported (and targeted) at."""
    return Grain.month if measure.frequency is Frequency.monthly else Grain.quarter


def segment_key(segment: dict[SegmentDimension, str]) -> tuple[str, str]:
    """(segment_dimension, segment_value): ``('all', 'all')`` unless filtered on one dimension.

    Validation allows at most one dimension per filter (measure values are sliced one at a time).
    """
    if not segment:
        return (ALL, ALL)
    ((dimension, value),) = segment.items()
    return (dimension, value)


@dataclass(frozen=True)
class TargetRow:
    """One compiled target: a period value (absolute/annual) or a rule (relative, ``period`` None)."""

    measure_id: str
    target_index: int
    segment: tuple[str, str]
    grain: Grain
    kind: str
    period: Period | None
    value: float | None
    baseline: str | None
    change: float | None
    change_type: str | None
    effective_from: date
    effective_to: date | None
    rationale: str


def phase_annual(target: AnnualTarget, periods: list[Period]) -> list[float]:
    """Per-period values of an annual target (rounded to 6 decimals so the CSV stays readable)."""
    count = len(periods)
    if target.phasing is Phasing.flat:
        values = [target.value] * count
    elif target.phasing is Phasing.even:
        values = [target.value / count] * count
    elif target.phasing is Phasing.weights:
        weights = target.weights or []
        total = sum(weights)
        values = [target.value * weight / total for weight in weights]
    else:
        start = target.start_value if target.start_value is not None else target.value
        step = (target.value - start) / (count - 1) if count > 1 else 0.0
        values = [start + step * index for index in range(count)]
    return [round(value, 6) for value in values]


def expand_target(
    measure: Measure, target: Target, target_index: int, fy_start_month: int
) -> list[TargetRow]:
    """The rows one configured target compiles to (raises ``ValueError`` on a bad period)."""
    grain = measure_grain(measure)
    segment = segment_key(target.segment)

    def row(period: Period | None, value: float | None, start: date, end: date | None) -> TargetRow:
        relative = isinstance(target, RelativeTarget)
        return TargetRow(
            measure_id=measure.id,
            target_index=target_index,
            segment=segment,
            grain=grain,
            kind=target.kind.value,
            period=period,
            value=value,
            baseline=target.baseline.value if relative else None,
            change=target.change if relative else None,
            change_type=target.change_type.value if relative else None,
            effective_from=start,
            effective_to=end,
            rationale=target.rationale,
        )

    if isinstance(target, AbsoluteTarget):
        if target.values is not None:
            periods = [(parse_period(label, fy_start_month), value) for label, value in target.values.items()]
            periods.sort(key=lambda item: item[0].start)
            first, last = periods[0][0].start, periods[-1][0].end
            return [row(period, value, first, last) for period, value in periods]
        first_period = parse_period(target.from_ or "", fy_start_month)
        last_period = parse_period(target.to or "", fy_start_month)
        spanned = periods_between(first_period, last_period, grain, fy_start_month)
        return [row(period, target.value, first_period.start, last_period.end) for period in spanned]
    if isinstance(target, AnnualTarget):
        year = parse_period(target.fiscal_year, fy_start_month)
        spanned = periods_between(year, year, grain, fy_start_month)
        values = phase_annual(target, spanned)
        return [
            row(period, value, year.start, year.end) for period, value in zip(spanned, values, strict=True)
        ]
    first_period = parse_period(target.from_, fy_start_month)
    last_period = parse_period(target.to, fy_start_month) if target.to else None
    return [row(None, None, first_period.start, last_period.end if last_period else None)]


def covers(rows: list[TargetRow], period: Period) -> bool:
    """Whether any of ``rows`` gives a target for ``period``."""
    for target_row in rows:
        if target_row.period is not None:
            if target_row.period.start == period.start:
                return True
        elif target_row.effective_from <= period.start and (
            target_row.effective_to is None or period.start <= target_row.effective_to
        ):
            return True
    return False
