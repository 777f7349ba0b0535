"""Contract-level facts of the published marts on a demo warehouse built end to end."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date

import pytest

from tests.marts.conftest import MartsWarehouse

pytestmark = pytest.mark.slow

STATUSES = {"on_track", "at_risk", "off_track", "no_data", "provisional", "no_target", "untrusted"}


def test_every_scorecard_measure_in_scope_has_exactly_one_row_per_period(
    marts_warehouse: MartsWarehouse,
) -> None:
    # In scope: each scorecard measure, for every period measure_values has for its segment.
    expected = marts_warehouse.query(
        """
        select sm.scorecard_id, mv.period_grain, mv.period_start, sm.measure_id
        from config.cfg_scorecard_measures as sm
        join scorecard.measure_values as mv
            on mv.measure_id = sm.measure_id and mv.segment_dimension = sm.segment_dimension
            and mv.segment_value = sm.segment_value
        """
    )
    rows = marts_warehouse.query(
        "select scorecard_id, period_grain, period_start, measure_id from scorecard.scorecard"
    )
    counts = Counter(rows)
    assert not [key for key, count in counts.items() if count > 1]
    assert set(counts) == set(expected)
    # Both scorecards and all three grains are there.
    assert {row[0] for row in rows} == {"corporate", "cs_enterprise"}
    assert {row[1] for row in rows} == {"month", "quarter", "year"}


def test_each_scorecard_reads_the_segment_its_config_filters_on(marts_warehouse: MartsWarehouse) -> None:
    shown = marts_warehouse.query(
        "select distinct scorecard_id, segment_dimension, segment_value from scorecard.scorecard"
    )
    configured = marts_warehouse.query(
        "select scorecard_id, segment_dimension, segment_value from config.cfg_scorecards"
    )
    assert sorted(shown) == sorted(configured)
    assert ("corporate", "all", "all") in shown
    assert ("cs_enterprise", "team", "cs_enterprise") in shown


def test_status_is_never_null_and_uses_the_vocabulary(marts_warehouse: MartsWarehouse) -> None:
    for table in ("scorecard", "objective_scores", "perspective_scores"):
        statuses = {row[0] for row in marts_warehouse.query(f"select distinct status from scorecard.{table}")}
        assert statuses <= STATUSES, table
    overall = {row[0] for row in marts_warehouse.query("select overall_status from scorecard.balance_report")}
    assert overall <= STATUSES


def test_statuses_are_mixed_for_the_latest_month(marts_warehouse: MartsWarehouse) -> None:
    statuses = Counter(
        row[0]
        for row in marts_warehouse.query(
            """
            select status from scorecard.scorecard
            where scorecard_id = 'corporate' and period_grain = 'month' and period_start = ?
            """,
            [marts_warehouse.last_month],
        )
    )
    assert statuses["on_track"] >= 1
    assert statuses["at_risk"] + statuses["off_track"] >= 1
    assert len(statuses) >= 3, statuses


def test_scores_follow_attainment_and_only_scored_statuses_have_one(marts_warehouse: MartsWarehouse) -> None:
    rows = marts_warehouse.query("select status, attainment, score from scorecard.scorecard")
    for status, attainment, score in rows:
        if status in {"on_track", "at_risk", "off_track"}:
            assert math.isclose(score, min(100.0, max(0.0, 100.0 * attainment)), abs_tol=1e-9)
        else:
            assert score is None


def test_the_flagged_source_makes_its_measure_untrusted(marts_warehouse: MartsWarehouse) -> None:
    rows = marts_warehouse.query(
        """
        select scorecard_id, period_grain, status, is_trusted, trust_note from scorecard.scorecard
        where measure_id = 'support_csat' and period_start <= ? and period_end >= ?
        """,
        [marts_warehouse.flagged_month, marts_warehouse.flagged_month],
    )
    # Month, quarter and year containing the flagged month, on both scorecards.
    assert len(rows) == 6
    for _, _, status, is_trusted, trust_note in rows:
        assert (status, is_trusted) == ("untrusted", False)
        assert trust_note == (
            "support.csat_responses failed the check 'A delivery holds at least a quarter of the rows "
            "of the deliveries before it' for 2026-09"
        )
    others = marts_warehouse.query(
        "select count(*) from scorecard.scorecard where not is_trusted and measure_id <> 'support_csat'"
    )
    assert others == [(0,)]


def test_roll_ups_say_how_much_rests_on_untrusted_measures(marts_warehouse: MartsWarehouse) -> None:
    """Every objective and perspective roll-up carries the untrusted share of its weight, recomputed
    here from the scorecard rows; at half or more it is untrusted, never on track."""
    for table, level in (("objective_scores", "objective_id"), ("perspective_scores", "perspective_id")):
        mismatched = marts_warehouse.query(
            f"""
            with expected as (
                select scorecard_id, period_grain, period_start, {level},
                    sum(case when status = 'untrusted' then weight else 0 end) / sum(weight) as share
                from scorecard.scorecard
                group by all
            )
            select r.scorecard_id, r.period_start, r.{level}, r.status, r.untrusted_weight_share, e.share
            from scorecard.{table} as r
            join expected as e using (scorecard_id, period_grain, period_start, {level})
            where abs(r.untrusted_weight_share - e.share) > 1e-9
                or (e.share >= 0.5) <> (r.status = 'untrusted')
            """
        )
        assert mismatched == [], (table, mismatched[:5])
    # The flagged month: support CSAT is the only measure of its objective, so that objective is
    # untrusted; the customer perspective holds more than CSAT, so it shows the share and still scores.
    objective = marts_warehouse.query(
        """
        select o.status, o.untrusted_weight_share from scorecard.objective_scores as o
        join scorecard.scorecard as s using (scorecard_id, period_grain, period_start, objective_id)
        where s.measure_id = 'support_csat' and o.scorecard_id = 'corporate'
            and o.period_grain = 'month' and o.period_start = ?
        """,
        [marts_warehouse.flagged_month],
    )
    assert objective == [("untrusted", 1.0)]
    perspective = marts_warehouse.query(
        """
        select status, untrusted_weight_share from scorecard.perspective_scores
        where scorecard_id = 'corporate' and perspective_id = 'customer'
            and period_grain = 'month' and period_start = ?
        """,
        [marts_warehouse.flagged_month],
    )
    ((status, share),) = perspective
    assert 0 < share < 0.5 and status != "untrusted"


def test_count_measures_have_whole_number_targets(marts_warehouse: MartsWarehouse) -> None:
    """No '2,523.2 customers': every target of a count measure, at every grain, is a whole number,
    and count measures have targets at all (so the check is not vacuous)."""
    rows = marts_warehouse.query(
        "select target from scorecard.scorecard where unit = 'count' and target is not null"
    )
    assert rows
    assert [target for (target,) in rows if target != round(target)] == []


def test_no_quarter_or_year_contradicts_its_months(marts_warehouse: MartsWarehouse) -> None:
    """A quarter or year of a monthly measure is never off track while every scored month in it is
    on track, or on track while every one is off track: its target is of the same kind as its value
    (a compounded churn target for a compounded churn, a to-date target for a to-date value)."""
    contradictions = marts_warehouse.query(
        """
        with scored_months as (
            select scorecard_id, measure_id, period_start, status
            from scorecard.scorecard
            where period_grain = 'month' and status in ('on_track', 'at_risk', 'off_track')
        )
        select coarse.scorecard_id, coarse.measure_id, coarse.period_label, coarse.status
        from scorecard.scorecard as coarse
        inner join config.cfg_measures as measures
            on coarse.measure_id = measures.measure_id and measures.frequency = 'monthly'
        inner join scored_months as months
            on coarse.scorecard_id = months.scorecard_id and coarse.measure_id = months.measure_id
            and months.period_start between coarse.period_start and coarse.period_end
        where coarse.period_grain in ('quarter', 'year')
        group by all
        having (coarse.status = 'off_track' and bool_and(months.status = 'on_track'))
            or (coarse.status = 'on_track' and bool_and(months.status = 'off_track'))
        order by all
        """
    )
    assert contradictions == []


def test_churn_targets_compound_over_the_quarter(marts_warehouse: MartsWarehouse) -> None:
    """Logo churn is a cohort rate: a quarter's target is 1 - Π(1 - monthly target), not their mean,
    and it is above every monthly target in it."""
    rows = marts_warehouse.query(
        """
        select quarter.period_label, quarter.target, 1 - product(1 - month.target), max(month.target)
        from scorecard.scorecard as quarter
        inner join scorecard.scorecard as month
            on quarter.scorecard_id = month.scorecard_id and quarter.measure_id = month.measure_id
            and month.period_grain = 'month'
            and month.period_start between quarter.period_start and quarter.period_end
        where quarter.scorecard_id = 'corporate' and quarter.measure_id = 'logo_churn_rate'
            and quarter.period_grain = 'quarter' and quarter.target is not null
        group by all
        """
    )
    assert len(rows) >= 10
    for label, target, compounded, highest_month in rows:
        assert target == pytest.approx(compounded, abs=1e-9), label
        assert target > highest_month, label


def test_to_date_and_cut_periods_are_marked_incomplete(marts_warehouse: MartsWarehouse) -> None:
    """Every month in range is complete; the running fiscal year is to date; a fiscal year that
    starts before the history does is cut and not complete."""
    rows = marts_warehouse.query(
        "select period_grain, period_label, bool_and(is_complete_period), bool_or(is_complete_period) "
        "from scorecard.scorecard group by all"
    )
    consistent = {(grain, label): complete for grain, label, complete, any_complete in rows}
    assert all(complete == any_complete for _, _, complete, any_complete in rows)
    assert all(complete for (grain, _), complete in consistent.items() if grain == "month")
    # History 2023-11 … 2026-10 with fiscal years from February: FY2024 (Feb 2023 to Jan 2024) is cut
    # at the start, FY2027 (Feb 2026 to Jan 2027) runs to date; its Q3 (Aug to Oct 2026) ends with
    # the history and is whole.
    assert consistent[("year", "FY2024")] is False
    assert consistent[("year", "FY2025")] is True
    assert consistent[("year", "FY2027")] is False
    assert consistent[("quarter", "FY2027-Q3")] is True
    # Every roll-up of a period says the same as the measures it rolls up.
    for table in ("objective_scores", "perspective_scores", "balance_report"):
        rolled = marts_warehouse.query(
            f"select distinct period_grain, period_label, is_complete_period from scorecard.{table}"
        )
        assert rolled, table
        assert {(grain, label): complete for grain, label, complete in rolled} == consistent, table


def test_balance_report_has_one_row_per_scorecard_and_period(marts_warehouse: MartsWarehouse) -> None:
    key = "scorecard_id, period_grain, period_start"
    periods = set(marts_warehouse.query(f"select distinct {key} from scorecard.scorecard"))
    report = marts_warehouse.query(f"select {key} from scorecard.balance_report")
    assert len(report) == len(set(report))
    assert set(report) == periods


def test_balance_report_agrees_with_perspectives_and_findings(marts_warehouse: MartsWarehouse) -> None:
    mismatches = marts_warehouse.query(
        """
        select b.scorecard_id, b.period_grain, b.period_start
        from scorecard.balance_report as b
        left join scorecard.perspective_scores as p
            on p.scorecard_id = b.scorecard_id and p.period_grain = b.period_grain
            and p.period_start = b.period_start and p.perspective_id = 'customer'
        left join (
            select scorecard_id, period_grain, period_start, count(*) as findings
            from scorecard.balance_findings group by all
        ) as f
            on f.scorecard_id = b.scorecard_id and f.period_grain = b.period_grain
            and f.period_start = b.period_start
        where b.customer_status <> coalesce(p.status, 'no_data')
            or b.findings_total <> coalesce(f.findings, 0)
            or b.is_imbalanced <> (b.imbalance_reason is not null)
        """
    )
    assert mismatches == []
    # The balance index is on the 0-100 scale wherever at least two perspectives are scored.
    indexes = marts_warehouse.query(
        "select balance_index from scorecard.balance_report where balance_index is not null"
    )
    assert indexes and all(0 <= index <= 100 for (index,) in indexes)


def test_each_finding_type_the_demo_should_produce_appears(marts_warehouse: MartsWarehouse) -> None:
    types = Counter(
        row[0] for row in marts_warehouse.query("select finding_type from scorecard.balance_findings")
    )
    expected = {
        "imbalance",
        "early_warning",
        "off_track_measure",
        "missing_data",
        "missing_target",
        "untrusted_data",
        "overdue_action",
        "overdue_milestone",
        "failed_assumption",
    }
    assert expected <= set(types), types
    # The review of 2026-08 judged deliver_value_fast → win_new_customers failed, and its action on
    # trial conversion (due 2026-10-15) is still open: both surface in the latest month.
    latest = marts_warehouse.query(
        """
        select finding_type, message from scorecard.balance_findings
        where scorecard_id = 'corporate' and period_grain = 'month' and period_start = ?
        """,
        [marts_warehouse.last_month],
    )
    messages = {finding_type: message for finding_type, message in latest}
    assert "Deliver value fast → Win new customers" in messages["failed_assumption"]
    assert "Analyse trial-to-paid conversion" in messages["overdue_action"]
    # Messages use names, never ids.
    assert not [message for _, message in latest if "deliver_value_fast" in message or "_rate" in message]


def test_strategy_map_links_carry_both_ends_and_evidence(marts_warehouse: MartsWarehouse) -> None:
    rows = marts_warehouse.query(
        """
        select cause_objective_id, effect_objective_id, assumption_failed, evidence_correlation
        from scorecard.strategy_map
        where scorecard_id = 'corporate' and period_grain = 'month' and period_start = ?
        """,
        [marts_warehouse.last_month],
    )
    links = marts_warehouse.query(
        "select cause_objective_id, effect_objective_id from config.cfg_strategy_links"
    )
    # Every link of the corporate map whose two ends report monthly.
    assert {(cause, effect) for cause, effect, _, _ in rows} <= set(links)
    assert len(rows) >= 8
    failed = {(cause, effect) for cause, effect, is_failed, _ in rows if is_failed}
    assert failed == {("deliver_value_fast", "win_new_customers")}
    correlations = [value for *_, value in rows if value is not None]
    assert correlations and all(-1.0 <= value <= 1.0 for value in correlations)


def test_review_actions_overdue_as_of_the_last_month(marts_warehouse: MartsWarehouse) -> None:
    rows = dict(
        marts_warehouse.query("select action_id, days_overdue from scorecard.review_actions where is_overdue")
    )
    assert rows == {"trial_conversion_analysis": 16}


def test_the_demo_initiatives_are_published_with_one_overdue_milestone(
    marts_warehouse: MartsWarehouse,
) -> None:
    initiatives = marts_warehouse.query(
        "select initiative_id, budget, actual_cost, budget_remaining, milestones_overdue "
        "from scorecard.initiatives order by display_order"
    )
    assert [row[0] for row in initiatives][:3] == [
        "guided_onboarding",
        "support_academy",
        "engagement_listening",
    ]
    by_id = {row[0]: row[1:] for row in initiatives}
    assert by_id["guided_onboarding"] == (420000.0, 436500.0, -16500.0, 0)
    # The demo's one overdue milestone: the engagement action plan, in progress, due 2026-09-15.
    overdue = marts_warehouse.query(
        "select initiative_id, milestone_id, days_overdue from scorecard.initiative_milestones "
        "where is_overdue"
    )
    assert overdue == [("engagement_listening", "themes_action_plan", 46)]
    served = marts_warehouse.query(
        "select objective_id from scorecard.initiative_objectives "
        "where initiative_id = 'engagement_listening'"
    )
    assert served == [("engage_our_people",)]
    # It is a finding of the latest month on the corporate scorecard, under the objective it serves,
    # and of no month before it was due.
    findings = marts_warehouse.query(
        """
        select period_start, objective_id, owner, message from scorecard.balance_findings
        where finding_type = 'overdue_milestone' and scorecard_id = 'corporate' and period_grain = 'month'
        order by period_start
        """
    )
    assert [row[0] for row in findings] == [date(2026, 9, 1), marts_warehouse.last_month]
    _, objective_id, owner, message = findings[-1]
    assert (objective_id, owner) == ("engage_our_people", "Grace Mbeki, Chief People Officer")
    assert message == (
        'Overdue milestone of the initiative "Engagement listening sessions": "Action plan on the top three '
        'themes agreed with the leadership team" (Grace Mbeki, Chief People Officer) was due 2026-09-15 and '
        "is still in progress, 46 days late."
    )


def test_default_weights_leave_the_roll_ups_measure_weighted(marts_warehouse: MartsWarehouse) -> None:
    # The demo declares no objective or perspective weights: every published weight is 1, and the
    # overall score is the plain measure-weighted average of the scorecard's scored measures.
    for table in ("objective_scores", "perspective_scores"):
        weights = marts_warehouse.query(f"select distinct weight from scorecard.{table}")
        assert weights == [(1.0,)], table
    rows = marts_warehouse.query(
        """
        select b.overall_score, sum(s.weight * s.score) / sum(s.weight)
        from scorecard.balance_report as b
        join scorecard.scorecard as s
            on s.scorecard_id = b.scorecard_id and s.period_grain = b.period_grain
            and s.period_start = b.period_start and s.score is not null
        where b.scorecard_id = 'corporate' and b.period_grain = 'month'
        group by b.overall_score, b.period_start
        """
    )
    assert rows and all(math.isclose(overall, expected) for overall, expected in rows)


def test_the_demo_okrs_are_judged_on_their_quarter(marts_warehouse: MartsWarehouse) -> None:
    # The scorecard ends in October 2026: FY2027-Q3 (August-October) is judged on its last day with
    # every due date passed, FY2027-Q4 has not started and nothing is judged yet.
    key_results = marts_warehouse.query(
        """
        select key_result_id, judged_on, progress, expected_progress, status, score
        from scorecard.okr_key_results where okr_id = 'first_value_in_a_week' order by display_order
        """
    )
    assert key_results == [
        ("median_days_to_first_dashboard", date(2026, 10, 31), 0.8, 1.0, "off_track", 80.0),
        ("guided_setup_share", date(2026, 10, 31), 1.0, 1.0, "on_track", 100.0),
    ]
    okrs = marts_warehouse.query(
        "select okr_id, period_label, objective_name, score, status, key_results_total "
        "from scorecard.okrs order by display_order"
    )
    assert okrs == [
        ("first_value_in_a_week", "FY2027-Q3", "Deliver value fast", 90.0, "at_risk", 2),
        ("certify_support_leads", "FY2027-Q3", "Build customer-success capability", 100.0, "on_track", 1),
        ("listening_follow_up", "FY2027-Q4", "Engage our people", None, "no_data", 2),
    ]


def test_the_demo_reviews_are_published_with_their_record(marts_warehouse: MartsWarehouse) -> None:
    reviews = marts_warehouse.query(
        "select review_id, review_period_label, review_date, is_held, decisions, failed_assumptions, "
        "actions, actions_open, actions_overdue, agenda_items from scorecard.reviews "
        "order by review_period_start"
    )
    assert reviews == [
        ("review_2025_09", "2025-09", date(2025, 10, 14), True, 2, 0, 2, 0, 0, 0),
        # Both its actions are not done; the trial conversion analysis was due 2026-10-15.
        ("review_2026_08", "2026-08", date(2026, 9, 15), True, 2, 1, 2, 2, 1, 0),
        ("review_2026_09", "2026-09", date(2026, 10, 13), True, 1, 0, 1, 1, 0, 0),
    ]
    # The counts of actions are review_actions' own: one overdue rule, not two.
    (mismatches,) = marts_warehouse.query(
        """
        select count(*) from scorecard.reviews as reviews
        left join (
            select review_id, count(*) as actions, sum(case when is_overdue then 1 else 0 end) as overdue
            from scorecard.review_actions group by review_id
        ) as actions on reviews.review_id = actions.review_id
        where reviews.actions <> coalesce(actions.actions, 0)
            or reviews.actions_overdue <> coalesce(actions.overdue, 0)
        """
    )[0]
    assert mismatches == 0
    decisions = marts_warehouse.query(
        "select review_id, decision_number, owner, objective_name, measure_name "
        "from scorecard.review_decisions order by review_id, decision_number"
    )
    assert [row[:2] for row in decisions] == [
        ("review_2025_09", 1),
        ("review_2025_09", 2),
        ("review_2026_08", 1),
        ("review_2026_08", 2),
        ("review_2026_09", 1),
    ]
    assert decisions[-1][2:] == ("Priya Raman, Head of Support", None, "Support satisfaction (CSAT)")
    assert decisions[0][3] is not None and decisions[0][4] is None


def test_a_judged_assumption_carries_the_links_evidence_then_and_now(marts_warehouse: MartsWarehouse) -> None:
    rows = marts_warehouse.query(
        """
        select
            judged.review_id, judged.link_id, judged.effect_objective_owner, judged.evidence_period_label,
            judged.evidence_verdict = now_map.evidence_verdict,
            judged.evidence_pairs = now_map.evidence_pairs,
            judged.evidence_verdict_at_review = then_map.evidence_verdict
        from scorecard.review_assumptions as judged
        inner join scorecard.strategy_map as now_map
            on now_map.scorecard_id = judged.scorecard_id and now_map.period_grain = 'month'
            and now_map.period_start = date '2026-10-01'
            and now_map.cause_objective_id = judged.cause_objective_id
            and now_map.effect_objective_id = judged.effect_objective_id
        inner join scorecard.strategy_map as then_map
            on then_map.scorecard_id = judged.scorecard_id and then_map.period_grain = 'month'
            and then_map.period_start = date '2026-08-01'
            and then_map.cause_objective_id = judged.cause_objective_id
            and then_map.effect_objective_id = judged.effect_objective_id
        """
    )
    assert rows == [
        (
            "review_2026_08",
            "deliver_value_fast__to__win_new_customers",
            "Sofia Marquez, Chief Revenue Officer",
            "2026-10",
            True,
            True,
            True,
        )
    ]


def test_findings_publish_what_they_are_about(marts_warehouse: MartsWarehouse) -> None:
    rows = marts_warehouse.query(
        "select distinct subject, owner from scorecard.balance_findings "
        "where finding_type = 'overdue_action' and period_start = date '2026-10-01'"
    )
    assert rows == [("trial_conversion_analysis", "Sofia Marquez, Chief Revenue Officer")]
    (unnamed,) = marts_warehouse.query(
        "select count(*) from scorecard.balance_findings where subject is null"
    )[0]
    assert unnamed == 0
