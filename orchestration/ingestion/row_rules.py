"""Row rules: every staged row typed to its declared column type, labelled with the first rule it
breaks, and filed in the raw table or ``raw._quarantine`` so that read = loaded + quarantined.

The rules, in order of importance: ``null_primary_key``, ``invalid_type``, ``null_required``, the
row rules of sources.yml (``out_of_range``, ``not_allowed_value``, ``in_future``), then
``duplicate_primary_key``. A column where no value casts at all is a retyped column: its file stops
with ``SourceSchemaError`` instead.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from orchestration.ingestion.ledger import LOAD_COLUMNS, RAW_SCHEMA
from orchestration.ingestion.registry import ColumnRules, file_period
from orchestration.ingestion.results import FileLoadDetail, SourceSchemaError
from orchestration.ingestion.scope import LoadScope
from orchestration.sql import identifier, literal

# Quarantine rules in order of importance: a row is filed under the first one it breaks.
RULE_NULL_PRIMARY_KEY = "null_primary_key"
RULE_INVALID_TYPE = "invalid_type"
RULE_NULL_REQUIRED = "null_required"
# Row rules declared per column in sources.yml (``rules:``), checked on the cast values.
RULE_OUT_OF_RANGE = "out_of_range"
RULE_NOT_ALLOWED_VALUE = "not_allowed_value"
RULE_IN_FUTURE = "in_future"
RULE_DUPLICATE_PRIMARY_KEY = "duplicate_primary_key"
# A file named after its period may hold events up to this long after the period ends: a UTC
# offset moves a late-evening local time into the next day.
FUTURE_SLACK = timedelta(days=1)

_DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
}


def duckdb_type(declared: str) -> str:
    return _DUCKDB_TYPES.get(declared) or declared.upper()


class RowRules(LoadScope):
    """Types, checks and files the staged rows of one registry table's sources."""

    def __init__(self, scope: LoadScope) -> None:
        self._share(scope)
        # Text sources hold strings that are cast here; Parquet holds native types checked up front.
        self.text_source = scope.spec.format != "parquet"

    def file_rows(self, source_file: str, loaded_at: datetime) -> FileLoadDetail:
        """Check ``_ingest_src`` and file its rows: valid ones in the raw table, the rest in
        ``raw._quarantine`` with their rule, column and detail, both stamped ``loaded_at``; return
        the file's row counts (its hash, size and withdrawals are the ledger's to fill in).

        Runs inside the caller's transaction, which must roll back on any error: a retyped column
        raises ``SourceSchemaError``, and counts that do not add up (read = loaded + quarantined)
        raise ``AssertionError``, so nothing of the file is kept.
        """
        con = self.con
        # Database extracts have no period in their name: only the load time bounds their dates.
        future_bound = self._future_bound(None if self.spec.is_database else source_file, loaded_at)
        self._build_checked(future_bound)
        self._check_retyped(source_file)
        rows_read = con.execute("SELECT count(*) FROM _ingest_read").fetchall()[0][0]
        columns = ", ".join(identifier(c) for c in self.declared)
        rows_loaded = con.execute(
            f"INSERT INTO {self.target} ({columns}, {', '.join(LOAD_COLUMNS)}) "
            f"SELECT {columns}, ?, _source_row_number, ?, ? FROM _ingest_checked WHERE _rule IS NULL",
            [source_file, self.load_id, loaded_at],
        ).fetchall()[0][0]
        # A JSON line is kept as written (it may not even be an object); other sources as a JSON
        # object of their values under the declared names.
        record = (
            "s._raw_json"
            if self.spec.format == "jsonl"
            else "to_json(struct_pack("
            + ", ".join(f"{identifier(c)} := s.{identifier(c)}" for c in self.declared)
            + "))"
        )
        rows_quarantined = con.execute(
            f"INSERT INTO {RAW_SCHEMA}._quarantine "
            f"SELECT ?, ?, ?, ?, c._source_row_number, c._rule, c._column_name, c._detail, "
            f"CAST({record} AS VARCHAR), ? "
            "FROM _ingest_checked AS c JOIN _ingest_src AS s USING (_source_row_number) "
            "WHERE c._rule IS NOT NULL",
            [self.load_id, self.system, self.table, source_file, loaded_at],
        ).fetchall()[0][0]
        if rows_read != rows_loaded + rows_quarantined:
            raise AssertionError(
                f"{source_file}: read {rows_read} rows but loaded {rows_loaded} and quarantined "
                f"{rows_quarantined} — the loader lost or duplicated rows; nothing from this file "
                "was kept"
            )
        by_rule = dict(
            con.execute(
                "SELECT _rule, count(*) FROM _ingest_checked WHERE _rule IS NOT NULL GROUP BY 1 ORDER BY 1"
            ).fetchall()
        )
        return FileLoadDetail(source_file, "loaded", "", 0, rows_read, rows_loaded, rows_quarantined, by_rule)

    def value_expression(self, column: str) -> str:
        """The source value of a column as it will be cast: blank text counts as missing, except varchar."""
        if self.text_source and self.spec.columns[column] != "varchar":
            return f"NULLIF(TRIM({identifier(column)}), '')"
        return identifier(column)

    def cast_expression(self, column: str, value: str) -> str:
        """SQL that casts ``value`` (a column of source values) to the column's declared type, or NULL."""
        declared = self.spec.columns[column]
        if declared == "varchar":
            return value if self.text_source else f"TRY_CAST({value} AS VARCHAR)"
        if not self.text_source:
            return f"TRY_CAST({value} AS {duckdb_type(declared)})"
        if declared == "bigint":
            # TRY_CAST would round '12.7' to 13; only whole numbers are integers.
            whole = f"regexp_full_match({value}, '[+-]?[0-9]+(\\.0*)?')"
            return f"CASE WHEN {whole} THEN TRY_CAST({value} AS BIGINT) END"
        if declared == "timestamp":
            # A plain cast drops a UTC offset silently; values that carry one are converted to UTC instead.
            # Only those take the (slower) time-zone-aware cast.
            time_part = f"substr({value}, 11)"
            has_offset = (
                f"(contains({time_part}, '+') OR contains({time_part}, '-') "
                f"OR suffix({value}, 'Z') OR suffix({value}, 'z'))"
            )
            in_utc = f"TRY_CAST(TRY_CAST({value} AS TIMESTAMP WITH TIME ZONE) AS TIMESTAMP)"
            return f"CASE WHEN {has_offset} THEN {in_utc} ELSE TRY_CAST({value} AS TIMESTAMP) END"
        return f"TRY_CAST({value} AS {duckdb_type(declared)})"

    def _build_checked(self, future_bound: tuple[datetime, str] | None) -> None:
        """``_ingest_checked``: typed values plus the rule, column and detail for rows that fail.

        Each value is cast once (``typed``); every rule then compares the cast with the source value.
        ``future_bound`` is the latest instant (UTC) a ``not_in_future`` column may hold, and why.
        """
        values = {column: f"_v_{column}" for column in self.declared}
        value_columns = [f"{self.value_expression(c)} AS {identifier(values[c])}" for c in self.declared]
        typed_columns = [
            f"{self.cast_expression(c, identifier(values[c]))} AS {identifier(c)}" for c in self.declared
        ]
        bad_names, bad_details, bad_conditions = self._invalid_type_checks(values)
        null_pk, null_pk_conditions = self._null_checks(values, self.spec.primary_key)
        not_null = [c for c in self.spec.not_null if c not in self.spec.primary_key]
        null_required, null_required_conditions = self._null_checks(values, not_null)
        broken_rules, broken_conditions = self._row_rule_checks(future_bound)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _ingest_checked AS
            WITH source_values AS (
                SELECT _source_row_number, {", ".join(value_columns)} FROM _ingest_src
            ),
            typed AS (
                SELECT *, {", ".join(typed_columns)} FROM source_values
            ),
            flagged AS (
                SELECT
                    _source_row_number,
                    {", ".join(identifier(c) for c in self.declared)},
                    {_listed_text(null_pk, null_pk_conditions)} AS _null_pk,
                    {_listed_text(bad_names, bad_conditions)} AS _bad_type,
                    {_listed_text(bad_details, bad_conditions)} AS _bad_type_detail,
                    {_listed_text(null_required, null_required_conditions)} AS _null_required,
                    {self._listed_rules(broken_rules, broken_conditions)} AS _broken_rules
                FROM typed
            )
            SELECT
                * EXCLUDE (_null_pk, _null_required, _broken_rules),
                CASE
                    WHEN len(_null_pk) > 0 THEN {literal(RULE_NULL_PRIMARY_KEY)}
                    WHEN len(_bad_type) > 0 THEN {literal(RULE_INVALID_TYPE)}
                    WHEN len(_null_required) > 0 THEN {literal(RULE_NULL_REQUIRED)}
                    WHEN len(_broken_rules) > 0 THEN _broken_rules[1].rule
                END AS _rule,
                CASE
                    WHEN len(_null_pk) > 0 THEN _null_pk[1]
                    WHEN len(_bad_type) > 0 THEN _bad_type[1]
                    WHEN len(_null_required) > 0 THEN _null_required[1]
                    WHEN len(_broken_rules) > 0 THEN _broken_rules[1].column_name
                END AS _column_name,
                CASE WHEN len(_null_pk) > 0 OR len(_bad_type) > 0 OR len(_null_required) > 0
                        OR len(_broken_rules) > 0
                    THEN concat_ws('; ',
                        CASE WHEN len(_null_pk) > 0
                            THEN 'primary key column(s) empty: ' || array_to_string(_null_pk, ', ') END,
                        CASE WHEN len(_bad_type) > 0 THEN array_to_string(_bad_type_detail, '; ') END,
                        CASE WHEN len(_null_required) > 0
                            THEN 'required column(s) empty: ' || array_to_string(_null_required, ', ') END,
                        CASE WHEN len(_broken_rules) > 0
                            THEN array_to_string(list_transform(_broken_rules, lambda r: r.detail), '; ') END)
                END AS _detail
            FROM flagged
            """
        )
        self._flag_duplicates()

    def _invalid_type_checks(self, values: dict[str, str]) -> tuple[list[str], list[str], list[str]]:
        """SQL naming each column whose source value (column ``values[column]``) did not cast, the
        detail that says so, and the condition, for every column that is cast."""
        bad_names, bad_details, bad_conditions = [], [], []
        for column in self.declared:
            if self.text_source and self.spec.columns[column] == "varchar":
                continue
            failed = f"({identifier(values[column])} IS NOT NULL AND {identifier(column)} IS NULL)"
            bad_conditions.append(failed)
            bad_names.append(f"CASE WHEN {failed} THEN {literal(column)} END")
            bad_details.append(
                f"CASE WHEN {failed} THEN {literal(column + '=')} || "
                f"{_quoted(f'CAST({identifier(values[column])} AS VARCHAR)')} || "
                f"{literal(' is not a valid ' + self.spec.columns[column])} END"
            )
        return bad_names, bad_details, bad_conditions

    def _null_checks(self, values: dict[str, str], columns: list[str]) -> tuple[list[str], list[str]]:
        """SQL naming each of ``columns`` that is empty, and the condition; blank text is empty too."""

        def missing(column: str) -> str:
            value = identifier(values[column])
            if self.spec.columns[column] == "varchar":
                return f"NULLIF(TRIM({value}), '') IS NULL"
            return f"{value} IS NULL"

        names = [f"CASE WHEN {missing(c)} THEN {literal(c)} END" for c in columns]
        return names, [f"({missing(c)})" for c in columns]

    def _row_rule_checks(self, future_bound: tuple[datetime, str] | None) -> tuple[list[str], list[str]]:
        """SQL for the sources.yml row rules: one struct per broken rule, and its condition.

        Conditions read the cast (``typed``) values, so a value that did not cast, or is empty, breaks
        no row rule (``invalid_type`` and ``null_required`` cover those).
        """
        structs: list[str] = []
        conditions: list[str] = []
        for column, rules in self.spec.rules.items():
            value = identifier(column)
            # (rule, condition on the typed value, what the detail says after "column='value'")
            checks: list[tuple[str, str, str]] = []
            if rules.min is not None:
                checks.append(
                    (RULE_OUT_OF_RANGE, f"{value} < {rules.min!r}", f"is below the minimum {rules.min:g}")
                )
            if rules.max is not None:
                checks.append(
                    (RULE_OUT_OF_RANGE, f"{value} > {rules.max!r}", f"is above the maximum {rules.max:g}")
                )
            if rules.allowed_values:
                allowed = ", ".join(literal(v) for v in rules.allowed_values)
                checks.append(
                    (
                        RULE_NOT_ALLOWED_VALUE,
                        f"CAST({value} AS VARCHAR) NOT IN ({allowed})",
                        "is not one of " + ", ".join(map(repr, rules.allowed_values)),
                    )
                )
            if rules.not_in_future and future_bound is not None:
                bound, reason = future_bound
                if self.spec.columns[column] == "timestamptz":
                    condition = f"{value} > TIMESTAMPTZ {literal(bound.isoformat())}"
                else:
                    naive = bound.astimezone(UTC).replace(tzinfo=None).isoformat()
                    condition = f"CAST({value} AS TIMESTAMP) > TIMESTAMP {literal(naive)}"
                checks.append((RULE_IN_FUTURE, condition, f"is after {reason}"))
            exempt = self._unless_sql(rules)
            shown = f"{literal(column + '=')} || {_quoted(f'CAST({value} AS VARCHAR)')}"
            for rule, condition, said in checks:
                guarded = f"({condition}{exempt})"
                detail = f"{shown} || {literal(' ' + said)}"
                conditions.append(guarded)
                structs.append(
                    f"CASE WHEN {guarded} THEN {{'rule': {literal(rule)}, "
                    f"'column_name': {literal(column)}, 'detail': {detail}}} END"
                )
        return structs, conditions

    def _unless_sql(self, rules: ColumnRules) -> str:
        """`` AND NOT (...)`` exempting rows whose other columns hold an ``unless`` value."""
        if not rules.unless:
            return ""
        exempt = " OR ".join(
            f"coalesce(CAST({identifier(other)} AS VARCHAR) IN ({', '.join(map(literal, values))}), false)"
            for other, values in rules.unless.items()
        )
        return f" AND NOT ({exempt})"

    @staticmethod
    def _listed_rules(structs: list[str], conditions: list[str]) -> str:
        # As for the other rules: the list is only built for rows that break one.
        empty = "CAST([] AS STRUCT(rule VARCHAR, column_name VARCHAR, detail VARCHAR)[])"
        if not structs:
            return empty
        return (
            f"CASE WHEN {' OR '.join(conditions)} "
            f"THEN list_filter([{', '.join(structs)}], lambda x: x IS NOT NULL) ELSE {empty} END"
        )

    def _future_bound(self, source_file: str | None, loaded_at: datetime) -> tuple[datetime, str] | None:
        """The latest instant a ``not_in_future`` value may hold in this source, with the reason."""
        if not any(rules.not_in_future for rules in self.spec.rules.values()):
            return None
        load_bound = (loaded_at, f"the load time {loaded_at:%Y-%m-%d %H:%M} UTC")
        period = file_period(source_file) if source_file else None
        if period is None:
            return load_bound
        next_month = date(period.year + period.month // 12, period.month % 12 + 1, 1)
        period_bound = datetime(next_month.year, next_month.month, next_month.day, tzinfo=UTC) + FUTURE_SLACK
        if period_bound >= loaded_at:
            return load_bound
        return (
            period_bound,
            f"the end of the file's period {period:%Y-%m} (plus {FUTURE_SLACK.days} day of time-zone slack)",
        )

    def _flag_duplicates(self) -> None:
        """File every repeat of a primary key within the file under ``duplicate_primary_key``.

        Only rows that pass every other rule count, so the first valid row of each key is kept even
        when an earlier row with that key was quarantined. A grouped count finds the repeated keys
        first, so the window that numbers repeats only sees their rows: sorting every row of a
        large file by key would cost more than the rest of the load.
        """
        spec = self.spec
        key = ", ".join(identifier(c) for c in spec.primary_key)
        key_names = ", ".join(spec.primary_key)
        key_text = " || ', ' || ".join(_quoted(f"CAST({identifier(c)} AS VARCHAR)") for c in spec.primary_key)
        self.con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE _ingest_duplicates AS
            WITH valid AS (
                SELECT _source_row_number, {key} FROM _ingest_checked WHERE _rule IS NULL
            ),
            repeated_keys AS (
                SELECT {key} FROM valid GROUP BY ALL HAVING count(*) > 1
            ),
            numbered AS (
                SELECT
                    _source_row_number,
                    {key},
                    min(_source_row_number) OVER (PARTITION BY {key}) AS first_row
                FROM valid SEMI JOIN repeated_keys USING ({key})
            )
            SELECT
                _source_row_number,
                {literal(f"primary key ({key_names}) = (")} || {key_text}
                    || ') already appears on row ' || first_row || ' of this file' AS detail
            FROM numbered
            WHERE _source_row_number > first_row
            """
        )
        self.con.execute(
            f"""
            UPDATE _ingest_checked AS c
            SET _rule = {literal(RULE_DUPLICATE_PRIMARY_KEY)},
                _column_name = {literal(key_names)},
                _detail = d.detail
            FROM _ingest_duplicates AS d
            WHERE c._source_row_number = d._source_row_number
            """
        )

    def _check_retyped(self, source: str) -> None:
        """Stop the file if a column has values but not one of them casts to the declared type."""
        checked = [c for c in self.declared if not (self.text_source and self.spec.columns[c] == "varchar")]
        if not checked:
            return
        aggregates = []
        for column in checked:
            failed = f"list_contains(_bad_type, {literal(column)})"
            sample = f"list_filter(_bad_type_detail, lambda d: starts_with(d, {literal(column + '=')}))[1]"
            aggregates += [
                f"count({identifier(column)})",
                f"count(*) FILTER (WHERE {failed})",
                f"any_value({sample}) FILTER (WHERE {failed})",
            ]
        counts = self.con.execute(f"SELECT {', '.join(aggregates)} FROM _ingest_checked").fetchall()[0]
        for index, column in enumerate(checked):
            cast, failed, sample = counts[3 * index : 3 * index + 3]
            if failed > 0 and cast == 0:
                declared = self.spec.columns[column]
                raise SourceSchemaError(
                    f"{source}: column {column!r} is declared {declared} but none of its {failed:,} values "
                    f"can be read as {declared} (e.g. {sample}) — it looks retyped; fix the export, or "
                    "change its type in sources.yml"
                )


def _listed_text(items: list[str], conditions: list[str]) -> str:
    """SQL for the list of ``items`` (text, NULL where a check passed) that are not NULL."""
    # Lists are built only for rows that fail: building one per row would dominate large loads.
    if not items:
        return "[]::VARCHAR[]"
    return (
        f"CASE WHEN {' OR '.join(conditions)} "
        f"THEN list_filter([{', '.join(items)}]::VARCHAR[], lambda x: x IS NOT NULL) "
        "ELSE []::VARCHAR[] END"
    )


def _quoted(expression: str) -> str:
    """SQL that renders a value for a message: quoted text, or ``null``."""
    return f"coalesce('''' || ({expression}) || '''', 'null')"
