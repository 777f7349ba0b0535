"""Commands that set a company up and look at it before a run: init, demo, validate, dev."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from orchestration.cli.app import app, console, err_console, parse_month_option
from orchestration.settings import (
    Settings,
    ensure_dagster_home,
    get_settings,
)


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
            directory, company_name=name, last_month=parse_month_option(end_month, "--end-month")
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
            end_month=parse_month_option(end_month, "--end-month"),
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
def dev(
    port: Annotated[int, typer.Option(help="Port of the Dagster UI.")] = 3000,
) -> None:
    """Start the Dagster UI on 127.0.0.1 with this project's assets, jobs and schedules."""
    from orchestration.defs.definitions import build_definitions

    settings = get_settings()
    # Load what the Dagster code location loads, here first: an invalid config, sources.yml, suite or
    # dbt project is listed in the terminal (exit 2) instead of starting a UI whose location is broken.
    build_definitions(settings)
    ensure_dagster_home(settings)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster) if dagster.exists() else "dagster", "dev", "-m", "orchestration.defs.definitions"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    console.print(f"Dagster UI: http://127.0.0.1:{port}  (Ctrl+C stops it)")
    raise typer.Exit(subprocess.call(command, env=dict(os.environ)))
