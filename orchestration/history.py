"""The months a scorecard covers: its first and last month, from the environment or the calendar.

- the first month is ``SCORECARD_FIRST_MONTH`` (``YYYY-MM``) when set; otherwise the 36 months ending
  with the last month, which is exactly the history ``scorecard demo`` writes by default;
- the last month is ``SCORECARD_LAST_MONTH`` when set (replaying a history that ends in the past,
  tests that must not depend on today's date), else the last closed month (the month before today, UTC).

The Dagster partitions (``orchestration.defs.schedules``), the dbt window and the CLI all read them here.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from orchestration.config.periods import LAST_MONTH_ENV, add_months, parse_month

HISTORY_START_ENV = "SCORECARD_FIRST_MONTH"
HISTORY_END_ENV = LAST_MONTH_ENV
DEFAULT_HISTORY_MONTHS = 36
# Monthly partition keys, and every month the CLI and the run records print.
PARTITION_FORMAT = "%Y-%m"


def last_closed_month(today: date | None = None) -> date:
    """The first day of the month before ``today``'s (UTC): the latest month whose books are closed."""
    today = today or datetime.now(UTC).date()
    return add_months(date(today.year, today.month, 1), -1)


def history_end_month(today: date | None = None) -> date:
    """The scorecard's last month: ``SCORECARD_LAST_MONTH``, else the last closed month."""
    configured = os.environ.get(HISTORY_END_ENV, "").strip()
    closed = last_closed_month(today)
    if not configured:
        return closed
    end = parse_month(configured, f"${HISTORY_END_ENV}")
    if end > closed:
        raise ValueError(
            f"${HISTORY_END_ENV} is {end:%Y-%m}, but the last closed month is {closed:%Y-%m}; "
            "a month that has not ended cannot be reported. Unset it or pick an earlier month."
        )
    return end


def history_start_month(today: date | None = None) -> date:
    """The scorecard's first month: ``SCORECARD_FIRST_MONTH``, else the 36 months ending at the last."""
    configured = os.environ.get(HISTORY_START_ENV, "").strip()
    if configured:
        return parse_month(configured, f"${HISTORY_START_ENV}")
    return add_months(history_end_month(today), 1 - DEFAULT_HISTORY_MONTHS)
