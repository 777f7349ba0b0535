"""Validation of a scorecard config directory: every problem at once, each with file, entry and fix.

Three passes:

1. read each YAML file (syntax errors with their line, duplicate keys);
2. validate each entry against its pydantic model, entry by entry, so one broken measure does not hide
   the problems of the others;
3. check what needs several entries or files: references, duplicate ids, strategy-map cycles, data
   sources against ``sources.yml``, periods and grains, overlapping effective dates, segment filters,
   and (given a dbt manifest) that config and dbt measure models match one to one and that each
   measure's ``data_sources`` are the sources its model reads in the dbt lineage.

When all of that passes, the lints in ``lints.py`` add warnings. Nothing here raises for a user's
mistake; ``load_config`` turns errors into a ``ConfigError``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from orchestration.config.issues import Issue, Severity, ValidationReport
from orchestration.config.models import DEFAULT_PERSPECTIVES as _DEFAULT_PERSPECTIVES
from orchestration.config.models import (
    AbsoluteTarget,
    AnnualTarget,
    ConfigModel,
    Frequency,
    Initiative,
    Measure,
    MeasureType,
    Objective,
    Okr,
    Perspective,
    Phasing,
    Review,
    ReviewCadence,
    Scorecard,
    ScorecardConfig,
    SegmentDimension,
    StrategyLink,
    Target,
    TargetRollup,
    Thresholds,
)
from orchestration.config.models import Company as CompanyModel
from orchestration.config.periods import Grain, Period, parse_period, reporting_day
from orchestration.config.targets import TargetRow, expand_target, measure_grain
from orchestration.documents import Document, issue_at, read_document
from orchestration.issues import PathKey, did_you_mean, pydantic_issue

STRATEGY = "strategy.yml"
MEASURES = "measures.yml"
TARGETS = "targets.yml"
INITIATIVES = "initiatives.yml"
OKRS = "okrs.yml"
SCORECARDS = "scorecards.yml"
REVIEWS = "reviews.yml"
SOURCES = "sources.yml"
CONFIG_FILES = (STRATEGY, MEASURES, TARGETS, INITIATIVES, OKRS, SCORECARDS, REVIEWS)
OPTIONAL_FILES = frozenset({INITIATIVES, OKRS, REVIEWS})

# Hints for required fields, by field name: what a user should write.
FIELD_HINTS: dict[str, str] = {
    "owner": "add `owner:` naming a person and role, e.g. `owner: Maya Chen, VP Customer Success`",
    "frequency": "add `frequency: monthly` or `frequency: quarterly`",
    "data_sources": (
        "list the `system.table` names it is computed from, as named in sources.yml, "
        "e.g. `data_sources: [sales.orders]`"
    ),
    "definition": "add a plain-language `definition:` that operating staff can read",
    "objective": "add `objective:` with the id of the objective (strategy.yml) this measure shows "
    "progress on",
    "direction": "add `direction: higher_is_better` or `direction: lower_is_better`",
    "indicator_type": "add `indicator_type: leading` (a driver) or `indicator_type: lagging` (an outcome)",
    "measure_type": "add `measure_type:` one of flow, stock, ratio, distribution, derived",
    "unit": "add `unit:`, e.g. usd, percent (stored as a fraction), count, days, hours, score",
    "effective_from": "add `effective_from: YYYY-MM-DD`, the first day the entry applies",
    "version": "add `version: 1` at the top of the file",
    "kind": "add `kind: absolute`, `kind: annual` or `kind: relative`",
    "perspective": "add `perspective:` with one of the perspective ids in strategy.yml",
    "assumption": "say in words why the cause should move the effect, e.g. `assumption: If … then …`",
    "lag_months": "add `lag_months:` the expected delay in months before the effect shows",
}


# Hints for a number outside its bounds, by field name.
BOUND_HINTS: dict[str, str] = {
    "weight": "give a positive number: weights are relative (1 is the default, 2 counts double), "
    "e.g. `weight: 2`",
    "budget": "give the budget as a non-negative amount in the reporting currency, e.g. `budget: 120000`",
    "actual_cost": "give the amount spent so far as a non-negative number, e.g. `actual_cost: 45000`",
}


@dataclass
class Located:
    """A validated model and where its entry sits in its file."""

    model: Any
    file: str
    path: PathKey


@dataclass
class _State:
    config_dir: Path
    today: date
    issues: list[Issue] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    # Ids of entries that exist but failed validation: references to them are not reported again.
    broken_ids: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(
        self,
        severity: Severity,
        file: str,
        path: PathKey,
        message: str,
        hint: str,
        code: str,
    ) -> None:
        document = self.documents.get(file)
        entry = entry_name(document.data if document else None, path)
        self.issues.append(
            issue_at(document, file, path, message, hint, code=code, entry=entry, severity=severity)
        )

    def error(self, file: str, path: PathKey, message: str, hint: str, code: str) -> None:
        self.add(Severity.error, file, path, message, hint, code)


def entry_name(data: Any, path: PathKey) -> str:
    """Human path of an entry: list items by id where they have one (``measures[revenue].owner``)."""
    parts: list[str] = []
    node = data
    for key in path:
        if isinstance(key, int):
            label = str(key)
            if isinstance(node, list) and 0 <= key < len(node):
                item = node[key]
                if isinstance(item, dict):
                    if isinstance(item.get("id"), str):
                        label = item["id"]
                    elif isinstance(item.get("cause"), str) and isinstance(item.get("effect"), str):
                        label = f"{item['cause']} -> {item['effect']}"
                node = item
            else:
                node = None
            parts.append(f"[{label}]")
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts)


_KNOWN_FIELDS = sorted(
    {name for model in ConfigModel.__subclasses__() for name in model.model_fields}
    | {"from", "to", "values", "value", "fiscal_year", "phasing", "weights", "start_value", "baseline"}
    | {"change", "change_type", "segment", "rationale", "kind"}
)


def _pydantic_issue(error: dict[str, Any]) -> tuple[str, str]:
    """(message, hint) for one pydantic error, with the config's hints for what to write."""
    return pydantic_issue(
        error,
        hints=FIELD_HINTS,
        known_fields=_KNOWN_FIELDS,
        value_error_hint=_value_error_hint,
        skip=_is_union_tag,
        layout="the README section 'The scorecard config'",
        bound_hints=BOUND_HINTS,
    )


def _value_error_hint(name: str) -> str:
    hints = {
        "id": "rename it, e.g. `Net Margin` → `net_margin`",
        "cause": "use an objective id (lowercase snake_case)",
        "effect": "use an objective id (lowercase snake_case)",
        "reporting_currency": "e.g. `reporting_currency: USD`",
    }
    if name in hints:
        return hints[name]
    if name == "data_sources" or "." in name:
        return "write each data source as `system.table`, e.g. `sales.orders`"
    return "change the entry so its values agree with each other"


class _FileChecker:
    """Validates one file's sections and items against models, reporting every error found."""

    def __init__(self, state: _State, file: str):
        self.state = state
        self.file = file
        self.document = state.documents.get(file)
        self.data = self.document.data if self.document else None

    def report(self, error: ValidationError, prefix: PathKey) -> None:
        for item in error.errors(include_url=False):
            loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
            message, hint = _pydantic_issue(item)
            self.state.error(self.file, (*prefix, *loc), message, hint, "schema")

    def top_level(self, allowed: set[str], required: set[str]) -> bool:
        if not isinstance(self.data, dict):
            self.state.error(
                self.file,
                (),
                "the file does not hold a mapping of sections.",
                f"start the file with `version: 1` and the sections {', '.join(sorted(required))}",
                "schema",
            )
            return False
        for key in self.data:
            if key not in allowed:
                self.state.error(
                    self.file,
                    (key,),
                    f"`{key}` is not a section of {self.file}.",
                    f"remove it or fix its spelling{did_you_mean(str(key), allowed)}; "
                    f"sections: {', '.join(sorted(allowed))}",
                    "schema",
                )
        for key in sorted(required - set(self.data)):
            self.state.error(
                self.file,
                (),
                f"the section `{key}` is missing.",
                FIELD_HINTS.get(key, f"add a `{key}:` section"),
                "schema",
            )
        version = self.data.get("version")
        if "version" in self.data and version != 1:
            self.state.error(
                self.file,
                ("version",),
                f"version `{version}` is not supported.",
                "write `version: 1`",
                "schema",
            )
        return True

    def one(self, key: str, adapter: TypeAdapter, *, required: bool = True, default: Any = None) -> Any:
        if not isinstance(self.data, dict) or key not in self.data:
            return default
        try:
            return adapter.validate_python(self.data[key])
        except ValidationError as error:
            self.report(error, (key,))
            return default

    def items(
        self, key: str, model: type[ConfigModel], container: Any = None, prefix: PathKey = ()
    ) -> list[Located]:
        raw = container if container is not None else (self.data or {}).get(key)
        base = (*prefix, key) if container is None else prefix
        if raw is None:
            self.state.broken_ids[model.__name__].add("*")
            return []
        if not isinstance(raw, list):
            self.state.broken_ids[model.__name__].add("*")
            self.state.error(
                self.file,
                base,
                f"`{key}` must be a list of entries.",
                "write each entry as `- id: …`",
                "schema",
            )
            return []
        result: list[Located] = []
        for index, item in enumerate(raw):
            try:
                result.append(Located(model.model_validate(item), self.file, (*base, index)))
            except ValidationError as error:
                self.report(error, (*base, index))
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    self.state.broken_ids[model.__name__].add(item["id"])
                elif model.model_fields.get("id") is not None:
                    # An entry without a readable id could be the target of any reference.
                    self.state.broken_ids[model.__name__].add("*")
        return result


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in {"absolute", "annual", "relative"}


@dataclass
class _Parsed:
    company: CompanyModel | None = None
    perspectives: list[Located] = field(default_factory=list)
    segments: dict[SegmentDimension, list[str]] = field(default_factory=dict)
    objectives: list[Located] = field(default_factory=list)
    links: list[Located] = field(default_factory=list)
    measures: list[Located] = field(default_factory=list)
    thresholds: Thresholds | None = None
    targets: dict[str, list[Located]] = field(default_factory=dict)
    initiatives: list[Located] = field(default_factory=list)
    okrs: list[Located] = field(default_factory=list)
    scorecards: list[Located] = field(default_factory=list)
    cadence: ReviewCadence | None = None
    reviews: list[Located] = field(default_factory=list)
    data_sources: set[str] | None = None
    perspectives_explicit: bool = False


def _read_documents(state: _State) -> None:
    for name in CONFIG_FILES:
        path = state.config_dir / name
        if not path.exists():
            if name not in OPTIONAL_FILES:
                state.error(
                    name,
                    (),
                    f"{name} is missing from {state.config_dir}.",
                    f"create {name}; see the README section 'The scorecard config' for its layout",
                    "missing_file",
                )
            continue
        document, issues = read_document(path, name, entry=entry_name)
        state.issues += issues
        if document is not None:
            state.documents[name] = document


# The entry kinds each file defines: when a file cannot be read at all, references to its kinds
# are not reported (they would all be noise).
_KINDS_OF_FILE = {
    STRATEGY: ("Perspective", "Objective", "StrategyLink"),
    MEASURES: ("Measure",),
    INITIATIVES: ("Initiative",),
    OKRS: ("Okr",),
    SCORECARDS: ("Scorecard",),
    REVIEWS: ("Review",),
}


def _parse_files(state: _State) -> _Parsed:
    parsed = _Parsed()
    for file, kinds in _KINDS_OF_FILE.items():
        document = state.documents.get(file)
        readable = document is not None and isinstance(document.data, dict)
        if not readable and (file not in OPTIONAL_FILES or (state.config_dir / file).exists()):
            for kind in kinds:
                state.broken_ids[kind].add("*")
    strategy = _FileChecker(state, STRATEGY)
    if strategy.document and strategy.top_level(
        {"version", "company", "perspectives", "segments", "objectives", "strategy_map"},
        {"version", "company", "objectives", "strategy_map"},
    ):
        parsed.company = strategy.one("company", TypeAdapter(CompanyModel))
        if "perspectives" in strategy.data:
            parsed.perspectives_explicit = True
            parsed.perspectives = strategy.items("perspectives", Perspective)
        else:
            parsed.perspectives = [
                Located(perspective, STRATEGY, ("perspectives", index))
                for index, perspective in enumerate(_DEFAULT_PERSPECTIVES)
            ]
        parsed.segments = strategy.one(
            "segments", TypeAdapter(dict[SegmentDimension, list[str]]), required=False, default={}
        )
        parsed.objectives = strategy.items("objectives", Objective)
        parsed.links = strategy.items("strategy_map", StrategyLink)

    measures = _FileChecker(state, MEASURES)
    if measures.document and measures.top_level({"version", "measures"}, {"version", "measures"}):
        parsed.measures = measures.items("measures", Measure)

    targets = _FileChecker(state, TARGETS)
    if targets.document and targets.top_level(
        {"version", "thresholds", "targets"}, {"version", "thresholds", "targets"}
    ):
        parsed.thresholds = targets.one("thresholds", TypeAdapter(Thresholds))
        raw_targets = targets.data.get("targets")
        if isinstance(raw_targets, dict):
            target_adapter = TypeAdapter(Target)
            for measure_id, entries in raw_targets.items():
                located: list[Located] = []
                if not isinstance(entries, list):
                    state.error(
                        TARGETS,
                        ("targets", measure_id),
                        f"the targets of `{measure_id}` must be a list.",
                        "write each target as `- kind: …` under the measure id",
                        "schema",
                    )
                    continue
                for index, entry in enumerate(entries):
                    try:
                        located.append(
                            Located(
                                target_adapter.validate_python(entry), TARGETS, ("targets", measure_id, index)
                            )
                        )
                    except ValidationError as error:
                        targets.report(error, ("targets", measure_id, index))
                parsed.targets[str(measure_id)] = located
        elif raw_targets is not None:
            state.error(
                TARGETS,
                ("targets",),
                "`targets` must map each measure id to a list of targets.",
                "write `targets:` then `  arr:` then `    - kind: …`",
                "schema",
            )

    initiatives = _FileChecker(state, INITIATIVES)
    if initiatives.document and initiatives.top_level({"version", "initiatives"}, {"version"}):
        parsed.initiatives = initiatives.items("initiatives", Initiative)

    okrs = _FileChecker(state, OKRS)
    if okrs.document and okrs.top_level({"version", "okrs"}, {"version"}):
        parsed.okrs = okrs.items("okrs", Okr)

    scorecards = _FileChecker(state, SCORECARDS)
    if scorecards.document and scorecards.top_level({"version", "scorecards"}, {"version", "scorecards"}):
        parsed.scorecards = scorecards.items("scorecards", Scorecard)
        if not parsed.scorecards and not state.broken_ids["Scorecard"]:
            state.error(
                SCORECARDS,
                ("scorecards",),
                "no scorecard is defined.",
                "add at least the corporate scorecard: `- id: corporate` with `measures: all`",
                "schema",
            )

    reviews = _FileChecker(state, REVIEWS)
    if reviews.document and reviews.top_level({"version", "cadence", "reviews"}, {"version", "cadence"}):
        parsed.cadence = reviews.one("cadence", TypeAdapter(ReviewCadence))
        parsed.reviews = reviews.items("reviews", Review)
    elif not (state.config_dir / REVIEWS).exists():
        parsed.cadence = ReviewCadence(frequency=Frequency.monthly)
    return parsed


def _read_sources(state: _State, parsed: _Parsed) -> None:
    """The ``system.table`` names of sources.yml, read as plain YAML (ingestion owns its model)."""
    path = state.config_dir / SOURCES
    if not path.exists():
        state.error(
            SOURCES,
            (),
            f"sources.yml is missing from {state.config_dir}, so data sources cannot be checked.",
            "add the source registry (sources.yml) next to the scorecard config",
            "unknown_data_source",
        )
        return
    # The same reading as the registry's own (orchestration.ingestion.registry), so a syntax error is
    # the same Issue in both reports; the registry reports its duplicate keys itself.
    document, issues = read_document(path, SOURCES)
    if document is None:
        state.issues += issues
        return
    systems = document.data.get("systems") if isinstance(document.data, dict) else None
    if not isinstance(systems, dict):
        state.error(
            SOURCES,
            (),
            "sources.yml has no `systems:` mapping.",
            "list each system with its `tables:`",
            "schema",
        )
        return
    names: set[str] = set()
    for system, spec in systems.items():
        tables = spec.get("tables") if isinstance(spec, dict) else None
        if isinstance(tables, dict):
            names.update(f"{system}.{table}" for table in tables)
    if not names:
        state.error(
            SOURCES,
            ("systems",),
            "sources.yml registers no tables, so no data source can be checked.",
            "give each system a `tables:` mapping of table names to their specs",
            "unknown_data_source",
        )
        return
    parsed.data_sources = names


def _check_duplicates(state: _State, entries: list[Located], what: str, key: Callable[[Any], str]) -> None:
    seen: dict[str, Located] = {}
    for located in entries:
        value = key(located.model)
        if value in seen:
            first = seen[value]
            document = state.documents.get(first.file)
            line = document.line_of(first.path) if document else None
            state.error(
                located.file,
                located.path,
                f"duplicate {what} `{value}`: it is already defined"
                + (f" at line {line}" if line else "")
                + " of "
                + first.file
                + ".",
                f"give each {what} a unique id, or merge the two entries",
                "duplicate_id",
            )
        else:
            seen[value] = located


def _check_reference(
    state: _State,
    file: str,
    path: PathKey,
    value: str | None,
    known: Iterable[str],
    what: str,
    where: str,
    broken: set[str] | None = None,
) -> bool:
    known_set = set(known)
    # "*" in broken: the whole file of the referenced kind could not be read, so nothing is checkable.
    if value is None or value in known_set or (broken and ("*" in broken or value in broken)):
        return True
    state.error(
        file,
        path,
        f"{what} `{value}` is not defined in {where}.",
        f"use one of the {what} ids in {where}{did_you_mean(value, known_set)}, or add `{value}` there",
        "unknown_reference",
    )
    return False


def _find_cycles(edges: list[tuple[str, str]]) -> list[list[str]]:
    """One named cycle per strongly connected component that has one (deterministic order)."""
    graph: dict[str, list[str]] = defaultdict(list)
    for cause, effect in edges:
        graph[cause].append(effect)
    cycles: list[list[str]] = []
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        # Depth-first search keeping the current path; a back edge to the path closes a cycle.
        stack: list[tuple[str, int]] = [(start, 0)]
        on_path: list[str] = [start]
        visiting = {start}
        while stack:
            node, index = stack[-1]
            children = sorted(graph.get(node, []))
            if index < len(children):
                stack[-1] = (node, index + 1)
                child = children[index]
                if child in visiting:
                    cycle = [*on_path[on_path.index(child) :], child]
                    if not any(set(cycle) == set(found) for found in cycles):
                        cycles.append(cycle)
                elif child not in done:
                    stack.append((child, 0))
                    on_path.append(child)
                    visiting.add(child)
            else:
                stack.pop()
                on_path.pop()
                visiting.discard(node)
                done.add(node)
    return cycles


def _check_strategy(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.perspectives, "perspective", lambda model: model.id)
    _check_duplicates(state, parsed.objectives, "objective", lambda model: model.id)
    _check_duplicates(
        state, parsed.links, "strategy-map link", lambda model: f"{model.cause} -> {model.effect}"
    )
    perspective_ids = {located.model.id for located in parsed.perspectives}
    objective_ids = {located.model.id for located in parsed.objectives}
    broken_objectives = state.broken_ids["Objective"]
    for located in parsed.objectives:
        _check_reference(
            state,
            STRATEGY,
            (*located.path, "perspective"),
            located.model.perspective,
            perspective_ids,
            "perspective",
            "strategy.yml perspectives",
            state.broken_ids["Perspective"],
        )
    for located in parsed.links:
        for end in ("cause", "effect"):
            _check_reference(
                state,
                STRATEGY,
                (*located.path, end),
                getattr(located.model, end),
                objective_ids,
                "objective",
                "strategy.yml objectives",
                broken_objectives,
            )
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
    edges = [(located.model.cause, located.model.effect) for located in parsed.links]
    position = {edge: index for index, edge in enumerate(edges)}
    for cycle in _find_cycles(edges):
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


def _check_measures(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.measures, "measure", lambda model: model.id)
    objective_ids = {located.model.id for located in parsed.objectives}
    for located in parsed.measures:
        measure: Measure = located.model
        _check_reference(
            state,
            MEASURES,
            (*located.path, "objective"),
            measure.objective,
            objective_ids,
            "objective",
            "strategy.yml objectives",
            state.broken_ids["Objective"],
        )
        if parsed.data_sources is not None:
            for index, source in enumerate(measure.data_sources):
                if source not in parsed.data_sources:
                    state.error(
                        MEASURES,
                        (*located.path, "data_sources", index),
                        f"data source `{source}` is not a table in sources.yml.",
                        "use a `system.table` registered in sources.yml"
                        + did_you_mean(source, parsed.data_sources)
                        + ", or register the table there first",
                        "unknown_data_source",
                    )
        for index, dimension in enumerate(measure.slice_by or []):
            if dimension not in parsed.segments:
                declared = ", ".join(parsed.segments) or "none"
                state.error(
                    MEASURES,
                    (*located.path, "slice_by", index),
                    f"`{dimension}` is not a segment dimension declared in strategy.yml segments "
                    f"(declared: {declared}).",
                    f"declare it there with its values (`segments: {{{dimension}: [...]}}`)"
                    + did_you_mean(dimension, list(parsed.segments))
                    + ", or remove it from slice_by",
                    "unknown_reference",
                )
        _check_measure_versions(state, located)
        _check_target_rollup(state, located)


def _check_target_rollup(state: _State, located: Located) -> None:
    """A declared target_rollup must fit the measure: a level cannot be summed, only a share compounds."""
    measure: Measure = located.model
    rollup = measure.target_rollup
    path = (*located.path, "target_rollup")
    if rollup is TargetRollup.sum and measure.measure_type is MeasureType.stock:
        state.error(
            MEASURES,
            path,
            "a stock is a level read at the period's end; summing its monthly targets gives a quarter "
            "target three times the level.",
            "use `target_rollup: last` (the default for a stock), or remove the line",
            "invalid_target_rollup",
        )
    if rollup is TargetRollup.compound and measure.unit != "percent":
        state.error(
            MEASURES,
            path,
            f"`compound` treats each monthly target as a share lost (1 - Π(1 - target)), which needs "
            f"unit percent (a fraction 0…1); this measure's unit is `{measure.unit}`.",
            "use `sum`, `last` or `average` for this unit, or express the measure as a percent fraction",
            "invalid_target_rollup",
        )


def resolved_slice_by(measure: Measure, segments: Mapping[str, list[str]]) -> list[str]:
    """The dimensions a measure is sliced by: its ``slice_by``, or every declared one when unset."""
    return list(segments) if measure.slice_by is None else list(measure.slice_by)


def _check_measure_versions(state: _State, located: Located) -> None:
    measure: Measure = located.model
    versions = sorted(enumerate(measure.previous_versions), key=lambda item: item[1].effective_from)
    for position, (index, version) in enumerate(versions):
        path = (*located.path, "previous_versions", index)
        if version.effective_from < measure.effective_from or (
            measure.retired_on is not None and version.effective_to >= measure.retired_on
        ):
            state.error(
                MEASURES,
                path,
                f"this version ({version.effective_from} … {version.effective_to}) lies outside the "
                "measure's "
                f"effective range (from {measure.effective_from}"
                + (f", retired on {measure.retired_on})." if measure.retired_on else ")."),
                "move the version's dates inside the measure's range, or move the measure's effective_from",
                "overlapping_effective_dates",
            )
        if position > 0:
            previous_index, previous = versions[position - 1]
            if version.effective_from <= previous.effective_to:
                state.error(
                    MEASURES,
                    path,
                    f"this version ({version.effective_from} … {version.effective_to}) overlaps "
                    f"previous_versions[{previous_index}] ({previous.effective_from} … "
                    f"{previous.effective_to}).",
                    "each day has exactly one definition: end the earlier version the day before the "
                    "later starts",
                    "overlapping_effective_dates",
                )


def _parse_target_period(
    state: _State, path: PathKey, text: str, fy_start: int, expected: Grain, measure: Measure, what: str
) -> Period | None:
    try:
        period = parse_period(text, fy_start)
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
        example = {Grain.month: "`2024-07`", Grain.quarter: "`FY2025-Q2`", Grain.year: "`FY2025`"}[expected]
        state.error(
            TARGETS,
            path,
            f"`{text}` is a {period.grain.value}, but {what} of the {measure.frequency.value} measure "
            f"`{measure.id}` needs a {expected.value}.",
            f"write it as a {expected.value}, e.g. {example}",
            "invalid_period",
        )
        return None
    if period.end < measure.effective_from or (
        measure.retired_on is not None and period.start >= measure.retired_on
    ):
        state.error(
            TARGETS,
            path,
            f"period {period.label} ({period.start} … {period.end}) lies outside the effective range of "
            f"`{measure.id}` (from {measure.effective_from}"
            + (f", retired on {measure.retired_on})." if measure.retired_on else ")."),
            "drop the target for that period, or change the measure's effective_from / retired_on",
            "invalid_period",
        )
        return None
    return period


def _check_target(
    state: _State, located: Located, measure: Measure, fy_start: int, parsed: _Parsed
) -> list[TargetRow] | None:
    target = located.model
    path = located.path
    grain = measure_grain(measure)
    ok = True
    if isinstance(target, AbsoluteTarget):
        if target.values is not None:
            seen: dict[date, str] = {}
            for label in target.values:
                period = _parse_target_period(
                    state, (*path, "values", label), label, fy_start, grain, measure, "a target period"
                )
                if period is None:
                    ok = False
                elif period.start in seen:
                    state.error(
                        TARGETS,
                        (*path, "values", label),
                        f"`{label}` is the same period as `{seen[period.start]}`.",
                        "keep one value per period",
                        "overlapping_effective_dates",
                    )
                    ok = False
                else:
                    seen[period.start] = label
        else:
            first = _parse_target_period(
                state, (*path, "from"), target.from_ or "", fy_start, grain, measure, "`from`"
            )
            last = _parse_target_period(
                state, (*path, "to"), target.to or "", fy_start, grain, measure, "`to`"
            )
            ok = ok and first is not None and last is not None
            if first and last and last.start < first.start:
                state.error(
                    TARGETS,
                    (*path, "to"),
                    f"`to` ({target.to}) is before `from` ({target.from_}).",
                    "swap them or correct one of them",
                    "invalid_period",
                )
                ok = False
    elif isinstance(target, AnnualTarget):
        year = _parse_target_period(
            state,
            (*path, "fiscal_year"),
            target.fiscal_year,
            fy_start,
            Grain.year,
            _whole_range(measure),
            "`fiscal_year`",
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
                    "effective "
                    f"range of `{measure.id}` (from {measure.effective_from}"
                    + (f", retired on {measure.retired_on})." if measure.retired_on else ")."),
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
                    "is a "
                    f"{measure.measure_type.value} measure, whose yearly value is not a sum of its periods."
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
    else:
        first = _parse_target_period(state, (*path, "from"), target.from_, fy_start, grain, measure, "`from`")
        ok = first is not None
        if target.to is not None:
            last = _parse_target_period(state, (*path, "to"), target.to, fy_start, grain, measure, "`to`")
            ok = ok and last is not None
            if first and last and last.start < first.start:
                state.error(
                    TARGETS,
                    (*path, "to"),
                    f"`to` ({target.to}) is before `from` ({target.from_}).",
                    "swap them or correct one of them",
                    "invalid_period",
                )
                ok = False
    ok = _check_segment(state, TARGETS, (*path, "segment"), target.segment, [measure], parsed) and ok
    if not ok:
        return None
    return expand_target(measure, target, path[-1], fy_start)


def _whole_range(measure: Measure) -> Measure:
    # Annual targets check their own (stricter) range below; the period parser only needs the grain.
    return measure.model_copy(update={"effective_from": date(1, 1, 1), "retired_on": None})


def _check_segment(
    state: _State,
    file: str,
    path: PathKey,
    segment: dict[SegmentDimension, str],
    measures: list[Measure],
    parsed: _Parsed,
) -> bool:
    ok = True
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
    for dimension, value in segment.items():
        allowed = parsed.segments.get(dimension)
        if allowed is None:
            declared = ", ".join(parsed.segments) or "none"
            state.error(
                file,
                (*path, dimension),
                f"`{dimension}` is not a segment dimension declared in strategy.yml segments "
                f"(declared: {declared}).",
                f"declare it there with its values (`segments: {{{dimension}: [...]}}`)"
                + did_you_mean(dimension, list(parsed.segments))
                + ", or filter on a declared dimension",
                "unknown_reference",
            )
            ok = False
            continue
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


def _check_targets(state: _State, parsed: _Parsed) -> dict[str, list[TargetRow]]:
    measures = {located.model.id: located.model for located in parsed.measures}
    broken = state.broken_ids["Measure"]
    fy_start = parsed.company.fiscal_year_start_month if parsed.company else 1
    rows_by_measure: dict[str, list[TargetRow]] = {}
    for measure_id, entries in parsed.targets.items():
        if measure_id not in measures:
            _check_reference(
                state,
                TARGETS,
                ("targets", measure_id),
                measure_id,
                measures,
                "measure",
                "measures.yml",
                broken,
            )
            continue
        measure = measures[measure_id]
        expanded: list[tuple[Located, list[TargetRow]]] = []
        for located in entries:
            rows = _check_target(state, located, measure, fy_start, parsed)
            if rows is not None:
                expanded.append((located, rows))
        _check_target_overlaps(state, measure, expanded)
        rows_by_measure[measure_id] = [row for _, rows in expanded for row in rows]
    if parsed.thresholds is not None:
        for measure_id in parsed.thresholds.measures:
            _check_reference(
                state,
                TARGETS,
                ("thresholds", "measures", measure_id),
                measure_id,
                measures,
                "measure",
                "measures.yml",
                broken,
            )
    return rows_by_measure


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
    state: _State, measure: Measure, expanded: list[tuple[Located, list[TargetRow]]]
) -> None:
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


def _check_initiatives(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.initiatives, "initiative", lambda model: model.id)
    objective_ids = {located.model.id for located in parsed.objectives}
    for located in parsed.initiatives:
        initiative: Initiative = located.model
        milestones = [
            Located(milestone, INITIATIVES, (*located.path, "milestones", index))
            for index, milestone in enumerate(initiative.milestones)
        ]
        _check_duplicates(state, milestones, "milestone", lambda model: model.id)
        for milestone in milestones:
            due = milestone.model.due_date
            if not initiative.start_date <= due <= initiative.end_date:
                side = "after its end_date" if due > initiative.end_date else "before its start_date"
                state.error(
                    INITIATIVES,
                    (*milestone.path, "due_date"),
                    f"milestone `{milestone.model.id}` is due {due}, {side} "
                    f"({initiative.start_date} … {initiative.end_date}) of initiative `{initiative.id}`.",
                    "move the due_date inside the initiative's dates, or extend its `end_date` if the "
                    "initiative now runs longer",
                    "milestone_outside_initiative",
                )
        for index, objective in enumerate(located.model.objectives):
            _check_reference(
                state,
                INITIATIVES,
                (*located.path, "objectives", index),
                objective,
                objective_ids,
                "objective",
                "strategy.yml objectives",
                state.broken_ids["Objective"],
            )


def _check_okrs(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.okrs, "OKR", lambda model: model.id)
    objective_ids = {located.model.id for located in parsed.objectives}
    fy_start = parsed.company.fiscal_year_start_month if parsed.company else None
    for located in parsed.okrs:
        okr: Okr = located.model
        _check_reference(
            state,
            OKRS,
            (*located.path, "objective"),
            okr.objective,
            objective_ids,
            "objective",
            "strategy.yml objectives",
            state.broken_ids["Objective"],
        )
        key_results = [
            Located(key_result, OKRS, (*located.path, "key_results", index))
            for index, key_result in enumerate(okr.key_results)
        ]
        _check_duplicates(state, key_results, "key result", lambda model: model.id)
        if fy_start is None:
            continue
        try:
            quarter = parse_period(okr.quarter, fy_start)
        except ValueError as error:
            quarter = None
            message = f"{error}."
        else:
            message = f"`{okr.quarter}` is a {quarter.grain.value}, not a fiscal quarter."
        if quarter is None or quarter.grain is not Grain.quarter:
            state.error(
                OKRS,
                (*located.path, "quarter"),
                message,
                "write the fiscal quarter the OKR runs in, e.g. `quarter: FY2027-Q3`",
                "invalid_period",
            )
            continue
        for key_result in key_results:
            due = key_result.model.due_date
            if not quarter.start <= due <= quarter.end:
                state.error(
                    OKRS,
                    (*key_result.path, "due_date"),
                    f"key result `{key_result.model.id}` is due {due}, outside its OKR's quarter "
                    f"{quarter.label} ({quarter.start} … {quarter.end}).",
                    "give it a due date inside the quarter, or move the OKR to the quarter it is due in",
                    "invalid_period",
                )


def _check_scorecards(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.scorecards, "scorecard", lambda model: model.id)
    scorecard_ids = {located.model.id for located in parsed.scorecards}
    measures = {located.model.id: located.model for located in parsed.measures}
    roots = [located for located in parsed.scorecards if located.model.parent is None]
    if parsed.scorecards and len(roots) != 1:
        target = roots[1] if len(roots) > 1 else parsed.scorecards[0]
        state.error(
            SCORECARDS,
            target.path,
            f"{len(roots)} scorecards have no parent; exactly one (the corporate scorecard) must be the "
            "root.",
            "give every cascaded scorecard a `parent:` (the scorecard it rolls up to)",
            "scorecard_hierarchy",
        )
    for located in parsed.scorecards:
        scorecard: Scorecard = located.model
        _check_reference(
            state,
            SCORECARDS,
            (*located.path, "parent"),
            scorecard.parent,
            scorecard_ids,
            "scorecard",
            "scorecards.yml",
            state.broken_ids["Scorecard"],
        )
        members: list[Measure] = []
        if scorecard.measures == "all":
            members = list(measures.values())
        else:
            seen: set[str] = set()
            for index, measure_id in enumerate(scorecard.measures):
                if measure_id in seen:
                    state.error(
                        SCORECARDS,
                        (*located.path, "measures", index),
                        f"measure `{measure_id}` is listed twice in this scorecard.",
                        "list each measure once",
                        "duplicate_id",
                    )
                seen.add(measure_id)
                if (
                    _check_reference(
                        state,
                        SCORECARDS,
                        (*located.path, "measures", index),
                        measure_id,
                        measures,
                        "measure",
                        "measures.yml",
                        state.broken_ids["Measure"],
                    )
                    and measure_id in measures
                ):
                    members.append(measures[measure_id])
            if not scorecard.measures:
                state.error(
                    SCORECARDS,
                    (*located.path, "measures"),
                    "the scorecard lists no measures.",
                    "list the governed measures it shows, or `measures: all`",
                    "schema",
                )
        _check_segment(state, SCORECARDS, (*located.path, "segment"), scorecard.segment, members, parsed)
    parents = {
        located.model.id: located.model.parent for located in parsed.scorecards if located.model.parent
    }
    for cycle in _find_cycles(list(parents.items())):
        closing = next(located for located in parsed.scorecards if located.model.id == cycle[-2])
        state.error(
            SCORECARDS,
            (*closing.path, "parent"),
            "scorecard parents form a cycle: " + " → ".join(cycle) + ".",
            "every cascade must roll up to the corporate scorecard: fix one `parent:` in this cycle",
            "scorecard_hierarchy",
        )


def _check_reviews(state: _State, parsed: _Parsed) -> None:
    _check_duplicates(state, parsed.reviews, "review", lambda model: model.id)
    actions = [
        Located(action, REVIEWS, (*located.path, "actions", index))
        for located in parsed.reviews
        for index, action in enumerate(located.model.actions)
    ]
    _check_duplicates(state, actions, "action", lambda model: model.id)
    scorecard_ids = {located.model.id for located in parsed.scorecards}
    objective_ids = {located.model.id for located in parsed.objectives}
    measure_ids = {located.model.id for located in parsed.measures}
    link_ids = {(located.model.cause, located.model.effect) for located in parsed.links}
    fy_start = parsed.company.fiscal_year_start_month if parsed.company else 1
    expected = (
        Grain.quarter if parsed.cadence and parsed.cadence.frequency is Frequency.quarterly else Grain.month
    )
    for located in parsed.reviews:
        review: Review = located.model
        _check_reference(
            state,
            REVIEWS,
            (*located.path, "scorecard"),
            review.scorecard,
            scorecard_ids,
            "scorecard",
            "scorecards.yml",
            state.broken_ids["Scorecard"],
        )
        try:
            period = parse_period(review.period, fy_start)
        except ValueError as error:
            state.error(
                REVIEWS,
                (*located.path, "period"),
                f"{error}.",
                "write the reviewed period as a month (`2026-09`) or a fiscal quarter (`FY2027-Q3`)",
                "invalid_period",
            )
            period = None
        if period is not None and period.grain is not expected:
            state.error(
                REVIEWS,
                (*located.path, "period"),
                f"`{review.period}` is a {period.grain.value}, but the review cadence is "
                f"{parsed.cadence.frequency.value if parsed.cadence else 'monthly'}.",
                f"review one {expected.value} at a time, or change `cadence.frequency`",
                "invalid_period",
            )
        elif period is not None and review.review_date is not None and review.review_date <= period.end:
            state.error(
                REVIEWS,
                (*located.path, "review_date"),
                f"the review of {period.label} is dated {review.review_date}, before that period ended "
                f"({period.end}).",
                "date the review after the period it reviews, or correct the period",
                "invalid_period",
            )
        recorded = [
            key
            for key, entries in (
                ("decisions", review.decisions),
                ("failed_assumptions", review.failed_assumptions),
                ("actions", review.actions),
            )
            if entries
        ]
        if review.review_date is None and recorded:
            state.error(
                REVIEWS,
                (*located.path, "review_date"),
                f"review {review.id} records {', '.join(recorded)} but has no review_date: only a "
                "draft for a meeting not yet held may leave it empty.",
                "write the date the meeting was held, e.g. `review_date: 2026-10-13`",
                "schema",
            )
        for index, decision in enumerate(review.decisions):
            base = (*located.path, "decisions", index)
            _check_reference(
                state,
                REVIEWS,
                (*base, "objective"),
                decision.objective,
                objective_ids,
                "objective",
                "strategy.yml objectives",
                state.broken_ids["Objective"],
            )
            _check_reference(
                state,
                REVIEWS,
                (*base, "measure"),
                decision.measure,
                measure_ids,
                "measure",
                "measures.yml",
                state.broken_ids["Measure"],
            )
        for index, failed in enumerate(review.failed_assumptions):
            if (failed.cause, failed.effect) not in link_ids:
                state.error(
                    REVIEWS,
                    (*located.path, "failed_assumptions", index),
                    f"there is no strategy-map link {failed.cause} → {failed.effect} in strategy.yml.",
                    "a failed assumption names an existing link by its `cause` and `effect` objectives",
                    "unknown_reference",
                )
        for index, action in enumerate(review.actions):
            base = (*located.path, "actions", index)
            _check_reference(
                state,
                REVIEWS,
                (*base, "objective"),
                action.objective,
                objective_ids,
                "objective",
                "strategy.yml objectives",
                state.broken_ids["Objective"],
            )
            _check_reference(
                state,
                REVIEWS,
                (*base, "measure"),
                action.measure,
                measure_ids,
                "measure",
                "measures.yml",
                state.broken_ids["Measure"],
            )


def _check_dbt_manifest(state: _State, parsed: _Parsed, manifest_path: Path) -> None:
    """Config measures and dbt measure models (``models/measures/`` with ``meta.measure_id``) match 1:1,
    and each measure's ``data_sources`` are exactly the sources its model reads in the dbt lineage."""
    name = manifest_path.name
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        state.error(
            name,
            (),
            f"the dbt manifest {manifest_path} cannot be read: {error}.",
            "run `dbt parse` in dbt_project to produce target/manifest.json",
            "dbt_manifest",
        )
        return
    models: dict[str, list[str]] = defaultdict(list)
    model_ids: dict[str, list[str]] = defaultdict(list)
    for unique_id, node in (manifest.get("nodes") or {}).items():
        if node.get("resource_type") != "model":
            continue
        file_path = str(node.get("original_file_path") or node.get("path") or "").replace("\\", "/")
        if not (file_path.startswith("models/measures/") or "/models/measures/" in file_path):
            continue
        meta = {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}
        measure_id = meta.get("measure_id")
        if isinstance(measure_id, str):
            models[measure_id].append(file_path)
            model_ids[measure_id].append(unique_id)
    if "*" in state.broken_ids["Measure"]:
        return  # measures.yml could not be read: its own errors say so; a comparison would be noise
    configured = {located.model.id: located for located in parsed.measures}
    for measure_id, located in configured.items():
        if measure_id not in models:
            state.error(
                MEASURES,
                located.path,
                f"measure `{measure_id}` has no governed dbt model: no model under models/measures/ has "
                f"`meta.measure_id: {measure_id}`.",
                "add its model under dbt_project/models/measures/<perspective>/ with "
                f"`config: {{meta: {{measure_id: {measure_id}}}}}`, or remove the measure from the config",
                "dbt_measure_missing",
            )
        elif len(models[measure_id]) > 1:
            state.error(
                MEASURES,
                located.path,
                f"measure `{measure_id}` is computed by {len(models[measure_id])} dbt models: "
                + ", ".join(sorted(models[measure_id]))
                + ".",
                "keep exactly one governed model per measure",
                "dbt_measure_duplicate",
            )
        else:
            _check_measure_lineage(state, parsed, located, manifest, model_ids[measure_id][0])
    for measure_id in sorted(set(models) - set(configured) - state.broken_ids["Measure"]):
        for file_path in sorted(models[measure_id]):
            state.issues.append(
                Issue(
                    Severity.error,
                    file_path,
                    f"meta.measure_id: {measure_id}",
                    f"dbt measure model {file_path} computes `{measure_id}`, which is not in measures.yml.",
                    "add the measure (owner, definition, targets) to scorecard_config/measures.yml, "
                    "or correct the model's meta.measure_id",
                    code="dbt_model_without_config",
                )
            )


def upstream_sources(manifest: Mapping[str, Any], unique_id: str) -> dict[str, list[str]]:
    """The company's dbt sources a node reads, directly or through other nodes, as ``system.table``.

    Walks the manifest's ``parent_map`` (or each node's ``depends_on.nodes``) upstream from
    ``unique_id`` to every ``source.<project>.<system>.<table>`` node; the dbt source name is the
    system and the source table's name the table, as in sources.yml. Only sources of the root
    project (the company) count: the engine package's own sources (its quality bookkeeping) are no
    data source of a measure. Each source maps to one path of node names that reaches it (the
    nearest), from the node's first parent to the source's last reader, for messages.
    """
    nodes: Mapping[str, Any] = manifest.get("nodes") or {}
    sources: Mapping[str, Any] = manifest.get("sources") or {}
    parent_map: Mapping[str, list[str]] = manifest.get("parent_map") or {}
    project = (manifest.get("metadata") or {}).get("project_name")

    def parents(node_id: str) -> list[str]:
        if node_id in parent_map:
            return list(parent_map[node_id])
        return list(((nodes.get(node_id) or {}).get("depends_on") or {}).get("nodes") or [])

    found: dict[str, list[str]] = {}
    via: dict[str, list[str]] = {unique_id: []}
    queue = [unique_id]
    while queue:  # breadth first, so each source is reached by its shortest path
        current = queue.pop(0)
        for parent in parents(current):
            if parent in via:
                continue
            via[parent] = [*via[current], current]
            if parent.startswith("source."):
                source = sources.get(parent) or {}
                if project and source.get("package_name") not in (None, project):
                    continue
                system = source.get("source_name") or parent.split(".")[-2]
                table = source.get("name") or parent.split(".")[-1]
                path = [str((nodes.get(step) or {}).get("name") or step) for step in via[parent][1:]]
                found.setdefault(f"{system}.{table}", path)
            else:
                queue.append(parent)
    return found


def _check_measure_lineage(
    state: _State, parsed: _Parsed, located: Located, manifest: Mapping[str, Any], model_id: str
) -> None:
    """A measure's ``data_sources`` list every source its dbt model reads, and nothing else.

    Which measures turn ``untrusted`` follows ``data_sources``: a source the SQL reads but the config
    omits would leave the measure trusted on flagged data; a listed source the SQL does not read would
    mark it untrusted for nothing.
    """
    measure: Measure = located.model
    model = (manifest.get("nodes") or {}).get(model_id) or {}
    model_name = model.get("name") or model_id
    read = upstream_sources(manifest, model_id)
    declared = list(measure.data_sources)
    for source in sorted(set(read) - set(declared)):
        through = f" through {' → '.join(read[source])}" if read[source] else " directly"
        state.error(
            MEASURES,
            (*located.path, "data_sources"),
            f"measure `{measure.id}` reads `{source}` (its dbt model {model_name} reads it{through}), "
            "but its data_sources do not list it: a quality flag on that table would leave the measure "
            "trusted.",
            f"add `{source}` to data_sources of measure {measure.id} in measures.yml",
            "data_source_not_declared",
        )
    for index, source in enumerate(declared):
        if source in read or (parsed.data_sources is not None and source not in parsed.data_sources):
            continue  # an unregistered table has its own error already
        state.error(
            MEASURES,
            (*located.path, "data_sources", index),
            f"measure `{measure.id}` lists `{source}` in data_sources, but its dbt model {model_name} does "
            "not read it (no path in the dbt lineage leads to that source): a quality flag on that table "
            "would mark the measure untrusted for nothing.",
            f"remove `{source}` from data_sources of measure {measure.id} in measures.yml, or make the "
            "model read it",
            "data_source_not_read",
        )


def build_config(parsed: _Parsed) -> ScorecardConfig:
    """Assemble the validated parts into one ``ScorecardConfig`` (only called when there are no errors)."""
    assert parsed.company is not None and parsed.thresholds is not None and parsed.cadence is not None
    return ScorecardConfig(
        company=parsed.company,
        perspectives=[located.model for located in parsed.perspectives],
        segments=parsed.segments,
        objectives=[located.model for located in parsed.objectives],
        strategy_map=[located.model for located in parsed.links],
        measures=[
            located.model.model_copy(update={"slice_by": resolved_slice_by(located.model, parsed.segments)})
            for located in parsed.measures
        ],
        thresholds=parsed.thresholds,
        targets={
            measure_id: [located.model for located in entries]
            for measure_id, entries in parsed.targets.items()
        },
        initiatives=[located.model for located in parsed.initiatives],
        okrs=[located.model for located in parsed.okrs],
        scorecards=[located.model for located in parsed.scorecards],
        review_cadence=parsed.cadence,
        reviews=[located.model for located in parsed.reviews],
    )


@dataclass
class ValidationOutcome:
    """The report, and the config when it has no errors (what ``load_config`` needs)."""

    report: ValidationReport
    config: ScorecardConfig | None
    target_rows: dict[str, list[TargetRow]]
    lines: dict[str, Document]


# Outcomes already computed in this process, by what they were computed from (see run_validation).
_OUTCOMES: dict[tuple[Any, ...], ValidationOutcome] = {}


def _validation_key(
    config_dir: Path, today: date, dbt_manifest: Path | None, lint: bool
) -> tuple[Any, ...] | None:
    """What an outcome depends on: every config file's bytes, the environment variables they name
    (``${VAR}`` in sources.yml), the manifest's version, the day and whether lints run."""
    if not config_dir.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(config_dir.rglob("*")):
        if path.is_file():
            text = path.read_bytes()
            digest.update(str(path.relative_to(config_dir)).encode() + b"\0" + text + b"\0")
            for name in sorted(set(re.findall(rb"\$\{([^}]*)\}", text))):
                value = os.environ.get(name.decode(errors="replace"))
                digest.update(b"$" + name + b"=" + (b"\1" + value.encode() if value is not None else b"\0"))
    manifest = None
    if dbt_manifest is not None:
        manifest_path = Path(dbt_manifest).resolve()
        stat = manifest_path.stat() if manifest_path.exists() else None
        manifest = (str(manifest_path), stat.st_mtime_ns if stat else None, stat.st_size if stat else None)
    return (str(config_dir.resolve()), digest.hexdigest(), today, manifest, lint)


def run_validation(
    config_dir: Path, *, today: date | None = None, dbt_manifest: Path | None = None, lint: bool = True
) -> ValidationOutcome:
    """Every check, returning the report plus the assembled config when it is error-free.

    A process validates a config once: a later call on the same files (same bytes, same manifest
    version, same day and lint choice) returns the first outcome instead of checking again, so the
    definitions load, the dbt project preparation and the config asset of one run share one validation.
    """
    config_dir = Path(config_dir)
    key = _validation_key(config_dir, reporting_day(today), dbt_manifest, lint)
    if key is not None and key in _OUTCOMES:
        return _OUTCOMES[key]
    outcome = _validate(config_dir, today=today, dbt_manifest=dbt_manifest, lint=lint)
    if key is not None:
        _OUTCOMES[key] = outcome
    return outcome


def _validate(
    config_dir: Path, *, today: date | None, dbt_manifest: Path | None, lint: bool
) -> ValidationOutcome:
    from orchestration.config.lints import run_lints

    state = _State(config_dir=config_dir, today=reporting_day(today))
    if not config_dir.is_dir():
        state.error(
            str(config_dir),
            (),
            "the config directory does not exist.",
            "pass the folder holding strategy.yml, measures.yml, targets.yml and scorecards.yml",
            "missing_file",
        )
        return ValidationOutcome(ValidationReport(str(config_dir), tuple(state.issues)), None, {}, {})
    _read_documents(state)
    parsed = _parse_files(state)
    _read_sources(state, parsed)
    _check_strategy(state, parsed)
    _check_measures(state, parsed)
    target_rows = _check_targets(state, parsed)
    _check_initiatives(state, parsed)
    _check_okrs(state, parsed)
    _check_scorecards(state, parsed)
    _check_reviews(state, parsed)
    if dbt_manifest is not None:
        _check_dbt_manifest(state, parsed, Path(dbt_manifest))
    config: ScorecardConfig | None = None
    if not any(issue.severity is Severity.error for issue in state.issues):
        try:
            config = build_config(parsed)
        except (ValidationError, AssertionError) as error:  # a gap in the checks above; say so plainly
            state.error(
                STRATEGY,
                (),
                f"the config could not be assembled: {error}.",
                "report this as a bug of the config validator",
                "internal",
            )
    if config is not None and lint:
        for issue in run_lints(config, target_rows, state.today, state.documents):
            state.issues.append(issue)
    return ValidationOutcome(
        ValidationReport(str(config_dir), tuple(state.issues)), config, target_rows, state.documents
    )


def validate_config(
    config_dir: Path, *, today: date | None = None, dbt_manifest: Path | None = None
) -> ValidationReport:
    """Validate a scorecard config directory and lint it; never raises for a user's mistake.

    ``today`` fixes the "current period" for lints (default: ``reporting_day``, which follows
    ``SCORECARD_LAST_MONTH`` when it pins the last month, else the real date). ``dbt_manifest``, when
    given, is dbt's ``target/manifest.json``: every configured measure must have exactly one dbt model
    under ``models/measures/`` whose ``meta.measure_id`` names it, and vice versa; and each measure's
    ``data_sources`` must be exactly the sources its model reads in the dbt lineage.
    """
    return run_validation(config_dir, today=today, dbt_manifest=dbt_manifest).report
