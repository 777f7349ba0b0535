"""The review draft read from the crafted published marts: chair carried over, restatements, quarters.

The end-to-end path (a real published demo, the CLI, the validate and run round trip) is in
tests/publish/test_review_prepare.py; these cases need rows the small demo does not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from orchestration.report.data import ReportError
from orchestration.report.review_draft import prepare_review, render_review_yaml
from tests.report.helpers import LATEST_PERIOD


def test_the_draft_carries_the_last_chair_and_the_months_restatements(marts_db: Path) -> None:
    entry = prepare_review(marts_db, period=LATEST_PERIOD)
    assert entry["id"] == "review_corporate_2026_09"
    # The chair of the latest held review before 2026-09 (2026-08's); the 2026-09 draft is not held.
    assert entry["chair"] == "Elena Novak, Chief Executive Officer"
    kinds = [item["kind"] for item in entry["agenda"]]
    assert {"off_track_measure", "early_warning", "overdue_action", "restatement"} <= set(kinds)
    # The September refresh restated July's ARR and its fiscal quarter; the measure's owner answers.
    restated = [item for item in entry["agenda"] if item["kind"] == "restatement"]
    assert [item["subject"] for item in restated] == ["arr", "arr"]
    assert {item["owner"] for item in restated} == {"Daniel Okafor, Chief Financial Officer"}
    assert any(
        item["detail"].startswith("Annual recurring revenue for 2026-07 restated from $") for item in restated
    )
    # Findings keep their subject: the overdue action is named by its id.
    overdue = [item for item in entry["agenda"] if item["kind"] == "overdue_action"]
    assert [(item["subject"], item["owner"]) for item in overdue] == [
        ("training_time_policy", "Grace Mbeki, Chief People Officer")
    ]
    # The text pastes under `reviews:` and reads back as the same entry.
    assert yaml.safe_load(render_review_yaml(entry)) == [entry]


def test_a_quarterly_cadence_reviews_the_published_quarter(marts_db: Path) -> None:
    entry = prepare_review(marts_db, period=LATEST_PERIOD, cadence="quarterly")
    assert (entry["id"], entry["period"]) == ("review_corporate_fy2027_q3", "FY2027-Q3")


def test_a_cascade_without_that_month_is_named(marts_db: Path) -> None:
    with pytest.raises(
        ReportError, match="period '2025-09' has no balance report for scorecard 'cs_enterprise'"
    ):
        prepare_review(marts_db, period="2025-09", scorecard_id="cs_enterprise")
