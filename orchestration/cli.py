"""The ``scorecard`` command line: parses arguments, calls the modules that do the work, prints."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from orchestration.errors import DEBUG_ENV, IN_USE_EXIT, debug_enabled, explain
from orchestration.settings import (
    ACCEPT_REDELIVERY_ENV,
    COMPANY_DIR_ENV,
    ENGINE_ENV,
    Settings,
    ensure_dagster_home,
    get_settings,
)

# Exit code of a run refused because another run holds the lock: a resource in use, as for a
# warehouse another process holds (sysexits' EX_TEMPFAIL).
RUN_LOCKED_EXIT = IN_USE_EXIT


class _ScorecardApp(typer.Typer):
    """The typer app, with the net of ``orchestration.errors`` under every command: no tracebacks."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except SystemExit:
            raise
        except BaseException as error:
            if debug_enabled():
                raise
            explained = explain(error, log_dir=_log_dir())
            # escape: an Issue's entry (tables[sales.orders]) is not rich markup.
            message = escape(explained.message)
            err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
            sys.exit(explained.exit_code)


def _log_dir() -> Path | None:
    """Where a bug's traceback goes: the warehouse's logs, when settings can still be read."""
    try:
        return get_settings().warehouse_dir / "logs"
    except Exception:  # the settings may be what failed: the temp dir is the fallback
        return None


app = _ScorecardApp(
    name="scorecard",
    help="Balanced Scorecard warehouse: demo data, ingestion, governed measures and the balance report.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def main(
    company: Annotated[
        Path | None,
        typer.Option(
            "--company",
            envvar=COMPANY_DIR_ENV,
            help="The company folder (scorecard_config/, dbt_project/, expectations/); default: the "
            "demo company at the repository root.",
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar=DEBUG_ENV,
            help="Show the full traceback of an error instead of a one-line message.",
        ),
    ] = False,
) -> None:
    """Balanced Scorecard warehouse: demo data, ingestion, governed measures and the balance report."""
    if debug:
        os.environ[DEBUG_ENV] = "1"
    if company is None:
        return
    company = company.expanduser().resolve()
    if not (company / "scorecard_config").is_dir():
        err_console.print(
            f"[red]error:[/red] {company} is not a company folder: it has no scorecard_config/ "
            "(create one with `scorecard init DIR`)."
        )
        raise typer.Exit(2)
    # Settings are read from the environment, so every command (and Dagster, in process) sees it.
    os.environ[COMPANY_DIR_ENV] = str(company)


def _parse_month(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError as exc:
        raise typer.BadParameter(
            f"{value!r} is not a month; write it as YYYY-MM, e.g. 2026-10", param_hint=option
        ) from exc


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="The new company folder (missing or empty).")],
    name: Annotated[str | None, typer.Option(help="The company's name; default: the folder's name.")] = None,
    end_month: Annotated[
        str | None,
        typer.Option(help="Last month of the sample orders (YYYY-MM); default: the last closed month."),
    ] = None,
) -> None:
    """Create a new company folder that validates and publishes as it is: edit it from there."""
    from orchestration.company import CompanyExistsError, scaffold_company

    try:
        result = scaffold_company(
            directory, company_name=name, last_month=_parse_month(end_month, "--end-month")
        )
    except CompanyExistsError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"Company folder written: {result.company_dir} ({len(result.files)} files)")
    console.print(
        f"Sample orders for {result.first_month:%Y-%m}…{result.last_month:%Y-%m}. Next:\n"
        f"  scorecard --company {result.company_dir} validate\n"
        f"  scorecard --company {result.company_dir} run\n"
        f"  scorecard --company {result.company_dir} report"
    )


@app.command()
def demo(
    seed: Annotated[
        int, typer.Option(help="Random seed: the same seed and options give identical files.")
    ] = 42,
    months: Annotated[int, typer.Option(min=3, help="Months of history, ending with --end-month.")] = 36,
    scale: Annotated[
        float, typer.Option(min=0.01, help="1 = a few thousand accounts; rows grow linearly.")
    ] = 1.0,
    end_month: Annotated[
        str | None, typer.Option(help="Last month of history (YYYY-MM); default: the last closed month.")
    ] = None,
    defect: Annotated[
        list[str] | None,
        typer.Option("--defect", help="Inject a data defect (repeatable); see --list-defects."),
    ] = None,
    list_defects: Annotated[
        bool, typer.Option(help="List the defects that can be injected and exit.")
    ] = False,
    landing_dir: Annotated[
        Path | None,
        typer.Option(help="Where to write the exports; default $SCORECARD_LANDING_DIR or ./landing."),
    ] = None,
) -> None:
    """Generate the demo company's source-system exports into the landing directory."""
    from orchestration.demo import DEFECTS, generate_demo

    if list_defects:
        table = Table("defect", "what it injects", title="Demo defects")
        for name, description in DEFECTS.items():
            table.add_row(name, description)
        console.print(table)
        return
    target = landing_dir or get_settings().landing_dir
    try:
        summary = generate_demo(
            target,
            seed=seed,
            months=months,
            scale=scale,
            end_month=_parse_month(end_month, "--end-month"),
            defects=frozenset(defect or ()),
        )
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table("source table", "files", "rows", title=f"Demo exports written to {target}")
    for name, stats in summary.tables.items():
        table.add_row(name, f"{stats.files:,}", f"{stats.rows:,}")
    console.print(table)


@app.command()
def validate(
    strict: Annotated[bool, typer.Option(help="Treat lint warnings as errors (exit 1).")] = False,
    config_dir: Annotated[
        Path | None, typer.Option(help="Config folder; default $SCORECARD_CONFIG_DIR or ./scorecard_config.")
    ] = None,
) -> None:
    """Validate and lint the scorecard config, sources.yml and the suites in expectations/; list every
    problem with its file, line, entry and fix."""
    from orchestration.config import ValidationReport, format_report, validate_config

    settings = get_settings()
    manifest = settings.dbt_project_dir / "target" / "manifest.json"
    # Config and dbt must agree on the governed measures; that check needs a parsed dbt project, and
    # only applies to the config the dbt project belongs to.
    config_dir = (config_dir or settings.config_dir).resolve()
    check_against_dbt = manifest.exists() and config_dir == settings.config_dir.resolve()
    report = validate_config(config_dir, dbt_manifest=manifest if check_against_dbt else None)
    issues = [*report.issues, *_source_and_suite_issues(settings, config_dir)]
    # A sources.yml that does not parse is said by both checks, in the same words: once is enough.
    report = ValidationReport(report.config_dir, tuple(dict.fromkeys(issues)))
    console.print(format_report(report), highlight=False, markup=False)
    raise typer.Exit(report.exit_code(strict=strict))


def _source_and_suite_issues(settings: Settings, config_dir: Path) -> list[Any]:
    """The Issues of sources.yml and, for the company's own config, of its suites in expectations/."""
    from orchestration.ingestion.registry import RegistryError, load_registry
    from orchestration.quality.suites import SuiteError, load_suite_files

    sources = config_dir / "sources.yml"
    if not sources.exists():
        return []  # the config's check says it is missing
    try:
        registry = load_registry(sources)
    except RegistryError as error:
        return list(error.issues)
    if config_dir != settings.config_dir.resolve():
        return []
    try:
        load_suite_files(registry, settings.expectations_dir)
    except SuiteError as error:
        return list(error.issues)
    return []


@app.command()
def run(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="Refresh this month (YYYY-MM) and the restatement window before it; "
            "default: the last closed month.",
        ),
    ] = None,
    through: Annotated[
        str | None,
        typer.Option(
            "--through",
            help="With --period: backfill every month from --period to this one (YYYY-MM) in one run.",
        ),
    ] = None,
    all_history: Annotated[
        bool,
        typer.Option(
            "--all", help="Refresh every month of history in one run, rebuilding incremental models."
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Run even when nothing changed since the last publication (it would be a no-op)."
        ),
    ] = False,
    restate: Annotated[
        bool,
        typer.Option(
            "--restate",
            help="With --period: recompute every month from --period through the last, so a correction "
            "older than the restatement window reaches the published values (recorded in "
            "scorecard.restatements).",
        ),
    ] = False,
    accept_redelivery: Annotated[
        list[str] | None,
        typer.Option(
            "--accept-redelivery",
            help="Load this re-delivered file (path under the landing directory; globs allowed; repeatable) "
            "even though it holds fewer rows than `redelivery_min_ratio` of the version it replaces: the "
            "rows missing from it are withdrawn. Same as $SCORECARD_ACCEPT_REDELIVERY, for this run.",
        ),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            help="What runs the dbt models: duckdb (default) or spark (needs `pip install -e '.[spark]'` and "
            "Java; the DuckDB file stays the warehouse that is checked and published). Same as "
            "$SCORECARD_ENGINE, for this run.",
        ),
    ] = None,
) -> None:
    """Run the main job in process: validate config, ingest, build and test the warehouse, publish it.

    When no export, config, code or month changed since the last publication covering these months,
    it says so and stops in seconds, leaving the published file untouched (exit 0); --force runs
    anyway. An export named after a month later than the last closed one (a month-to-date export) is
    held until that month closes, and files under a table's landing folder that its location does not
    match are listed with the reason; neither fails the run. Data loaded for a month older than the
    restatement window is reported with the command that restates it (--period M --restate). A
    re-delivered file replaces its earlier version (or adds to it: sources.yml `redelivery`); one with
    far fewer rows is refused unless --accept-redelivery names it, and a removed file's rows are
    withdrawn; the run lists both. A month outside the scorecard or an unreadable
    $SCORECARD_FIRST_MONTH exits with 2 and says why; a run started while another is writing the same
    warehouse or dbt project exits at once with 75 (EX_TEMPFAIL: try again later), naming the run
    that holds the lock.
    """
    from orchestration.config import ConfigError
    from orchestration.run_lock import RunLockedError
    from orchestration.runner import run_main_job
    from orchestration.transform.project import DbtProjectError

    if engine is not None:
        # Read by get_settings(), here and in the assets, which run in this process.
        os.environ[ENGINE_ENV] = engine
    if accept_redelivery:
        # The ingestion assets read settings from the environment when they run, in this process.
        accepted = [os.environ.get(ACCEPT_REDELIVERY_ENV, ""), *accept_redelivery]
        os.environ[ACCEPT_REDELIVERY_ENV] = ",".join(entry for entry in accepted if entry)
    settings = get_settings()
    ensure_dagster_home(settings)
    try:
        outcome = run_main_job(
            settings,
            period=period,
            through=through,
            all_history=all_history,
            console=console,
            force=force,
            restate=restate,
        )
    except RunLockedError as error:
        err_console.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(RUN_LOCKED_EXIT) from error
    except (ValueError, ConfigError, DbtProjectError) as error:
        err_console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error
    if not outcome.success:
        err_console.print(f"[red]The run failed.[/red]\n{escape(outcome.failure_message)}", highlight=False)
        raise typer.Exit(1)
    if outcome.unchanged is not None:
        unchanged = outcome.unchanged
        console.print(
            f"Nothing new since run {unchanged.run_id} published {unchanged.first_month:%Y-%m}…"
            f"{unchanged.last_month:%Y-%m} at {unchanged.published_at:%Y-%m-%d %H:%M} UTC: its "
            f"{unchanged.files_checked} export file(s) are all loaded, and config, code and months are "
            f"the same. Nothing was recomputed; {settings.published_path} is unchanged. "
            "(`scorecard run --force` runs anyway.)",
            highlight=False,
        )
        return
    _summarise_latest_period(settings)


def _summarise_latest_period(settings: Settings) -> None:
    """After a successful run: the balance summary of the latest closed period and its HTML report."""
    from orchestration.report import latest_closed_period, print_balance_summary, render_report

    period = latest_closed_period(settings.published_path)
    console.print()
    print_balance_summary(console, settings.published_path, period=period)
    files = render_report(settings.published_path, period=period, out_dir=settings.reports_dir)
    console.print(f"\nReport for {period}: {files.html}")


@app.command()
def dev(
    port: Annotated[int, typer.Option(help="Port of the Dagster UI.")] = 3000,
) -> None:
    """Start the Dagster UI on 127.0.0.1 with this project's assets, jobs and schedules."""
    settings = get_settings()
    ensure_dagster_home(settings)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster) if dagster.exists() else "dagster", "dev", "-m", "orchestration.definitions"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    console.print(f"Dagster UI: http://127.0.0.1:{port}  (Ctrl+C stops it)")
    raise typer.Exit(subprocess.call(command, env=dict(os.environ)))


@app.command()
def quality(
    period: Annotated[str | None, typer.Option(help="Only reports that judged this month (YYYY-MM).")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many reports to list, newest first.")] = 10,
) -> None:
    """List the runs' data-quality reports (newest first) and what failed in the newest one."""
    from orchestration.quality import list_quality_reports

    month = _parse_month(period, "--period")
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
    scorecard: Annotated[
        str, typer.Option("--scorecard", help="Scorecard id, e.g. a cascade's id from scorecards.yml.")
    ] = "corporate",
    out_dir: Annotated[
        Path | None, typer.Option(help="Where to write the HTML and Markdown; default <warehouse>/reports.")
    ] = None,
) -> None:
    """Render the period report (self-contained HTML and Markdown) from the published scorecard."""
    from orchestration.report import ReportError, latest_closed_period, print_balance_summary, render_report

    settings = get_settings()
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


review_app = typer.Typer(
    name="review",
    help="Strategy reviews: prepare the next meeting's record from the published scorecard.",
    no_args_is_help=True,
)
app.add_typer(review_app)


@review_app.command("prepare")
def review_prepare(
    period: Annotated[str, typer.Option("--period", help="Month the meeting reviews (YYYY-MM).")],
    scorecard: Annotated[
        str, typer.Option("--scorecard", help="Scorecard id, e.g. a cascade's id from scorecards.yml.")
    ] = "corporate",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the draft to this file; default: print it.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="With --output: overwrite an existing file.")
    ] = False,
) -> None:
    """Draft the next meeting's reviews.yml entry from the last published scorecard.

    Its agenda lists the off-track and provisional measures, early warnings, links whose evidence
    contradicts their assumption, overdue actions and milestones and restated values, each with its
    owner; review_date, summary, decisions, failed assumptions and actions are left to fill in. Pasted
    under `reviews:` unchanged, it validates.
    """
    from orchestration.config import load_config
    from orchestration.report import ReportError
    from orchestration.report.review_draft import prepare_review, render_review_yaml

    settings = get_settings()
    if output is not None and output.exists() and not force:
        err_console.print(
            f"[red]error:[/red] {escape(str(output))} exists; pass --force to overwrite it, or choose "
            "another --output.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)
    # The cadence decides whether the entry reviews the month or its fiscal quarter; the config must
    # be valid anyway for the draft to be pasted into it.
    config = load_config(settings.config_dir)
    try:
        entry = prepare_review(
            settings.published_path,
            period=period,
            scorecard_id=scorecard,
            cadence=config.review_cadence.frequency.value,
        )
    except ReportError as error:
        err_console.print(f"[red]error:[/red] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from error
    if any(review.id == entry["id"] for review in config.reviews):
        err_console.print(
            f"[yellow]warning:[/yellow] reviews.yml already has a review {entry['id']}: replace that "
            "entry with this draft rather than adding a second one.",
            highlight=False,
            soft_wrap=True,
        )
    text = render_review_yaml(entry, source=settings.published_path)
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.print(
        f"Draft review {entry['id']} ({len(entry['agenda'])} agenda items) written to {output}",
        highlight=False,
    )


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


if __name__ == "__main__":
    app()
