"""Reading one scorecard period from the published marts, read-only.

Everything here is selection: which rows of the warehouse's tables belong to the report. No status,
score, target or finding is derived; the report shows what the warehouse published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from orchestration.config.periods import parse_month
from orchestration.report.formatting import SEVERITY_ORDER, STATUS_ORDER
from orchestration.warehouse import open_read_only

# The published marts the report reads (issue 5's contract).
REQUIRED_TABLES: tuple[str, ...] = (
    "scorecard",
    "objective_scores",
    "perspective_scores",
    "balance_report",
    "balance_findings",
    "strategy_map",
    "measure_forecasts",
    "review_actions",
    "reviews",
    "review_decisions",
    "review_assumptions",
    "initiatives",
    "initiative_objectives",
    "okrs",
    "okr_key_results",
    "restatements",
    "measure_value_history",
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Trend charts show this many months ending with the report's month.
TREND_MONTHS = 12
# Grains from the finest; a measure's card shows its finest grain that has a row.
GRAIN_ORDER: tuple[str, ...] = ("month", "quarter", "year")

Row = dict[str, Any]


class ReportError(Exception):
    """A report cannot be produced from this file for this request; the message says what to do."""


@dataclass(frozen=True)
class MeasureView:
    """One measure as the report shows it: its row for the period plus its recent history.

    ``row`` is the ``scorecard`` row for the report's month, or, for a measure reported only at a
    coarser grain (quarterly, yearly), its latest such period that closed by the month's end; ``as_of``
    then names that period.
    """

    row: Row
    history: list[Row]
    as_of: str | None = None
    # The measure_forecasts row of the same period: the fiscal year's projection, when it has a target.
    forecast: Row | None = None

    def __getattr__(self, name: str) -> Any:
        # Templates read measure columns directly (measure.status, measure.actual).
        if name == "row":  # not yet set (copy, unpickling): no recursion
            raise AttributeError(name)
        try:
            return self.row[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


@dataclass(frozen=True)
class MeasureTally:
    """How many measure cards a part of the report shows, by status and by the grain they report at.

    Counted from the cards themselves (``ReportData.measures``), so a perspective tile, the overall
    panel and the terminal summary count exactly the measures the page shows: monthly measures as of
    the month, those reported only quarterly or yearly as of their latest closed period. The
    warehouse's month-grain roll-ups (``perspective_scores``, ``balance_report``) count the monthly
    ones only, as their scores average only those.
    """

    statuses: dict[str, int]  # every status of STATUS_ORDER, 0 when no card has it
    by_grain: dict[str, int]  # grain -> cards, finest grain first, only grains present

    @property
    def total(self) -> int:
        """The number of cards counted."""
        return sum(self.by_grain.values())

    @property
    def monthly(self) -> int:
        """The cards that show the month itself."""
        return self.by_grain.get("month", 0)


def tally_measures(measures: list[MeasureView]) -> MeasureTally:
    """The ``MeasureTally`` of ``measures``: their published statuses and grains, counted."""
    statuses = dict.fromkeys(STATUS_ORDER, 0)
    by_grain: dict[str, int] = {}
    for view in measures:
        status = view.row["status"]
        statuses[status] = statuses.get(status, 0) + 1
        by_grain[view.row["period_grain"]] = by_grain.get(view.row["period_grain"], 0) + 1
    rank = {grain: index for index, grain in enumerate(GRAIN_ORDER)}
    ordered = dict(sorted(by_grain.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))
    return MeasureTally(statuses=statuses, by_grain=ordered)


@dataclass(frozen=True)
class ReportData:
    """Everything one period's report shows, as published by the warehouse."""

    db_path: Path
    scorecard_id: str
    period: str
    balance: Row
    perspectives: list[Row]
    objectives: list[Row]
    measures: list[MeasureView]
    findings: list[Row]
    links: list[Row]
    actions: list[Row]
    latest_period: str
    config_version: str | None = None
    # Published values of earlier periods that changed while this month was the latest one.
    restatements: list[Row] = field(default_factory=list)
    # One row per initiative and objective it serves (initiatives' columns plus objective_id).
    initiatives: list[Row] = field(default_factory=list)
    # OKRs whose fiscal quarter contains the report's month, and their key results.
    okrs: list[Row] = field(default_factory=list)
    key_results: list[Row] = field(default_factory=list)
    # This scorecard's latest held review of a period before this month, and what it recorded: its
    # decisions, the assumptions it judged failed (with today's evidence) and its actions not done.
    last_review: Row | None = None
    last_review_decisions: list[Row] = field(default_factory=list)
    last_review_assumptions: list[Row] = field(default_factory=list)
    last_review_actions: list[Row] = field(default_factory=list)

    @property
    def is_latest_period(self) -> bool:
        return self.period == self.latest_period

    def tally(self, perspective_id: str | None = None) -> MeasureTally:
        """The measure cards of one perspective (all of them when None), counted by status and grain."""
        return tally_measures(
            [view for view in self.measures if perspective_id in (None, view.row["perspective_id"])]
        )


def parse_period(period: str) -> date:
    """'2026-09' → date(2026, 9, 1); anything else is a ReportError that shows the expected form."""
    try:
        return parse_month(period or "", "the period")
    except ValueError as error:
        raise ReportError(str(error)) from None


def _check_schema_name(schema: str) -> str:
    if not _IDENTIFIER.match(schema):
        raise ReportError(f"schema {schema!r} is not a plain SQL identifier (letters, digits, underscore)")
    return schema


@contextmanager
def open_marts(db_path: Path, schema: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to ``db_path`` after checking that every mart the report reads is there."""
    _check_schema_name(schema)
    path = Path(db_path)
    con = open_read_only(
        path,
        ReportError,
        "Build the warehouse with `scorecard run`, or pass the working warehouse (warehouse.duckdb) or "
        "the published file (published/bsc_published.duckdb).",
    )
    try:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?", [schema]
            ).fetchall()
        }
        missing = [name for name in REQUIRED_TABLES if name not in present]
        if missing:
            raise ReportError(
                f"{path}: schema {schema!r} lacks the published tables {', '.join(missing)}. "
                "Run `scorecard run` to build the scorecard marts, or point at a file that has them."
            )
        yield con
    finally:
        con.close()


def fetch_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | dict[str, Any] | None = None
) -> list[Row]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _month_label(day: date) -> str:
    return f"{day:%Y-%m}"


def latest_month(con: duckdb.DuckDBPyConnection, schema: str, db_path: Path) -> date:
    """The latest month in ``balance_report`` (any scorecard)."""
    (latest,) = con.execute(
        f"select max(period_start) from {schema}.balance_report where period_grain = 'month'"
    ).fetchone()
    if latest is None:
        raise ReportError(
            f"{db_path}: {schema}.balance_report has no monthly rows yet; run `scorecard run` after "
            "loading source data (or `scorecard demo` for the demo company)."
        )
    return latest


def balance_row(
    con: duckdb.DuckDBPyConnection, schema: str, db_path: Path, scorecard_id: str, period_start: date
) -> Row:
    """The scorecard's monthly balance_report row; ReportError lists the scorecards or months there are."""
    rows = fetch_rows(
        con,
        f"""
        select * from {schema}.balance_report
        where scorecard_id = ? and period_grain = 'month' and period_start = ?
        """,
        [scorecard_id, period_start],
    )
    if rows:
        return rows[0]
    scorecards = [
        row["scorecard_id"]
        for row in fetch_rows(
            con, f"select distinct scorecard_id from {schema}.balance_report order by scorecard_id"
        )
    ]
    if scorecard_id not in scorecards:
        raise ReportError(
            f"scorecard {scorecard_id!r} is not in {db_path} ({schema}.balance_report); "
            f"scorecards there: {', '.join(scorecards) or 'none'}"
        )
    months = [
        _month_label(row["period_start"])
        for row in fetch_rows(
            con,
            f"""
            select period_start from {schema}.balance_report
            where scorecard_id = ? and period_grain = 'month' order by period_start
            """,
            [scorecard_id],
        )
    ]
    raise ReportError(
        f"period {_month_label(period_start)!r} has no balance report for scorecard {scorecard_id!r} in "
        f"{db_path}; months there: {', '.join(months) or 'none'}"
    )


def _measures(
    con: duckdb.DuckDBPyConnection, schema: str, scorecard_id: str, period_start: date, period_end: date
) -> list[MeasureView]:
    # A measure's row for the month; a measure without one (reported quarterly or yearly) shows its
    # latest period of another grain that closed by the month's end, quarters before years.
    shown = f"""
        with candidates as (
            select
                *,
                row_number() over (
                    partition by measure_id
                    order by case when period_grain = 'month' then 0 else 1 end, period_end desc,
                        case period_grain when 'quarter' then 0 else 1 end
                ) as pick
            from {schema}.scorecard
            where scorecard_id = $scorecard_id
              and (
                (period_grain = 'month' and period_start = $period_start)
                or (period_grain <> 'month' and period_end <= $period_end)
              )
        ),
        shown as (select * exclude (pick) from candidates where pick = 1)
    """
    params = {"scorecard_id": scorecard_id, "period_start": period_start, "period_end": period_end}
    current = fetch_rows(con, shown + "select * from shown order by measure_name", params)
    history = fetch_rows(
        con,
        shown
        + f"""
        select s.measure_id, s.period_grain, s.period_start, s.period_end, s.period_label,
               s.actual, s.target, s.status
        from {schema}.scorecard s
        join shown on s.measure_id = shown.measure_id and s.period_grain = shown.period_grain
        where s.scorecard_id = $scorecard_id
          and s.period_end > cast($period_end as date) - interval {TREND_MONTHS} month
          and s.period_end <= $period_end
        order by s.measure_id, s.period_start
        """,
        params,
    )
    forecasts = fetch_rows(
        con,
        shown
        + f"""
        select f.*
        from {schema}.measure_forecasts f
        join shown on f.measure_id = shown.measure_id and f.period_grain = shown.period_grain
            and f.period_start = shown.period_start
        where f.scorecard_id = $scorecard_id
        """,
        params,
    )
    forecast_by_measure = {row["measure_id"]: row for row in forecasts}
    by_measure: dict[str, list[Row]] = {}
    for row in history:
        by_measure.setdefault(row["measure_id"], []).append(row)
    return [
        MeasureView(
            row=row,
            history=by_measure.get(row["measure_id"], []),
            as_of=None if row["period_grain"] == "month" else row["period_label"],
            forecast=forecast_by_measure.get(row["measure_id"]),
        )
        for row in current
    ]


def restatements_reported_in(
    con: duckdb.DuckDBPyConnection, schema: str, scorecard_id: str, period_start: date
) -> list[Row]:
    """Restatements made by the builds that reported through this month, for this scorecard's rows.

    A restatement belongs to the report of the month that was the scorecard's latest when the
    restating build ran (measure_value_history.reported_through_month of the restated version): a
    late invoice for May that lands in November's refresh is news in November's report. Restricted to
    the measures and segments this scorecard shows.
    """
    return fetch_rows(
        con,
        f"""
        with shown as (
            select distinct measure_id, measure_name, unit, owner, segment_dimension, segment_value
            from {schema}.scorecard
            where scorecard_id = $scorecard_id
        )
        select restatements.*, shown.measure_name, shown.unit, shown.owner
        from {schema}.restatements as restatements
        inner join {schema}.measure_value_history as history
            on restatements.restatement_id = history.dbt_scd_id
        inner join shown
            on restatements.measure_id = shown.measure_id
            and restatements.segment_dimension = shown.segment_dimension
            and restatements.segment_value = shown.segment_value
        where history.reported_through_month = $period_start
        order by restatements.period_start, shown.measure_name,
            case restatements.period_grain when 'month' then 0 when 'quarter' then 1 else 2 end
        """,
        {"scorecard_id": scorecard_id, "period_start": period_start},
    )


def load_report_data(db_path: Path, *, period: str, scorecard_id: str, schema: str) -> ReportData:
    """Read everything one scorecard-month's report shows; ReportError names what is missing."""
    period_start = parse_period(period)
    with open_marts(db_path, schema) as con:
        latest = latest_month(con, schema, db_path)
        balance = balance_row(con, schema, db_path, scorecard_id, period_start)
        period_end = balance["period_end"]
        scored = {
            name: _period_rows(con, schema, table, order, scorecard_id, period_start)
            for name, (table, order) in _SCORECARD_MONTH_TABLES.items()
        }
        order = {row["perspective_id"]: index for index, row in enumerate(scored["perspectives"])}
        scored["objectives"].sort(key=lambda row: order.get(row["perspective_id"], len(order)))
        measures = _measures(con, schema, scorecard_id, period_start, period_end)
        measures.sort(key=lambda view: order.get(view.row["perspective_id"], len(order)))
        restatements = restatements_reported_in(con, schema, scorecard_id, period_start)
        management = _management(con, schema, period_start, period_end)
        last_review = _last_review(con, schema, scorecard_id, period_start)
    config_versions = {view.row.get("config_version") for view in measures} - {None}
    return ReportData(
        db_path=Path(db_path),
        scorecard_id=scorecard_id,
        period=period,
        balance=balance,
        measures=measures,
        latest_period=_month_label(latest),
        config_version=", ".join(sorted(config_versions)) or None,
        restatements=restatements,
        **scored,
        **management,
        **last_review,
    )


_SEVERITY_RANK = " ".join(f"when '{name}' then {rank}" for rank, name in enumerate(SEVERITY_ORDER))
# What the report reads of one scorecard-month, by the ReportData field it fills: (table, order by).
_SCORECARD_MONTH_TABLES = {
    "perspectives": ("perspective_scores", "display_order, perspective_name"),
    "objectives": ("objective_scores", "objective_name"),
    "findings": ("balance_findings", f"case severity {_SEVERITY_RANK} else 9 end, finding_type, message"),
    "links": ("strategy_map", "cause_objective_name, effect_objective_name"),
}


def _period_rows(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, order: str, scorecard_id: str, month: date
) -> list[Row]:
    """The rows of a published table for one scorecard-month."""
    return fetch_rows(
        con,
        f"""
        select * from {schema}.{table}
        where scorecard_id = ? and period_grain = 'month' and period_start = ?
        order by {order}
        """,
        [scorecard_id, month],
    )


def _management(
    con: duckdb.DuckDBPyConnection, schema: str, period_start: date, period_end: date
) -> dict[str, list[Row]]:
    """The management loop around the month: open review actions, initiatives, the quarter's OKRs.

    Actions are those decided in reviews up to this period and not done; actions and milestones are
    as of the warehouse's last month (its is_overdue / days_overdue), initiatives as configured.
    """
    quarter = [period_end, period_start]
    queries = {
        "actions": (
            f"""
            select * from {schema}.review_actions
            where review_date <= ? and status <> 'done'
            order by is_overdue desc, due_date, action_id
            """,
            [period_end],
        ),
        "initiatives": (
            f"""
            select served.objective_id, initiatives.*
            from {schema}.initiative_objectives as served
            inner join {schema}.initiatives as initiatives
                on served.initiative_id = initiatives.initiative_id
            order by initiatives.display_order, served.display_order
            """,
            [],
        ),
        "okrs": (
            f"select * from {schema}.okrs where period_start <= ? and period_end >= ? order by display_order",
            quarter,
        ),
        "key_results": (
            f"""
            select * from {schema}.okr_key_results
            where period_start <= ? and period_end >= ?
            order by okr_id, display_order
            """,
            quarter,
        ),
    }
    return {name: fetch_rows(con, sql, params) for name, (sql, params) in queries.items()}


def _last_review(
    con: duckdb.DuckDBPyConnection, schema: str, scorecard_id: str, period_start: date
) -> dict[str, Any]:
    """The scorecard's latest held review of a period that ended before this month, and its record."""
    reviews = fetch_rows(
        con,
        f"""
        select * from {schema}.reviews
        where scorecard_id = ? and is_held and review_period_end < ?
        order by review_period_end desc, review_date desc, review_id
        limit 1
        """,
        [scorecard_id, period_start],
    )
    if not reviews:
        return {}
    key = [reviews[0]["review_id"]]
    return {
        "last_review": reviews[0],
        "last_review_decisions": fetch_rows(
            con,
            f"select * from {schema}.review_decisions where review_id = ? order by decision_number",
            key,
        ),
        "last_review_assumptions": fetch_rows(
            con,
            f"""
            select * from {schema}.review_assumptions where review_id = ?
            order by cause_objective_name, effect_objective_name
            """,
            key,
        ),
        "last_review_actions": fetch_rows(
            con,
            f"""
            select * from {schema}.review_actions
            where review_id = ? and status in ('open', 'in_progress')
            order by is_overdue desc, due_date, action_id
            """,
            key,
        ),
    }


def latest_closed_period(db_path: Path, *, schema: str = "scorecard") -> str:
    """The latest month ('YYYY-MM') in ``balance_report``: the period a report shows by default."""
    with open_marts(Path(db_path), schema) as con:
        return _month_label(latest_month(con, schema, Path(db_path)))
