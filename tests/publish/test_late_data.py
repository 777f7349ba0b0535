"""Exports that arrive early, late or malformed, through real `scorecard run` processes on the published demo.

- A month-to-date export of the month after the last closed one is held, not loaded: it neither
  blocks the closed month's refresh nor makes a run with nothing else new do work, and the first run
  whose last month reaches it loads it.
- Files under a table's landing folder that its `location` does not match (a `.csv.gz`, a broken
  symlink) are listed with the reason; dotfiles are noise and are not.
- A corrected export of a month older than the restatement window loads, and the run says the
  published value was not restated and how to restate it; `run --period M --restate` restates it.
"""

from __future__ import annotations

import csv
import gzip
import os
from pathlib import Path

import duckdb
import pytest

from tests.publish.conftest import LAST_MONTH, Deployment
from tests.publish.helpers import published_month_value

pytestmark = pytest.mark.slow

OPEN_MONTH = "2025-06"  # the month after LAST_MONTH, still open as far as the scorecard knows
INVOICES = Path("billing") / "invoices"
OLD_MONTH = "2024-09"  # older than the restatement window of a run for LAST_MONTH (from 2025-02)
CSAT = Path("support") / "csat_responses" / f"{OLD_MONTH}.csv"


def _text(deployment: Deployment, log_name: str) -> str:
    return " ".join(deployment.output(log_name).split())  # the console wraps long lines


def _write_month_to_date_invoices(landing: Path) -> Path:
    """A few invoices of the open month, as an export taken in its first days would hold."""
    source = (landing / INVOICES / f"{LAST_MONTH}.csv").read_text().splitlines()
    rows = [
        line.replace(f"{LAST_MONTH}-31", f"{OPEN_MONTH}-30")
        .replace(f"{LAST_MONTH}-", f"{OPEN_MONTH}-")
        .replace("INV-", "INV-J")
        for line in source[1:6]
    ]
    target = landing / INVOICES / f"{OPEN_MONTH}.csv"
    target.write_text("\n".join([source[0], *rows]) + "\n")
    return target


def _ledger_files(deployment: Deployment) -> set[str]:
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        rows = con.execute("SELECT DISTINCT source_file FROM raw._ingested_files").fetchall()
    # The clone's ledger also holds the baseline's loads, from the baseline's landing zone.
    paths = [Path(row[0]) for row in rows]
    return {
        str(path.relative_to(deployment.landing)) for path in paths if path.is_relative_to(deployment.landing)
    }


def test_an_open_month_export_is_held_and_unmatched_files_are_listed(
    baseline: Deployment, tmp_path: Path
) -> None:
    deployment = baseline.clone(tmp_path / "deployment", own_landing=True)
    invoices = deployment.landing / INVOICES
    _write_month_to_date_invoices(deployment.landing)
    with gzip.open(invoices / "2025-04.csv.gz", "wb") as compressed:
        compressed.write((invoices / "2025-04.csv").read_bytes())
    os.symlink(tmp_path / "nowhere" / "2025-03.csv", invoices / "2025-03_resent.csv")
    (invoices / ".DS_Store").write_bytes(b"\0")

    deployment.run("run", "--period", LAST_MONTH, log_name="held")
    output = _text(deployment, "held")
    assert (
        f"billing.invoices: held until {OPEN_MONTH} closes: billing/invoices/{OPEN_MONTH}.csv — the "
        f"scorecard's last month is {LAST_MONTH}; the first run after {OPEN_MONTH} ends loads it"
    ) in output
    assert (
        "billing.invoices: not loaded: billing/invoices/2025-04.csv.gz — not matched by "
        "billing/invoices/*.csv: a compressed file is not read; decompress it beside the others"
    ) in output
    assert (
        "billing.invoices: not loaded: billing/invoices/2025-03_resent.csv — a broken symlink (it "
        f"points to {tmp_path / 'nowhere' / '2025-03.csv'}, which does not exist)"
    ) in output
    assert ".DS_Store" not in output
    assert f"billing/invoices/{OPEN_MONTH}.csv" not in _ledger_files(deployment)

    # A held export is not new data: the next run has nothing to do (and stops in seconds).
    deployment.run("run", "--period", LAST_MONTH, log_name="nothing")
    assert "Nothing new since run" in _text(deployment, "nothing")

    # Once the scorecard's last month is the open month, a run loads the export. It is judged as
    # that month's delivery (the other June exports are missing here, so the gates stop the
    # publication; loading is what this checks).
    deployment.start("run", "--period", OPEN_MONTH, log_name="closed", SCORECARD_LAST_MONTH=OPEN_MONTH).wait()
    assert "held until" not in _text(deployment, "closed")
    assert f"billing/invoices/{OPEN_MONTH}.csv" in _ledger_files(deployment)


def _csat(deployment: Deployment) -> float:
    return published_month_value(deployment.published, "support_csat", OLD_MONTH)


def _lower_two_scores(path: Path) -> None:
    """The correction: two satisfied responses were in fact unsatisfied."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    score = rows[0].index("score")
    satisfied = [row for row in rows[1:] if int(row[score]) >= 4]
    for row in satisfied[:2]:
        row[score] = "2"
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_a_correction_older_than_the_window_is_reported_then_restated(
    baseline: Deployment, tmp_path: Path
) -> None:
    deployment = baseline.clone(tmp_path / "deployment", own_landing=True)
    as_reported = _csat(deployment)
    _lower_two_scores(deployment.landing / CSAT)

    deployment.run("run", "--period", LAST_MONTH, log_name="corrected")
    output = _text(deployment, "corrected")
    assert (
        f"Loaded but not restated: {CSAT} ({OLD_MONTH}) — older than this run's restatement window "
        "(periods ending from 2025-02 on), so the values published for those months are unchanged. "
        f"`scorecard run --period {OLD_MONTH} --restate` recomputes every month from {OLD_MONTH}"
    ) in output
    assert _csat(deployment) == as_reported

    deployment.run("run", "--period", OLD_MONTH, "--restate", log_name="restated")
    assert "Loaded but not restated" not in _text(deployment, "restated")
    restated = _csat(deployment)
    assert restated == pytest.approx(as_reported - 2 / 15)
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        rows = con.execute(
            "SELECT as_reported_value, restated_value, reason FROM scorecard.restatements "
            "WHERE measure_id = 'support_csat' AND period_grain = 'month' AND period_start = ? "
            "AND segment_dimension = 'all'",
            [f"{OLD_MONTH}-01"],
        ).fetchall()
    assert rows == [(pytest.approx(as_reported), pytest.approx(restated), "data_changed")]
