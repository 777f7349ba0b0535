"""The period report: one scorecard-month as a self-contained HTML page and as Markdown.

The page leads with what needs a decision (off-track measures with owners, early warnings, failed
assumptions, overdue actions), then shows the perspectives side by side, the strategy map coloured by
status, every measure with a trend chart against its target, the findings, the published values of
earlier periods restated since the last report, open actions and a glossary. Everything shown
comes from the published marts; this module only arranges it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from orchestration.config.mermaid import MapLink, MapObjective, strategy_map_flowchart
from orchestration.report import formatting
from orchestration.report.charts import render_strategy_map, render_trend_chart, status_bar
from orchestration.report.data import MeasureView, ReportData, load_report_data

# The headline's boxes and the finding types each shows (each with an owner); the rest are in the
# findings section. An assumption the data contradicts sits beside those a review judged failed.
_HEADLINE_FINDINGS: dict[str, tuple[str, ...]] = {
    "early_warning": ("early_warning",),
    "failed_assumption": ("failed_assumption", "contradicted_assumption"),
    "overdue_action": ("overdue_action",),
}


@dataclass(frozen=True)
class ReportFiles:
    """The files one report wrote."""

    html: Path
    markdown: Path


def _markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks folded."""
    text = " ".join(str("" if value is None else value).split())
    return text.replace("|", "\\|")


def _environment(*, html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("orchestration.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False)
        if html
        else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        value=formatting.format_value,
        change=formatting.format_change,
        score=formatting.format_score,
        ratio=formatting.format_ratio,
        day=formatting.format_date,
        segment=formatting.format_segment,
        status_label=formatting.status_label,
        evidence=formatting.format_evidence,
        md=_markdown_cell,
    )
    env.globals.update(
        status_style=formatting.status_style,
        status_order=formatting.STATUS_ORDER,
        statuses=formatting.STATUS_STYLES,
        severity_labels=formatting.SEVERITY_LABELS,
        finding_labels=formatting.FINDING_TYPE_LABELS,
        direction_labels=formatting.DIRECTION_LABELS,
        trend_labels=formatting.TREND_LABELS,
        unit_labels=formatting.UNIT_LABELS,
        grain_adjectives=formatting.GRAIN_ADJECTIVES,
        grains=formatting.format_grains,
        restatement_reasons=formatting.RESTATEMENT_REASON_LABELS,
        evidence_labels=formatting.EVIDENCE_LABELS,
        plural=formatting.plural,
        forecast_text=formatting.format_forecast,
    )
    return env


def strategy_map_mermaid(data: ReportData) -> str:
    """Mermaid text of the period's strategy map, from the ``strategy_map`` and ``objective_scores`` rows.

    Drawn by the config's Mermaid renderer from the published tables, so the report never re-reads
    config files; each objective's label carries its status, and a failed assumption is dotted.
    """
    return strategy_map_flowchart(
        [(row["perspective_id"], row["perspective_name"]) for row in data.perspectives],
        [
            MapObjective(
                row["objective_id"],
                f"{row['objective_name']} ({formatting.status_label(row['status'])})",
                row["perspective_id"],
                row["status"],
            )
            for row in data.objectives
        ],
        [
            MapLink(
                link["cause_objective_id"],
                link["effect_objective_id"],
                int(link.get("lag_months") or 0),
                bool(link.get("assumption_failed")),
            )
            for link in data.links
        ],
    )


def _measure_groups(data: ReportData, charts: dict[str, Any]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for perspective in data.perspectives:
        members = [
            view for view in data.measures if view.row["perspective_id"] == perspective["perspective_id"]
        ]
        if members:
            groups.append({"perspective": perspective, "measures": members})
    known = {row["perspective_id"] for row in data.perspectives}
    orphans = [view for view in data.measures if view.row["perspective_id"] not in known]
    if orphans:
        first = orphans[0].row
        groups.append(
            {
                "perspective": {
                    "perspective_id": first["perspective_id"],
                    "perspective_name": first["perspective_name"],
                },
                "measures": orphans,
            }
        )
    for group in groups:
        group["charts"] = {
            view.row["measure_id"]: charts[view.row["measure_id"]] for view in group["measures"]
        }
    return groups


def _objective_initiatives(data: ReportData) -> list[dict[str, Any]]:
    """The scorecard's objectives that initiatives serve, in report order, each with those initiatives."""
    groups = []
    for objective in data.objectives:
        serving = [row for row in data.initiatives if row["objective_id"] == objective["objective_id"]]
        if serving:
            groups.append({"objective": objective, "initiatives": serving})
    return groups


def _okrs(data: ReportData) -> list[dict[str, Any]]:
    """The quarter's OKRs serving an objective of this scorecard, each with its key results."""
    shown = {row["objective_id"] for row in data.objectives}
    return [
        {"okr": okr, "key_results": [row for row in data.key_results if row["okr_id"] == okr["okr_id"]]}
        for okr in data.okrs
        if okr["objective_id"] in shown
    ]


def _coarser(data: ReportData) -> dict[str, Any]:
    """The measures shown at a grain coarser than the month: how many, and 'quarterly' / 'yearly'."""
    tally = data.tally()
    grains = [grain for grain in tally.by_grain if grain != "month"]
    return {
        "count": tally.total - tally.monthly,
        "label": " or ".join(formatting.GRAIN_ADJECTIVES.get(grain, grain) for grain in grains),
    }


def _context(data: ReportData, *, with_charts: bool) -> dict[str, Any]:
    # Tiles count the measure cards under them (quarterly-only ones included), not the warehouse's
    # month-grain roll-up, which leaves out measures without a monthly row.
    perspectives = []
    for row in data.perspectives:
        tally = data.tally(row["perspective_id"])
        perspectives.append(
            {
                **row,
                "tally": tally,
                "counts": tally.statuses,
                "bar": status_bar(tally.statuses) if with_charts else "",
            }
        )
    charts: dict[str, Any] = {}
    for index, view in enumerate(data.measures):
        title = f"{view.row['measure_name']}: actual against target, last 12 months"
        charts[view.row["measure_id"]] = (
            render_trend_chart(view.history, view.row["unit"], title=title, chart_id=f"trend{index}")
            if with_charts
            else ""
        )
    headline = {
        box: [row for row in data.findings if row["finding_type"] in kinds]
        for box, kinds in _HEADLINE_FINDINGS.items()
    }
    off_track: list[MeasureView] = [view for view in data.measures if view.row["status"] == "off_track"]
    return {
        "data": data,
        "balance": data.balance,
        "perspectives": perspectives,
        "tally": data.tally(),
        "coarser": _coarser(data),
        "objectives": data.objectives,
        "off_track": off_track,
        "headline": headline,
        "nothing_to_decide": not off_track and not any(headline.values()),
        "groups": _measure_groups(data, charts),
        "strategy_map": render_strategy_map(data.perspectives, data.objectives, data.links)
        if with_charts
        else "",
        "mermaid": strategy_map_mermaid(data),
        "findings": data.findings,
        "actions": data.actions,
        "objective_initiatives": _objective_initiatives(data),
        "okrs": _okrs(data),
        "restatements": data.restatements,
        "last_review": data.last_review,
        "glossary": sorted(data.measures, key=lambda view: str(view.row["measure_name"]).lower()),
        "source_name": data.db_path.name,
    }


def _file_stem(scorecard_id: str, period: str) -> str:
    return "scorecard_" + re.sub(r"[^A-Za-z0-9_-]", "_", scorecard_id) + f"_{period}"


def render_report(
    db_path: Path, *, period: str, scorecard_id: str = "corporate", out_dir: Path, schema: str = "scorecard"
) -> ReportFiles:
    """Write one scorecard-month's report as HTML and Markdown into ``out_dir``; return the two paths.

    ``period`` is a month, ``YYYY-MM``. ``db_path`` is the working warehouse or the published file; it
    is opened read-only. An unknown period or scorecard raises ``ReportError`` listing what exists.
    """
    data = load_report_data(Path(db_path), period=period, scorecard_id=scorecard_id, schema=schema)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = _file_stem(scorecard_id, period)
    html_path = out_dir / f"{stem}.html"
    markdown_path = out_dir / f"{stem}.md"
    html = _environment(html=True).get_template("report.html.j2").render(_context(data, with_charts=True))
    markdown = _environment(html=False).get_template("report.md.j2").render(_context(data, with_charts=False))
    html_path.write_text(html, encoding="utf-8")
    markdown_path.write_text(markdown, encoding="utf-8")
    return ReportFiles(html=html_path, markdown=markdown_path)
