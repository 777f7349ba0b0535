"""What every file's checks share: the files, the run's state and issues, and reading entries.

``State`` collects the issues of one validation in the order they are found (the order users see).
``FileChecker`` validates one file's sections and entries against the pydantic models, entry by entry,
so one broken measure does not hide the problems of the others. ``Parsed`` holds what the files gave,
for the cross-file checks of the modules beside this one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from orchestration.config.issues import Issue, Severity
from orchestration.config.models import Company, ConfigModel, ReviewCadence, SegmentDimension, Thresholds
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

# The sections each file may have, and those it must have.
SECTIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    STRATEGY: (
        frozenset({"version", "company", "perspectives", "segments", "objectives", "strategy_map"}),
        frozenset({"version", "company", "objectives", "strategy_map"}),
    ),
    MEASURES: (frozenset({"version", "measures"}), frozenset({"version", "measures"})),
    TARGETS: (
        frozenset({"version", "thresholds", "targets"}),
        frozenset({"version", "thresholds", "targets"}),
    ),
    INITIATIVES: (frozenset({"version", "initiatives"}), frozenset({"version"})),
    OKRS: (frozenset({"version", "okrs"}), frozenset({"version"})),
    SCORECARDS: (frozenset({"version", "scorecards"}), frozenset({"version", "scorecards"})),
    REVIEWS: (frozenset({"version", "cadence", "reviews"}), frozenset({"version", "cadence"})),
}

# The entry kinds each file defines: when a file cannot be read at all, references to its kinds
# are not reported (they would all be noise).
KINDS_OF_FILE = {
    STRATEGY: ("Perspective", "Objective", "StrategyLink"),
    MEASURES: ("Measure",),
    INITIATIVES: ("Initiative",),
    OKRS: ("Okr",),
    SCORECARDS: ("Scorecard",),
    REVIEWS: ("Review",),
}

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

    def entries(self, key: str) -> list[Located]:
        """The items of a list field of this entry (milestones, key results, actions), each placed."""
        return [
            Located(item, self.file, (*self.path, key, index))
            for index, item in enumerate(getattr(self.model, key))
        ]


@dataclass
class State:
    """One validation run: the config folder, the day it judges, and the issues found so far."""

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

    def check_duplicates(self, entries: list[Located], what: str, key: Callable[[Any], str]) -> None:
        """Each entry's key (its id, or a link's cause and effect) appears once; later copies are errors."""
        seen: dict[str, Located] = {}
        for located in entries:
            value = key(located.model)
            if value not in seen:
                seen[value] = located
                continue
            first = seen[value]
            document = self.documents.get(first.file)
            line = document.line_of(first.path) if document else None
            self.error(
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

    def check_ids(self, entries: list[Located], what: str) -> None:
        """Each entry's ``id`` is unique in its list."""
        self.check_duplicates(entries, what, lambda model: model.id)


@dataclass
class Parsed:
    """What the files gave: validated entries with their places, and the file-level settings."""

    company: Company | None = None
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

    @property
    def fy_start(self) -> int:
        """First month of the fiscal year (January while strategy.yml's company is unreadable)."""
        return self.company.fiscal_year_start_month if self.company else 1


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


# Every name a user may write, for "did you mean" on an unknown field: entries' fields, the targets'
# fields (their models are not direct ConfigModel subclasses) and the files' sections.
KNOWN_FIELDS = sorted(
    {name for model in ConfigModel.__subclasses__() for name in model.model_fields}
    | {"from", "to", "values", "value", "fiscal_year", "phasing", "weights", "start_value", "baseline"}
    | {"change", "change_type", "segment", "rationale", "kind"}
    | {section for allowed, _ in SECTIONS.values() for section in allowed}
)


def _pydantic_issue(error: dict[str, Any]) -> tuple[str, str]:
    """(message, hint) for one pydantic error, with the config's hints for what to write."""
    return pydantic_issue(
        error,
        hints=FIELD_HINTS,
        known_fields=KNOWN_FIELDS,
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


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and part in {"absolute", "annual", "relative"}


class FileChecker:
    """Validates one file's sections and items against models, reporting every error found."""

    def __init__(self, state: State, file: str):
        self.state = state
        self.file = file
        self.document = state.documents.get(file)
        self.data = self.document.data if self.document else None

    def report(self, error: ValidationError, prefix: PathKey) -> None:
        for item in error.errors(include_url=False):
            loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
            message, hint = _pydantic_issue(item)
            self.state.error(self.file, (*prefix, *loc), message, hint, "schema")

    def readable(self) -> bool:
        """The file was read and its sections are the file's own (``SECTIONS``); errors otherwise."""
        return self.document is not None and self.top_level(*SECTIONS[self.file])

    def top_level(self, allowed: frozenset[str], required: frozenset[str]) -> bool:
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

    def one(self, key: str, adapter: TypeAdapter, *, default: Any = None) -> Any:
        if not isinstance(self.data, dict) or key not in self.data:
            return default
        try:
            return adapter.validate_python(self.data[key])
        except ValidationError as error:
            self.report(error, (key,))
            return default

    def items(self, key: str, model: type[ConfigModel]) -> list[Located]:
        """The entries of the list section ``key``, each validated on its own; the ids of the broken
        ones go to ``State.broken_ids`` (``*`` when any entry could be the one referenced)."""
        raw = (self.data or {}).get(key)
        base = (key,)
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


def read_documents(state: State) -> None:
    """Read every config file with line tracking (syntax errors and duplicate keys are issues)."""
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
    for file, kinds in KINDS_OF_FILE.items():
        document = state.documents.get(file)
        readable = document is not None and isinstance(document.data, dict)
        if not readable and (file not in OPTIONAL_FILES or (state.config_dir / file).exists()):
            for kind in kinds:
                state.broken_ids[kind].add("*")


def find_cycles(edges: list[tuple[str, str]]) -> list[list[str]]:
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


def effective_range(start: date, retired_on: date | None) -> str:
    """``(from 2024-01-01, retired on 2026-01-01).``: a measure's range as messages quote it."""
    return f"(from {start}" + (f", retired on {retired_on})." if retired_on else ").")
