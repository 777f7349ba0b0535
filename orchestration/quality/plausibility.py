"""The plausibility gate: implausible measure values stop the run, named with the rows behind them.

dbt computes which values of the restatement window are implausible under each measure's gate
(``intermediate.int_scorecard_measure_plausibility``: bounds from the unit or measures.yml, and a
robust jump test against the measure's own history). This module is the Dagster side:

- a blocking asset check on ``scorecard/measure_values``: ERROR when a measure whose gate says
  ``block`` failed (nothing is published), WARN when only ``untrust`` ones did (the marts publish those
  periods untrusted);
- for each failed company-wide value, the source rows that moved it most, found through lineage: the
  measure's ``data_sources`` (cfg_measures) name raw tables, whose rows carry the file and row number
  they came from. Within the period, every numeric column of every current row is compared with the
  same column over the 24 months before it (robust z: distance from the median in units of
  1.4826 times the median absolute deviation); the most extreme rows are named, down to a hundredth of
  the most extreme one's distance. A delivery that shifted every row (amounts times 10) shows up as
  the file whose column median moved furthest (at least twofold) from the median of the three months
  before (a median, so one wild row does not move it; three months, so steady growth does not).
"""

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.ingestion.ledger import RAW_SCHEMA, in_force_sql
from orchestration.ingestion.registry import SourceRegistry, SourceTable, is_numeric_type, raw_table_name
from orchestration.sql import identifier, qualified
from orchestration.warehouse import table_exists

PLAUSIBILITY_TABLE = "intermediate.int_scorecard_measure_plausibility"
MEASURES_TABLE = "config.cfg_measures"
CHECK_NAME = "plausibility"
# Failures described in full (with the rows behind them) in one check result; the rest are counted.
DESCRIBED = 5
# Rows and files named per failure.
ROWS_NAMED = 3
# A row or a file is named only when it stands out this far: robust z of a row, or the factor by
# which a file's mean differs from the history's.
ROW_OUTLIER_Z = 6.0
FILE_SHIFT_FACTOR = 2.0
HISTORY_MONTHS = 24
# A file's median is compared with the months just before: over 24 months a growing business's amounts
# move by more than any threshold, over three they do not.
RECENT_MONTHS = 3


@dataclass(frozen=True)
class Failure:
    """One implausible value, as int_scorecard_measure_plausibility reports it."""

    measure_id: str
    period_grain: str
    period_start: date
    period_end: date
    period_label: str
    segment_dimension: str
    failed_check: str
    on_implausible: str
    note: str


@dataclass(frozen=True)
class Suspect:
    """A source row, or a whole file, that moved a failed value."""

    source: str  # system.table
    source_file: str
    row_number: int | None  # None: the whole file
    column: str
    value: float
    typical: float
    spread: float | None  # None: a file's mean (typical is the history's mean)

    def describe(self, landing_dir: Path | None) -> str:
        where = _relative(self.source_file, landing_dir)
        if self.row_number is None:
            return (
                f"{self.source} {where}: median {self.column} {_number(self.value)}, against "
                f"{_number(self.typical)} in the {RECENT_MONTHS} months before"
            )
        return (
            f"{self.source} {where} row {self.row_number}: {self.column} = {_number(self.value)} "
            f"(usually {_number(self.typical)} ± {_number(self.spread or 0)})"
        )


def implausible_values(con: duckdb.DuckDBPyConnection) -> list[Failure]:
    """Every failure of the last build, blocking ones first, then by measure, period and segment."""
    rows = con.execute(
        f"""
        select measure_id, period_grain, period_start, period_end, period_label, segment_dimension,
               failed_check, on_implausible, note
        from {PLAUSIBILITY_TABLE}
        order by on_implausible <> 'block', measure_id, period_start, period_grain,
                 segment_dimension <> 'all', segment_dimension, segment_value, failed_check
        """
    ).fetchall()
    return [Failure(*row) for row in rows]


def suspects(
    con: duckdb.DuckDBPyConnection, registry: SourceRegistry, failure: Failure, limit: int = ROWS_NAMED
) -> list[Suspect]:
    """The source rows (and files) of ``failure``'s measure and period that stand out most."""
    (sources,) = con.execute(
        f"select data_sources from {MEASURES_TABLE} where measure_id = ?", [failure.measure_id]
    ).fetchone() or ("",)
    found: list[tuple[float, Suspect]] = []
    for name in filter(None, (part.strip() for part in (sources or "").split(","))):
        system, _, table = name.partition(".")
        try:
            spec = registry.table(system, table)
        except KeyError:
            continue
        found += _table_suspects(con, name, raw_table_name(system, table), spec, failure)
    found.sort(key=lambda pair: pair[0], reverse=True)
    # A shifted file explains every row in it: it comes first. Ordinary large rows are a long way
    # behind a wild one: only rows within a hundredth of the top row's distance are named.
    files = [suspect for _, suspect in found if suspect.row_number is None][:1]
    rows = [(score, suspect) for score, suspect in found if suspect.row_number is not None]
    floor = rows[0][0] / 100 if rows else 0.0
    return files + [suspect for score, suspect in rows[:limit] if score >= floor]


def _numeric_columns(spec: SourceTable) -> list[str]:
    """Columns that carry amounts or counts: numeric, not a key, not an id."""
    keys = set(spec.primary_key)
    return [
        column
        for column, declared in spec.columns.items()
        if is_numeric_type(declared) and column not in keys and not column.endswith("_id")
    ]


def _table_suspects(
    con: duckdb.DuckDBPyConnection, source: str, raw_table: str, spec: SourceTable, failure: Failure
) -> list[tuple[float, Suspect]]:
    columns = _numeric_columns(spec)
    if not columns or spec.event_time is None:
        return []
    if not table_exists(con, RAW_SCHEMA, raw_table):
        return []
    rows = con.execute(
        _suspects_sql(qualified(RAW_SCHEMA, raw_table), spec, columns),
        {"period_start": failure.period_start, "period_end": failure.period_end},
    ).fetchall()
    found = []
    for kind, source_file, row_number, column, value, typical, mad, score in rows:
        suspect = Suspect(
            source=source,
            source_file=source_file,
            row_number=int(row_number) if kind == "row" else None,
            column=column,
            value=float(value),
            typical=float(typical),
            spread=float(mad) if mad is not None else None,
        )
        found.append((float(score), suspect))
    return found


def _suspects_sql(relation: str, spec: SourceTable, columns: list[str]) -> str:
    """One query over a raw table's rows in force: its numeric columns unpivoted, each row of the
    period scored against the median and MAD of the history before it, and each file of the period
    against the recent median; the strongest row outliers and the most shifted file."""
    keys = ", ".join(identifier(column) for column in spec.primary_key)
    values = ", ".join(f"cast({identifier(c)} as double) as {identifier(c)}" for c in columns)
    return f"""
        with current_rows as (
            select _source_file, _source_row_number, cast({identifier(spec.event_time)} as date) as _at,
                   {values}
            from {relation} as loaded
            where {in_force_sql("loaded")}
              and cast({identifier(spec.event_time)} as date) <= $period_end
              and cast({identifier(spec.event_time)} as date)
                  >= $period_start - to_months({HISTORY_MONTHS})
            qualify row_number() over (
                partition by {keys} order by _loaded_at desc, _load_id desc, _source_row_number desc
            ) = 1
        ),
        long as (
            unpivot current_rows on {", ".join(identifier(c) for c in columns)}
            into name column_name value v
        ),
        history as (select * from long where _at < $period_start),
        center as (
            select column_name, median(v) as med
            from history group by column_name
        ),
        recent as (
            select column_name, median(v) as med
            from history where _at >= $period_start - to_months({RECENT_MONTHS}) group by column_name
        ),
        spread as (
            select history.column_name, 1.4826 * median(abs(history.v - center.med)) as mad
            from history join center using (column_name) group by history.column_name
        ),
        period_rows as (select * from long where _at >= $period_start),
        rows_scored as (
            select 'row' as kind, period_rows._source_file, period_rows._source_row_number,
                   period_rows.column_name, period_rows.v as value, center.med as typical, spread.mad,
                   abs(period_rows.v - center.med) / spread.mad as score
            from period_rows join center using (column_name) join spread using (column_name)
            where spread.mad > 0
        ),
        files_scored as (
            select 'file' as kind, period_rows._source_file, null as _source_row_number,
                   period_rows.column_name, median(period_rows.v) as value, any_value(recent.med) as typical,
                   null as mad,
                   abs(ln(median(period_rows.v) / any_value(recent.med))) / ln({FILE_SHIFT_FACTOR}) as score
            from period_rows join recent using (column_name)
            where recent.med > 0
            group by period_rows._source_file, period_rows.column_name
            having median(period_rows.v) > 0
        )
        select * from (
            select * from rows_scored where score >= {ROW_OUTLIER_Z}
            order by score desc limit {ROWS_NAMED}
        )
        union all
        select * from (
            select * from files_scored where score >= 1 order by score desc limit 1
        )
    """


def describe_failure(failure: Failure, found: list[Suspect], landing_dir: Path | None) -> str:
    """The failure in words, the rows behind it, and what to do."""
    text = failure.note.rstrip(".") + "."
    if failure.segment_dimension == "all" and found:
        text += " Moved most by: " + "; ".join(s.describe(landing_dir) for s in found) + "."
    elif failure.segment_dimension == "all":
        text += " No single source row or file of its data sources stands out for the period."
    gate = f"`plausibility:` of {failure.measure_id} in measures.yml"
    if failure.failed_check == "jump":
        fix = f"correct or remove the delivery and re-run; if the change is real, raise `max_jump` in {gate}"
    else:
        fix = (
            f"check the measure's model and its sources; if the value is possible, widen the bounds in {gate}"
        )
    if failure.on_implausible == "block":
        fix += " (or set `on_fail: untrust` to publish such periods untrusted)"
    return f"{text} What to do: {fix}."


def _relative(source_file: str, landing_dir: Path | None) -> str:
    if landing_dir is not None:
        try:
            return str(Path(source_file).relative_to(landing_dir))
        except ValueError:
            pass
    return source_file


def _number(value: float) -> str:
    """A number for a message: thousands separated; one decimal, four significant digits below 1."""
    if not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e12:
        return f"{value:.3g}"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.1f}"
