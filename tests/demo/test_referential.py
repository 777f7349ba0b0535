"""The tables agree with each other the way a real company's systems would."""

from __future__ import annotations

import duckdb
import pytest


def scalar(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    return con.execute(sql).fetchone()[0]


@pytest.mark.parametrize(
    ("child", "column", "parent", "key"),
    [
        ("billing_subscription_events", "account_id", "crm_accounts", "account_id"),
        ("billing_subscription_events", "plan_id", "billing_plans", "plan_id"),
        ("billing_invoices", "account_id", "crm_accounts", "account_id"),
        ("billing_invoice_lines", "invoice_id", "billing_invoices", "invoice_id"),
        ("product_onboarding_events", "account_id", "crm_accounts", "account_id"),
        ("product_first_value_events", "account_id", "crm_accounts", "account_id"),
        ("support_tickets", "account_id", "crm_accounts", "account_id"),
        ("support_tickets", "agent_id", "hr_employees", "employee_id"),
        ("support_csat_responses", "ticket_id", "support_tickets", "ticket_id"),
        ("crm_accounts", "cs_owner_id", "hr_employees", "employee_id"),
        ("hr_team_assignments", "employee_id", "hr_employees", "employee_id"),
        ("hr_training_assignments", "employee_id", "hr_employees", "employee_id"),
        (
            "hr_training_completions",
            "training_assignment_id",
            "hr_training_assignments",
            "training_assignment_id",
        ),
        ("hr_engagement_survey", "employee_id", "hr_employees", "employee_id"),
    ],
)
def test_foreign_keys_resolve(
    clean_db: duckdb.DuckDBPyConnection, child: str, column: str, parent: str, key: str
) -> None:
    orphans = scalar(clean_db, f"SELECT count(*) FROM {child} c ANTI JOIN {parent} p ON c.{column} = p.{key}")
    assert orphans == 0


def test_cs_owners_are_current_csms_of_the_accounts_segment(clean_db: duckdb.DuckDBPyConnection) -> None:
    mismatches = scalar(
        clean_db,
        """
        SELECT count(*) FROM crm_accounts a
        ANTI JOIN hr_team_assignments t
          ON t.employee_id = a.cs_owner_id AND t.valid_to IS NULL
         AND t.department = 'customer_success' AND t.team = 'cs_' || a.segment
        """,
    )
    assert mismatches == 0
    assert scalar(clean_db, "SELECT count(DISTINCT segment) FROM crm_accounts") == 3


def test_ticket_agents_were_in_support_when_the_ticket_opened(clean_db: duckdb.DuckDBPyConnection) -> None:
    outside = scalar(
        clean_db,
        """
        SELECT count(*) FROM support_tickets k
        ANTI JOIN hr_team_assignments t
          ON t.employee_id = k.agent_id AND t.department = 'support'
         AND t.valid_from <= k.opened_at::DATE AND (t.valid_to IS NULL OR k.opened_at::DATE < t.valid_to)
        """,
    )
    assert outside == 0


def test_team_history_is_a_clean_scd(clean_db: duckdb.DuckDBPyConnection) -> None:
    gaps_or_overlaps = scalar(
        clean_db,
        """
        SELECT count(*) FROM (
          SELECT valid_to, lead(valid_from) OVER (PARTITION BY employee_id ORDER BY valid_from) next_from
          FROM hr_team_assignments)
        WHERE next_from IS NOT NULL AND valid_to IS DISTINCT FROM next_from
        """,
    )
    assert gaps_or_overlaps == 0
    assert scalar(clean_db, "SELECT count(*) FROM hr_team_assignments WHERE valid_to <= valid_from") == 0
    # The last spell of a leaver ends on the termination date; current staff have an open spell.
    mismatched_ends = scalar(
        clean_db,
        """
        SELECT count(*) FROM hr_employees e
        JOIN (SELECT employee_id, arg_max(valid_to, valid_from) last_to, bool_or(valid_to IS NULL) has_open
              FROM hr_team_assignments GROUP BY 1) t USING (employee_id)
        WHERE (e.termination_date IS NULL) <> t.has_open
           OR (e.termination_date IS NOT NULL AND t.last_to <> e.termination_date)
        """,
    )
    assert mismatched_ends == 0
    moves = clean_db.execute(
        """
        SELECT team, next_team, count(*) FROM (
          SELECT team, lead(team) OVER (PARTITION BY employee_id ORDER BY valid_from) next_team
          FROM hr_team_assignments) WHERE next_team IS NOT NULL GROUP BY ALL
        """
    ).fetchall()
    assert ("cs_smb", "cs_mid_market") in {(a, b) for a, b, _ in moves}


def test_subscription_lifecycles_are_consistent(clean_db: duckdb.DuckDBPyConnection) -> None:
    events = "billing_subscription_events"
    assert scalar(
        clean_db, f"SELECT count(DISTINCT subscription_id) = count(DISTINCT account_id) FROM {events}"
    )
    first_not_start = scalar(
        clean_db,
        f"SELECT count(*) FROM (SELECT arg_min(event_type, event_at) first FROM {events} "
        "GROUP BY subscription_id) WHERE first <> 'start'",
    )
    assert first_not_start == 0
    # Each event follows a state that allows it: only a cancelled subscription reactivates, and so on.
    illegal = scalar(
        clean_db,
        f"""
        SELECT count(*) FROM (
          SELECT event_type,
                 lag(event_type) OVER (PARTITION BY subscription_id ORDER BY event_at, event_id) prev
          FROM {events})
        WHERE (event_type = 'start' AND prev IS NOT NULL)
           OR (event_type = 'reactivate' AND prev <> 'cancel')
           OR (event_type IN ('upgrade', 'downgrade', 'cancel') AND prev = 'cancel')
        """,
    )
    assert illegal == 0
    assert (
        scalar(clean_db, f"SELECT count(*) FROM {events} WHERE (event_type = 'cancel') <> (mrr_amount = 0)")
        == 0
    )
    kinds = {row[0] for row in clean_db.execute(f"SELECT DISTINCT event_type FROM {events}").fetchall()}
    assert kinds == {"start", "upgrade", "downgrade", "cancel", "reactivate"}
    mid_month = scalar(
        clean_db, f"SELECT count(*) FROM {events} WHERE event_type = 'cancel' AND day(event_at) > 1"
    )
    assert mid_month > 0


def test_invoices_add_up(clean_db: duckdb.DuckDBPyConnection) -> None:
    unbalanced = scalar(
        clean_db,
        """
        SELECT count(*) FROM billing_invoices i
        JOIN (SELECT invoice_id, sum(amount) lines, any_value(issued_at) issued
              FROM billing_invoice_lines GROUP BY 1) l USING (invoice_id)
        WHERE i.total_amount <> l.lines OR i.issued_at <> l.issued
        """,
    )
    assert unbalanced == 0
    assert (
        scalar(clean_db, "SELECT count(*) FROM billing_invoice_lines WHERE amount <> quantity * unit_amount")
        == 0
    )
    types = dict(
        clean_db.execute("SELECT line_type, min(amount) FROM billing_invoice_lines GROUP BY 1").fetchall()
    )
    assert set(types) == {"subscription_fee", "overage", "discount"}
    assert types["discount"] < 0 < types["overage"]
    # Every subscription active at a month start is invoiced on the 1st of that month.
    missing = scalar(
        clean_db,
        """
        WITH months AS (SELECT DISTINCT date_trunc('month', issued_at)::DATE m FROM billing_invoices),
        state AS (SELECT m, subscription_id, arg_max(event_type, event_at) last_event
                  FROM months, billing_subscription_events WHERE event_at < m GROUP BY ALL)
        SELECT count(*) FROM state s
        ANTI JOIN billing_invoices i ON i.subscription_id = s.subscription_id AND i.issued_at = s.m
        WHERE s.last_event <> 'cancel'
        """,
    )
    assert missing == 0


def test_general_ledger_agrees_with_billing_and_cost_of_revenue(clean_db: duckdb.DuckDBPyConnection) -> None:
    revenue_gaps = scalar(
        clean_db,
        """
        WITH gl AS (SELECT date_trunc('month', posted_at) m, sum(amount) a FROM finance_gl_lines
                    WHERE account_code LIKE '4%' GROUP BY 1),
        lines AS (SELECT date_trunc('month', issued_at) m, sum(amount) a
                  FROM billing_invoice_lines GROUP BY 1)
        SELECT count(*) FROM gl FULL JOIN lines USING (m) WHERE gl.a IS DISTINCT FROM lines.a
        """,
    )
    assert revenue_gaps == 0
    cost_gaps = scalar(
        clean_db,
        """
        WITH gl AS (SELECT date_trunc('month', posted_at) m, sum(amount) a FROM finance_gl_lines
                    WHERE account_code LIKE '5%' GROUP BY 1),
        cor AS (SELECT month m, sum(amount) a FROM finance_cost_of_revenue GROUP BY 1)
        SELECT count(*) FROM gl FULL JOIN cor USING (m) WHERE gl.a IS DISTINCT FROM cor.a
        """,
    )
    assert cost_gaps == 0
    assert scalar(clean_db, "SELECT count(*) FROM finance_gl_lines WHERE account_code LIKE '6%'") > 0


def test_event_times_are_in_order(clean_db: duckdb.DuckDBPyConnection) -> None:
    checks = {
        "ticket answered before it was opened": (
            "SELECT count(*) FROM support_tickets "
            "WHERE first_response_at < opened_at OR resolved_at < first_response_at"
        ),
        "CSAT before resolution": (
            "SELECT count(*) FROM support_csat_responses c JOIN support_tickets t USING (ticket_id) "
            "WHERE c.responded_at < t.resolved_at OR t.resolved_at IS NULL"
        ),
        "milestone before the account existed": (
            "SELECT count(*) FROM product_onboarding_events e JOIN crm_accounts a USING (account_id) "
            "WHERE timezone('UTC', e.occurred_at) < a.created_at"
        ),
        "subscription before the account existed": (
            "SELECT count(*) FROM billing_subscription_events e JOIN crm_accounts a USING (account_id) "
            "WHERE e.event_at < a.created_at"
        ),
        "training completed before assigned": (
            "SELECT count(*) FROM hr_training_completions c JOIN hr_training_assignments a "
            "USING (training_assignment_id) WHERE c.completed_at::DATE < a.assigned_at"
        ),
        "unresolved ticket marked reopened": (
            "SELECT count(*) FROM support_tickets WHERE resolved_at IS NULL AND reopened"
        ),
        "contacts below one": "SELECT count(*) FROM support_tickets WHERE contacts_to_resolution < 1",
        "score out of range": (
            "SELECT count(*) FROM support_csat_responses WHERE score NOT BETWEEN 1 AND 5 UNION ALL "
            "SELECT count(*) FROM hr_engagement_survey WHERE engagement_score NOT BETWEEN 1 AND 5"
        ),
    }
    for problem, sql in checks.items():
        assert all(row[0] == 0 for row in clean_db.execute(sql).fetchall()), problem


def test_nothing_is_dated_after_the_window(clean_db: duckdb.DuckDBPyConnection) -> None:
    end = "TIMESTAMP '2025-07-01'"
    for table, column in [
        ("billing_subscription_events", "event_at"),
        ("support_tickets", "resolved_at"),
        ("support_csat_responses", "responded_at"),
        ("hr_training_completions", "completed_at"),
        ("hr_engagement_survey", "submitted_at"),
        ("crm_accounts", "updated_at"),
        ("hr_employees", "updated_at"),
    ]:
        assert scalar(clean_db, f"SELECT count(*) FROM {table} WHERE {column} >= {end}") == 0, table
    for table in ("product_onboarding_events", "product_first_value_events"):
        late = scalar(
            clean_db,
            f"SELECT count(*) FROM {table} WHERE occurred_at >= TIMESTAMPTZ '2025-07-01 00:00:00+00'",
        )
        assert late == 0, table


def test_local_offsets_make_month_boundaries_matter(clean_demo, clean_db: duckdb.DuckDBPyConnection) -> None:
    offsets = {
        row[0]
        for row in clean_db.execute(
            "SELECT DISTINCT regexp_extract(occurred_at, '[+-]\\d{2}:\\d{2}$') FROM read_json(?, columns = "
            "{'occurred_at': 'VARCHAR'})",
            [str(clean_demo.landing_dir / "product" / "onboarding_events" / "*.jsonl")],
        ).fetchall()
    }
    assert {"-05:00", "+01:00", "+05:30", "-03:00"} <= offsets
    # Some events sit in one month in local time and in the next (or previous) in UTC.
    crossing = scalar(
        clean_db,
        "SELECT count(*) FROM read_json(?, columns = {'occurred_at': 'VARCHAR'}, filename = true) "
        "WHERE left(occurred_at, 7) <> regexp_extract(filename, '(\\d{4}-\\d{2})\\.jsonl$', 1)".replace(
            "?", "'" + str(clean_demo.landing_dir / "product" / "onboarding_events" / "*.jsonl") + "'"
        ),
    )
    assert crossing > 0
