"""Great Expectations suites in ``expectations/``: finding them, checking their shape, building GE suites.

One JSON file per guarded table, named after it: ``<system>__<table>.json`` for a raw source table
(``raw.<system>__<table>``) and ``scorecard__<table>.json`` for a published mart. The file is GE 1.x's
own suite format (``name``, ``expectations`` of ``type`` / ``kwargs`` / ``meta``, ``meta``) with a few
keys of ours in the ``meta`` blocks:

- suite ``meta.asset_key``: the Dagster asset the suite guards (``["raw", "billing", "invoices"]``);
- suite ``meta.batch_key`` (marts only): the columns that identify a row, so batches never split a key;
- each expectation's ``meta.severity``: ``error`` (blocks everything downstream: dbt, publishing) or
  ``warning`` (the run goes on; on raw tables the failing periods are flagged so their measures show
  as ``untrusted``);
- ``meta.frame``: which view of the table the expectation reads (see ``orchestration.quality.frames``);
- ``meta.description`` (what must hold, in plain words) and ``meta.fix`` (what to do when it fails).

Checking a file here needs no Great Expectations import, so ``Definitions`` load fast and a broken
suite is reported before anything runs. A suite is read as every file a user edits is read
(``orchestration.documents``: lines tracked, a key given twice is an error), validated against the
typed models below, then against the registry; every problem is an ``Issue`` naming the file, the line,
the entry (``expectations[3].kwargs.column``), what is wrong and the fix. ``ge_suite`` builds GE's own
``ExpectationSuite`` from the JSON when a check executes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from orchestration.documents import Document, read_document
from orchestration.ingestion.registry import SourceRegistry, SourceTable, raw_table_name
from orchestration.issues import Issue, IssuesError, PathKey, did_you_mean, entry_path, error, pydantic_issue
from orchestration.quality.frames import MART_SCHEMA, known_mart_frames
from orchestration.settings import get_settings

SEVERITIES = ("error", "warning")

# The frames a raw-table suite may read, and the columns each one has besides the table's own.
RAW_ROW_COLUMNS = ("_source_file", "_source_row_number", "_load_id", "_period_start")
DELIVERY_COLUMNS = (
    "delivery",
    "period_start",
    "files",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "quarantined_share",
    "quarantined_by_rule",
    "quarantine_example",
    "previous_rows_read",
    "rows_vs_previous",
    "loaded_at",
)
FRESHNESS_COLUMNS = (
    "event_column",
    "newest_event_at",
    "reference_period",
    "period_end",
    "days_behind_period_end",
)
RAW_FRAMES = ("rows", "deliveries", "freshness")
# Expectation kwargs that name a column of the frame.
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_COLUMN_LIST_KWARGS = ("column_list",)
_UNIQUENESS_TYPES = (
    "expect_column_values_to_be_unique",
    "expect_compound_columns_to_be_unique",
    "expect_multicolumn_values_to_be_unique",
    "expect_select_column_values_to_be_unique_within_record",
)


class SuiteError(IssuesError, ValueError):
    """Suite files are unreadable or invalid; ``issues`` holds every problem, the message lists them."""

    def __init__(self, issues: Iterable[Issue], directory: Path | None = None) -> None:
        issues = tuple(issues)
        where = str(directory) if directory else "expectations"
        super().__init__(f"{where}: {len(issues)} error(s) in the suite files:", issues)


class _SuiteModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ExpectationMeta(_SuiteModel):
    """Our keys in an expectation's ``meta``."""

    severity: Literal["error", "warning"]
    frame: str
    description: str = Field(min_length=1, pattern=r"\S")
    fix: str = ""


class Expectation(_SuiteModel):
    """One expectation as GE 1.x writes it; ``kwargs`` are checked by GE itself when the check runs."""

    type: str = Field(pattern=r"^expect_")
    kwargs: dict[str, Any]
    meta: ExpectationMeta
    id: str | None = None
    description: str | None = None
    notes: str | list[str] | None = None
    rendered_content: Any = None


class SuiteMeta(_SuiteModel):
    """Our keys in a suite's ``meta`` (``great_expectations_version`` is GE's own)."""

    asset_key: list[str] = Field(min_length=1)
    batch_key: list[str] = Field(default_factory=list)
    description: str = ""
    great_expectations_version: str | None = None


class Suite(_SuiteModel):
    """A suite file's top level (GE 1.x's format); each part is validated on its own so one broken
    expectation does not hide the problems of the others."""

    name: str
    meta: SuiteMeta
    expectations: list[Any] = Field(min_length=1)
    id: str | None = None
    notes: str | list[str] | None = None


_SUITE_FIELDS = {
    name for model in (Suite, SuiteMeta, Expectation, ExpectationMeta) for name in model.model_fields
}
_SUITE_HINTS = {
    "name": "add `name`, the file's name without .json",
    "meta": 'add `meta` with `asset_key`, e.g. {"asset_key": ["raw", "billing", "invoices"]}',
    "asset_key": 'add the asset the suite guards, e.g. ["raw", "billing", "invoices"] or '
    '["scorecard", "measure_values"]',
    "expectations": "list the suite's expectations",
    "type": "name a Great Expectations expectation, e.g. expect_column_values_to_be_between",
    "kwargs": 'add `kwargs`, the expectation\'s arguments, e.g. {"column": "amount", "min_value": 0}',
    "severity": "add `severity`: error (blocks the run) or warning",
    "frame": "add `frame`, the view of the table it reads (see expectations/README.md)",
    "description": "say in plain words what must hold",
}


@dataclass(frozen=True)
class SuiteFile:
    """One suite file, checked: what it guards and its raw JSON (GE's suite format)."""

    path: Path
    name: str
    asset_key: tuple[str, ...]
    kind: Literal["raw", "mart"]
    data: dict[str, Any] = field(repr=False)
    generated: bool = False
    # The file as read, for the line of an entry GE rejects later (None for a baseline suite).
    document: Document | None = field(default=None, repr=False, compare=False)

    def issue(self, path: PathKey, message: str, hint: str, code: str) -> Issue:
        """An error about the entry at ``path`` of this suite's file."""
        line = self.document.line_of(path) if self.document else None
        return error(self.path.name, entry_path(path), message, hint, code=code, line=line)

    @property
    def table(self) -> str:
        """The warehouse table the suite guards: ``raw.<system>__<table>`` or ``scorecard.measure_values``."""
        if self.kind == "raw":
            return f"raw.{raw_table_name(self.asset_key[1], self.asset_key[2])}"
        return f"{MART_SCHEMA}.{self.asset_key[1]}"

    @property
    def source_table(self) -> str | None:
        """``system.table`` for a raw suite (the name ``quality.source_flags`` uses), else None."""
        return f"{self.asset_key[1]}.{self.asset_key[2]}" if self.kind == "raw" else None

    @property
    def check_name(self) -> str:
        """The Dagster asset check's name (also ``check_name`` in ``quality.source_flags``)."""
        return f"{self.name}_suite"

    @property
    def expectations(self) -> list[dict[str, Any]]:
        return list(self.data.get("expectations", []))

    @property
    def batch_key(self) -> list[str]:
        """Columns that identify a row of the suite's table (a mart's ``meta.batch_key``)."""
        return list(self.data.get("meta", {}).get("batch_key", []))

    @property
    def description(self) -> str:
        return str(self.data.get("meta", {}).get("description", ""))

    def frames(self) -> list[str]:
        """The frames the suite's expectations read, in first-use order."""
        return list(dict.fromkeys(e["meta"]["frame"] for e in self.expectations))


def expectations_dir() -> Path:
    """The company's suites folder: ``$SCORECARD_EXPECTATIONS_DIR`` or ``<company>/expectations``."""
    return get_settings().expectations_dir


def load_suite_files(registry: SourceRegistry, directory: Path | None = None) -> list[SuiteFile]:
    """Every suite in ``directory``, checked against the registry; ``SuiteError`` lists every problem.

    A registry table without a suite file gets the baseline suite (``baseline_suite``) so no source
    goes unguarded; write ``<system>__<table>.json`` to tune it.
    """
    directory = Path(directory or expectations_dir())
    issues: list[Issue] = []
    suites: list[SuiteFile] = []
    paths = sorted(directory.glob("*.json")) if directory.is_dir() else []
    for path in paths:
        document, found = read_document(path, path.name)
        issues += found
        if document is None:
            continue
        checker = _SuiteChecker(path, document, registry)
        suite = checker.check()
        # In the order of the file, so a user fixes it top to bottom.
        issues += sorted(checker.issues, key=lambda issue: issue.line or 0)
        if suite is not None and not found:
            suites.append(suite)
    if issues:
        raise SuiteError(issues, directory)
    covered = {suite.asset_key for suite in suites}
    for system, table, spec in registry.iter_tables():
        if ("raw", system, table) not in covered:
            data = baseline_suite(system, table, spec)
            suites.append(
                SuiteFile(
                    path=directory / f"{data['name']}.json",
                    name=data["name"],
                    asset_key=("raw", system, table),
                    kind="raw",
                    data=data,
                    generated=True,
                )
            )
    return suites


class _SuiteChecker:
    """Checks one suite file: its models, then what it names against the registry and the frames."""

    def __init__(self, path: Path, document: Document, registry: SourceRegistry):
        self.path = path
        self.document = document
        self.registry = registry
        self.issues: list[Issue] = []

    def error(self, path: PathKey, message: str, hint: str, code: str) -> None:
        line = self.document.line_of(path)
        self.issues.append(error(self.path.name, entry_path(path), message, hint, code=code, line=line))

    def validate(self, model: type[BaseModel], data: Any, prefix: PathKey) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as problem:
            for item in problem.errors(include_url=False):
                if prefix == () and len(item["loc"]) > 1 and item["loc"][0] in ("meta", "expectations"):
                    continue  # the meta block and each expectation are validated on their own
                message, hint = pydantic_issue(
                    item, hints=_SUITE_HINTS, known_fields=_SUITE_FIELDS, layout="expectations/README.md"
                )
                self.error((*prefix, *item["loc"]), message, hint, "schema")
            return None

    def check(self) -> SuiteFile | None:
        data = self.document.data
        if not isinstance(data, dict):
            self.error(
                (),
                "the file does not hold an object.",
                "write the suite as an object with name, meta and expectations",
                "schema",
            )
            return None
        suite: Suite | None = self.validate(Suite, data, ())
        raw = data.get("expectations")
        expectations: list[Expectation | None] = [
            self.validate(Expectation, item, ("expectations", index))
            for index, item in enumerate(raw if isinstance(raw, list) else [])
        ]
        if isinstance(data.get("name"), str) and data["name"] != self.path.stem:
            self.error(
                ("name",),
                f"the suite is named `{data['name']}`, but its file is {self.path.name}.",
                f'a suite is named after its file: set it to "{self.path.stem}"',
                "name_mismatch",
            )
        meta = data.get("meta")
        meta = self.validate(SuiteMeta, meta, ("meta",)) if isinstance(meta, dict) else None
        if meta is None:
            return None
        target = self.target(meta.asset_key)
        if target is None:
            return None
        kind, spec = target
        for index, expectation in enumerate(expectations):
            if expectation is not None:
                self.check_expectation(("expectations", index), expectation, kind, spec, meta)
        if suite is None or self.issues:
            return None
        return SuiteFile(
            path=self.path,
            name=self.path.stem,
            asset_key=tuple(meta.asset_key),
            kind=kind,
            data=data,
            document=self.document,
        )

    def target(self, asset_key: list[str]) -> tuple[Literal["raw", "mart"], SourceTable | None] | None:
        """What the suite guards: a registry table (raw) or a published table (mart)."""
        where = ("meta", "asset_key")
        if asset_key[0] == "raw" and len(asset_key) == 3:
            system, table = asset_key[1], asset_key[2]
            if (system, table) not in self.registry.table_names():
                known = [f"{s}.{t}" for s, t in self.registry.table_names()]
                self.error(
                    where,
                    f"`{system}.{table}` is not a table of sources.yml.",
                    f"fix the key or delete the suite{did_you_mean(f'{system}.{table}', known)}",
                    "unknown_reference",
                )
                return None
            expected = raw_table_name(system, table)
            if self.path.stem != expected:
                self.error(
                    where,
                    f"the suite guards raw.{system}.{table}, but its file is {self.path.name}.",
                    f"rename the file {expected}.json",
                    "name_mismatch",
                )
            return "raw", self.registry.table(system, table)
        if asset_key[0] == MART_SCHEMA and len(asset_key) == 2:
            expected = f"{MART_SCHEMA}__{asset_key[1]}"
            if self.path.stem != expected:
                guarded = ".".join(asset_key)
                self.error(
                    where,
                    f"the suite guards {guarded}, but its file is {self.path.name}.",
                    f"rename the file {expected}.json",
                    "name_mismatch",
                )
            return "mart", None
        self.error(
            where,
            f"`{asset_key}` is neither a raw table nor a published table.",
            f'write ["raw", system, table] or ["{MART_SCHEMA}", table]',
            "schema",
        )
        return None

    def check_expectation(
        self, where: PathKey, expectation: Expectation, kind: str, spec: SourceTable | None, meta: SuiteMeta
    ) -> None:
        frame = expectation.meta.frame
        if kind == "raw":
            assert spec is not None
            if frame not in RAW_FRAMES:
                self.unknown_frame(where, frame, "a raw table", RAW_FRAMES)
                return
            available = {
                "rows": [*spec.columns, *RAW_ROW_COLUMNS],
                "deliveries": list(DELIVERY_COLUMNS),
                "freshness": list(FRESHNESS_COLUMNS),
            }[frame]
            if frame == "freshness" and not spec.event_time:
                self.error(
                    (*where, "meta", "frame"),
                    "the table declares no event_time in sources.yml, so it has no freshness frame.",
                    "declare `event_time` for the table, or remove the expectation",
                    "unknown_frame",
                )
            self.check_columns(where, expectation.kwargs, frame, available)
            key, key_name = spec.primary_key, "the primary key"
        else:
            table = f"{MART_SCHEMA}.{meta.asset_key[-1]}"
            frames = known_mart_frames(meta.asset_key[-1])
            if frame not in frames:
                self.unknown_frame(where, frame, table, frames)
            key, key_name = meta.batch_key, "the suite's meta.batch_key"
        named = sorted(column for _, column in _named_columns(expectation.kwargs))
        batched = kind == "mart" or frame == "rows"
        if expectation.type in _UNIQUENESS_TYPES and batched and named != sorted(key):
            self.error(
                (*where, "kwargs"),
                f"only {key_name} ({', '.join(key) or 'none'}) can be checked "
                "for uniqueness: batches split rows by it.",
                "check the key's columns, or leave other keys to dbt tests",
                "invalid_uniqueness",
            )

    def unknown_frame(self, where: PathKey, frame: str, table: str, frames: Iterable[str]) -> None:
        frames = list(frames)
        self.error(
            (*where, "meta", "frame"),
            f"`{frame}` is not a frame of {table}.",
            f"use one of: {', '.join(frames)}{did_you_mean(frame, frames)}",
            "unknown_frame",
        )

    def check_columns(self, where: PathKey, kwargs: dict[str, Any], frame: str, available: list[str]) -> None:
        for path, column in _named_columns(kwargs):
            if column not in available:
                self.error(
                    (*where, "kwargs", *path),
                    f"`{column}` is not a column of the {frame} frame.",
                    f"name a column of the frame{did_you_mean(column, available)}",
                    "unknown_column",
                )


def _named_columns(kwargs: dict[str, Any]) -> list[tuple[PathKey, str]]:
    """The columns an expectation's kwargs name, each with its path in the kwargs."""
    names: list[tuple[PathKey, str]] = [
        ((key,), kwargs[key]) for key in _COLUMN_KWARGS if isinstance(kwargs.get(key), str)
    ]
    for key in _COLUMN_LIST_KWARGS:
        if isinstance(kwargs.get(key), list):
            names += [((key, index), str(column)) for index, column in enumerate(kwargs[key])]
    return names


def baseline_suite(system: str, table: str, spec: SourceTable) -> dict[str, Any]:
    """The suite every raw table gets unless ``expectations/`` has its own: volume, quarantine,
    primary-key uniqueness per latest load, and (with an event time) a lenient freshness warning."""
    name = raw_table_name(system, table)
    fix_quarantine = (
        f"list the rows with `scorecard quarantine --system {system} --table {table}`, correct the export "
        "and deliver it again"
    )
    expectations: list[dict[str, Any]] = [
        _expectation(
            "expect_column_values_to_be_between",
            {"column": "rows_read", "min_value": 1},
            "error",
            "deliveries",
            "Every delivery holds at least one row.",
            "the export is empty (only a header, or no lines): re-export it from the source system",
        ),
        _expectation(
            "expect_column_values_to_be_between",
            # Below ~20 rows a delivery's size is mostly chance (a quiet month): only judge larger ones.
            {
                "column": "rows_vs_previous",
                "min_value": 0.25,
                "row_condition": "previous_rows_read >= 20",
                "condition_parser": "pandas",
            },
            "error",
            "deliveries",
            "A delivery holds at least a quarter of the rows of the deliveries before it "
            "(when those averaged 20 rows or more).",
            "the export looks truncated: re-export it in full",
        ),
        _expectation(
            "expect_column_values_to_be_between",
            {"column": "quarantined_share", "max_value": 0.001},
            "error",
            "deliveries",
            "At most 0.1% of a delivery's rows are quarantined.",
            fix_quarantine,
        ),
        _expectation(
            "expect_column_values_to_be_between",
            {"column": "quarantined_share", "max_value": 0},
            "warning",
            "deliveries",
            "No row of a delivery is quarantined.",
            fix_quarantine,
        ),
        _expectation(
            "expect_compound_columns_to_be_unique"
            if len(spec.primary_key) > 1
            else "expect_column_values_to_be_unique",
            {"column_list": list(spec.primary_key)}
            if len(spec.primary_key) > 1
            else {"column": spec.primary_key[0]},
            "error",
            "rows",
            "The primary key is unique among the rows of each key's latest load (what staging keeps).",
            "two files of one load hold the same key: deliver each row in one file only",
        ),
    ]
    if spec.event_time:
        expectations.append(
            _expectation(
                "expect_column_values_to_be_between",
                {"column": "days_behind_period_end", "max_value": 45},
                "warning",
                "freshness",
                f"The newest {spec.event_time} is within 45 days of the end of the period.",
                "deliver the latest export of this table",
            )
        )
    return {
        "name": name,
        "meta": {
            "asset_key": ["raw", system, table],
            "description": f"Baseline checks for {system}.{table} (no expectations/{name}.json yet).",
        },
        "expectations": expectations,
    }


def _expectation(
    kind: str, kwargs: dict[str, Any], severity: str, frame: str, description: str, fix: str
) -> dict[str, Any]:
    return {
        "type": kind,
        "kwargs": kwargs,
        "meta": {"severity": severity, "frame": frame, "description": description, "fix": fix},
    }


def ge_suite(suite: SuiteFile, frame: str) -> Any:
    """GE's ``ExpectationSuite`` of the suite's expectations on ``frame``.

    Each expectation's position in the file is kept in ``meta["position"]`` so results map back to
    the file. Imports great_expectations (slow: ~3 s), so only call it when validating.
    """
    import great_expectations as gx

    selected = []
    issues = []
    for position, expectation in enumerate(suite.expectations):
        if expectation["meta"]["frame"] != frame:
            continue
        entry = {**expectation, "meta": {**expectation["meta"], "position": position}}
        try:
            # One at a time, so a bad entry is reported with its position in the file.
            gx.ExpectationSuite(name=suite.name, expectations=[entry])
        except Exception as problem:  # GE raises many types for a bad expectation; all mean "fix the file".
            said = " ".join(str(problem).split()).rstrip(".")
            issues.append(
                suite.issue(
                    ("expectations", position),
                    f"Great Expectations cannot read this {expectation['type']}: {said}.",
                    "fix the entry's kwargs (see the expectation's documentation)",
                    "great_expectations",
                )
            )
            continue
        selected.append(entry)
    if issues:
        raise SuiteError(issues)
    return gx.ExpectationSuite(
        name=f"{suite.name}.{frame}", expectations=selected, meta=suite.data.get("meta")
    )
