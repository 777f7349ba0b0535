"""The period report: published scorecard marts rendered as HTML, Markdown and a terminal summary.

Public entry points (the CLI calls these; no Dagster here):

- ``render_report(db_path, *, period, scorecard_id="corporate", out_dir, schema="scorecard") -> ReportFiles``
- ``latest_closed_period(db_path, *, schema="scorecard") -> str``
- ``print_balance_summary(console, db_path, *, period=None, scorecard_id="corporate", schema="scorecard",
  top_findings=5) -> None``

Every value shown is read from the warehouse's published tables, opened read-only; nothing the
warehouse owns (statuses, scores, targets, findings) is computed here.
"""

from orchestration.report.data import ReportError, latest_closed_period
from orchestration.report.render import ReportFiles, render_report
from orchestration.report.terminal import print_balance_summary

__all__ = ["ReportError", "ReportFiles", "latest_closed_period", "print_balance_summary", "render_report"]
