"""targets.yml: thresholds, and each measure's targets: periods of the measure's grain inside its
effective range, phasing that fits the measure type, segment filters, and no two targets for one period.

The targets that pass expand to the rows the compiler writes (``TargetRow``); the lints read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import TypeAdapter, ValidationError

from orchestration.config.models import AbsoluteTarget, AnnualTarget, Measure, Target, Thresholds
from orchestration.config.periods import Grain, Period, parse_period
from orchestration.config.targets import TargetRow, expand_target, measure_grain
from orchestration.config.validation.core import (
    TARGETS,
    FileChecker,
    Located,
    Parsed,
    State,
    effective_range,
    entry_name,
)
from orchestration.config.validation.references import check_references
from orchestration.config.validation.segments import check_segment
from orchestration.config.vocabulary import MeasureType, Phasing
from orchestration.issues import PathKey


def parse(targets: FileChecker, parsed: Parsed) -> None:
    """Read targets.yml's thresholds and each measure's list of targets into ``parsed``."""
    state = targets.state
    parsed.thresholds = targets.one("thresholds", TypeAdapter(Thresholds))
    raw_targets = targets.data.get("targets")
    if raw_targets is not None and not isinstance(raw_targets, dict):
        state.error(
            TARGETS,
            ("targets",),
            "`targets` must map each measure id to a list of targets.",
            "write `targets:` then `  arr:` then `    - kind: …`",
            "schema",
        )
        return
    target_adapter = TypeAdapter(Target)
    for measure_id, entries in (raw_targets or {}).items():
        if not isinstance(entries, list):
            state.error(
                TARGETS,
                ("targets", measure_id),
                f"the targets of `{measure_id}` must be a list.",
                "write each target as `- kind: …` under the measure id",
                "schema",
            )
            continue
        located: list[Located] = []
        for index, entry in enumerate(entries):
            path = ("targets", measure_id, index)
            try:
                located.append(Located(target_adapter.validate_python(entry), TARGETS, path))
            except ValidationError as error:
                targets.report(error, path)
        parsed.targets[str(measure_id)] = located


def check(state: State, parsed: Parsed) -> dict[str, list[TargetRow]]:
    """Check every target; return the rows of those that pass, by measure id."""
    measures = {located.model.id: located.model for located in parsed.measures}
    rows_by_measure: dict[str, list[TargetRow]] = {}
    for measure_id, entries in parsed.targets.items():
        if measure_id not in measures:
            check_references(
                state, parsed, Located(measure_id, TARGETS, ("targets", measure_id)), ("targets",)
            )
            continue
        measure = measures[measure_id]
        expanded: list[tuple[Located, list[TargetRow]]] = []
        for located in entries:
            rows = _check_target(state, located, measure, parsed)
            if rows is not None:
                expanded.append((located, rows))
        _check_target_overlaps(state, measure, expanded)
        rows_by_measure[measure_id] = [row for _, rows in expanded for row in rows]
    if parsed.thresholds is not None:
        for measure_id in parsed.thresholds.measures:
            threshold = Located(measure_id, TARGETS, ("thresholds", "measures", measure_id))
            check_references(state, parsed, threshold, ("thresholds", "measures"))
    return rows_by_measure


@dataclass(frozen=True)
class _Periods:
    """Reads the period labels of one measure's targets, reporting each that does not fit."""

    state: State
    measure: Measure
    fy_start: int

    @property
    def grain(self) -> Grain:
        """The grain of the measure's periods: its frequency's."""
        return measure_grain(self.measure)

    def parse(
        self, path: PathKey, text: str, what: str, expected: Grain | None = None, *, in_range: bool = True
    ) -> Period | None:
        """The period ``text`` names, of ``expected`` grain (the measure's by default) and, unless
        ``in_range`` is off, inside the measure's effective range; None after reporting why not."""
        state, measure = self.state, self.measure
        expected = expected or self.grain
        try:
            period = parse_period(text, self.fy_start)
        except ValueError as error:
            state.error(
                TARGETS,
                path,
                f"{error}.",
                "write a month as `2024-07`, a fiscal quarter as `FY2025-Q1`, a fiscal year as `FY2025`",
                "invalid_period",
            )
            return None
        if period.grain is not expected:
            example = {Grain.month: "`2024-07`", Grain.quarter: "`FY2025-Q2`", Grain.year: "`FY2025`"}[
                expected
            ]
            state.error(
                TARGETS,
                path,
                f"`{text}` is a {period.grain.value}, but {what} of the {measure.frequency.value} measure "
                f"`{measure.id}` needs a {expected.value}.",
                f"write it as a {expected.value}, e.g. {example}",
                "invalid_period",
            )
            return None
        if in_range and (
            period.end < measure.effective_from
            or (measure.retired_on is not None and period.start >= measure.retired_on)
        ):
            state.error(
                TARGETS,
                path,
                f"period {period.label} ({period.start} … {period.end}) lies outside the effective range of "
                f"`{measure.id}` " + effective_range(measure.effective_from, measure.retired_on),
                "drop the target for that period, or change the measure's effective_from / retired_on",
                "invalid_period",
            )
            return None
        return period

    def span(self, path: PathKey, first_text: str, last_text: str | None, target: Located) -> bool:
        """``from`` and (when given) ``to`` are periods of the measure, in that order."""
        first = self.parse((*path, "from"), first_text, "`from`")
        ok = first is not None
        if last_text is None:
            return ok
        last = self.parse((*path, "to"), last_text, "`to`")
        ok = ok and last is not None
        if first and last and last.start < first.start:
            self.state.error(
                TARGETS,
                (*path, "to"),
                f"`to` ({target.model.to}) is before `from` ({target.model.from_}).",
                "swap them or correct one of them",
                "invalid_period",
            )
            ok = False
        return ok


def _check_target(state: State, located: Located, measure: Measure, parsed: Parsed) -> list[TargetRow] | None:
    """One target's periods, phasing and segment; its rows when all of them are right."""
    target = located.model
    path = located.path
    periods = _Periods(state, measure, parsed.fy_start)
    if isinstance(target, AbsoluteTarget):
        if target.values is not None:
            ok = _check_period_values(periods, located)
        else:
            ok = periods.span(path, target.from_ or "", target.to or "", located)
    elif isinstance(target, AnnualTarget):
        ok = _check_annual(periods, located)
    else:
        ok = periods.span(path, target.from_, target.to, located)
    ok = check_segment(state, TARGETS, (*path, "segment"), target.segment, [measure], parsed) and ok
    if not ok:
        return None
    return expand_target(measure, target, path[-1], parsed.fy_start)


def _check_period_values(periods: _Periods, located: Located) -> bool:
    """An absolute target's ``values`` map: each label a period of the measure, no period twice."""
    ok = True
    seen: dict[date, str] = {}
    for label in located.model.values:
        path = (*located.path, "values", label)
        period = periods.parse(path, label, "a target period")
        if period is None:
            ok = False
        elif period.start in seen:
            periods.state.error(
                TARGETS,
                path,
                f"`{label}` is the same period as `{seen[period.start]}`.",
                "keep one value per period",
                "overlapping_effective_dates",
            )
            ok = False
        else:
            seen[period.start] = label
    return ok


def _check_annual(periods: _Periods, located: Located) -> bool:
    """An annual target: a whole fiscal year of the measure, one weight per period, fitting phasing."""
    state, measure, grain = periods.state, periods.measure, periods.grain
    target: AnnualTarget = located.model
    path = located.path
    # The year's own (stricter) range check follows: the period parser only checks the grain.
    year = periods.parse(
        (*path, "fiscal_year"), target.fiscal_year, "`fiscal_year`", Grain.year, in_range=False
    )
    ok = year is not None
    if year is not None:
        outside = year.start < measure.effective_from or (
            measure.retired_on is not None and year.end >= measure.retired_on
        )
        if outside:
            state.error(
                TARGETS,
                (*path, "fiscal_year"),
                f"fiscal year {year.label} ({year.start} … {year.end}) is not wholly inside the "
                f"effective range of `{measure.id}` "
                + effective_range(measure.effective_from, measure.retired_on),
                "phase only whole fiscal years the measure exists for; use an absolute target for a "
                "part year",
                "invalid_period",
            )
            ok = False
        count = 12 if grain is Grain.month else 4
        if target.weights is not None and len(target.weights) != count:
            state.error(
                TARGETS,
                (*path, "weights"),
                f"{len(target.weights)} weights given, but a fiscal year has {count} "
                f"{grain.value}s for the {measure.frequency.value} measure `{measure.id}`.",
                f"give exactly {count} weights, one per {grain.value} in fiscal order",
                "invalid_period",
            )
            ok = False
    splits = target.phasing in {Phasing.even, Phasing.weights}
    if splits != (measure.measure_type is MeasureType.flow):
        if splits:
            message = (
                f"phasing `{target.phasing.value}` splits a total across periods, but `{measure.id}` "
                f"is a {measure.measure_type.value} measure, whose yearly value is not a sum of its periods."
            )
            hint = "use `phasing: flat` (same value every period) or `phasing: linear` (a path)"
        else:
            message = (
                f"phasing `{target.phasing.value}` would give every period a share of the wrong size: "
                f"`{measure.id}` is a flow measure whose periods add up to the year."
            )
            hint = "use `phasing: even` or `phasing: weights` to split the annual total"
        state.error(TARGETS, (*path, "phasing"), message, hint, "invalid_phasing")
        ok = False
    return ok


def _first_overlap(first: list[TargetRow], second: list[TargetRow]) -> str | None:
    def span(row: TargetRow) -> tuple[date, date]:
        if row.period is not None:
            return row.period.start, row.period.start
        return row.effective_from, row.effective_to or date.max

    overlaps: list[tuple[date, str]] = []
    for left in first:
        for right in second:
            (a_start, a_end), (b_start, b_end) = span(left), span(right)
            if a_start <= b_end and b_start <= a_end:
                start = max(a_start, b_start)
                label = (left.period or right.period).label if (left.period or right.period) else str(start)
                overlaps.append((start, label))
    return min(overlaps)[1] if overlaps else None


def _check_target_overlaps(
    state: State, measure: Measure, expanded: list[tuple[Located, list[TargetRow]]]
) -> None:
    """No two targets of one measure and segment cover the same period."""
    for index, (located, rows) in enumerate(expanded):
        for earlier, earlier_rows in expanded[:index]:
            if rows[0].segment != earlier_rows[0].segment:
                continue
            overlap = _first_overlap(earlier_rows, rows)
            if overlap is not None:
                state.error(
                    TARGETS,
                    located.path,
                    f"this target overlaps {entry_name(state.documents[TARGETS].data, earlier.path)} "
                    f"from period {overlap}: `{measure.id}` would have two targets for the same period"
                    + (" and segment." if any(value != "all" for value in rows[0].segment) else "."),
                    "end the earlier target (`to:`) before the later one starts, so each period has one "
                    "target",
                    "overlapping_effective_dates",
                )
