"""Commands that read what runs left: quality reports, quarantine, the report, exports, the BI guide."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from orchestration.cli.app import (
    ScorecardOption,
    app,
    console,
    err_console,
    parse_month_option,
    top_scorecard_id,
)
from orchestration.settings import (
    get_settings,
)


@app.command()
def quality(
    period: Annotated[str | None, typer.Option(help="Only reports that judged this month (YYYY-MM).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many reports to list, newest first.")] = 10,
) -> None:
    """List the runs' data-quality reports (newest first) and what failed in the newest one."""
    from orchestration.quality import list_quality_reports

    month = parse_month_option(period, "--period")
    wanted = month.strftime("%Y-%m") if month else None
    settings = get_settings()
    reports = list_quality_reports(settings, wanted)
    if not reports:
        scope = f" for {wanted}" if wanted else ""
        console.print(
            f"No quality reports{scope} under {settings.warehouse_dir / 'quality'} yet — run `scorecard run`."
        )
        return
    styles = {"passed": "green", "warnings": "yellow", "failed": "red"}
    table = Table(
        "run",
        "written (UTC)",
        "period",
        "result",
        "suites",
        "blocking",
        "warnings",
        "report",
        title="Quality reports",
    )
    for report in reports[:limit]:
        table.add_row(
            report.run_id,
            f"{report.written_at:%Y-%m-%d %H:%M}",
            ", ".join(report.periods) or "-",
            f"[{styles[report.status]}]{report.status}[/]",
            str(report.suites),
            str(report.suites_failed_error),
            str(report.suites_failed_warning),
            str(report.path),
        )
    console.print(table)
    newest = reports[0]
    if newest.failures:
        console.print(f"\nWhat failed in run {newest.run_id} (errors first):")
        for message in newest.failures:
            console.print(f"- {message}", highlight=False, markup=False, soft_wrap=True)


@app.command()
def quarantine(
    system: Annotated[str | None, typer.Option(help="Only this source system (e.g. billing).")] = None,
    table: Annotated[str | None, typer.Option(help="Only this table of the system (e.g. invoices).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many rows to list, newest first.")] = 50,
) -> None:
    """List quarantined source rows, newest first: the file, the row, the rule broken and why."""
    from orchestration.ingestion import load_registry
    from orchestration.quality import list_quarantine

    settings = get_settings()
    registry = load_registry(settings.sources_path)
    known = registry.table_names()
    if (system and system not in {s for s, _ in known}) or (
        table and (system, table) not in known and table not in {t for _, t in known}
    ):
        listing = ", ".join(f"{s}.{t}" for s, t in known)
        err_console.print(f"[red]error:[/red] no source table matches that; sources.yml declares {listing}")
        raise typer.Exit(2)
    try:
        rows = list_quarantine(settings, system, table, limit)
    except FileNotFoundError as error:
        err_console.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from error
    scope = ".".join(part for part in (system, table) if part) or "any source"
    if not rows:
        console.print(f"No quarantined rows for {scope}.")
        return
    listing = Table(
        "quarantined (UTC)",
        "source table",
        "file",
        "row",
        "rule",
        "column",
        "detail",
        title=f"Quarantined rows of {scope} (newest {len(rows)})",
    )
    for row in rows:
        source = Path(row.source_file)
        if source.is_relative_to(settings.landing_dir):
            source = source.relative_to(settings.landing_dir)
        listing.add_row(
            f"{row.quarantined_at:%Y-%m-%d %H:%M}",
            f"{row.system}.{row.table}",
            f"{source}" + (" (superseded)" if row.superseded else ""),
            str(row.source_row_number),
            row.rule,
            row.column_name or "",
            row.detail,
        )
    console.print(listing)
    console.print(
        "Quarantined rows are not loaded. Fix them in the source and deliver the file again; "
        "(superseded) rows belong to a file version a newer delivery replaced."
    )


@app.command()
def report(
    period: Annotated[
        str | None, typer.Option("--period", help="Month to report (YYYY-MM); default: the latest.")
    ] = None,
    scorecard: ScorecardOption = None,
    out_dir: Annotated[
        Path | None, typer.Option(help="Where to write the HTML and Markdown; default <warehouse>/reports.")
    ] = None,
) -> None:
    """Render the period report (self-contained HTML and Markdown) from the published scorecard."""
    from orchestration.report import ReportError, latest_closed_period, print_balance_summary, render_report

    settings = get_settings()
    scorecard = scorecard or top_scorecard_id(settings)
    try:
        month = period or latest_closed_period(settings.published_path)
        files = render_report(
            settings.published_path,
            period=month,
            scorecard_id=scorecard,
            out_dir=out_dir or settings.reports_dir,
        )
        print_balance_summary(console, settings.published_path, period=month, scorecard_id=scorecard)
    except ReportError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    console.print(f"HTML: {files.html}\nMarkdown: {files.markdown}")


@app.command()
def export(
    period: Annotated[str, typer.Option("--period", help="Month to export (YYYY-MM).")],
    out_dir: Annotated[
        Path | None, typer.Option(help="Where to write the files; default <warehouse>/exports/<period>.")
    ] = None,
    fmt: Annotated[
        list[str] | None, typer.Option("--format", help="parquet and/or csv (repeatable); default both.")
    ] = None,
) -> None:
    """Write every published table for one month as Parquet and CSV, for tools that read files."""
    from orchestration.export import ExportError, export_period

    settings = get_settings()
    target = out_dir or settings.warehouse_dir / "exports" / period
    try:
        paths = export_period(
            settings.published_path, period, target, formats=tuple(fmt or ("parquet", "csv"))
        )
    except ExportError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    console.print(f"Wrote {len(paths)} files to {target}")


@app.command("bi-guide")
def bi_guide(
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 when the guide is out of date.")
    ] = False,
    manifest: Annotated[
        Path | None, typer.Option(help="dbt manifest.json to read; default: parse the dbt project.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where the guide goes; default docs/bi-guide.md.")
    ] = None,
) -> None:
    """Regenerate docs/bi-guide.md, every published table and column, from the dbt YAML."""
    from orchestration.export import BiGuideError, write_bi_guide
    from orchestration.settings import REPO_ROOT

    output = output or REPO_ROOT / "docs" / "bi-guide.md"
    if manifest is None:
        # Parsing needs the config compiled into seeds; the transform module knows how.
        from orchestration.transform.project import prepare_dbt_project

        manifest = prepare_dbt_project(get_settings()).manifest_path
    try:
        current = write_bi_guide(manifest, output, check=check)
    except BiGuideError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(2) from error
    if not check:
        console.print(f"Wrote {output}")
    elif not current:
        err_console.print(f"{output} is out of date: run `scorecard bi-guide`.", highlight=False)
        raise typer.Exit(1)
