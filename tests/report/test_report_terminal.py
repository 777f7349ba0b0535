"""The terminal balance summary: perspectives, overall score, balance and the top findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from orchestration.report import ReportError, print_balance_summary
from tests.report.helpers import LATEST_PERIOD


def _summary(db: Path, **kwargs: object) -> str:
    console = Console(record=True, width=160, color_system=None)
    print_balance_summary(console, db, **kwargs)  # type: ignore[arg-type]
    return console.export_text()


def _row(text: str, first_cell: str) -> list[str]:
    (line,) = [line for line in text.splitlines() if line.startswith(f"│ {first_cell} ")]
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_the_latest_month_by_default_with_every_perspective(marts_db: Path) -> None:
    text = _summary(marts_db)
    assert "Fixture Analytics — corporate scorecard — 2026-09" in text
    assert _row(text, "Financial") == ["Financial", "97", "✓ On track", "2", "1", "1", "0", "0"]
    assert _row(text, "Customer") == ["Customer", "93", "! At risk", "3", "1", "0", "1", "1"]
    assert _row(text, "Internal process") == ["Internal process", "93", "! At risk", "3", "0", "1", "0", "2"]
    # Employee engagement, reported quarterly, is counted as the period report shows it: on track.
    assert _row(text, "Learning and growth") == [
        "Learning and growth",
        "77",
        "✕ Off track",
        "2",
        "1",
        "0",
        "1",
        "0",
    ]
    assert _row(text, "Overall") == ["Overall", "92", "! At risk", "10", "", "", "2", ""]
    assert "Measures: 9 monthly + 1 quarterly. The 1 measure not reported monthly count" in " ".join(
        text.split()
    )
    folded = " ".join(text.split())
    assert (
        "Balance index 80 / 100: imbalanced — Financial is on track (score 97) while Learning and growth"
        in folded
    )


def test_the_top_findings_come_by_severity(marts_db: Path) -> None:
    text = _summary(marts_db, top_findings=3)
    assert "Top findings (3 of 9)" in text
    severities = [
        line.split("│")[1].strip()
        for line in text.splitlines()
        if line.startswith("│ ") and line.split("│")[1].strip() in {"Critical", "Warning", "Info"}
    ]
    assert severities == ["Critical", "Critical", "Warning"]
    assert "6 more findings in the period report." in text


def test_no_findings_table_when_none_are_asked_for(marts_db: Path) -> None:
    text = _summary(marts_db, top_findings=0)
    assert "Top findings" not in text
    assert "9 more findings in the period report." in text


def test_restatements_are_mentioned_with_their_periods(marts_db: Path) -> None:
    assert "Restated: 2 published values of 2026-07, FY2027-Q2 changed since the last report" in " ".join(
        _summary(marts_db).split()
    )
    assert "Restated" not in _summary(marts_db, period="2026-08")


def test_an_explicit_period_and_a_cascade(marts_db: Path) -> None:
    text = _summary(marts_db, period="2026-05", scorecard_id="cs_enterprise")
    assert "Customer Success — Enterprise team — 2026-05" in text
    assert "Financial" not in text.split("Balance index")[0]
    assert _row(text, "Customer")[0] == "Customer"


def test_a_balanced_month_says_so(marts_copy: Path) -> None:
    import duckdb

    con = duckdb.connect(str(marts_copy))
    con.execute("update scorecard.balance_report set is_imbalanced = false, imbalance_reason = null")
    con.execute("delete from scorecard.balance_findings")
    con.close()
    text = _summary(marts_copy)
    assert "Balance index 80 / 100: balanced" in text
    assert "No findings this month." in text


def test_an_unknown_period_is_an_error_listing_months(marts_db: Path) -> None:
    with pytest.raises(ReportError, match=rf"period '2031-01' .* months there: .*{LATEST_PERIOD}"):
        _summary(marts_db, period="2031-01")
