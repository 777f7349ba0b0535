"""``scorecard review prepare``: the next strategy review's draft from the last published scorecard."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from orchestration.cli.app import ScorecardOption, app, console, err_console
from orchestration.settings import get_settings

review_app = typer.Typer(
    name="review",
    help="Strategy reviews: prepare the next meeting's record from the published scorecard.",
    no_args_is_help=True,
)
app.add_typer(review_app)


@review_app.command("prepare")
def review_prepare(
    period: Annotated[str, typer.Option("--period", help="Month the meeting reviews (YYYY-MM).")],
    scorecard: ScorecardOption = None,
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
            scorecard_id=scorecard or config.top_scorecard.id,
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
