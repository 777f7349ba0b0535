"""The source registry: a typed model of ``scorecard_config/sources.yml`` and its validation.

``load_registry`` is the only way the rest of the code sees the registry. It reports every problem in
the file at once, each naming the file, the entry (``systems.billing.tables.invoices.primary_key``)
and what to do, so a user fixes the file in one pass instead of one traceback at a time.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from orchestration.config.yaml_io import YamlSyntaxError, read_yaml

FileFormat = Literal["csv", "jsonl", "parquet"]
DatabaseFormat = Literal["sqlite", "postgres"]
SourceFormat = Literal["csv", "jsonl", "parquet", "sqlite", "postgres"]

FILE_FORMATS: frozenset[str] = frozenset({"csv", "jsonl", "parquet"})
DATABASE_FORMATS: frozenset[str] = frozenset({"sqlite", "postgres"})
SIMPLE_TYPES: tuple[str, ...] = ("varchar", "bigint", "double", "boolean", "date", "timestamp", "timestamptz")
CSV_ENCODINGS: tuple[str, ...] = ("utf-8", "latin-1", "utf-16")

_IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
_DECIMAL = re.compile(r"decimal\(\s*(\d+)\s*,\s*(\d+)\s*\)")
_ENV_REF = re.compile(r"\$\{([^}]*)\}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A database table may be schema-qualified for postgres (``public.accounts``).
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")
# The period an export covers, read from its file name: the last ``YYYY-MM`` in it (``2025-05.csv``,
# ``tickets_2025-05_late.csv``). The same pattern is used in SQL (see ``FILE_PERIOD_SQL_PATTERN``):
# the greedy ``.*`` makes both pick the last match.
FILE_PERIOD_PATTERN = r"^.*(\d{4}-(0[1-9]|1[0-2]))"
_FILE_PERIOD = re.compile(FILE_PERIOD_PATTERN)
NUMERIC_TYPES: tuple[str, ...] = ("bigint", "double")
TIME_TYPES: tuple[str, ...] = ("date", "timestamp", "timestamptz")
_RULE_KEYS = ("min", "max", "allowed_values", "not_in_future")


class RegistryError(ValueError):
    """sources.yml is unreadable or invalid; the message lists every problem found."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{path} has {len(problems)} problem(s):\n{listing}")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnRules(_Strict):
    """Row-level rules on one column. A row that breaks one is quarantined with the rule's name.

    ``min`` / ``max`` bound a numeric column (rule ``out_of_range``), ``allowed_values`` lists the
    values a column may hold (rule ``not_allowed_value``), and ``not_in_future`` rejects a date or
    time after the load time or, for a file named after its period (``2025-05.csv``), after the end
    of that period plus one day of time-zone slack (rule ``in_future``). ``unless`` exempts rows
    whose other columns hold one of the listed values (discount lines may be negative).
    """

    min: float | None = None
    max: float | None = None
    allowed_values: list[str] | None = Field(default=None, min_length=1)
    not_in_future: bool = False
    unless: dict[str, list[str]] = Field(default_factory=dict)


class SourceTable(_Strict):
    """One table of a source system: where its exports are and what they must contain."""

    description: str = ""
    format: SourceFormat
    location: str
    table: str | None = None
    primary_key: list[str] = Field(min_length=1)
    event_time: str | None = None
    columns: dict[str, str] = Field(min_length=1)
    not_null: list[str] = Field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    rules: dict[str, ColumnRules] = Field(default_factory=dict)

    @field_validator("columns")
    @classmethod
    def _canonical_types(cls, columns: dict[str, str]) -> dict[str, str]:
        # Unknown types are reported by load_registry with the entry's location; keep them as written.
        return {name: normalise_type(column_type) or column_type for name, column_type in columns.items()}

    @property
    def is_database(self) -> bool:
        """True for sqlite / postgres sources, which are re-read in full every run."""
        return self.format in DATABASE_FORMATS

    @property
    def required_columns(self) -> list[str]:
        """Columns that must hold a value on every row: the primary key, then ``not_null``."""
        return list(dict.fromkeys([*self.primary_key, *self.not_null]))

    def resolve_files(self, landing_dir: Path) -> list[Path]:
        """The files matching ``location`` (relative to ``landing_dir`` unless absolute), sorted."""
        pattern = self.location if Path(self.location).is_absolute() else str(landing_dir / self.location)
        return sorted(Path(match) for match in glob.glob(pattern, recursive=True) if Path(match).is_file())

    def database_path(self, landing_dir: Path) -> Path:
        """For ``format: sqlite``: the database file, relative to ``landing_dir`` unless absolute."""
        location = Path(self.location)
        return location if location.is_absolute() else landing_dir / location


class SourceSystem(_Strict):
    """A source system (billing, crm, ...) and its tables."""

    description: str = ""
    tables: dict[str, SourceTable] = Field(min_length=1)


class SourceRegistry(_Strict):
    """Every source-system table the warehouse ingests, as declared in sources.yml."""

    version: Literal[1] = 1
    systems: dict[str, SourceSystem] = Field(min_length=1)

    def iter_tables(self) -> Iterator[tuple[str, str, SourceTable]]:
        """Every ``(system, table, spec)`` in declaration order."""
        for system_name, system in self.systems.items():
            for table_name, table in system.tables.items():
                yield system_name, table_name, table

    def table_names(self) -> list[tuple[str, str]]:
        """Every ``(system, table)`` pair in declaration order."""
        return [(system, table) for system, table, _ in self.iter_tables()]

    def table(self, system: str, table: str) -> SourceTable:
        """The spec of ``system.table``; ``KeyError`` naming the known tables if it is not declared."""
        try:
            return self.systems[system].tables[table]
        except KeyError:
            known = ", ".join(f"{s}.{t}" for s, t, _ in self.iter_tables())
            raise KeyError(f"{system}.{table} is not declared in sources.yml (declared: {known})") from None


def file_period(source_file: str | Path) -> date | None:
    """The first day of the month an export covers, from the last ``YYYY-MM`` in its file name."""
    match = _FILE_PERIOD.match(Path(str(source_file)).name)
    if not match:
        return None
    year, month = match.group(1).split("-")
    return date(int(year), int(month), 1)


def raw_table_name(system: str, table: str) -> str:
    """The unqualified name of a source table in the warehouse's ``raw`` schema."""
    return f"{system}__{table}"


def normalise_type(declared: str) -> str | None:
    """The canonical spelling of a declared column type, or None if it is not an allowed type."""
    text = declared.strip().lower()
    if text in SIMPLE_TYPES:
        return text
    match = _DECIMAL.fullmatch(text)
    if match:
        precision, scale = int(match.group(1)), int(match.group(2))
        if 1 <= precision <= 38 and 0 <= scale <= precision:
            return f"decimal({precision},{scale})"
    return None


def load_registry(path: Path) -> SourceRegistry:
    """Read and validate sources.yml; raise ``RegistryError`` listing every problem at once."""
    path = Path(path)
    try:
        # The config's reader: PyYAML alone keeps the last of two equal keys without a word, so a
        # table declared twice would silently replace the first.
        document = read_yaml(path)
    except FileNotFoundError:
        raise RegistryError(
            path, ["the file does not exist — create it or set SCORECARD_CONFIG_DIR"]
        ) from None
    except YamlSyntaxError as error:
        where = f" (line {error.line})" if error.line else ""
        raise RegistryError(path, [f"is not valid YAML{where}: {error.message}"]) from None
    data = document.data

    name = path.name
    problems: list[str] = [
        f"{name}:{second}: {'.'.join(str(part) for part in key)} is declared twice (lines {first} and "
        f"{second}) — keep one of them; YAML would silently use the last"
        for key, first, second in document.duplicate_keys
    ]
    if not isinstance(data, dict):
        raise RegistryError(path, [f"{name}: the top level must be a mapping with `version` and `systems`"])
    systems = data.get("systems")
    if isinstance(systems, dict):
        for system_name, system in systems.items():
            problems += _identifier_problems(name, "systems", system_name, "system")
            tables = system.get("tables") if isinstance(system, dict) else None
            if not isinstance(tables, dict):
                continue
            for table_name, table in list(tables.items()):
                where = f"systems.{system_name}.tables.{table_name}"
                problems += _identifier_problems(name, f"systems.{system_name}.tables", table_name, "table")
                if isinstance(table, dict):
                    expanded, env_problems = _expand_env(name, where, table)
                    tables[table_name] = expanded
                    problems += env_problems
                    problems += _table_problems(name, where, expanded)

    try:
        registry = SourceRegistry.model_validate(data)
    except ValidationError as error:
        problems = _structure_problems(name, error) + problems
    else:
        if not problems:
            return registry
    raise RegistryError(path, list(dict.fromkeys(problems)))


def _identifier_problems(file: str, parent: str, key: Any, what: str) -> list[str]:
    if isinstance(key, str) and _IDENTIFIER.fullmatch(key):
        return []
    suggestion = re.sub(r"[^a-z0-9_]+", "_", str(key).strip().lower()).strip("_")
    return [
        f"{file}: {parent}.{key}: {what} name {key!r} is not lowercase snake_case — "
        f"rename it (for example {suggestion!r})"
    ]


def _expand_env(file: str, where: str, table: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Expand ``${VAR}`` in the string fields that name a location, collecting unset variables."""
    problems: list[str] = []
    expanded = dict(table)
    for field in ("location", "table"):
        value = table.get(field)
        if not isinstance(value, str):
            continue

        def substitute(match: re.Match[str], field: str = field) -> str:
            variable = match.group(1)
            if not _ENV_NAME.fullmatch(variable):
                problems.append(
                    f"{file}: {where}.{field}: ${{{variable}}} is not a valid environment variable reference"
                )
                return match.group(0)
            if variable not in os.environ:
                problems.append(
                    f"{file}: {where}.{field}: environment variable {variable} is not set — "
                    f"export {variable} before running, or write the value into sources.yml"
                )
                return match.group(0)
            return os.environ[variable]

        expanded[field] = _ENV_REF.sub(substitute, value)
    return expanded, problems


def _table_problems(file: str, where: str, table: dict[str, Any]) -> list[str]:
    """Semantic checks on one table entry, tolerant of shape errors (pydantic reports those)."""
    problems: list[str] = []
    columns = table.get("columns")
    declared: set[str] = set()
    if isinstance(columns, dict):
        declared = {str(column) for column in columns}
        for column, column_type in columns.items():
            problems += _identifier_problems(file, f"{where}.columns", column, "column")
            if isinstance(column_type, str) and normalise_type(column_type) is None:
                allowed = ", ".join([*SIMPLE_TYPES, "decimal(p,s)"])
                problems.append(
                    f"{file}: {where}.columns.{column}: type {column_type!r} is not supported — "
                    f"use one of {allowed}"
                )

    def check_refs(field: str, values: Any) -> None:
        if not isinstance(values, list) or not isinstance(columns, dict):
            return
        for value in values:
            if value not in declared:
                problems.append(
                    f"{file}: {where}.{field}: column {value!r} is not in columns — "
                    f"add it to columns or fix the name{_did_you_mean(value, declared)}"
                )
        duplicates = sorted({str(v) for v in values if values.count(v) > 1})
        if duplicates:
            problems.append(f"{file}: {where}.{field}: lists {', '.join(duplicates)} more than once")

    check_refs("primary_key", table.get("primary_key"))
    check_refs("not_null", table.get("not_null"))
    event_time = table.get("event_time")
    if isinstance(event_time, str):
        check_refs("event_time", [event_time])
        if isinstance(columns, dict) and event_time in declared:
            event_type = normalise_type(str(columns[event_time])) or ""
            if event_type not in ("date", "timestamp", "timestamptz"):
                problems.append(
                    f"{file}: {where}.event_time: column {event_time!r} is {columns[event_time]!r}; "
                    "an event time must be a date, timestamp or timestamptz column"
                )

    problems += _rules_problems(file, where, table.get("rules"), columns if isinstance(columns, dict) else {})

    source_format = table.get("format")
    if source_format in DATABASE_FORMATS:
        name = table.get("table")
        if name is None:
            problems.append(
                f"{file}: {where}.table: a {source_format} source needs `table:` naming the table to read"
            )
        elif isinstance(name, str) and not _TABLE_NAME.fullmatch(name):
            problems.append(
                f"{file}: {where}.table: {name!r} is not a plain table name (letters, digits, underscores, "
                "optionally schema.table)"
            )
    elif source_format in FILE_FORMATS and "table" in table:
        problems.append(
            f"{file}: {where}.table: only database sources (sqlite, postgres) take `table:` — remove it"
        )
    encoding = table.get("encoding")
    if encoding is not None:
        if source_format != "csv":
            problems.append(f"{file}: {where}.encoding: only csv sources take `encoding:` — remove it")
        elif encoding not in CSV_ENCODINGS:
            problems.append(
                f"{file}: {where}.encoding: {encoding!r} is not supported — "
                f"use one of {', '.join(CSV_ENCODINGS)}"
            )
    delimiter = table.get("delimiter")
    if delimiter is not None:
        if source_format != "csv":
            problems.append(f"{file}: {where}.delimiter: only csv sources take `delimiter:` — remove it")
        elif not isinstance(delimiter, str) or len(delimiter) != 1:
            problems.append(f"{file}: {where}.delimiter: must be a single character, got {delimiter!r}")
    return problems


def _rules_problems(file: str, where: str, rules: Any, columns: dict[str, Any]) -> list[str]:
    """Row rules must name declared columns and fit their types (pydantic checks the shape)."""
    if not isinstance(rules, dict):
        return []
    problems: list[str] = []
    declared = {str(column) for column in columns}
    types = {str(column): normalise_type(str(kind)) or "" for column, kind in columns.items()}
    for column, rule in rules.items():
        here = f"{where}.rules.{column}"
        if column not in declared:
            problems.append(
                f"{file}: {here}: column {column!r} is not in columns — "
                f"add it to columns or fix the name{_did_you_mean(column, declared)}"
            )
            continue
        if not isinstance(rule, dict):
            continue
        kind = types[column]
        numeric = kind in NUMERIC_TYPES or kind.startswith("decimal")
        for bound in ("min", "max"):
            if rule.get(bound) is not None and not numeric:
                problems.append(
                    f"{file}: {here}.{bound}: column {column!r} is {columns[column]!r}; min and max apply to "
                    "numeric columns (bigint, double, decimal) — remove it"
                )
        low, high = rule.get("min"), rule.get("max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            problems.append(f"{file}: {here}: min {low} is greater than max {high} — swap them")
        if rule.get("not_in_future") and kind not in TIME_TYPES:
            problems.append(
                f"{file}: {here}.not_in_future: column {column!r} is {columns[column]!r}; "
                "not_in_future applies to date, timestamp and timestamptz columns — remove it"
            )
        unless = rule.get("unless")
        if isinstance(unless, dict):
            for other in unless:
                if other not in declared:
                    problems.append(
                        f"{file}: {here}.unless: column {other!r} is not in columns — "
                        f"fix the name{_did_you_mean(other, declared)}"
                    )
        # `is`, not `==`: a bound of 0 is a rule (0 == False in Python).
        if all(rule.get(key) is None or rule.get(key) is False for key in _RULE_KEYS):
            problems.append(
                f"{file}: {here}: declares no rule — give it min, max, allowed_values or not_in_future, "
                "or remove the entry"
            )
    return problems


def _did_you_mean(value: Any, candidates: set[str]) -> str:
    close = difflib.get_close_matches(str(value), sorted(candidates), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _structure_problems(file: str, error: ValidationError) -> list[str]:
    """Pydantic's errors rewritten as ``file: dotted.entry: what to do`` lines."""
    # Suggest the right spelling from the model at the depth of the unknown key.
    allowed_by_depth = {
        -1: set(SourceRegistry.model_fields),
        1: set(SourceSystem.model_fields),
        3: set(SourceTable.model_fields),
        5: set(ColumnRules.model_fields),
    }
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"])
        kind = item["type"]
        if kind == "missing":
            message = "required key is missing — add it"
        elif kind == "extra_forbidden":
            parent, _, key = location.rpartition(".")
            allowed = allowed_by_depth.get(parent.count(".") if parent else -1, set())
            message = f"unknown key {key!r}{_did_you_mean(key, allowed)} — remove or rename it"
        elif kind == "literal_error" and location.endswith(".format"):
            supported = ", ".join(sorted(FILE_FORMATS | DATABASE_FORMATS))
            message = f"format {item['input']!r} is not supported — use one of {supported}"
        elif kind == "too_short":
            message = "must not be empty"
        else:
            message = f"{item['msg']} (got {item['input']!r})"
        problems.append(f"{file}: {location}: {message}")
    return problems
