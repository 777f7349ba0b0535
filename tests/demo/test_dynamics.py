"""The demo tells the story the scorecard should find, computed with SQL over the generated files.

The clean demo covers 2023-07 to 2025-06 (24 months, month index 0-23): guided onboarding lands
around months 9-12, the CS/support training dip sits around months 12-17.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from orchestration.demo import DemoSummary

LAST_MONTH = "DATE '2025-06-01'"


@pytest.fixture(scope="module")
def db(clean_db: duckdb.DuckDBPyConnection, clean_demo: DemoSummary) -> Iterator[duckdb.DuckDBPyConnection]:
    """Monthly measures in the spirit of the scorecard catalogue, one row per window month."""
    con = clean_db.cursor()
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW months AS
        SELECT i, ({LAST_MONTH} - to_months({clean_demo.months - 1} - i))::DATE m
        FROM range(0, {clean_demo.months}) t(i);

        CREATE OR REPLACE TEMP VIEW onboarding AS
        WITH reached AS (
          SELECT a.account_id, date_trunc('month', a.created_at)::DATE m,
                 count(DISTINCT e.milestone) FILTER (
                   WHERE e.milestone <> 'account_created'
                     AND timezone('UTC', e.occurred_at) <= a.created_at + INTERVAL 30 DAY) milestones
          FROM crm_accounts a LEFT JOIN product_onboarding_events e USING (account_id) GROUP BY ALL)
        SELECT account_id, m, milestones = 4 AS completed FROM reached;

        CREATE OR REPLACE TEMP VIEW churn AS
        WITH state AS (
          SELECT months.i, months.m, e.account_id,
                 arg_max(e.event_type, e.event_at) FILTER (WHERE e.event_at < months.m) at_start,
                 arg_max(e.event_type, e.event_at)
                   FILTER (WHERE e.event_at < months.m + INTERVAL 1 MONTH) at_end
          FROM months, billing_subscription_events e GROUP BY ALL)
        SELECT i, m, count(*) FILTER (WHERE at_start <> 'cancel') active_start,
               count(*) FILTER (WHERE at_start <> 'cancel' AND at_end = 'cancel') churned
        FROM state GROUP BY ALL;

        CREATE OR REPLACE TEMP VIEW support_monthly AS
        WITH staff AS (SELECT DISTINCT employee_id FROM hr_team_assignments
                       WHERE department IN ('customer_success', 'support')),
        training AS (
          SELECT date_trunc('month', a.due_at)::DATE m, avg((c.completed_at::DATE <= a.due_at)::INT) training
          FROM hr_training_assignments a JOIN staff USING (employee_id)
          LEFT JOIN hr_training_completions c USING (training_assignment_id) GROUP BY 1),
        fcr AS (
          SELECT date_trunc('month', resolved_at)::DATE m,
                 avg((contacts_to_resolution = 1 AND NOT reopened)::INT) fcr
          FROM support_tickets WHERE resolved_at IS NOT NULL GROUP BY 1),
        csat AS (SELECT date_trunc('month', responded_at)::DATE m, avg((score >= 4)::INT) csat
                 FROM support_csat_responses GROUP BY 1)
        SELECT i, m, training, fcr, csat FROM months
        LEFT JOIN training USING (m) LEFT JOIN fcr USING (m) LEFT JOIN csat USING (m);
        """
    )
    yield con
    con.close()


def one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return con.execute(sql).fetchone()


def test_onboarding_completion_improves_after_the_initiative(db: duckdb.DuckDBPyConnection) -> None:
    first, last = one(
        db,
        """
        SELECT avg(completed::INT) FILTER (WHERE i < 6), avg(completed::INT) FILTER (WHERE i >= 18)
        FROM onboarding JOIN months USING (m)
        """,
    )
    assert 0.40 <= first <= 0.62
    assert 0.68 <= last <= 0.90
    assert last > first + 0.15


def test_logo_churn_falls_after_onboarding_improves(db: duckdb.DuckDBPyConnection) -> None:
    early, late = one(
        db,
        """
        SELECT sum(churned) FILTER (WHERE i BETWEEN 1 AND 9)
                 / sum(active_start) FILTER (WHERE i BETWEEN 1 AND 9),
               sum(churned) FILTER (WHERE i >= 18) / sum(active_start) FILTER (WHERE i >= 18)
        FROM churn
        """,
    )
    assert 0.01 < late < early * 0.8, (early, late)


def test_accounts_that_complete_onboarding_churn_far_less(db: duckdb.DuckDBPyConnection) -> None:
    onboarded, not_onboarded = one(
        db,
        """
        WITH cancelled AS (SELECT DISTINCT account_id FROM billing_subscription_events
                           WHERE event_type = 'cancel')
        SELECT avg((c.account_id IS NOT NULL)::INT) FILTER (WHERE o.completed),
               avg((c.account_id IS NOT NULL)::INT) FILTER (WHERE NOT o.completed)
        FROM onboarding o LEFT JOIN cancelled c USING (account_id)
        """,
    )
    assert onboarded < not_onboarded * 0.6


def test_time_to_first_value_shortens(db: duckdb.DuckDBPyConnection) -> None:
    early, late = one(
        db,
        """
        WITH ttfv AS (
          SELECT date_trunc('month', timezone('UTC', v.occurred_at))::DATE m,
                 date_diff('second', a.created_at, timezone('UTC', v.occurred_at)) / 86400 ttfv_days
          FROM product_first_value_events v JOIN crm_accounts a USING (account_id))
        SELECT median(ttfv_days) FILTER (WHERE i BETWEEN 1 AND 8), median(ttfv_days) FILTER (WHERE i >= 18)
        FROM ttfv JOIN months USING (m)
        """,
    )
    assert late < early * 0.75, (early, late)


def test_training_dips_then_recovers(db: duckdb.DuckDBPyConnection) -> None:
    baseline, dip, recovered = one(
        db,
        """
        SELECT avg(training) FILTER (WHERE i < 10), min(training) FILTER (WHERE i BETWEEN 12 AND 17),
               avg(training) FILTER (WHERE i >= 20)
        FROM support_monthly
        """,
    )
    assert dip < baseline - 0.15
    assert recovered > dip + 0.15


def test_first_contact_resolution_and_csat_follow_training_two_months_later(
    db: duckdb.DuckDBPyConnection,
) -> None:
    fcr_after_training, fcr_before_training, csat_after_training = one(
        db,
        """
        SELECT corr(later.fcr, earlier.training) FILTER (WHERE later.i = earlier.i + 2),
               corr(later.fcr, earlier.training) FILTER (WHERE later.i = earlier.i - 2),
               corr(later.csat, earlier.training) FILTER (WHERE later.i = earlier.i + 2)
        FROM support_monthly later, support_monthly earlier
        """,
    )
    assert fcr_after_training > 0.5
    # Training drives resolution, not the other way round: FCR does not move ahead of training.
    assert fcr_after_training > fcr_before_training + 0.2
    assert csat_after_training > 0.3


def test_signups_are_seasonal_and_growing(db: duckdb.DuckDBPyConnection) -> None:
    peak, summer, first_year, second_year = one(
        db,
        """
        WITH signups AS (SELECT date_trunc('month', created_at)::DATE m, count(*) n
                         FROM crm_accounts GROUP BY 1)
        SELECT avg(n) FILTER (WHERE month(m) IN (1, 9, 10)), avg(n) FILTER (WHERE month(m) IN (6, 7, 8)),
               sum(n) FILTER (WHERE i < 12), sum(n) FILTER (WHERE i >= 12)
        FROM signups JOIN months USING (m)
        """,
    )
    assert peak > summer * 1.3
    assert second_year > first_year * 1.15


def test_enterprise_accounts_are_larger_and_stickier(db: duckdb.DuckDBPyConnection) -> None:
    rows = db.execute(
        """
        WITH first_mrr AS (SELECT account_id, arg_min(mrr_amount, event_at) mrr,
                                  bool_or(event_type = 'cancel') cancelled
                           FROM billing_subscription_events GROUP BY 1)
        SELECT segment, avg(mrr), avg(cancelled::INT)
        FROM first_mrr JOIN crm_accounts USING (account_id) GROUP BY 1
        """
    ).fetchall()
    by_segment = {segment: (mrr, cancelled) for segment, mrr, cancelled in rows}
    assert by_segment["enterprise"][0] > 5 * by_segment["mid_market"][0] / 2 > by_segment["smb"][0]
    assert by_segment["enterprise"][1] < by_segment["mid_market"][1] < by_segment["smb"][1]
    reactivations = one(
        db, "SELECT count(*) FROM billing_subscription_events WHERE event_type = 'reactivate'"
    )[0]
    assert reactivations > 0


def test_revenue_grows_with_a_believable_margin(db: duckdb.DuckDBPyConnection) -> None:
    margins = db.execute(
        """
        WITH revenue AS (SELECT date_trunc('month', issued_at)::DATE m, sum(amount) r
                         FROM billing_invoice_lines GROUP BY 1),
        cost AS (SELECT month m, sum(amount) c FROM finance_cost_of_revenue GROUP BY 1)
        SELECT i, r, (r - c) / r FROM revenue JOIN cost USING (m) JOIN months USING (m) ORDER BY i
        """
    ).fetchall()
    assert len(margins) == 24
    assert all(0.68 <= float(margin) <= 0.82 for _, _, margin in margins)
    assert margins[-1][1] > 2 * margins[6][1]


def test_people_data_has_the_expected_texture(db: duckdb.DuckDBPyConnection) -> None:
    reasons = dict(db.execute("SELECT termination_reason, count(*) FROM hr_employees GROUP BY 1").fetchall())
    assert reasons.get("voluntary", 0) > 0 and reasons.get("involuntary", 0) > 0
    assert set(reasons) == {None, "voluntary", "involuntary"}
    late, never = one(
        db,
        """
        SELECT count(*) FILTER (WHERE c.completed_at::DATE > a.due_at),
               count(*) FILTER (WHERE c.completed_at IS NULL)
        FROM hr_training_assignments a LEFT JOIN hr_training_completions c USING (training_assignment_id)
        WHERE a.due_at < DATE '2025-04-01'
        """,
    )
    assert late > 0 and never > 0
    low, high = one(
        db,
        """
        SELECT min(score), max(score) FROM (
          SELECT survey_id, sum(engagement_score) / count(*) score FROM hr_engagement_survey GROUP BY 1)
        """,
    )
    assert high - low > 0.2
