"""The ``scorecard`` typer app: the error net under every command, the global options, shared helpers."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from orchestration.errors import DEBUG_ENV, IN_USE_EXIT, debug_enabled, explain
from orchestration.settings import COMPANY_DIR_ENV, Settings, get_settings

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


def parse_month_option(value: str | None, option: str) -> date | None:
    """A ``YYYY-MM`` option's month, or typer's usage error naming the option."""
    if value is None:
        return None
    # Imported here: the config package costs ~0.4 s, and `scorecard --help` should not pay it.
    from orchestration.config.periods import parse_month

    try:
        return parse_month(value, option)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint=option) from exc


# --scorecard of the commands that show one scorecard; None stands for top_scorecard_id.
ScorecardOption = Annotated[
    str | None,
    typer.Option(
        "--scorecard",
        help="Scorecard id, e.g. a cascade's from scorecards.yml; default: the company's own "
        "(the one without a parent).",
    ),
]


def top_scorecard_id(settings: Settings) -> str:
    """The company's own scorecard (no parent in scorecards.yml): what commands show by default."""
    from orchestration.config import load_config

    return load_config(settings.config_dir).top_scorecard.id
