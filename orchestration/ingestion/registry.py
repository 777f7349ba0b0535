"""The source registry: a typed model of ``scorecard_config/sources.yml`` and its validation.

``load_registry`` is the only way the rest of the code sees the registry. It reads the file as the
scorecard config is read (``orchestration.documents``: lines tracked, a key given twice is an error)
and reports every problem at once as an ``Issue``: the file, the line, the entry
(``tables[sales.orders].primary_key``), what is wrong and the fix, so a user fixes the file in one
pass instead of one traceback at a time.

Database sources (``format: sqlite`` / ``postgres``) name a ``table:``; their ``location`` is the
SQLite file, or a libpq connection URI (``postgresql://etl:${PGPASSWORD}@db.internal:5432/crm``).
``${VAR}`` in ``location`` and ``table`` is replaced by the environment variable, so a password need
not be written into the file; a postgres location is only ever shown with its password replaced by
``***`` (``SourceTable.shown_location``). A database table is extracted whole every run, unless it
declares ``incremental_column``: a declared date, timestamp or numeric column that rises whenever a
row is inserted or updated (``updated_at``). Then a run extracts only the rows whose value is at or
after the high-water mark of the table's last load (``>=``, so rows sharing the boundary value are not
missed; they are read again and found unchanged), and re-extracted rows are upserts by primary key
(``redelivery: append``). Rows deleted at the source, and rows whose incremental column is empty, are
not seen by an incremental extract.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from orchestration.documents import Document, read_document
from orchestration.issues import Issue, IssuesError, PathKey, did_you_mean, entry_path, error, pydantic_issue

SourceFormat = Literal["csv", "jsonl", "parquet", "sqlite", "postgres"]

FILE_FORMATS: frozenset[str] = frozenset({"csv", "jsonl", "parquet"})
DATABASE_FORMATS: frozenset[str] = frozenset({"sqlite", "postgres"})
SIMPLE_TYPES: tuple[str, ...] = ("varchar", "bigint", "double", "boolean", "date", "timestamp", "timestamptz")
CSV_ENCODINGS: tuple[str, ...] = ("utf-8", "latin-1", "utf-16")
Redelivery = Literal["replace", "append"]
# A re-delivered file holding fewer rows than this share of the version it replaces is refused.
DEFAULT_REDELIVERY_MIN_RATIO = 0.5

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


class RegistryError(IssuesError, ValueError):
    """sources.yml is unreadable or invalid; ``issues`` holds every problem, the message lists them."""

    def __init__(self, path: Path, issues: list[Issue]) -> None:
        self.path = path
        super().__init__(f"{path} has {len(issues)} error(s):", issues)


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
    redelivery: Redelivery | None = None
    redelivery_min_ratio: float = Field(default=DEFAULT_REDELIVERY_MIN_RATIO, ge=0, le=1)
    incremental_column: str | None = None

    @field_validator("columns")
    @classmethod
    def _canonical_types(cls, columns: dict[str, str]) -> dict[str, str]:
        # Unknown types are reported by load_registry with the entry's location; keep them as written.
        return {name: normalise_type(column_type) or column_type for name, column_type in columns.items()}

    @property
    def is_database(self) -> bool:
        """True for sqlite / postgres sources, extracted every run (whole, or incrementally)."""
        return self.format in DATABASE_FORMATS

    @property
    def shown_location(self) -> str:
        """``location`` fit for messages, logs and metadata: a postgres password replaced by ``***``."""
        return redact_conninfo(self.location) if self.format == "postgres" else self.location

    @property
    def redelivery_mode(self) -> Redelivery:
        """What a new version of an already loaded file (or database extract) does to the earlier one.

        ``replace`` (the default for files: a file is the unit of delivery, and a re-delivered file is a
        corrected export of the same data): rows of the earlier version missing from the new one are
        withdrawn. ``append`` (the default for databases, which are live systems that may purge old
        rows): rows are upserts by primary key and nothing is withdrawn.
        """
        if self.redelivery is not None:
            return self.redelivery
        return "append" if self.is_database else "replace"

    @property
    def required_columns(self) -> list[str]:
        """Columns that must hold a value on every row: the primary key, then ``not_null``."""
        return list(dict.fromkeys([*self.primary_key, *self.not_null]))

    def resolve_files(self, landing_dir: Path) -> list[Path]:
        """The files matching ``location`` (relative to ``landing_dir`` unless absolute), sorted."""
        return [path for path in self.glob_matches(landing_dir) if path.is_file()]

    def glob_matches(self, landing_dir: Path) -> list[Path]:
        """Everything ``location`` matches, sorted: files, and also folders and broken symlinks."""
        pattern = self.location if Path(self.location).is_absolute() else str(landing_dir / self.location)
        return sorted(Path(match) for match in glob.glob(pattern, recursive=True))

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


def redact_conninfo(conninfo: str) -> str:
    """A libpq connection string fit for logs: passwords replaced in both key=value and URI forms.

    In a URI everything after the user name up to the last ``@`` is the password, so a password
    holding ``@``, ``/`` or ``:`` unencoded (a malformed URI) is hidden too.
    """
    redacted = re.sub(r"(password\s*=\s*)([^\s&]+)", r"\1***", conninfo, flags=re.IGNORECASE)

    def without_password(match: re.Match[str]) -> str:
        user, colon, _password = match.group(2).partition(":")
        return f"{match.group(1)}{user}{':***' if colon else ''}@"

    return re.sub(r"(://)(.*)@", without_password, redacted)


def is_numeric_type(declared: str) -> bool:
    """Whether a canonical declared column type (``normalise_type``) holds numbers."""
    return declared in NUMERIC_TYPES or declared.startswith("decimal")


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
    file = path.name
    try:
        document, read_issues = read_document(path, file, entry=lambda _data, key: registry_entry(key))
    except FileNotFoundError:
        missing = error(
            file,
            "",
            f"{path} does not exist.",
            "create it (see the README section 'Bring your own source') or set SCORECARD_CONFIG_DIR",
            code="missing_file",
        )
        raise RegistryError(path, [missing]) from None
    if document is None:
        raise RegistryError(path, read_issues)
    found = _Found(file, document)
    found.issues += read_issues
    registry = _validate(document.data, found)
    if registry is not None and not found.issues:
        return registry
    # In the order of the file, so a user fixes it top to bottom.
    issues = sorted(dict.fromkeys(found.issues), key=lambda issue: issue.line or 0)
    raise RegistryError(path, issues)


# Mappings whose keys are names (a system, a table, a column), written in brackets in an entry.
_NAMED_BY_KEY = frozenset({"systems", "tables", "columns", "rules", "unless"})


def registry_entry(path: PathKey) -> str:
    """How an entry of sources.yml is named in messages: a table as ``tables[sales.orders]``,
    as data sources are written, then its fields (``.columns[amount]``, ``.rules[amount].min``)."""
    if len(path) >= 4 and path[0] == "systems" and path[2] == "tables":
        path = ("tables", f"{path[1]}.{path[3]}", *path[4:])
    return entry_path(path, _NAMED_BY_KEY)


class _Found:
    """The issues found in one sources.yml, each placed on its entry's line."""

    def __init__(self, file: str, document: Document):
        self.file = file
        self.document = document
        self.issues: list[Issue] = []

    def error(self, path: PathKey, message: str, hint: str, code: str) -> None:
        line = self.document.line_of(path)
        self.issues.append(error(self.file, registry_entry(path), message, hint, code=code, line=line))


def _validate(data: Any, found: _Found) -> SourceRegistry | None:
    if not isinstance(data, dict):
        found.error(
            (),
            "the file does not hold a mapping of sections.",
            "start the file with `version: 1` and a `systems:` mapping",
            "schema",
        )
        return None
    systems = data.get("systems")
    if isinstance(systems, dict):
        for system_name, system in systems.items():
            _check_name(found, ("systems", system_name), system_name, "system")
            tables = system.get("tables") if isinstance(system, dict) else None
            if not isinstance(tables, dict):
                continue
            for table_name, table in list(tables.items()):
                where = ("systems", system_name, "tables", table_name)
                _check_name(found, where, table_name, "table")
                if isinstance(table, dict):
                    tables[table_name] = _expand_env(found, where, table)
                    _check_table(found, where, tables[table_name])
    try:
        return SourceRegistry.model_validate(data)
    except ValidationError as problem:
        found.issues[:0] = [_schema_issue(found, item) for item in problem.errors(include_url=False)]
        return None


_FIELD_HINTS: dict[str, str] = {
    "systems": "add `systems:`, a mapping of each source system to its `tables:`",
    "tables": "add `tables:`, a mapping of each table name to its format, location, primary key and columns",
    "format": "add `format:` one of csv, jsonl, parquet, sqlite, postgres",
    "location": "add `location:`, the files' glob under the landing zone, e.g. billing/invoices/*.csv",
    "primary_key": "add `primary_key: [column, …]`, the columns that identify a row",
    "columns": "add `columns:`, a mapping of each column name to its type (varchar, bigint, date …)",
}
_REGISTRY_FIELDS = {
    name for model in (SourceRegistry, SourceSystem, SourceTable, ColumnRules) for name in model.model_fields
}


def _schema_issue(found: _Found, item: Any) -> Issue:
    message, hint = pydantic_issue(
        item,
        hints=_FIELD_HINTS,
        known_fields=_REGISTRY_FIELDS,
        layout="the README section 'Bring your own source'",
    )
    path = tuple(item["loc"])
    return error(
        found.file, registry_entry(path), message, hint, code="schema", line=found.document.line_of(path)
    )


def _check_name(found: _Found, path: PathKey, key: Any, what: str) -> None:
    if isinstance(key, str) and _IDENTIFIER.fullmatch(key):
        return
    suggestion = re.sub(r"[^a-z0-9_]+", "_", str(key).strip().lower()).strip("_")
    found.error(
        path,
        f"the {what} name `{key}` is not lowercase snake_case.",
        f"rename it, e.g. `{suggestion}`",
        "invalid_name",
    )


def _expand_env(found: _Found, where: PathKey, table: dict[str, Any]) -> dict[str, Any]:
    """Expand ``${VAR}`` in the string fields that name a location, reporting unset variables."""
    expanded = dict(table)
    for field in ("location", "table"):
        value = table.get(field)
        if not isinstance(value, str):
            continue

        def substitute(match: re.Match[str], field: str = field) -> str:
            variable = match.group(1)
            if not _ENV_NAME.fullmatch(variable):
                found.error(
                    (*where, field),
                    f"`${{{variable}}}` is not a valid environment variable reference.",
                    "write `${NAME}` with letters, digits and underscores",
                    "environment",
                )
            elif variable not in os.environ:
                found.error(
                    (*where, field),
                    f"the environment variable {variable} is not set.",
                    f"export {variable} before running, or write the value into sources.yml",
                    "environment",
                )
            else:
                return os.environ[variable]
            return match.group(0)

        expanded[field] = _ENV_REF.sub(substitute, value)
    return expanded


def _check_table(found: _Found, where: PathKey, table: dict[str, Any]) -> None:
    """Checks on one table entry that need more than its model, tolerant of shape errors (the
    model reports those)."""
    columns = table.get("columns")
    columns = columns if isinstance(columns, dict) else None
    declared = {str(column) for column in columns or {}}
    for column, column_type in (columns or {}).items():
        _check_name(found, (*where, "columns", column), column, "column")
        if isinstance(column_type, str) and normalise_type(column_type) is None:
            allowed = ", ".join([*SIMPLE_TYPES, "decimal(p,s)"])
            found.error(
                (*where, "columns", column),
                f"the type `{column_type}` is not supported.",
                f"use one of {allowed}",
                "unsupported_type",
            )

    def check_refs(field: str, values: Any) -> None:
        if not isinstance(values, list) or columns is None:
            return
        for value in values:
            if value not in declared:
                found.error(
                    (*where, field),
                    f"`{value}` is not one of the table's columns.",
                    f"add it to columns or fix the name{did_you_mean(value, declared)}",
                    "unknown_column",
                )
        for repeated in sorted({str(v) for v in values if values.count(v) > 1}):
            found.error(
                (*where, field), f"`{repeated}` is listed more than once.", "list it once", "duplicate_column"
            )

    check_refs("primary_key", table.get("primary_key"))
    check_refs("not_null", table.get("not_null"))
    event_time = table.get("event_time")
    if isinstance(event_time, str):
        check_refs("event_time", [event_time])
        event_type = normalise_type(str(columns[event_time])) if event_time in declared else None
        if columns is not None and event_time in declared and event_type not in TIME_TYPES:
            found.error(
                (*where, "event_time"),
                f"the event time `{event_time}` is a `{columns[event_time]}` column.",
                "name a date, timestamp or timestamptz column",
                "invalid_option",
            )
    _check_rules(found, where, table.get("rules"), columns or {})
    _check_format_options(found, where, table)
    _check_incremental_column(found, where, table, columns)
    mode = table.get("redelivery") or ("append" if table.get("format") in DATABASE_FORMATS else "replace")
    if "redelivery_min_ratio" in table and mode == "append":
        found.error(
            (*where, "redelivery_min_ratio"),
            "an `append` table withdraws nothing when a file is re-delivered, so "
            "`redelivery_min_ratio` has no effect.",
            "remove it, or set `redelivery: replace`",
            "invalid_option",
        )


def _check_incremental_column(
    found: _Found, where: PathKey, table: dict[str, Any], columns: dict[str, Any] | None
) -> None:
    """``incremental_column`` belongs to database sources and names a declared time or numeric column
    of an ``append`` table (a partial extract must not withdraw the rows it does not carry)."""
    column = table.get("incremental_column")
    if column is None:
        return
    here = (*where, "incremental_column")
    if table.get("format") not in DATABASE_FORMATS:
        found.error(
            here,
            "only database sources (sqlite, postgres) take `incremental_column:`.",
            "remove it: a file is loaded whole when it is new or changed",
            "invalid_option",
        )
        return
    if not isinstance(column, str) or columns is None:
        return  # the model reports the shape
    if column not in columns:
        found.error(
            here,
            f"`{column}` is not one of the table's columns.",
            f"add it to columns or fix the name{did_you_mean(column, {str(c) for c in columns})}",
            "unknown_column",
        )
        return
    kind = normalise_type(str(columns[column]))
    if kind is not None and kind not in TIME_TYPES and not is_numeric_type(kind):
        found.error(
            here,
            f"the incremental column `{column}` is a `{columns[column]}` column.",
            "name a date, timestamp, timestamptz or numeric column that rises whenever a row is inserted "
            "or updated (e.g. updated_at)",
            "invalid_option",
        )
    if table.get("redelivery") == "replace":
        found.error(
            here,
            "an incremental extract holds only the rows changed since the last load, so with "
            "`redelivery: replace` it would withdraw every other row.",
            "remove `redelivery: replace` (database sources default to append), or remove "
            "`incremental_column` to extract the whole table every run",
            "invalid_option",
        )


def _check_format_options(found: _Found, where: PathKey, table: dict[str, Any]) -> None:
    """``table:`` belongs to database sources, ``encoding:`` and ``delimiter:`` to csv."""
    source_format = table.get("format")
    if source_format in DATABASE_FORMATS:
        name = table.get("table")
        if name is None:
            found.error(
                (*where, "table"),
                f"a {source_format} source needs `table:`.",
                "add `table:` naming the table to read",
                "invalid_option",
            )
        elif isinstance(name, str) and not _TABLE_NAME.fullmatch(name):
            found.error(
                (*where, "table"),
                f"`{name}` is not a plain table name.",
                "use letters, digits and underscores, optionally schema.table",
                "invalid_option",
            )
    elif source_format in FILE_FORMATS and "table" in table:
        found.error(
            (*where, "table"),
            "only database sources (sqlite, postgres) take `table:`.",
            "remove it",
            "invalid_option",
        )
    for option, allowed in (("encoding", CSV_ENCODINGS), ("delimiter", None)):
        value = table.get(option)
        if value is None:
            continue
        if source_format != "csv":
            found.error(
                (*where, option), f"only csv sources take `{option}:`.", "remove it", "invalid_option"
            )
        elif allowed is not None and value not in allowed:
            found.error(
                (*where, option),
                f"the {option} `{value}` is not supported.",
                f"use one of {', '.join(allowed)}",
                "invalid_option",
            )
        elif allowed is None and (not isinstance(value, str) or len(value) != 1):
            found.error(
                (*where, option),
                f"the delimiter `{value}` is not a single character.",
                "write one character, e.g. `delimiter: ';'`",
                "invalid_option",
            )


def _check_rules(found: _Found, where: PathKey, rules: Any, columns: dict[str, Any]) -> None:
    """Row rules must name declared columns and fit their types (the model checks the shape)."""
    if not isinstance(rules, dict):
        return
    declared = {str(column) for column in columns}
    types = {str(column): normalise_type(str(kind)) or "" for column, kind in columns.items()}
    for column, rule in rules.items():
        here = (*where, "rules", column)
        if column not in declared:
            found.error(
                here,
                f"`{column}` is not one of the table's columns.",
                f"add it to columns or fix the name{did_you_mean(column, declared)}",
                "unknown_column",
            )
            continue
        kind = types[column]
        if not isinstance(rule, dict) or not kind:
            continue  # an unsupported type is reported once, on the column
        numeric = is_numeric_type(kind)
        for bound in ("min", "max"):
            if rule.get(bound) is not None and not numeric:
                found.error(
                    (*here, bound),
                    f"`{column}` is a `{columns[column]}` column; min and max apply to numbers.",
                    f"remove `{bound}`, or declare the column bigint, double or decimal",
                    "invalid_rule",
                )
        low, high = rule.get("min"), rule.get("max")
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            found.error(here, f"min {low} is greater than max {high}.", "swap them", "invalid_rule")
        if rule.get("not_in_future") and kind not in TIME_TYPES:
            found.error(
                (*here, "not_in_future"),
                f"`{column}` is a `{columns[column]}` column; not_in_future applies to dates and times.",
                "remove it, or declare the column date, timestamp or timestamptz",
                "invalid_rule",
            )
        unless = rule.get("unless")
        for other in unless if isinstance(unless, dict) else ():
            if other not in declared:
                found.error(
                    (*here, "unless", other),
                    f"`{other}` is not one of the table's columns.",
                    f"fix the name{did_you_mean(other, declared)}",
                    "unknown_column",
                )
        # `is`, not `==`: a bound of 0 is a rule (0 == False in Python).
        if all(rule.get(key) is None or rule.get(key) is False for key in _RULE_KEYS):
            found.error(
                here,
                "the entry declares no rule.",
                "give it min, max, allowed_values or not_in_future, or remove the entry",
                "invalid_rule",
            )
