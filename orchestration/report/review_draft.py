"""A draft review entry for the next meeting, prepared from the last published scorecard.

``prepare_review`` reads the published file the report reads (``open_marts``) and returns one entry
of ``reviews.yml``: the scorecard and period reviewed, no date (the meeting is not held yet), the
last chair of this scorecard's reviews, an empty summary, decisions, failed assumptions and actions
for the owner to fill, and an ``agenda`` of what the meeting must look at, each item with its owner:

- off-track measures, early warnings, links whose data contradicts their assumption, overdue review
  actions and overdue initiative milestones: the month's ``balance_findings`` of those types (kind =
  finding type, subject = the finding's subject, detail = its message);
- provisional measures: the scorecard's months up to this one published ``provisional``;
- restated values: the restatements the month's refresh made (as the report lists them).

Everything is selected from the published tables; nothing is judged here. ``render_review_yaml``
writes the entry as a YAML list item that pastes under ``reviews:`` and validates unchanged.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml

from orchestration.config.models import AgendaKind
from orchestration.report.data import (
    ReportError,
    Row,
    balance_row,
    fetch_rows,
    latest_month,
    open_marts,
    parse_period,
    restatements_reported_in,
)
from orchestration.report.formatting import (
    RESTATEMENT_REASON_LABELS,
    format_date,
    format_segment,
    format_value,
)

# Findings that go on the agenda as they are: their type is the agenda item's kind.
AGENDA_FINDING_TYPES: tuple[str, ...] = (
    AgendaKind.off_track_measure.value,
    AgendaKind.early_warning.value,
    AgendaKind.contradicted_assumption.value,
    AgendaKind.overdue_action.value,
    AgendaKind.overdue_milestone.value,
)
_KIND_ORDER = {kind.value: rank for rank, kind in enumerate(AgendaKind)}


def review_id(scorecard_id: str, period_label: str) -> str:
    """``review_<scorecard>_<period>`` as a config id: review_corporate_2026_11, …_fy2027_q3."""
    return f"review_{scorecard_id}_{period_label.lower().replace('-', '_')}"


def prepare_review(
    db_path: Path,
    *,
    period: str,
    scorecard_id: str = "corporate",
    cadence: str = "monthly",
    schema: str = "scorecard",
) -> dict[str, Any]:
    """The draft ``reviews.yml`` entry for ``scorecard_id``'s review of the month ``period``.

    With a quarterly ``cadence`` the entry reviews the published fiscal quarter containing the month
    (its agenda is still the month's: review the quarter's last month). ReportError, naming what to
    do, when the file, the scorecard or the month is not published.
    """
    period_start = parse_period(period)
    with open_marts(Path(db_path), schema) as con:
        latest_month(con, schema, Path(db_path))  # a file without any month says so first
        balance = balance_row(con, schema, Path(db_path), scorecard_id, period_start)
        period_end: date = balance["period_end"]
        label = period
        if cadence == "quarterly":
            label = _quarter_label(con, schema, scorecard_id, period_start)
        chair = _last_chair(con, schema, scorecard_id, period_start)
        findings = fetch_rows(
            con,
            f"""
            select finding_type as kind, subject, owner, message as detail
            from {schema}.balance_findings
            where scorecard_id = $scorecard_id
                and period_grain = 'month'
                and period_start = $period_start
                and finding_type in ({", ".join(f"'{kind}'" for kind in AGENDA_FINDING_TYPES)})
            """,
            {"scorecard_id": scorecard_id, "period_start": period_start},
        )
        provisional = fetch_rows(
            con,
            f"""
            select measure_id, measure_name, owner, unit, period_label, actual, matures_on,
                segment_dimension, segment_value
            from {schema}.scorecard
            where scorecard_id = $scorecard_id
                and period_grain = 'month'
                and period_end <= $period_end
                and status = 'provisional'
            """,
            {"scorecard_id": scorecard_id, "period_end": period_end},
        )
        restated = restatements_reported_in(con, schema, scorecard_id, period_start)
    agenda = [
        *(_item(row["kind"], row["subject"], row["owner"], row["detail"]) for row in findings),
        *(
            _item("provisional_measure", row["measure_id"], row["owner"], _provisional(row))
            for row in provisional
        ),
        *(_item("restatement", row["measure_id"], row["owner"], _restatement(row)) for row in restated),
    ]
    agenda.sort(key=lambda item: (_KIND_ORDER[item["kind"]], item["subject"], item["detail"], item["owner"]))
    return {
        "id": review_id(scorecard_id, label),
        "scorecard": scorecard_id,
        "period": label,
        "review_date": None,
        "chair": chair,
        "summary": "",
        "agenda": agenda,
        "decisions": [],
        "failed_assumptions": [],
        "actions": [],
    }


def _item(kind: str, subject: str, owner: str | None, detail: str) -> dict[str, str]:
    return {"kind": kind, "subject": subject, "owner": owner or "", "detail": detail}


def _quarter_label(con: Any, schema: str, scorecard_id: str, month: date) -> str:
    rows = fetch_rows(
        con,
        f"""
        select period_label from {schema}.balance_report
        where scorecard_id = ? and period_grain = 'quarter' and period_start <= ? and period_end >= ?
        """,
        [scorecard_id, month, month],
    )
    if not rows:
        raise ReportError(
            f"no fiscal quarter containing {month:%Y-%m} is published for scorecard {scorecard_id!r}; "
            "run `scorecard run` for that month, or review a month the published file holds."
        )
    return str(rows[0]["period_label"])


def _last_chair(con: Any, schema: str, scorecard_id: str, period_start: date) -> str:
    """The chair of this scorecard's latest held review before the period, '' when there is none."""
    rows = fetch_rows(
        con,
        f"""
        select chair from {schema}.reviews
        where scorecard_id = ? and is_held and review_period_start < ?
        order by review_period_start desc, review_date desc, review_id
        limit 1
        """,
        [scorecard_id, period_start],
    )
    return str(rows[0]["chair"]) if rows else ""


def _segment_suffix(row: Row) -> str:
    segment = format_segment(row)
    return "" if segment == "company" else f" ({segment})"


def _provisional(row: Row) -> str:
    return (
        f"{row['measure_name']}{_segment_suffix(row)} for {row['period_label']} is provisional until "
        f"{format_date(row['matures_on'])}: {format_value(row['actual'], row['unit'])} so far."
    )


def _restatement(row: Row) -> str:
    reason = RESTATEMENT_REASON_LABELS.get(str(row["reason"]), str(row["reason"]))
    return (
        f"{row['measure_name']}{_segment_suffix(row)} for {row['period_label']} restated from "
        f"{format_value(row['as_reported_value'], row['unit'], precise=True)} to "
        f"{format_value(row['restated_value'], row['unit'], precise=True)} ({reason})."
    )


def render_review_yaml(entry: dict[str, Any], *, source: Path | None = None) -> str:
    """The entry as a YAML list item indented to paste under ``reviews:`` in reviews.yml.

    Same entry, same text: keys in the schema's order, the agenda already sorted, no timestamps.
    """
    body = yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    lines = [
        f"  # Draft review of {entry['scorecard']} for {entry['period']}, prepared by `scorecard review "
        "prepare`",
        *([f"  # from {source}."] if source else []),
        "  # Paste it under `reviews:` in scorecard_config/reviews.yml. After the meeting fill in",
        "  # review_date, chair, summary, decisions, failed_assumptions and actions; the agenda can stay.",
        *(f"  {line}" if line else line for line in body.splitlines()),
    ]
    return "\n".join(lines) + "\n"


__all__ = ["AGENDA_FINDING_TYPES", "prepare_review", "render_review_yaml", "review_id"]
