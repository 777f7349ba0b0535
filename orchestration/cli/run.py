"""``scorecard run``: the main job in process, and what it prints after."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from orchestration.settings import (
    ACCEPT_REDELIVERY_ENV,
    ENGINE_ENV,
    Settings,
    ensure_dagster_home,
    get_settings,
)

if TYPE_CHECKING:
    from orchestration.freshness import Unchanged
from orchestration.cli.app import RUN_LOCKED_EXIT, app, console, err_console, top_scorecard_id

# `scorecard run`'s options, declared apart so the command reads as what it does.
_RunPeriod = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="Refresh this month (YYYY-MM) and the restatement window before it; "
        "default: the last closed month.",
    ),
]
_RunThrough = Annotated[
    str | None,
    typer.Option(
        "--through",
        help="With --period: backfill every month from --period to this one (YYYY-MM) in one run.",
    ),
]
_RunAllHistory = Annotated[
    bool,
    typer.Option("--all", help="Refresh every month of history in one run, rebuilding incremental models."),
]
_RunForce = Annotated[
    bool,
    typer.Option(
        "--force", help="Run even when nothing changed since the last publication (it would be a no-op)."
    ),
]
_RunRestate = Annotated[
    bool,
    typer.Option(
        "--restate",
        help="With --period: recompute every month from --period through the last, so a correction "
        "older than the restatement window reaches the published values (recorded in "
        "scorecard.restatements).",
    ),
]
_RunAcceptRedelivery = Annotated[
    list[str] | None,
    typer.Option(
        "--accept-redelivery",
        help="Load this re-delivered file (path under the landing directory; globs allowed; repeatable) "
        "even though it holds fewer rows than `redelivery_min_ratio` of the version it replaces: the "
        "rows missing from it are withdrawn. Same as $SCORECARD_ACCEPT_REDELIVERY, for this run.",
    ),
]
_RunEngine = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="What runs the dbt models: duckdb (default) or spark (needs `pip install -e '.[spark]'` and "
        "Java; the DuckDB file stays the warehouse that is checked and published). Same as "
        "$SCORECARD_ENGINE, for this run.",
    ),
]


@app.command()
def run(
    period: _RunPeriod = None,
    through: _RunThrough = None,
    all_history: _RunAllHistory = False,
    force: _RunForce = False,
    restate: _RunRestate = False,
    accept_redelivery: _RunAcceptRedelivery = None,
    engine: _RunEngine = None,
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
    from orchestration.runner import RunRequest, run_main_job
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
        request = RunRequest(period=period, through=through, all_history=all_history, restate=restate)
        outcome = run_main_job(settings, request, console=console, force=force)
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
        _say_unchanged(outcome.unchanged, settings)
        return
    _summarise_latest_period(settings)


def _say_unchanged(unchanged: Unchanged, settings: Settings) -> None:
    """What a run that found nothing new since the last publication prints (``freshness.Unchanged``)."""
    console.print(
        f"Nothing new since run {unchanged.run_id} published {unchanged.first_month:%Y-%m}…"
        f"{unchanged.last_month:%Y-%m} at {unchanged.published_at:%Y-%m-%d %H:%M} UTC: its "
        f"{unchanged.files_checked} export file(s) are all loaded, and config, code and months are "
        f"the same. Nothing was recomputed; {settings.published_path} is unchanged. "
        "(`scorecard run --force` runs anyway.)",
        highlight=False,
    )


def _summarise_latest_period(settings: Settings) -> None:
    """After a successful run: the balance summary of the latest closed period and its HTML report."""
    from orchestration.report import latest_closed_period, print_balance_summary, render_report

    period = latest_closed_period(settings.published_path)
    scorecard = top_scorecard_id(settings)
    console.print()
    print_balance_summary(console, settings.published_path, period=period, scorecard_id=scorecard)
    files = render_report(
        settings.published_path, period=period, scorecard_id=scorecard, out_dir=settings.reports_dir
    )
    console.print(f"\nReport for {period}: {files.html}")
