"""`scorecard review prepare` on the published demo: the draft, its agenda, the round trip, the errors.

The draft is read from the file `scorecard run` published (the session's baseline, through 2025-05),
by real CLI processes. Pasted unchanged into reviews.yml it validates, and a real run publishes it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.config.models import AgendaKind
from orchestration.errors import USER_ERROR_EXIT
from orchestration.settings import REPO_ROOT
from tests.publish.conftest import LAST_MONTH, Deployment

pytestmark = pytest.mark.slow

FINDING_KINDS = (
    "off_track_measure",
    "early_warning",
    "contradicted_assumption",
    "overdue_action",
    "overdue_milestone",
)
KIND_ORDER = [kind.value for kind in AgendaKind]


def _prepare(deployment: Deployment, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("scorecard")), "review", "prepare", *args]
    return subprocess.run(command, env=deployment.env(**env), capture_output=True, text=True, check=False)


def _rows(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _entry(text: str) -> dict:
    """The one review entry of a draft (a YAML list item indented to sit under `reviews:`)."""
    (entry,) = yaml.safe_load(text)
    return entry


def test_the_draft_lists_the_published_agenda_with_owners(baseline: Deployment) -> None:
    result = _prepare(baseline, "--period", LAST_MONTH)
    assert result.returncode == 0, result.stderr
    entry = _entry(result.stdout)
    assert list(entry) == [
        "id",
        "scorecard",
        "period",
        "review_date",
        "chair",
        "summary",
        "agenda",
        "decisions",
        "failed_assumptions",
        "actions",
    ]
    assert entry["id"] == "review_corporate_2025_05"
    assert (entry["scorecard"], entry["period"], entry["review_date"]) == ("corporate", LAST_MONTH, None)
    # No review of the corporate scorecard is published before 2025-05: no chair to carry over.
    assert (entry["chair"], entry["summary"]) == ("", "")
    assert entry["decisions"] == entry["failed_assumptions"] == entry["actions"] == []
    agenda = entry["agenda"]
    assert agenda and all(item["owner"] and item["detail"] for item in agenda)
    # Exactly the month's published findings of the agenda's kinds, and the provisional months.
    findings = _rows(
        baseline.published,
        "select finding_type, subject, owner, message from scorecard.balance_findings "
        "where scorecard_id = 'corporate' and period_grain = 'month' and period_start = date '2025-05-01' "
        f"and finding_type in {FINDING_KINDS}",
    )
    provisional = _rows(
        baseline.published,
        "select 'provisional_measure', measure_id, owner from scorecard.scorecard "
        "where scorecard_id = 'corporate' and period_grain = 'month' and status = 'provisional'",
    )
    assert findings and provisional
    drafted = [(item["kind"], item["subject"], item["owner"]) for item in agenda]
    assert sorted(drafted) == sorted([row[:3] for row in findings] + provisional)
    assert {(item["kind"], item["detail"]) for item in agenda} >= {(row[0], row[3]) for row in findings}
    # Sorted by kind, then subject; the same file gives the same text.
    assert drafted == sorted(drafted, key=lambda item: (KIND_ORDER.index(item[0]), item[1]))
    assert _prepare(baseline, "--period", LAST_MONTH).stdout == result.stdout


def test_the_draft_pasted_into_reviews_yml_validates_and_publishes(
    baseline: Deployment, tmp_path: Path
) -> None:
    deployment = baseline.clone(tmp_path / "deployment")
    draft = tmp_path / "draft.yml"
    result = _prepare(deployment, "--period", LAST_MONTH, "--output", str(draft))
    assert result.returncode == 0, result.stderr
    agenda_items = len(_entry(draft.read_text())["agenda"])
    config = tmp_path / "scorecard_config"
    shutil.copytree(REPO_ROOT / "scorecard_config", config)
    reviews = config / "reviews.yml"
    reviews.write_text(reviews.read_text() + "\n" + draft.read_text())

    validate = subprocess.run(
        [str(Path(sys.executable).with_name("scorecard")), "validate", "--config-dir", str(config)],
        env=deployment.env(SCORECARD_CONFIG_DIR=str(config)),
        capture_output=True,
        text=True,
        check=False,
    )
    assert validate.returncode == 0, validate.stdout + validate.stderr

    run = deployment.start(
        "run", "--period", LAST_MONTH, log_name="with_draft", SCORECARD_CONFIG_DIR=str(config)
    )
    assert run.wait() == 0, deployment.output("with_draft")[-6000:]
    published = _rows(
        deployment.published,
        "select review_date, is_held, agenda_items, decisions, actions from scorecard.reviews "
        "where review_id = 'review_corporate_2025_05'",
    )
    assert published == [(None, False, agenda_items, 0, 0)]
    # Preparing again from the new publication names the entry already in reviews.yml.
    again = _prepare(deployment, "--period", LAST_MONTH, SCORECARD_CONFIG_DIR=str(config))
    assert again.returncode == 0, again.stderr
    assert "already has a review review_corporate_2025_05" in again.stderr


def test_output_is_not_overwritten_without_force(baseline: Deployment, tmp_path: Path) -> None:
    target = tmp_path / "draft.yml"
    target.write_text("# the owner's notes\n")
    refused = _prepare(baseline, "--period", LAST_MONTH, "--output", str(target))
    assert refused.returncode == USER_ERROR_EXIT
    assert "exists; pass --force to overwrite it" in refused.stderr
    assert target.read_text() == "# the owner's notes\n"
    forced = _prepare(baseline, "--period", LAST_MONTH, "--output", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert _entry(target.read_text())["id"] == "review_corporate_2025_05"


def test_an_unknown_period_or_scorecard_says_what_there_is(baseline: Deployment) -> None:
    month = _prepare(baseline, "--period", "2031-01")
    assert month.returncode == USER_ERROR_EXIT
    assert "period '2031-01' has no balance report for scorecard 'corporate'" in month.stderr
    assert "2025-05" in month.stderr  # the months there are listed
    scorecard = _prepare(baseline, "--period", LAST_MONTH, "--scorecard", "no_such_card")
    assert scorecard.returncode == USER_ERROR_EXIT
    assert "scorecard 'no_such_card' is not in" in scorecard.stderr
    assert "corporate" in scorecard.stderr.split("scorecards there:")[1]
    malformed = _prepare(baseline, "--period", "May 2025")
    assert malformed.returncode == USER_ERROR_EXIT
    assert "write a month as YYYY-MM" in malformed.stderr
