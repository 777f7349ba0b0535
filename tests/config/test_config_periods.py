"""Fiscal periods: named by the year they end in, quarters counted from the fiscal year start."""

from __future__ import annotations

from datetime import date

import pytest

from orchestration.config.periods import (
    Grain,
    last_closed_month,
    last_closed_period,
    parse_period,
    periods_between,
)


@pytest.mark.parametrize(
    ("text", "fy_start", "start", "end", "grain", "label"),
    [
        ("2024-03", 2, date(2024, 3, 1), date(2024, 3, 31), Grain.month, "2024-03"),
        ("2024-2", 2, date(2024, 2, 1), date(2024, 2, 29), Grain.month, "2024-02"),
        ("FY2026", 2, date(2025, 2, 1), date(2026, 1, 31), Grain.year, "FY2026"),
        ("FY2026", 1, date(2026, 1, 1), date(2026, 12, 31), Grain.year, "FY2026"),
        ("FY2026-Q4", 2, date(2025, 11, 1), date(2026, 1, 31), Grain.quarter, "FY2026-Q4"),
        ("fy2025-q1", 4, date(2024, 4, 1), date(2024, 6, 30), Grain.quarter, "FY2025-Q1"),
    ],
)
def test_parse_period(text: str, fy_start: int, start: date, end: date, grain: Grain, label: str) -> None:
    period = parse_period(text, fy_start)
    assert (period.start, period.end, period.grain, period.label) == (start, end, grain, label)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "`2024-13` names month 13, which does not exist (months run 01-12)"),
        ("FY2024-Q5", "`FY2024-Q5` names quarter 5, which does not exist (quarters run Q1-Q4)"),
        (
            "2024-Q1",
            "`2024-Q1` is not a period: write a month as `2024-03`, a fiscal quarter as `FY2025-Q1` or a "
            "fiscal year as `FY2025`",
        ),
    ],
)
def test_impossible_periods_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_period(text, 2)
    assert str(raised.value) == message


def test_last_closed_periods_as_of_the_demo_date() -> None:
    today = date(2026, 11, 27)
    assert last_closed_month(today).label == "2026-10"
    assert (
        last_closed_period(today, Grain.quarter, 2).label == "FY2027-Q3"
    )  # Aug-Oct 2026 closed with October
    assert (
        last_closed_period(date(2026, 10, 5), Grain.quarter, 2).label == "FY2027-Q2"
    )  # Sep: Aug-Oct still open


def test_periods_between_spans_whole_quarters() -> None:
    quarters = periods_between(parse_period("2023-01", 2), parse_period("2023-06", 2), Grain.quarter, 2)
    assert [q.label for q in quarters] == ["FY2024-Q1", "FY2024-Q2"]  # Feb-Apr, May-Jul (start inside range)
