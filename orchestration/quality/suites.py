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

Checking the shape here needs no Great Expectations import, so ``Definitions`` load fast and a broken
suite is reported, with its file and entry, before anything runs. ``ge_suite`` builds GE's own
``ExpectationSuite`` from the JSON when a check executes.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from orchestration.ingestion.registry import SourceRegistry, SourceTable, raw_table_name
from orchestration.settings import get_settings

SEVERITIES = ("error", "warning")
MART_SCHEMA = "scorecard"

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


class SuiteError(ValueError):
    """A suite file is unreadable or invalid; the message lists every problem with its file and entry."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"expectations: {len(problems)} problem(s) in the suite files:\n{listing}")


@dataclass(frozen=True)
class SuiteFile:
    """One suite file, checked: what it guards and its raw JSON (GE's suite format)."""

    path: Path
    name: str
    asset_key: tuple[str, ...]
    kind: Literal["raw", "mart"]
    data: dict[str, Any] = field(repr=False)
    generated: bool = False

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


def _pairs_hook(duplicates: list[str]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A ``json.loads`` object hook that builds each object and notes, in ``duplicates``, every key
    that appears twice in one object."""

    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    return build


def load_suite_files(registry: SourceRegistry, directory: Path | None = None) -> list[SuiteFile]:
    """Every suite in ``directory``, checked against the registry; ``SuiteError`` lists every problem.

    A registry table without a suite file gets the baseline suite (``baseline_suite``) so no source
    goes unguarded; write ``<system>__<table>.json`` to tune it.
    """
    directory = Path(directory or expectations_dir())
    problems: list[str] = []
    suites: list[SuiteFile] = []
    paths = sorted(directory.glob("*.json")) if directory.is_dir() else []
    for path in paths:
        duplicates: list[str] = []
        try:
            data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_pairs_hook(duplicates))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"{path.name}: is not valid JSON ({error}) — fix the file or delete it")
            continue
        # json keeps the last of two equal keys without a word: a repeated "kwargs" or "meta" would
        # silently replace the first.
        problems += [
            f"{path.name}: key {key!r} appears twice in one object — keep one of them; JSON would silently "
            "use the last"
            for key in duplicates
        ]
        suite, found = _check_suite(path, data, registry)
        problems += found
        if suite is not None:
            suites.append(suite)
    if problems:
        raise SuiteError(problems)
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


def _check_suite(path: Path, data: Any, registry: SourceRegistry) -> tuple[SuiteFile | None, list[str]]:
    file = path.name
    if not isinstance(data, dict):
        return None, [f"{file}: the top level must be an object with name, meta and expectations"]
    problems: list[str] = []
    name = data.get("name")
    if name != path.stem:
        problems.append(
            f"{file}: name is {name!r}; a suite is named after its file — set it to {path.stem!r}"
        )
    meta = data.get("meta")
    asset_key = meta.get("asset_key") if isinstance(meta, dict) else None
    if not (isinstance(asset_key, list) and asset_key and all(isinstance(p, str) for p in asset_key)):
        return None, [
            *problems,
            f"{file}: meta.asset_key is missing — add the asset the suite guards, e.g. "
            '["raw", "billing", "invoices"] or ["scorecard", "measure_values"]',
        ]
    spec: SourceTable | None = None
    kind: Literal["raw", "mart"]
    if asset_key[0] == "raw" and len(asset_key) == 3:
        kind = "raw"
        system, table = asset_key[1], asset_key[2]
        try:
            spec = registry.table(system, table)
        except KeyError as error:
            return None, [
                *problems,
                f"{file}: meta.asset_key: {error.args[0]} — fix the key or delete the suite",
            ]
        if path.stem != raw_table_name(system, table):
            problems.append(
                f"{file}: guards raw.{system}.{table}, so it must be named "
                f"{raw_table_name(system, table)}.json"
            )
    elif asset_key[0] == MART_SCHEMA and len(asset_key) == 2:
        kind = "mart"
        if path.stem != f"{MART_SCHEMA}__{asset_key[1]}":
            problems.append(
                f"{file}: guards {'.'.join(asset_key)}, so it must be named "
                f"{MART_SCHEMA}__{asset_key[1]}.json"
            )
    else:
        return None, [
            *problems,
            f'{file}: meta.asset_key {asset_key!r} is neither a raw table (["raw", system, table]) nor a '
            f'published table (["{MART_SCHEMA}", table])',
        ]
    expectations = data.get("expectations")
    if not isinstance(expectations, list) or not expectations:
        problems.append(f"{file}: expectations must be a non-empty list")
        expectations = []
    batch_key = meta.get("batch_key", [])
    for index, expectation in enumerate(expectations):
        problems += _check_expectation(file, index, expectation, kind, spec, batch_key, asset_key[-1])
    if problems:
        return None, problems
    return SuiteFile(path=path, name=path.stem, asset_key=tuple(asset_key), kind=kind, data=data), []


def _check_expectation(
    file: str,
    index: int,
    expectation: Any,
    kind: str,
    spec: SourceTable | None,
    batch_key: list[str],
    asset_table: str,
) -> list[str]:
    where = f"{file}: expectations[{index}]"
    if not isinstance(expectation, dict):
        return [f"{where}: must be an object with type, kwargs and meta"]
    problems: list[str] = []
    kind_name = expectation.get("type")
    where = f"{where} ({kind_name})"
    kwargs = expectation.get("kwargs")
    meta = expectation.get("meta")
    if not isinstance(kind_name, str) or not kind_name.startswith("expect_"):
        problems.append(
            f"{where}: type must name a Great Expectations expectation, "
            "e.g. expect_column_values_to_be_between"
        )
    if not isinstance(kwargs, dict):
        return [*problems, f"{where}: kwargs must be an object"]
    if not isinstance(meta, dict):
        return [
            *problems,
            f"{where}: meta is missing — add severity (error | warning), frame and description",
        ]
    severity = meta.get("severity")
    if severity not in SEVERITIES:
        problems.append(f"{where}: meta.severity is {severity!r}; use 'error' (blocks the run) or 'warning'")
    if not str(meta.get("description", "")).strip():
        problems.append(f"{where}: meta.description is missing — say in plain words what must hold")
    frame = meta.get("frame")
    if kind == "raw":
        if frame not in RAW_FRAMES:
            return [
                *problems,
                f"{where}: meta.frame is {frame!r}; a raw-table suite reads one of {', '.join(RAW_FRAMES)}",
            ]
        assert spec is not None
        available = {
            "rows": [*spec.columns, *RAW_ROW_COLUMNS],
            "deliveries": list(DELIVERY_COLUMNS),
            "freshness": list(FRESHNESS_COLUMNS),
        }[frame]
        if frame == "freshness" and not spec.event_time:
            problems.append(
                f"{where}: the table declares no event_time in sources.yml, so it has no freshness frame"
            )
        problems += _column_problems(where, kwargs, available)
        if kind_name in _UNIQUENESS_TYPES and frame == "rows":
            named = _named_columns(kwargs)
            if sorted(named) != sorted(spec.primary_key):
                problems.append(
                    f"{where}: uniqueness is checked batch by batch, batches split rows by primary key, so "
                    f"only the primary key ({', '.join(spec.primary_key)}) can be checked for uniqueness"
                )
    else:
        # Imported here: frames imports this module for the suite model.
        from orchestration.quality.frames import known_mart_frames

        table = asset_table
        if frame not in known_mart_frames(table):
            problems.append(
                f"{where}: meta.frame is {frame!r}; a suite on {MART_SCHEMA}.{table} reads one of "
                f"{', '.join(known_mart_frames(table))}"
            )
        if kind_name in _UNIQUENESS_TYPES and sorted(_named_columns(kwargs)) != sorted(batch_key):
            problems.append(
                f"{where}: only the suite's meta.batch_key ({', '.join(batch_key) or 'none'}) can be checked "
                "for uniqueness, because batches split rows by it (dbt tests cover other keys)"
            )
    return problems


def _named_columns(kwargs: dict[str, Any]) -> list[str]:
    names = [kwargs[k] for k in _COLUMN_KWARGS if isinstance(kwargs.get(k), str)]
    for key in _COLUMN_LIST_KWARGS:
        if isinstance(kwargs.get(key), list):
            names += [str(c) for c in kwargs[key]]
    return names


def _column_problems(where: str, kwargs: dict[str, Any], available: list[str]) -> list[str]:
    problems = []
    for column in _named_columns(kwargs):
        if column not in available:
            close = difflib.get_close_matches(column, available, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"{where}: column {column!r} is not in this frame{hint}")
    return problems


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
    problems = []
    for position, expectation in enumerate(suite.expectations):
        if expectation["meta"]["frame"] != frame:
            continue
        entry = {**expectation, "meta": {**expectation["meta"], "position": position}}
        try:
            # One at a time, so a bad entry is reported with its position in the file.
            gx.ExpectationSuite(name=suite.name, expectations=[entry])
        except Exception as error:  # GE raises many types for a bad expectation; all mean "fix the file".
            said = " ".join(str(error).split())
            problems.append(
                f"{suite.path.name}: expectations[{position}] ({expectation['type']}): "
                f"Great Expectations cannot read it: {said} — fix the entry"
            )
            continue
        selected.append(entry)
    if problems:
        raise SuiteError(problems)
    return gx.ExpectationSuite(
        name=f"{suite.name}.{frame}", expectations=selected, meta=suite.data.get("meta")
    )
