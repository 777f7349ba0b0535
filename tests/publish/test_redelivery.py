"""Re-delivered and removed exports, through real `scorecard run` processes on the published demo.

A month's invoice lines re-delivered with 40% of their rows (cut at a row boundary: valid CSV) is
refused before use, naming the file and both counts, and the published file stays as it was; accepted
with `--accept-redelivery`, the missing 60% are withdrawn, reported, and the margin is recomputed
without them. The complete file re-delivered replaces the cut one; a late file that loaded and is
then removed from the landing zone has its rows withdrawn; the published margin comes back to the
value it had before any of it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.publish.conftest import LAST_MONTH, Deployment
from tests.publish.helpers import published_month_value, sha256, untrusting_margin_config

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
INVOICE_LINES = f"billing/invoice_lines/{LAST_MONTH}.csv"
LATE_LINES = f"billing/invoice_lines/{LAST_MONTH}_late.csv"
LATE_ROWS = 10


def _margin(deployment: Deployment) -> float:
    return published_month_value(deployment.published, "gross_margin", LAST_MONTH)


def _staged_lines(deployment: Deployment) -> int:
    """The month's invoice lines staging passes on (the view reads the warehouse's raw table)."""
    with duckdb.connect(str(deployment.warehouse), read_only=True) as con:
        (schema,) = con.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'stg_billing__invoice_lines'"
        ).fetchone()
        (count,) = con.execute(
            f"SELECT count(*) FROM {schema}.stg_billing__invoice_lines WHERE issued_at >= ?",
            [f"{LAST_MONTH}-01"],
        ).fetchone()
    return count


def _output(deployment: Deployment, log_name: str) -> str:
    return " ".join(deployment.output(log_name).split())  # the console wraps long lines


def test_a_cut_redelivery_is_refused_then_accepted_replaced_and_a_removed_file_is_undone(
    baseline: Deployment, tmp_path: Path
) -> None:
    deployment = baseline.clone(tmp_path / "deployment", own_landing=True)
    # The cut month moves the margin far beyond its usual change: publish it untrusted instead of
    # stopping at the plausibility gate, so the accepted delivery reaches the published file.
    config = untrusting_margin_config(REPO / "scorecard_config", tmp_path / "scorecard_config")

    def run(log_name: str, *args: str) -> int:
        return deployment.start(
            "run", "--period", LAST_MONTH, *args, log_name=log_name, SCORECARD_CONFIG_DIR=str(config)
        ).wait()

    # The ledger knows this landing zone's paths from here on (the clone's files are new paths).
    assert run("settle") == 0, deployment.output("settle")[-4000:]
    margin, published = _margin(deployment), sha256(deployment.published)
    export = deployment.landing / INVOICE_LINES
    full = export.read_text()
    header, *rows = full.splitlines(keepends=True)
    kept = len(rows) * 4 // 10
    assert _staged_lines(deployment) == len(rows) >= 20
    export.write_text(header + "".join(rows[:kept]))

    assert run("refused") == 1
    output = _output(deployment, "refused")
    assert f"re-delivered with {kept:,} of the {len(rows):,} rows of the version loaded " in output
    assert "below the 50% that billing.invoice_lines accepts), so it was not loaded and the earlier" in output
    assert f"`scorecard run --accept-redelivery {INVOICE_LINES}`" in output
    assert "Nothing was published" in output
    assert sha256(deployment.published) == published

    assert run("accepted", "--accept-redelivery", INVOICE_LINES) == 0, deployment.output("accepted")[-4000:]
    output = _output(deployment, "accepted")
    withdrawn = len(rows) - kept
    assert (
        f"billing.invoice_lines: {INVOICE_LINES}: re-delivered with {kept:,} of {len(rows):,} rows; "
        f"{withdrawn:,} rows withdrawn (accepted below the 50% minimum)" in output
    )
    assert _staged_lines(deployment) == kept
    cut_margin = _margin(deployment)
    assert cut_margin < margin - 0.05, (cut_margin, margin)  # the same costs over 40% of the revenue

    # The corrected (complete) file replaces the cut one; a late file adds lines of its own.
    export.write_text(full)
    late = deployment.landing / LATE_LINES
    late.write_text(header + "".join(row.replace(",", "-late,", 1) for row in rows[:LATE_ROWS]))
    assert run("restored") == 0, deployment.output("restored")[-4000:]
    output = _output(deployment, "restored")
    assert f"{INVOICE_LINES}: re-delivered with {len(rows):,} rows (was {kept:,}); it replaces the " in output
    assert _staged_lines(deployment) == len(rows) + LATE_ROWS
    assert _margin(deployment) != pytest.approx(cut_margin)

    # Undo the late file by removing it: its rows stop counting and the margin is what it was.
    late.unlink()
    assert run("removed") == 0, deployment.output("removed")[-4000:]
    output = _output(deployment, "removed")
    assert f"{LATE_LINES} was removed from the landing zone: its {LATE_ROWS} rows are withdrawn" in output
    assert _staged_lines(deployment) == len(rows)
    assert _margin(deployment) == pytest.approx(margin)
