"""A measure's life through real monthly runs: a provisional month matures, a measure retires, a
definition changes, and the published history stays as it was reported.

One deployment is published for 2025-05 with June's exports held back, then refreshed for 2025-06
when they arrive (the scheduled monthly run); a clone then retires a measure and versions a
definition in its config and runs the same month again. Every step is a real ``scorecard run``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.demo import generate_demo
from tests.publish.conftest import DEMO_SCALE, DEMO_SEED, Deployment
from tests.publish.helpers import hold_back

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MAY, JUNE = "2025-05", "2025-06"
COHORT = "measure_id = 'onboarding_completion_rate' AND period_grain = 'month'"
RETIRED_ON = date(2025, 4, 1)
OLD_CSAT_DEFINITION = "Share of CSAT survey answers of 4 or 5 in the period."


def _run(deployment: Deployment, month: str, log_name: str, **env: str) -> None:
    """``scorecard run --period <month>`` with that month as the scorecard's last, as the schedule runs it."""
    process = deployment.start("run", "--period", month, log_name=log_name, SCORECARD_LAST_MONTH=month, **env)
    if process.wait() != 0:
        pytest.fail(f"scorecard run --period {month} failed:\n{deployment.output(log_name)[-6000:]}")


def _rows(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@dataclass(frozen=True)
class Months:
    """The deployment after its May run (published file copied aside) and after its June run."""

    deployment: Deployment
    may_published: Path


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory) -> Months:
    root = tmp_path_factory.mktemp("lifecycle")
    deployment = Deployment(root / "deployment")
    generate_demo(deployment.landing, seed=DEMO_SEED, months=16, scale=DEMO_SCALE, end_month=date(2025, 6, 1))
    held = hold_back(deployment.landing, JUNE, root / "held")
    assert held, f"the demo should export per-month files for {JUNE}"
    _run(deployment, MAY, "may")
    may_published = root / "may_published.duckdb"
    shutil.copyfile(deployment.published, may_published)
    for path in held:
        shutil.move(root / "held" / path.relative_to(deployment.landing), path)
    _run(deployment, JUNE, "june")
    return Months(deployment, may_published)


def test_the_latest_cohort_is_provisional_and_matures_the_next_month(months: Months) -> None:
    company = f"{COHORT} AND segment_dimension = 'all' AND scorecard_id = 'corporate'"
    may_row = (
        f"SELECT actual, status, score, is_provisional, matures_on FROM scorecard.scorecard WHERE {company}"
    )
    # Published for May: May's cohort has not had its 30 days, April's has (they ended on 31 May).
    ((as_reported, status, score, provisional, matures_on),) = _rows(
        months.may_published, may_row + " AND period_start = DATE '2025-05-01'"
    )
    assert (status, score, provisional, matures_on) == ("provisional", None, True, date(2025, 6, 30))
    ((april_status, april_provisional),) = _rows(
        months.may_published,
        f"SELECT status, is_provisional FROM scorecard.scorecard WHERE {company} "
        "AND period_start = DATE '2025-04-01'",
    )
    assert april_status != "provisional" and not april_provisional
    # No finding or early warning rests on a value that is still maturing.
    assert not _rows(
        months.may_published,
        "SELECT message FROM scorecard.balance_findings WHERE measure_id = 'onboarding_completion_rate' "
        "AND period_grain = 'month' AND period_start = DATE '2025-05-01'",
    )
    (counted,) = _rows(
        months.may_published,
        "SELECT measures_provisional FROM scorecard.perspective_scores WHERE scorecard_id = 'corporate' "
        "AND period_grain = 'month' AND period_start = DATE '2025-05-01' AND perspective_id = 'customer'",
    )
    assert counted == (1,)

    # Published for June: May's cohort had its window and is final, its rise recorded as matured.
    published = months.deployment.published
    ((final, final_status, final_provisional, _),) = _rows(
        published, may_row.replace("score, ", "") + " AND period_start = DATE '2025-05-01'"
    )
    assert final > as_reported, "completions in June should lift May's cohort"
    assert final_status != "provisional" and not final_provisional
    ((june_status,),) = _rows(
        published,
        f"SELECT status FROM scorecard.scorecard WHERE {company} AND period_start = DATE '2025-06-01'",
    )
    assert june_status == "provisional"
    restated = _rows(
        published,
        f"SELECT segment_value, as_reported_value, restated_value, reason FROM scorecard.restatements "
        f"WHERE {COHORT} AND period_start = DATE '2025-05-01' ORDER BY segment_dimension, segment_value",
    )
    assert ("all", pytest.approx(as_reported), pytest.approx(final), "matured") in restated
    assert {reason for *_, reason in restated} == {"matured"}, "maturing is not a correction"
    reasons = _rows(published, "SELECT DISTINCT measure_id, reason FROM scorecard.restatements")
    assert reasons == [("onboarding_completion_rate", "matured")]


@pytest.fixture(scope="module")
def retired(months: Months, tmp_path_factory: pytest.TempPathFactory) -> tuple[Deployment, Path]:
    """A clone of the June deployment whose config retires ticket_reopen_rate from April and gives
    support_csat an earlier definition; the same month is then run again, as any scheduled run."""
    root = tmp_path_factory.mktemp("retired")
    deployment = months.deployment.clone(root / "deployment", own_landing=True)
    config = root / "scorecard_config"
    shutil.copytree(REPO / "scorecard_config", config)
    measures = (config / "measures.yml").read_text()
    start = measures.index("  - id: ticket_reopen_rate\n")
    since = "    effective_from: 2023-01-01\n"
    effective = measures.index(since, start) + len(since)
    measures = measures[:effective] + f"    retired_on: {RETIRED_ON}\n" + measures[effective:]
    csat = "    definition: CSAT survey responses scoring 4 or 5 ÷ all responses received in the period.\n"
    assert measures.count(csat) == 1
    measures = measures.replace(
        csat,
        csat + "    previous_versions:\n"
        "      - effective_from: 2023-01-01\n"
        "        effective_to: 2025-03-31\n"
        f"        definition: {OLD_CSAT_DEFINITION}\n"
        "        change_note: States that every response received counts.\n",
    )
    (config / "measures.yml").write_text(measures)
    targets = (config / "targets.yml").read_text()
    # Its target ends where the measure does (validation rejects a target past retired_on).
    reopen_target = "  ticket_reopen_rate:\n    - kind: absolute\n      value: 0.06\n      from: 2023-01\n"
    assert targets.count(reopen_target + "      to: 2027-12\n") == 1
    targets = targets.replace(reopen_target + "      to: 2027-12\n", reopen_target + "      to: 2025-03\n")
    (config / "targets.yml").write_text(targets)
    before = root / "before.duckdb"
    shutil.copyfile(deployment.published, before)
    _run(deployment, JUNE, "retire", SCORECARD_CONFIG_DIR=str(config))
    return deployment, before


def test_retiring_a_measure_keeps_history_as_reported(retired: tuple[Deployment, Path]) -> None:
    deployment, before = retired
    reopen = "measure_id = 'ticket_reopen_rate'"
    values = (
        "SELECT period_grain, period_start, segment_dimension, segment_value, value "
        f"FROM scorecard.measure_values WHERE {reopen}"
    )
    old = {row[:4]: row[4] for row in _rows(before, values)}
    new = {row[:4]: row[4] for row in _rows(deployment.published, values)}
    # Every period from the retirement on is gone, at any age, not only inside the restatement window.
    assert not [key for key in new if key[1] >= RETIRED_ON]
    assert [key for key in old if key[0] == "month" and key[1] >= RETIRED_ON], "it was published before"
    # Every period wholly before it keeps its value as reported.
    kept = {key: value for key, value in old.items() if key[0] == "month" and key[1] < RETIRED_ON}
    assert kept and {key: new[key] for key in kept} == kept

    restated = _rows(
        deployment.published,
        f"SELECT period_grain, period_start, segment_dimension, segment_value, as_reported_value, "
        f"restated_value, reason FROM scorecard.restatements WHERE {reopen}",
    )
    withdrawn = {row[:4]: row for row in restated if row[5] is None}
    # Each complete, published period it had from April on is recorded as withdrawn by the retirement.
    published_months = {key for key in old if key[0] == "month" and key[1] >= RETIRED_ON}
    assert published_months <= withdrawn.keys()
    assert {row[6] for row in restated} == {"retired"}
    for key in published_months:
        if old[key] is not None:
            assert withdrawn[key][4] == pytest.approx(old[key]), f"as reported for {key}"
    # The history's current rows agree with what is published: no withdrawn value reads as current.
    current = _rows(
        deployment.warehouse,
        f"SELECT period_start, value, is_withdrawn FROM scorecard.measure_value_history "
        f"WHERE {reopen} AND period_grain = 'month' AND dbt_valid_to IS NULL AND period_start >= ?",
        [RETIRED_ON],
    )
    assert current and all(value is None and is_withdrawn for _, value, is_withdrawn in current)
    assert not _rows(
        deployment.published,
        f"SELECT 1 FROM scorecard.scorecard WHERE {reopen} AND period_start >= ?",
        [RETIRED_ON],
    )
    # Nothing else moved: no other measure is restated by the config change.
    others = _rows(
        deployment.published,
        f"SELECT DISTINCT measure_id, reason FROM scorecard.restatements WHERE NOT {reopen} "
        "AND reason <> 'matured'",
    )
    assert others == []


def test_published_rows_carry_the_definition_in_force(retired: tuple[Deployment, Path]) -> None:
    deployment, _ = retired
    rows = dict(
        (label, (definition, version))
        for label, definition, version in _rows(
            deployment.published,
            "SELECT period_label, definition, definition_version FROM scorecard.scorecard "
            "WHERE measure_id = 'support_csat' AND scorecard_id = 'corporate' AND period_grain = 'month'",
        )
    )
    assert rows["2025-03"] == (OLD_CSAT_DEFINITION, 1)
    assert rows["2025-04"][1] == 2 and rows["2025-04"][0] != OLD_CSAT_DEFINITION
