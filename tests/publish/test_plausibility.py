"""The plausibility gate, through real `scorecard run` processes on the published demo.

One invoice line of 1e15 (a valid decimal(18,2)) in the last month's export moves gross margin to
~100%: the gate must stop the run before publishing and name the file and row; removing the bad
value and re-running publishes again. A measure whose gate says `untrust` publishes the same period
untrusted instead, with the reason in its trust note.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from tests.publish.conftest import LAST_MONTH, Deployment
from tests.publish.helpers import published_month_value, untrusting_margin_config

REPO = Path(__file__).resolve().parents[2]
INVOICE_LINES = Path("billing") / "invoice_lines" / f"{LAST_MONTH}.csv"
WILD_AMOUNT = "1000000000000000.00"
WILD_ROW = 40  # a data row (1-based, the header not counted), as the loader numbers source rows


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _set_amount(path: Path, row_number: int, amount: str) -> str:
    """Write ``amount`` into data row ``row_number`` of the export; return the amount it replaced."""
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("amount")
    before = rows[row_number][column]
    rows[row_number][column] = amount
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return before


def _run(deployment: Deployment, log_name: str, **env: str) -> int:
    return deployment.start("run", "--period", LAST_MONTH, log_name=log_name, **env).wait()


def test_a_wild_invoice_line_stops_the_run_and_names_the_row(baseline: Deployment, tmp_path: Path) -> None:
    deployment = baseline.clone(tmp_path / "deployment", own_landing=True)
    published = _digest(deployment.published)
    export = deployment.landing / INVOICE_LINES
    original = _set_amount(export, WILD_ROW, WILD_AMOUNT)

    assert _run(deployment, "wild") == 1
    output = " ".join(deployment.output("wild").split())  # the console wraps long lines
    assert "check failed: scorecard/measure_values plausibility (ERROR)" in output
    assert f"Gross margin for {LAST_MONTH} moved from " in output
    assert "robust standard deviations from its usual change (limit 10.0)" in output
    assert f"billing.invoice_lines {INVOICE_LINES} row {WILD_ROW}: amount = 1e+15" in output
    assert "raise `max_jump` in `plausibility:` of gross_margin in measures.yml" in output
    assert "Nothing was published" in output
    assert _digest(deployment.published) == published

    # The corrected export is a new delivery of the file: its rows supersede the wild one.
    _set_amount(export, WILD_ROW, original)
    assert _run(deployment, "corrected") == 0, deployment.output("corrected")[-4000:]
    assert 0.5 < published_month_value(deployment.published, "gross_margin", LAST_MONTH) < 0.9


def test_an_untrust_gate_publishes_the_period_untrusted(baseline: Deployment, tmp_path: Path) -> None:
    deployment = baseline.clone(tmp_path / "deployment", own_landing=True)
    config = untrusting_margin_config(REPO / "scorecard_config", tmp_path / "scorecard_config")
    _set_amount(deployment.landing / INVOICE_LINES, WILD_ROW, WILD_AMOUNT)

    status = _run(deployment, "untrust", SCORECARD_CONFIG_DIR=str(config))
    assert status == 0, deployment.output("untrust")[-4000:]
    assert "scorecard/measure_values plausibility (WARN)" in deployment.output("untrust")
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        rows = con.execute(
            "SELECT DISTINCT period_grain, status, is_trusted, trust_note FROM scorecard.scorecard "
            "WHERE measure_id = 'gross_margin' AND segment_dimension = 'all' "
            "AND period_start <= ? AND period_end >= ? ORDER BY period_grain",
            [f"{LAST_MONTH}-01", f"{LAST_MONTH}-01"],
        ).fetchall()
    # The month, and the quarter and year that contain it.
    assert {grain for grain, *_ in rows} == {"month", "quarter", "year"}
    for _grain, status_value, is_trusted, note in rows:
        assert (status_value, is_trusted) == ("untrusted", False)
        assert f"implausible value: Gross margin for {LAST_MONTH} moved from " in note


def test_the_demo_history_is_plausible(baseline: Deployment) -> None:
    """The baseline run published with the gate passed: the demo's normal history is plausible."""
    with duckdb.connect(str(baseline.published), read_only=True) as con:
        (count,) = con.execute(
            "SELECT count(*) FROM scorecard.scorecard WHERE trust_note LIKE '%implausible value%'"
        ).fetchone()
    assert count == 0
    output = baseline.output("baseline")
    assert "scorecard/measure_values_plausibility (1 check(s))" in output  # the gate ran
    assert "check failed" not in output
