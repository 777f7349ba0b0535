"""Reporting periods as the config spells them, resolved to calendar dates.

Periods are calendar months (UTC). Quarters and years are *fiscal*: a fiscal year starts on the first
day of ``fiscal_year_start_month`` and is named after the calendar year in which it ends (with a
February start, FY2026 runs 2025-02-01 … 2026-01-31; with a January start FY2026 is calendar 2026).
Fiscal quarter Q1 starts with the fiscal year; each quarter is three months.

Config spellings:

- a month: ``2024-03``
- a fiscal quarter: ``FY2025-Q1``
- a fiscal year: ``FY2025``

Everything written to the warehouse is a ``period_start`` / ``period_end`` date pair, so dbt never has
to re-implement this naming.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Grain(StrEnum):
    """The grain of a period. Measures report monthly or quarterly; targets may be set for a year."""

    month = "month"
    quarter = "quarter"
    year = "year"


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period: its first and last day and how the config spells it."""

    start: date
    end: date
    grain: Grain
    label: str


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_OPTION = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^FY(\d{4})-Q(\d+)$", re.IGNORECASE)
_YEAR = re.compile(r"^FY(\d{4})$", re.IGNORECASE)


def parse_month(text: str, where: str) -> date:
    """A month given on the command line, in an environment variable or a partition key (``YYYY-MM``)
    → its first day; ``ValueError`` naming ``where`` and the expected form otherwise. Every caller turns
    that into its own error type, so a month is read, and a bad one explained, the same way everywhere
    (config periods, which also spell quarters and years, are ``parse_period``'s)."""
    match = _MONTH_OPTION.match(str(text).strip())
    if not match:
        raise ValueError(f"{where} is {text!r}; write a month as YYYY-MM, e.g. 2024-01.")
    return date(int(match.group(1)), int(match.group(2)), 1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return add_months(day, 1) - timedelta(days=1)


def fiscal_year_start(fiscal_year: int, fy_start_month: int) -> date:
    """First day of fiscal year ``fiscal_year`` (named by the calendar year it ends in)."""
    return date(fiscal_year if fy_start_month == 1 else fiscal_year - 1, fy_start_month, 1)


def fiscal_year_of(day: date, fy_start_month: int) -> int:
    """The fiscal year (named by its end year) that contains ``day``."""
    if fy_start_month == 1:
        return day.year
    return day.year + 1 if day.month >= fy_start_month else day.year


def month_period(day: date) -> Period:
    """The month containing ``day``."""
    start = date(day.year, day.month, 1)
    return Period(start, month_end(start), Grain.month, f"{start.year:04d}-{start.month:02d}")


def quarter_period(day: date, fy_start_month: int) -> Period:
    """The fiscal quarter containing ``day``."""
    fiscal_year = fiscal_year_of(day, fy_start_month)
    fy_start = fiscal_year_start(fiscal_year, fy_start_month)
    months_in = (day.year * 12 + day.month) - (fy_start.year * 12 + fy_start.month)
    quarter = months_in // 3 + 1
    start = add_months(fy_start, (quarter - 1) * 3)
    return Period(
        start, add_months(start, 3) - timedelta(days=1), Grain.quarter, f"FY{fiscal_year}-Q{quarter}"
    )


def year_period(fiscal_year: int, fy_start_month: int) -> Period:
    """Fiscal year ``fiscal_year``."""
    start = fiscal_year_start(fiscal_year, fy_start_month)
    return Period(start, add_months(start, 12) - timedelta(days=1), Grain.year, f"FY{fiscal_year}")


def period_containing(day: date, grain: Grain, fy_start_month: int) -> Period:
    """The period of ``grain`` that contains ``day``."""
    if grain is Grain.month:
        return month_period(day)
    if grain is Grain.quarter:
        return quarter_period(day, fy_start_month)
    return year_period(fiscal_year_of(day, fy_start_month), fy_start_month)


def parse_period(text: str, fy_start_month: int) -> Period:
    """Resolve a config period spelling; raise ``ValueError`` with a user-facing reason otherwise."""
    value = str(text).strip()
    if match := _MONTH.match(value):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"`{value}` names month {month}, which does not exist (months run 01-12)")
        return month_period(date(year, month, 1))
    if match := _QUARTER.match(value):
        fiscal_year, quarter = int(match.group(1)), int(match.group(2))
        if not 1 <= quarter <= 4:
            raise ValueError(f"`{value}` names quarter {quarter}, which does not exist (quarters run Q1-Q4)")
        start = add_months(fiscal_year_start(fiscal_year, fy_start_month), (quarter - 1) * 3)
        return quarter_period(start, fy_start_month)
    if match := _YEAR.match(value):
        return year_period(int(match.group(1)), fy_start_month)
    raise ValueError(
        f"`{value}` is not a period: write a month as `2024-03`, a fiscal quarter as `FY2025-Q1` "
        "or a fiscal year as `FY2025`"
    )


def periods_between(first: Period, last: Period, grain: Grain, fy_start_month: int) -> list[Period]:
    """Every period of ``grain`` whose start lies in ``[first.start, last.end]``, in order."""
    step = {Grain.month: 1, Grain.quarter: 3, Grain.year: 12}[grain]
    current = period_containing(first.start, grain, fy_start_month)
    if current.start < first.start:
        current = period_containing(add_months(current.start, step), grain, fy_start_month)
    result: list[Period] = []
    while current.start <= last.end:
        result.append(current)
        current = period_containing(add_months(current.start, step), grain, fy_start_month)
    return result


# Pins the scorecard's last month (YYYY-MM) for runs, and so the "current period" of the config lints.
LAST_MONTH_ENV = "SCORECARD_LAST_MONTH"


def reporting_day(today: date | None = None) -> date:
    """The day the config's "current period" is judged from.

    ``today`` when given; else, when ``SCORECARD_LAST_MONTH`` pins the scorecard's last month, the
    first day after it (so that month is the last closed one, as in the run); else the real date. An
    unreadable value falls back to the real date: the run reports it.
    """
    if today is not None:
        return today
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-\d{2})?", os.environ.get(LAST_MONTH_ENV, "").strip())
    if match and 1 <= int(match.group(2)) <= 12:
        return add_months(date(int(match.group(1)), int(match.group(2)), 1), 1)
    return date.today()


def last_closed_month(today: date) -> Period:
    """The most recent calendar month that has fully ended on ``today``."""
    return month_period(add_months(date(today.year, today.month, 1), -1))


def last_closed_period(today: date, grain: Grain, fy_start_month: int) -> Period:
    """The latest period of ``grain`` that ended on or before the last closed month."""
    closed = last_closed_month(today)
    candidate = period_containing(closed.start, grain, fy_start_month)
    if candidate.end > closed.end:
        step = {Grain.month: 1, Grain.quarter: 3, Grain.year: 12}[grain]
        candidate = period_containing(add_months(candidate.start, -step), grain, fy_start_month)
    return candidate
