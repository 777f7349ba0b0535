"""The frames a suite validates: views of a warehouse table computed with set-based DuckDB SQL.

Great Expectations validates pandas DataFrames (its SQL datasource does not work on DuckDB), so each
expectation names the frame it reads in ``meta.frame``, and this module builds that frame:

Raw source tables (``raw.<system>__<table>``):

- ``rows``: the rows staging reads — for every primary key, the rows of its latest load (staging keeps
  the last of them, so a key repeated within that load is a real ambiguity), leaving out withdrawn
  file versions (``raw._withdrawn_files``) as staging does — plus ``_source_file``,
  ``_source_row_number``, ``_load_id`` and ``_period_start`` (the month of the event time). Validated
  in batches of ``BATCH_ROWS`` split by a hash of the primary key, so a key never spans two batches
  and uniqueness per batch is uniqueness overall.
- ``deliveries``: one row per delivery, from the file ledger ``raw._ingested_files``. A file named
  after its month (``2025-05.csv``) delivers that period; the latest version of every file still in
  force (not removed from the landing zone) counts and
  files of one month add up (``2025-05.csv`` + ``2025-05_late.csv``). A file without a month in its
  name (a snapshot such as ``accounts.jsonl``) delivers once per load. Columns: ``rows_read``,
  ``rows_loaded``, ``rows_quarantined``, ``quarantined_share``, ``quarantined_by_rule`` and — the
  volume bound computed at run time from the ledger — ``previous_rows_read`` (the average of the up
  to three deliveries before it, by period or by load time) and ``rows_vs_previous`` (the ratio).
  Expectations bound these columns with plain numbers, so the JSON reads "at least 25% of the
  previous deliveries" while the previous volume comes from the ledger of this warehouse.
- ``freshness``: one row: the newest event time, the reference period and ``days_behind_period_end``.
  The reference period is the run's partition month when the run has one, else the latest month any
  export in the ledger is named after — never today's date, so a demo with a fixed end month stays
  fresh and a missing month is seen against the data's own calendar.

Published marts (``scorecard.<table>``): ``rows`` (the table, batched by the suite's
``meta.batch_key``) and, per table, derived frames computed in SQL (``MART_FRAMES``), e.g.
``month_over_month`` for ``measure_values``. Frames other than ``rows`` are small by construction
and validated in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from orchestration.ingestion.ledger import IN_FORCE_FILES_SQL, RAW_SCHEMA, in_force_sql
from orchestration.ingestion.registry import FILE_PERIOD_PATTERN, SourceTable, raw_table_name
from orchestration.publish.wap import PUBLISHED_SCHEMA
from orchestration.sql import identifier, qualified
from orchestration.warehouse import table_exists

# Mart suites read ``scorecard.<table>`` in the working warehouse, the schema the publish step copies.
MART_SCHEMA = PUBLISHED_SCHEMA

BATCH_ROWS = 250_000
BATCHED_FRAMES = frozenset({"rows"})


def file_period_sql(column: str) -> str:
    """SQL for the month a file covers (first day, DATE) from the last ``YYYY-MM`` in its name, or NULL.

    Uses the same pattern as ``orchestration.ingestion.registry.file_period``.
    """
    name = f"regexp_replace({column}, '^.*[/\\\\]', '')"
    month = f"nullif(regexp_extract({name}, '{FILE_PERIOD_PATTERN}', 1), '')"
    return f"TRY_CAST({month} || '-01' AS DATE)"


@dataclass(frozen=True)
class Frame:
    """A frame's SQL and how to read it: batching key, columns that identify a row, period column."""

    name: str
    sql: str
    params: list[Any] = field(default_factory=list)
    batch_key: tuple[str, ...] = ()
    index_columns: tuple[str, ...] = ()
    period_column: str | None = None

    @property
    def batched(self) -> bool:
        return self.name in BATCHED_FRAMES


def reference_period(con: duckdb.DuckDBPyConnection, run_month: date | None = None) -> date | None:
    """The period checks are judged against: the run's month, else the latest month in the ledger."""
    if run_month is not None:
        return run_month
    if not table_exists(con, RAW_SCHEMA, "_ingested_files"):
        return None
    return con.execute(
        f"SELECT max({file_period_sql('source_file')}) FROM ({IN_FORCE_FILES_SQL})"
    ).fetchall()[0][0]


def raw_frames(
    system: str, table: str, spec: SourceTable, reference: date | None, wanted: Iterable[str]
) -> dict[str, Frame | None]:
    """The ``wanted`` frames of a suite on ``raw.<system>__<table>`` (declared by ``spec``); a frame
    that cannot be built for this run maps to None."""
    raw = qualified(RAW_SCHEMA, raw_table_name(system, table))
    frames: dict[str, Frame | None] = {
        "rows": _raw_rows(raw, spec),
        "deliveries": _deliveries(system, table),
        "freshness": _freshness(raw, spec, reference) if spec.event_time and reference else None,
    }
    return {name: frames[name] for name in wanted}


def _raw_rows(table: str, spec: SourceTable) -> Frame:
    key = ", ".join(identifier(c) for c in spec.primary_key)
    columns = ", ".join(identifier(c) for c in spec.columns)
    period = (
        f"CAST(date_trunc('month', {identifier(spec.event_time)}) AS DATE)"
        if spec.event_time
        else "CAST(NULL AS DATE)"
    )
    sql = f"""
        SELECT {columns}, _source_file, _source_row_number, _load_id, {period} AS _period_start
        FROM {table} AS loaded
        WHERE {in_force_sql("loaded")}
        QUALIFY rank() OVER (PARTITION BY {key} ORDER BY _load_id DESC) = 1
    """
    return Frame(
        name="rows",
        sql=sql,
        batch_key=tuple(spec.primary_key),
        index_columns=(*spec.primary_key, "_source_file", "_source_row_number", "_period_start", "_load_id"),
        period_column="_period_start",
    )


# The ``deliveries`` frame of one raw table (parameters: system, table three times): the latest
# version of every file still in force, grouped into deliveries (a month's files, or one load of a
# snapshot file), with what was quarantined and the volume of the deliveries before it.
_DELIVERIES_SQL = """
        WITH versions AS (
            SELECT
                source_file,
                {period} AS period_start,
                regexp_replace(source_file, '^.*[/\\\\]', '') AS file_name,
                load_id,
                loaded_at,
                rows_read,
                rows_loaded,
                rows_quarantined,
                row_number() OVER (PARTITION BY source_file ORDER BY loaded_at DESC, load_id DESC) AS version
            FROM raw._ingested_files
            WHERE system = ? AND "table" = ?
                -- A file removed from the landing zone delivers nothing any more (all its versions
                -- are withdrawn); the versions a re-delivery replaced still count as its history.
                AND source_file IN (
                    SELECT source_file FROM ({in_force}) WHERE system = ? AND "table" = ?
                )
        ),
        file_versions AS (
            -- A period's delivery is the latest version of each of its files; a snapshot file delivers
            -- once per load, and its three versions before the latest are kept to compare volumes.
            SELECT
                *,
                CASE WHEN period_start IS NOT NULL THEN 'periods' ELSE source_file END AS series,
                CASE
                    WHEN period_start IS NOT NULL THEN strftime(period_start, '%Y-%m')
                    ELSE file_name || ' loaded ' || strftime(loaded_at, '%Y-%m-%d %H:%M:%S')
                END AS delivery,
                CASE
                    WHEN period_start IS NOT NULL THEN CAST(period_start AS TIMESTAMP WITH TIME ZONE)
                    ELSE loaded_at
                END AS seq
            FROM versions
            WHERE (period_start IS NOT NULL AND version = 1) OR (period_start IS NULL AND version <= 4)
        ),
        quarantined AS (
            SELECT fv.delivery, fv.file_name, q.source_row_number, q.rule, q.detail
            FROM file_versions AS fv
            JOIN raw._quarantine AS q
                ON q.source_file = fv.source_file AND q.load_id = fv.load_id
                AND q.system = ? AND q."table" = ?
            WHERE fv.version = 1
        ),
        rule_counts AS (
            SELECT delivery, rule, count(*) AS quarantined FROM quarantined GROUP BY ALL
        ),
        rules AS (
            SELECT
                r.delivery,
                string_agg(r.rule || ' ' || r.quarantined, ', ' ORDER BY r.quarantined DESC, r.rule) AS rules,
                -- The first quarantined row, so the message can show a file, row, column and value.
                any_value(e.example) AS example
            FROM rule_counts AS r
            JOIN (
                SELECT
                    delivery,
                    arg_min(
                        file_name || ' row ' || source_row_number || ': ' || detail,
                        (file_name, source_row_number)
                    ) AS example
                FROM quarantined
                GROUP BY delivery
            ) AS e USING (delivery)
            GROUP BY r.delivery
        ),
        deliveries AS (
            SELECT
                series,
                delivery,
                min(period_start) AS period_start,
                min(seq) AS seq,
                string_agg(file_name, ', ' ORDER BY file_name) AS files,
                CAST(sum(rows_read) AS BIGINT) AS rows_read,
                CAST(sum(rows_loaded) AS BIGINT) AS rows_loaded,
                CAST(sum(rows_quarantined) AS BIGINT) AS rows_quarantined,
                max(loaded_at) AS loaded_at,
                bool_or(version = 1) AS is_current
            FROM file_versions
            GROUP BY series, delivery
        ),
        compared AS (
            SELECT
                *,
                avg(rows_read) OVER (
                    PARTITION BY series ORDER BY seq ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING
                ) AS previous_rows_read
            FROM deliveries
        )
        SELECT
            c.delivery,
            c.period_start,
            c.files,
            c.rows_read,
            c.rows_loaded,
            c.rows_quarantined,
            c.rows_quarantined / nullif(c.rows_read, 0) AS quarantined_share,
            r.rules AS quarantined_by_rule,
            r.example AS quarantine_example,
            c.previous_rows_read,
            c.rows_read / nullif(c.previous_rows_read, 0) AS rows_vs_previous,
            CAST(c.loaded_at AS TIMESTAMP) AS loaded_at
        FROM compared AS c
        LEFT JOIN rules AS r USING (delivery)
        WHERE c.is_current
        ORDER BY c.seq
"""


def _deliveries(system: str, table: str) -> Frame:
    sql = _DELIVERIES_SQL.format(period=file_period_sql("source_file"), in_force=IN_FORCE_FILES_SQL)
    return Frame(
        name="deliveries",
        sql=sql,
        params=[system, table, system, table, system, table],
        index_columns=(
            "delivery",
            "files",
            "period_start",
            "rows_read",
            "previous_rows_read",
            "rows_quarantined",
            "quarantined_by_rule",
            "quarantine_example",
        ),
        period_column="period_start",
    )


def _freshness(table: str, spec: SourceTable, reference: date) -> Frame:
    event = identifier(str(spec.event_time))
    sql = f"""
        SELECT
            ? AS event_column,
            CAST(max({event}) AS TIMESTAMP) AS newest_event_at,
            CAST(? AS DATE) AS reference_period,
            last_day(CAST(? AS DATE)) AS period_end,
            date_diff('day', CAST(max({event}) AS DATE), last_day(CAST(? AS DATE))) AS days_behind_period_end
        FROM {table}
    """
    return Frame(
        name="freshness",
        sql=sql,
        params=[spec.event_time, reference, reference, reference],
        index_columns=("event_column", "newest_event_at", "reference_period", "days_behind_period_end"),
        period_column="reference_period",
    )


@dataclass(frozen=True)
class MartFrame:
    """A derived frame of a published table: its SQL and the columns that identify one of its rows."""

    sql: str
    index_columns: tuple[str, ...]


_SEGMENT = ("measure_id", "segment_dimension", "segment_value")

# Derived frames of published tables, computed where the data lives. Keys: (table, frame).
MART_FRAMES: dict[tuple[str, str], MartFrame] = {
    # measure_values with each measure's unit and type, so rules can say "rates lie in [0, 1]".
    ("measure_values", "rows"): MartFrame(
        sql=f"""
            SELECT v.*, m.unit, m.measure_type, m.direction
            FROM {MART_SCHEMA}.measure_values AS v
            LEFT JOIN config.cfg_measures AS m USING (measure_id)
        """,
        index_columns=(*_SEGMENT, "period_grain", "period_start"),
    ),
    # Each monthly value next to the previous month's value of the same measure and segment, and how
    # many months the series has run (a young series may ramp up from almost nothing).
    ("measure_values", "month_over_month"): MartFrame(
        sql=f"""
            WITH monthly AS (
                SELECT
                    measure_id, segment_dimension, segment_value, period_start, value,
                    lag(value) OVER segment_months AS previous_value,
                    lag(period_start) OVER segment_months AS previous_period_start,
                    row_number() OVER segment_months AS month_of_series
                FROM {MART_SCHEMA}.measure_values
                WHERE period_grain = 'month'
                WINDOW segment_months AS (
                    PARTITION BY measure_id, segment_dimension, segment_value ORDER BY period_start
                )
            )
            SELECT
                measure_id, segment_dimension, segment_value, period_start, month_of_series, value,
                previous_value, value / nullif(previous_value, 0) AS ratio_to_previous_month
            FROM monthly
            WHERE previous_period_start = CAST(period_start - INTERVAL 1 MONTH AS DATE)
        """,
        index_columns=(*_SEGMENT, "period_start", "value", "previous_value"),
    ),
}


def mart_frames(table: str, batch_key: Sequence[str], wanted: Iterable[str]) -> dict[str, Frame | None]:
    """The ``wanted`` frames of a suite on ``scorecard.<table>``: ``rows`` (the table, or its derived
    version, batched by ``batch_key``) and derived frames."""
    frames: dict[str, Frame | None] = {}
    for name in wanted:
        derived = MART_FRAMES.get((table, name))
        if derived is None and name != "rows":
            frames[name] = None
            continue
        sql = derived.sql if derived else f"SELECT * FROM {qualified(MART_SCHEMA, table)}"
        keys = tuple(batch_key) if name == "rows" else ()
        frames[name] = Frame(
            name=name,
            sql=sql,
            batch_key=keys,
            index_columns=derived.index_columns if derived else keys,
            period_column="period_start",
        )
    return frames


def known_mart_frames(table: str) -> list[str]:
    """The frame names a suite on ``scorecard.<table>`` may use."""
    return sorted({"rows"} | {frame for name, frame in MART_FRAMES if name == table})
