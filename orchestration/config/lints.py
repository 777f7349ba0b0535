"""Design lints from Balanced Scorecard practice: warnings, never errors.

They run on a config that has no errors. Each names the file and entry and says what to consider.
The limits are module constants so the README and the tests quote the same numbers.

Look-alike measures (two names for the same thing) are detected by a deliberately conservative
heuristic, so a warning is worth reading:

1. the same *normalised definition* (lower case, punctuation and whitespace collapsed, filler words
   dropped) — two names for one computation; or
2. the same data sources, measure type and unit, **and** names that share most of their meaningful
   words (Jaccard similarity ≥ 0.5 of the name tokens once generic words such as "rate", "number",
   "total", "of" are dropped).

Both the definition and the name must be written independently for a real duplicate to slip through,
which is what a reviewer should look at anyway.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from itertools import combinations

from orchestration.config.issues import Issue, Severity
from orchestration.config.models import IndicatorType, Measure, ScorecardConfig
from orchestration.config.periods import Period, last_closed_period
from orchestration.config.targets import TargetRow, covers, measure_grain, segment_key
from orchestration.documents import Document
from orchestration.issues import PathKey

MAX_MEASURES_PER_SCORECARD = 25
MAX_MEASURES_PER_OBJECTIVE = 3
MAX_FINANCIAL_SHARE = 0.40
FINANCIAL_PERSPECTIVE = "financial"
NAME_SIMILARITY = 0.5

_FILLER_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "per",
        "that",
        "the",
        "their",
        "them",
        "then",
        "to",
        "was",
        "were",
        "which",
        "with",
        "within",
    ]
)
_GENERIC_NAME_WORDS = _FILLER_WORDS | frozenset(
    [
        "rate",
        "ratio",
        "number",
        "count",
        "total",
        "percent",
        "percentage",
        "share",
        "average",
        "avg",
        "median",
        "score",
        "value",
        "amount",
        "level",
        "index",
    ]
)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def normalised_definition(text: str) -> str:
    """The definition with case, punctuation, whitespace and filler words removed."""
    return " ".join(token for token in _tokens(text) if token not in _FILLER_WORDS)


def name_similarity(left: str, right: str) -> float:
    """Jaccard similarity of the meaningful words of two measure names (0 … 1)."""
    a = {token for token in _tokens(left) if token not in _GENERIC_NAME_WORDS}
    b = {token for token in _tokens(right) if token not in _GENERIC_NAME_WORDS}
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def look_alike_reason(left: Measure, right: Measure) -> str | None:
    """Why two measures look like the same thing under two names, or None."""
    if normalised_definition(left.definition) == normalised_definition(right.definition):
        return "their definitions are the same"
    same_shape = (
        sorted(left.data_sources) == sorted(right.data_sources)
        and left.measure_type is right.measure_type
        and left.unit == right.unit
    )
    similarity = name_similarity(left.name, right.name)
    if same_shape and similarity >= NAME_SIMILARITY:
        return (
            f"they read the same sources ({', '.join(sorted(left.data_sources))}), are both "
            f"{left.measure_type.value} measures in {left.unit}, and their names are {similarity:.0%} alike"
        )
    return None


class _Locator:
    """Entry names and lines for config entries found by id."""

    def __init__(self, documents: dict[str, Document]):
        self.documents = documents

    def path_of(self, file: str, section: str, entry_id: str) -> PathKey:
        document = self.documents.get(file)
        items = document.data.get(section) if document and isinstance(document.data, dict) else None
        if isinstance(items, list):
            for index, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") == entry_id:
                    return (section, index)
        return (section,)

    def warning(self, file: str, path: PathKey, entry: str, message: str, hint: str, code: str) -> Issue:
        document = self.documents.get(file)
        line = document.line_of(path) if document else None
        return Issue(Severity.warning, file, entry, message, hint, code=code, line=line)


def _active(measure: Measure, on: date) -> bool:
    return measure.effective_from <= on and (measure.retired_on is None or measure.retired_on > on)


def run_lints(
    config: ScorecardConfig,
    target_rows: dict[str, list[TargetRow]],
    today: date,
    documents: dict[str, Document],
) -> Iterator[Issue]:
    """Every lint warning for a config that has no errors."""
    locator = _Locator(documents)
    active = [measure for measure in config.measures if _active(measure, today)]
    per_objective: dict[str, list[Measure]] = defaultdict(list)
    for measure in active:
        per_objective[measure.objective].append(measure)
    yield from _lint_scorecards(config, today, locator)
    yield from _lint_objectives(config, per_objective, locator)
    yield from _lint_perspectives(config, active, locator)
    yield from _lint_off_map(config, locator)
    yield from _lint_leading_drivers(config, per_objective, locator)
    yield from _lint_current_targets(config, target_rows, today, locator)
    yield from _lint_lookalikes(active, locator)


def _lint_scorecards(config: ScorecardConfig, today: date, locator: _Locator) -> Iterator[Issue]:
    """Scorecards that show too many measures, or mostly financial ones."""
    measures = {measure.id: measure for measure in config.measures}
    objectives = {objective.id: objective for objective in config.objectives}
    for scorecard in config.scorecards:
        members = [measures[measure_id] for measure_id in config.scorecard_measure_ids(scorecard)]
        members = [measure for measure in members if _active(measure, today)]
        path = locator.path_of("scorecards.yml", "scorecards", scorecard.id)
        entry = f"scorecards[{scorecard.id}].measures"
        if len(members) > MAX_MEASURES_PER_SCORECARD:
            yield locator.warning(
                "scorecards.yml",
                path,
                entry,
                f"scorecard `{scorecard.id}` shows {len(members)} measures; more than "
                f"{MAX_MEASURES_PER_SCORECARD} spreads attention too thin to steer by.",
                "keep the measures that show the strategy's progress; move diagnostics to a cascaded "
                "scorecard or a drill-down",
                "lint_too_many_measures",
            )
        financial = [m for m in members if objectives[m.objective].perspective == FINANCIAL_PERSPECTIVE]
        if members and len(financial) / len(members) > MAX_FINANCIAL_SHARE:
            yield locator.warning(
                "scorecards.yml",
                path,
                entry,
                f"{len(financial)} of {len(members)} measures ({len(financial) / len(members):.0%}) on "
                "scorecard "
                f"`{scorecard.id}` are financial; above {MAX_FINANCIAL_SHARE:.0%} the scorecard only "
                "looks back "
                "at outcomes.",
                "add measures of the customer, internal-process and learning-and-growth objectives that "
                "drive "
                "the financial ones",
                "lint_financial_bias",
            )


def _lint_objectives(
    config: ScorecardConfig, per_objective: dict[str, list[Measure]], locator: _Locator
) -> Iterator[Issue]:
    """Objectives with more measures than steer by."""
    for objective in config.objectives:
        listed = per_objective.get(objective.id, [])
        if len(listed) > MAX_MEASURES_PER_OBJECTIVE:
            yield locator.warning(
                "measures.yml",
                ("measures",),
                f"measures[objective={objective.id}]",
                f"objective `{objective.id}` has {len(listed)} measures ("
                + ", ".join(m.id for m in listed)
                + f"); more than {MAX_MEASURES_PER_OBJECTIVE} per objective usually means some are "
                "diagnostics.",
                "keep the one to three measures that best show progress on it; retire the others with "
                "`retired_on:` or move them to a cascaded scorecard",
                "lint_objective_overloaded",
            )


def _lint_perspectives(config: ScorecardConfig, active: list[Measure], locator: _Locator) -> Iterator[Issue]:
    """Perspectives without an active measure: the scorecard cannot show their balance."""
    objectives = {objective.id: objective for objective in config.objectives}
    perspectives_with_measures = {objectives[m.objective].perspective for m in active}
    for perspective in config.perspectives:
        if perspective.id not in perspectives_with_measures:
            yield locator.warning(
                "strategy.yml",
                locator.path_of("strategy.yml", "perspectives", perspective.id),
                f"perspectives[{perspective.id}]",
                f"perspective `{perspective.id}` has no active measures, so the scorecard cannot show its "
                "balance.",
                "add at least one measure to an objective in this perspective, or drop the perspective if "
                "the strategy really does not need it",
                "lint_empty_perspective",
            )


def _lint_off_map(config: ScorecardConfig, locator: _Locator) -> Iterator[Issue]:
    """Objectives no strategy-map link leads to or from."""
    on_map = {link.cause for link in config.strategy_map} | {link.effect for link in config.strategy_map}
    for objective in config.objectives:
        if objective.id not in on_map:
            yield locator.warning(
                "strategy.yml",
                locator.path_of("strategy.yml", "objectives", objective.id),
                f"objectives[{objective.id}]",
                f"objective `{objective.id}` is not on the strategy map: no link leads to or from it.",
                "add the cause-and-effect link(s) that connect it under `strategy_map:`, or ask whether the "
                "strategy needs this objective",
                "lint_objective_off_map",
            )


def _lint_lookalikes(active: list[Measure], locator: _Locator) -> Iterator[Issue]:
    """Pairs of active measures that look like one measure under two names."""
    for left, right in combinations(active, 2):
        reason = look_alike_reason(left, right)
        if reason:
            yield locator.warning(
                "measures.yml",
                locator.path_of("measures.yml", "measures", right.id),
                f"measures[{right.id}]",
                f"measures `{left.id}` and `{right.id}` look like the same thing under two names: {reason}.",
                f"keep one governed measure (retire the other), or make the definitions say how "
                f"`{right.id}` differs from `{left.id}`",
                "lint_lookalike_measures",
            )


def _lint_leading_drivers(
    config: ScorecardConfig, per_objective: dict[str, list[Measure]], locator: _Locator
) -> Iterator[Issue]:
    causes: dict[str, set[str]] = defaultdict(set)
    for link in config.strategy_map:
        causes[link.effect].add(link.cause)
    for objective in config.objectives:
        lagging = [
            m for m in per_objective.get(objective.id, []) if m.indicator_type is IndicatorType.lagging
        ]
        if not lagging:
            continue
        upstream = {objective.id}
        frontier = [objective.id]
        while frontier:
            for cause in causes.get(frontier.pop(), set()):
                if cause not in upstream:
                    upstream.add(cause)
                    frontier.append(cause)
        has_driver = any(
            m.indicator_type is IndicatorType.leading for oid in upstream for m in per_objective.get(oid, [])
        )
        if not has_driver:
            yield locator.warning(
                "strategy.yml",
                locator.path_of("strategy.yml", "objectives", objective.id),
                f"objectives[{objective.id}]",
                f"objective `{objective.id}` is measured by outcomes only ("
                + ", ".join(m.id for m in lagging)
                + ") and no objective upstream of it on the strategy map has a leading measure, so nothing "
                "warns before the outcome moves.",
                "add a leading measure to it or to an objective that drives it, or link it from a driver "
                "objective in `strategy_map:`",
                "lint_no_leading_driver",
            )


def _lint_current_targets(
    config: ScorecardConfig, target_rows: dict[str, list[TargetRow]], today: date, locator: _Locator
) -> Iterator[Issue]:
    fy_start = config.company.fiscal_year_start_month
    reported: set[tuple[str, tuple[str, str]]] = set()
    for scorecard in config.scorecards:
        segment = segment_key(scorecard.segment)
        for measure_id in config.scorecard_measure_ids(scorecard):
            measure = config.measure(measure_id)
            period: Period = last_closed_period(today, measure_grain(measure), fy_start)
            if not (_active(measure, period.start) or _active(measure, period.end)):
                continue
            if (measure_id, segment) in reported:
                continue
            rows = [row for row in target_rows.get(measure_id, []) if row.segment == segment]
            if covers(rows, period):
                continue
            reported.add((measure_id, segment))
            sliced = ", ".join(f"{dim}={value}" for dim, value in scorecard.segment.items())
            document = locator.documents.get("targets.yml")
            has_entry = document is not None and measure_id in (document.data.get("targets") or {})
            yield locator.warning(
                "targets.yml",
                ("targets", measure_id) if has_entry else ("targets",),
                f"targets.{measure_id}",
                f"measure `{measure_id}` has no target for the current period {period.label} "
                f"(the last closed {measure_grain(measure).value} as of {today})"
                + (f" for segment {sliced} (scorecard `{scorecard.id}`)." if sliced else "."),
                "add a target covering that period"
                + (f" with `segment: {{{sliced.replace('=', ': ')}}}`" if sliced else "")
                + ", e.g. extend the latest target's `to:`",
                "lint_missing_current_target",
            )
