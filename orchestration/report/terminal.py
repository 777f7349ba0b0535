"""The balance summary in the terminal: perspectives, overall score, balance and the top findings."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from orchestration.report import formatting
from orchestration.report.data import ReportData, Row, latest_closed_period, load_report_data


def _status_text(status: str | None) -> Text:
    style = formatting.status_style(status)
    return Text(f"{style.symbol} {formatting.status_label(status)}", style=style.rich)


def print_balance_summary(
    console: Console,
    db_path: Path,
    *,
    period: str | None = None,
    scorecard_id: str = "corporate",
    schema: str = "scorecard",
    top_findings: int = 5,
) -> None:
    """Print one scorecard-month's balance: a table of perspectives, the balance line, the top findings.

    ``period`` ('YYYY-MM') defaults to the latest closed month in ``balance_report``. Raises
    ``ReportError`` for an unknown period or scorecard, listing what exists.
    """
    period = period or latest_closed_period(db_path, schema=schema)
    data = load_report_data(Path(db_path), period=period, scorecard_id=scorecard_id, schema=schema)
    console.print(_perspective_table(data))
    overall = data.tally()
    if grains := formatting.format_grains(overall.by_grain):
        coarser = overall.total - overall.monthly
        console.print(
            f"Measures: {grains}. The {formatting.plural(coarser, 'measure')} not reported monthly count "
            "as of their latest closed period and are not in this month's scores."
        )
    _print_balance(console, data)
    _print_findings(console, data.findings, top_findings)


def _perspective_table(data: ReportData) -> Table:
    """Perspectives by score and status, with their measures counted by status, and the overall row."""
    balance = data.balance
    table = Table(title=f"{balance['scorecard_name']} — {balance['period_label']}", title_style="bold")
    table.add_column("Perspective")
    table.add_column("Score", justify="right")
    table.add_column("Status")
    table.add_column("Measures", justify="right")
    for status in formatting.SCORED_STATUSES:
        style = formatting.STATUS_STYLES[status]
        table.add_column(f"{style.symbol} {style.label}", justify="right")
    table.add_column("Other", justify="right")
    # Counted from the measures the period report shows, quarterly-only ones included (as the HTML).
    for row in data.perspectives:
        tally = data.tally(row["perspective_id"])
        # Whatever status is not one of the scored columns (no data, provisional, no target, ...).
        other = tally.total - sum(tally.statuses[name] for name in formatting.SCORED_STATUSES)
        table.add_row(
            str(row["perspective_name"]),
            formatting.format_score(row["score"]),
            _status_text(row["status"]),
            str(tally.total),
            str(tally.statuses["on_track"]),
            str(tally.statuses["at_risk"]),
            str(tally.statuses["off_track"]),
            str(other),
        )
    overall = data.tally()
    table.add_section()
    table.add_row(
        Text("Overall", style="bold"),
        Text(formatting.format_score(balance["overall_score"]), style="bold"),
        _status_text(balance["overall_status"]),
        str(overall.total),
        "",
        "",
        str(overall.statuses["off_track"]),
        "",
    )
    return table


def _print_balance(console: Console, data: ReportData) -> None:
    """The balance line (index, balanced or why not) and the restatements since the last report."""
    balance = data.balance
    balance_line = Text(f"Balance index {formatting.format_score(balance['balance_index'])} / 100: ")
    if balance["is_imbalanced"]:
        balance_line.append("imbalanced", style="bold red")
        if balance.get("imbalance_reason"):
            balance_line.append(f" — {balance['imbalance_reason']}")
    else:
        balance_line.append("balanced", style="green")
    console.print(balance_line)
    if data.restatements:
        periods = sorted({str(row["period_label"]) for row in data.restatements})
        console.print(
            f"Restated: {formatting.plural(len(data.restatements), 'published value')} of "
            f"{', '.join(periods)} changed since the last report; the period report lists them."
        )


def _print_findings(console: Console, findings: list[Row], top_findings: int) -> None:
    """The most severe findings (``findings`` come ordered by severity), and how many more there are."""
    if not findings:
        console.print("No findings this month.")
        return
    shown = findings[: max(top_findings, 0)]
    if shown:
        table = Table(
            title=f"Top findings ({len(shown)} of {len(findings)})", title_style="bold", show_lines=False
        )
        table.add_column("Severity")
        table.add_column("Finding", ratio=1)
        table.add_column("Owner")
        for row in shown:
            severity = row["severity"]
            table.add_row(
                Text(
                    formatting.SEVERITY_LABELS.get(severity, severity),
                    style=formatting.SEVERITY_RICH.get(severity, ""),
                ),
                Text(str(row["message"])),
                Text(str(row.get("owner") or "")),
            )
        console.print(table)
    if len(findings) > len(shown):
        console.print(f"{len(findings) - len(shown)} more findings in the period report.")
