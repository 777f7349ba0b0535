"""The months a dbt build covers: its environment, its restatement window, the partitions it recomputed.

Pure functions of the partitions asked for and what the warehouse already holds, kept apart from the
dbt assets so the CLI can reason about a run's months without loading dagster-dbt.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from orchestration.config.periods import add_months
from orchestration.history import PARTITION_FORMAT
from orchestration.publish.wap import RunWindow
from orchestration.settings import get_settings

# The months a build covers, as the engine's macro build_var reads them while dbt executes (a
# hand-run dbt passes the vars of the same names instead). Environment variables, not --vars: dbt
# re-parses the whole project whenever --vars change, and a scheduled run covers a new month each time.
VAR_WINDOW = "restatement_window_months"
ENV_FIRST_MONTH = "SCORECARD_BUILD_FIRST_MONTH"
ENV_LAST_MONTH = "SCORECARD_BUILD_LAST_MONTH"
ENV_WINDOW = "SCORECARD_BUILD_RESTATEMENT_WINDOW_MONTHS"
# The run that computes the values (read by the measure_value_history snapshot), for the same reason.
ENV_RUN_ID = "SCORECARD_RUN_ID"
ENV_RUN_SEQ = "SCORECARD_RUN_SEQ"
# Rows loaded up to this UTC moment passed the same tests in a published build: the company's tests
# marked for it (scorecard_engine macros/generic_tests/new_rows.sql) test only the rows loaded after it.
ENV_TESTED_THROUGH = "SCORECARD_BUILD_TESTED_THROUGH"


def default_restatement_window(project_dir: Path, engine_dir: Path | None = None) -> int:
    """``restatement_window_months``: months restated behind each period.

    The company's dbt_project.yml may set it (a root project's vars apply to the engine package too);
    otherwise the engine's dbt_project.yml default holds.
    """
    value: Any = None
    source = project_dir / "dbt_project.yml"
    for candidate in (project_dir, engine_dir or get_settings().engine_dbt_dir):
        document = yaml.safe_load((candidate / "dbt_project.yml").read_text()) or {}
        if VAR_WINDOW in (document.get("vars") or {}):
            value, source = document["vars"][VAR_WINDOW], candidate / "dbt_project.yml"
            break
    if value is None:
        value = 3
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(
            f"{source}: vars.{VAR_WINDOW} is {value!r}; set it to a whole number of months (0 or more)."
        )
    return value


def _months_between(first: date, last: date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def dbt_window(
    *,
    history_start: date,
    range_start: date,
    range_end: date,
    restatement_window: int,
    latest_built_month: date | None,
    full_refresh: bool = False,
    first_build: bool = False,
) -> RunWindow:
    """The months dbt builds for a partition range: the window always reaches today's scorecard.

    ``range_start`` … ``range_end`` are the partitions asked for. The scorecard's last month is the
    range end or, when later months are already built, the latest built month: recomputing an old
    month must never cut the quarter or fiscal year containing it at that month (they would be
    published as partial periods). Every period ending on or after ``range_start - restatement
    window`` is recomputed, so a single month M restates M and the N months before it, exactly what the
    monthly schedule asks for; months skipped since the latest built one are added to the window. A
    full refresh recomputes everything from ``history_start``, and so does a warehouse's
    ``first_build``: dbt creates the incremental models whole, so every month is computed and the
    window says so (the snapshots are not rebuilt, as no ``--full-refresh`` is passed).
    """
    last = max(range_end, latest_built_month) if latest_built_month else range_end
    # Months between the latest built one and the range (a schedule that missed runs) are built too.
    start = range_start
    if latest_built_month and latest_built_month < range_start:
        start = add_months(latest_built_month, 1)
    if full_refresh or first_build:
        window = _months_between(history_start, last)
    else:
        window = _months_between(start, last) + restatement_window
    return RunWindow(
        first_month=history_start,
        last_month=last,
        restatement_window_months=window,
        full_refresh=full_refresh,
    )


def dbt_build_env(
    window: RunWindow, run_id: str, run_seq: int, tested_through: datetime | None = None
) -> dict[str, str | None]:
    """The environment of a build for ``window``, stamped with the run that computes the values.

    ``tested_through`` (``publish.wap.tested_through``): rows loaded up to then need no new test.
    None unsets a variable (the macro then falls back to the var's default; every row is tested).
    """
    return {
        ENV_TESTED_THROUGH: None
        if tested_through is None or window.full_refresh
        else tested_through.isoformat(sep=" ", timespec="microseconds"),
        ENV_FIRST_MONTH: window.first_month.strftime(PARTITION_FORMAT) if window.first_month else None,
        ENV_LAST_MONTH: window.last_month.strftime(PARTITION_FORMAT) if window.last_month else None,
        ENV_WINDOW: None
        if window.restatement_window_months is None
        else str(window.restatement_window_months),
        ENV_RUN_ID: run_id,
        ENV_RUN_SEQ: str(run_seq),
    }
