-- The plain-DuckDB baseline of tests/benchmarks/bench_refresh.py: every measure of the demo company at
-- company level, computed set-based straight from the landing files, with the definitions of its dbt
-- models (dbt_project/models/staging, intermediate and measures; the engine's measure macros) and the
-- loader's quarantine rules that decide which rows reach them. No dbt, no Dagster, no Python loop: one
-- DuckDB session runs this file, whatever the scale or history of the demo.
--
-- The benchmark replaces four placeholders before running it:
--   {landing}                  the landing directory (the files `scorecard demo` writes)
--   {first_month} {last_month} the scorecard's first and last month, YYYY-MM-DD (the first day)
--   {fiscal_year_start_month}  strategy.yml company.fiscal_year_start_month (1-12), for the quarters
-- and the result is the table baseline_measures (measure_id, period_grain, period_start, value): the
-- 16 monthly measures per month, the 3 quarterly ones (net_revenue_retention, employee_engagement_score,
-- voluntary_attrition_rate) per fiscal quarter, the periods of the scorecard range only (a quarter cut
-- by the range's edge covers its months in the range), value null where measure_values has null.
--
-- What reaches the measures, as in the warehouse after a full load:
--   * quarantine: a row with an empty primary key or required column (sources.yml primary_key and
--     not_null) or that breaks a min/max rule is left out. Not replayed: the in_future rule (the demo
--     writes no future rows for a past end month), type errors and drifted columns (the demo writes
--     none; here a value that does not cast stops the script).
--   * staging keeps one row per primary key, the one from the latest file (files load in name order).
--     The loader keeps the first row of a key repeated within one file; the CSV and JSON readers give
--     no row number, so here such a tie is broken arbitrarily (the demo repeats no key unless asked
--     for a defect).
--   * text is lower(trim())-ed where staging does it; the product events' local times with a UTC
--     offset become UTC timestamps; every period is a UTC calendar month.
-- Not computed: the segment rows (team, region, customer segment), targets, scores, trust.

SET TimeZone = 'UTC';

-- Calendar --------------------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE months AS
SELECT
    CAST(m AS DATE) AS month_start,
    CAST(m + INTERVAL 1 MONTH AS DATE) AS next_month_start,
    CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS month_end,
    -- fiscal quarter containing the month (three-month blocks from the fiscal year's first month)
    CAST(
        m - to_months(CAST((month(m) - {fiscal_year_start_month} + 12) % 12 % 3 AS INTEGER)) AS DATE
    ) AS quarter_start
FROM generate_series(DATE '{first_month}', DATE '{last_month}', INTERVAL 1 MONTH) AS t (m);

-- Each period of the range at both grains, with its first and last in-range month (a quarter cut by
-- the range's edge covers its in-range months only, like int_fiscal_periods).
CREATE OR REPLACE TEMP TABLE periods AS
SELECT 'month' AS period_grain, month_start AS period_start, month_start, true AS is_first_month,
    true AS is_last_month
FROM months
UNION ALL
SELECT 'quarter', quarter_start, month_start,
    month_start = min(month_start) OVER (PARTITION BY quarter_start),
    month_start = max(month_start) OVER (PARTITION BY quarter_start)
FROM months;

-- Sources: quarantine rules, then the latest load of each primary key -------------------------------
CREATE OR REPLACE TEMP TABLE subscription_events AS
SELECT
    event_id, subscription_id, account_id,
    lower(trim(event_type)) AS event_type,
    CAST(event_at AS TIMESTAMP) AS event_at,
    mrr_amount
FROM read_parquet('{landing}/billing/subscription_events/*.parquet', filename = true)
WHERE nullif(trim(event_id), '') IS NOT NULL
    AND nullif(trim(subscription_id), '') IS NOT NULL
    AND nullif(trim(account_id), '') IS NOT NULL
    AND nullif(trim(event_type), '') IS NOT NULL
    AND event_at IS NOT NULL
    AND mrr_amount IS NOT NULL AND mrr_amount >= 0
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE invoices AS
SELECT invoice_id, lower(trim(status)) AS status
FROM read_csv(
    '{landing}/billing/invoices/*.csv', header = true, filename = true,
    columns = {
        'invoice_id': 'VARCHAR', 'account_id': 'VARCHAR', 'subscription_id': 'VARCHAR',
        'issued_at': 'DATE', 'service_period_start': 'DATE', 'service_period_end': 'DATE',
        'total_amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR', 'status': 'VARCHAR'
    }
)
WHERE nullif(trim(invoice_id), '') IS NOT NULL
    AND nullif(trim(account_id), '') IS NOT NULL
    AND issued_at IS NOT NULL
    AND total_amount IS NOT NULL AND total_amount >= 0
QUALIFY row_number() OVER (PARTITION BY invoice_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE invoice_lines AS
SELECT invoice_id, issued_at, amount
FROM read_csv(
    '{landing}/billing/invoice_lines/*.csv', header = true, filename = true,
    columns = {
        'invoice_line_id': 'VARCHAR', 'invoice_id': 'VARCHAR', 'issued_at': 'DATE',
        'line_type': 'VARCHAR', 'description': 'VARCHAR', 'quantity': 'BIGINT',
        'unit_amount': 'DECIMAL(18,2)', 'amount': 'DECIMAL(18,2)'
    }
)
WHERE nullif(trim(invoice_line_id), '') IS NOT NULL
    AND nullif(trim(invoice_id), '') IS NOT NULL
    AND nullif(trim(line_type), '') IS NOT NULL
    AND amount IS NOT NULL
    -- discount lines carry negative amounts by design (the rule's `unless`, on the value as written)
    AND (amount >= 0 OR line_type = 'discount')
QUALIFY row_number() OVER (PARTITION BY invoice_line_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE accounts AS
SELECT account_id, created_at
FROM read_json(
    '{landing}/crm/accounts*.jsonl', format = 'newline_delimited', filename = true,
    columns = {
        'account_id': 'VARCHAR', 'account_name': 'VARCHAR', 'segment': 'VARCHAR', 'region': 'VARCHAR',
        'cs_owner_id': 'VARCHAR', 'created_at': 'TIMESTAMP', 'updated_at': 'TIMESTAMP'
    }
)
WHERE nullif(trim(account_id), '') IS NOT NULL
    AND nullif(trim(segment), '') IS NOT NULL
    AND nullif(trim(region), '') IS NOT NULL
    AND created_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE onboarding_events AS
SELECT
    account_id,
    lower(trim(milestone)) AS milestone,
    CAST(CAST(occurred_at AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS occurred_at
FROM read_json(
    '{landing}/product/onboarding_events/*.jsonl', format = 'newline_delimited', filename = true,
    columns = {
        'event_id': 'VARCHAR', 'account_id': 'VARCHAR', 'user_id': 'VARCHAR', 'milestone': 'VARCHAR',
        'occurred_at': 'VARCHAR'
    }
)
WHERE nullif(trim(event_id), '') IS NOT NULL
    AND nullif(trim(account_id), '') IS NOT NULL
    AND nullif(trim(milestone), '') IS NOT NULL
    AND nullif(trim(occurred_at), '') IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE first_value_events AS
SELECT
    account_id,
    CAST(CAST(occurred_at AS TIMESTAMPTZ) AT TIME ZONE 'UTC' AS TIMESTAMP) AS occurred_at
FROM read_json(
    '{landing}/product/first_value_events/*.jsonl', format = 'newline_delimited', filename = true,
    columns = {
        'event_id': 'VARCHAR', 'account_id': 'VARCHAR', 'user_id': 'VARCHAR', 'value_event': 'VARCHAR',
        'occurred_at': 'VARCHAR'
    }
)
WHERE nullif(trim(event_id), '') IS NOT NULL
    AND nullif(trim(account_id), '') IS NOT NULL
    AND nullif(trim(occurred_at), '') IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE tickets AS
SELECT opened_at, first_response_at, resolved_at, contacts_to_resolution, reopened
FROM read_csv(
    '{landing}/support/tickets/*.csv', header = true, filename = true,
    columns = {
        'ticket_id': 'VARCHAR', 'account_id': 'VARCHAR', 'agent_id': 'VARCHAR', 'channel': 'VARCHAR',
        'priority': 'VARCHAR', 'opened_at': 'TIMESTAMP', 'first_response_at': 'TIMESTAMP',
        'resolved_at': 'TIMESTAMP', 'contacts_to_resolution': 'BIGINT', 'reopened': 'BOOLEAN'
    }
)
WHERE nullif(trim(ticket_id), '') IS NOT NULL
    AND nullif(trim(account_id), '') IS NOT NULL
    AND nullif(trim(channel), '') IS NOT NULL
    AND opened_at IS NOT NULL
    AND (contacts_to_resolution IS NULL OR contacts_to_resolution >= 1)
QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE csat_responses AS
SELECT responded_at, score
FROM read_csv(
    '{landing}/support/csat_responses/*.csv', header = true, filename = true,
    columns = {
        'response_id': 'VARCHAR', 'ticket_id': 'VARCHAR', 'responded_at': 'TIMESTAMP', 'score': 'BIGINT'
    }
)
WHERE nullif(trim(response_id), '') IS NOT NULL
    AND nullif(trim(ticket_id), '') IS NOT NULL
    AND responded_at IS NOT NULL
    AND score IS NOT NULL AND score BETWEEN 1 AND 5
QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE employees AS
SELECT employee_id, hire_date, termination_date, lower(trim(termination_reason)) AS termination_reason
FROM read_csv(
    '{landing}/hr/employees.csv', header = true, filename = true,
    columns = {
        'employee_id': 'VARCHAR', 'full_name': 'VARCHAR', 'job_title': 'VARCHAR', 'hire_date': 'DATE',
        'termination_date': 'DATE', 'termination_reason': 'VARCHAR', 'updated_at': 'TIMESTAMP'
    }
)
WHERE nullif(trim(employee_id), '') IS NOT NULL AND hire_date IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY employee_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE team_assignments AS
SELECT assignment_id, employee_id, lower(trim(department)) AS department, valid_from, valid_to
FROM read_csv(
    '{landing}/hr/team_assignments.csv', header = true, filename = true,
    columns = {
        'assignment_id': 'VARCHAR', 'employee_id': 'VARCHAR', 'department': 'VARCHAR', 'team': 'VARCHAR',
        'valid_from': 'DATE', 'valid_to': 'DATE'
    }
)
WHERE nullif(trim(assignment_id), '') IS NOT NULL
    AND nullif(trim(employee_id), '') IS NOT NULL
    AND nullif(trim(department), '') IS NOT NULL
    AND nullif(trim(team), '') IS NOT NULL
    AND valid_from IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY assignment_id ORDER BY filename DESC) = 1;

-- int_employee_team_history: non-overlapping intervals [valid_from, valid_until), an assignment ending
-- the day after its valid_to or when the employee's next one starts, whichever is earlier.
CREATE OR REPLACE TEMP TABLE team_history AS
WITH with_next AS (
    SELECT employee_id, department, valid_from, valid_to,
        lead(valid_from) OVER (PARTITION BY employee_id ORDER BY valid_from, assignment_id) AS next_valid_from
    FROM team_assignments
)
SELECT
    employee_id,
    department,
    valid_from,
    CASE
        WHEN valid_to IS NULL THEN next_valid_from
        WHEN next_valid_from IS NULL THEN CAST(valid_to + INTERVAL 1 DAY AS DATE)
        WHEN next_valid_from < CAST(valid_to + INTERVAL 1 DAY AS DATE) THEN next_valid_from
        ELSE CAST(valid_to + INTERVAL 1 DAY AS DATE)
    END AS valid_until
FROM with_next;

CREATE OR REPLACE TEMP TABLE training_assignments AS
SELECT training_assignment_id, employee_id, CAST(due_at AS DATE) AS due_at
FROM read_parquet('{landing}/hr/training_assignments/*.parquet', filename = true)
WHERE nullif(trim(training_assignment_id), '') IS NOT NULL
    AND nullif(trim(employee_id), '') IS NOT NULL
    AND nullif(trim(course_id), '') IS NOT NULL
    AND assigned_at IS NOT NULL
    AND due_at IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY training_assignment_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE training_completions AS
SELECT training_assignment_id, CAST(completed_at AS TIMESTAMP) AS completed_at
FROM read_parquet('{landing}/hr/training_completions/*.parquet', filename = true)
WHERE nullif(trim(completion_id), '') IS NOT NULL
    AND nullif(trim(training_assignment_id), '') IS NOT NULL
    AND completed_at IS NOT NULL
    AND (score IS NULL OR score BETWEEN 0 AND 100)
QUALIFY row_number() OVER (PARTITION BY completion_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE engagement_survey AS
SELECT employee_id, submitted_at, engagement_score
FROM read_csv(
    '{landing}/hr/engagement_survey/*.csv', header = true, filename = true,
    columns = {
        'response_id': 'VARCHAR', 'employee_id': 'VARCHAR', 'survey_id': 'VARCHAR',
        'submitted_at': 'TIMESTAMP', 'engagement_score': 'BIGINT'
    }
)
WHERE nullif(trim(response_id), '') IS NOT NULL
    AND nullif(trim(employee_id), '') IS NOT NULL
    AND nullif(trim(survey_id), '') IS NOT NULL
    AND submitted_at IS NOT NULL
    AND engagement_score IS NOT NULL AND engagement_score BETWEEN 1 AND 5
QUALIFY row_number() OVER (PARTITION BY response_id ORDER BY filename DESC) = 1;

CREATE OR REPLACE TEMP TABLE cost_of_revenue AS
SELECT cost_month, amount
FROM (
    SELECT "month" AS cost_month, cost_category, amount, filename
    FROM read_csv(
        '{landing}/finance/cost_of_revenue.csv', header = true, filename = true,
        columns = {
            'month': 'DATE', 'cost_category': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'currency': 'VARCHAR'
        }
    )
)
WHERE cost_month IS NOT NULL AND nullif(trim(cost_category), '') IS NOT NULL AND amount IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY cost_month, cost_category ORDER BY filename DESC) = 1;

-- Subscriptions (int_subscription_events_sequenced, int_subscription_periods) ---------------------
-- MRR movements come from the amounts, not the event_type label; a cancellation leaves MRR 0.
CREATE OR REPLACE TEMP TABLE subscription_movements AS
WITH with_mrr AS (
    SELECT
        event_id, subscription_id, account_id, event_at,
        CAST(date_trunc('month', event_at) AS DATE) AS month_start,
        CASE WHEN event_type IN ('cancel', 'cancellation', 'cancelled', 'canceled', 'churn') THEN 0
            ELSE mrr_amount END AS mrr_after,
        row_number() OVER (PARTITION BY subscription_id ORDER BY event_at, event_id) AS event_number,
        lead(event_at) OVER (PARTITION BY subscription_id ORDER BY event_at, event_id) AS valid_until
    FROM subscription_events
),
with_previous AS (
    SELECT *,
        coalesce(lag(mrr_after) OVER (PARTITION BY subscription_id ORDER BY event_at, event_id), 0)
            AS mrr_before
    FROM with_mrr
),
with_account AS (
    SELECT *,
        mrr_after - mrr_before AS mrr_change,
        sum(mrr_after - mrr_before) OVER (
            PARTITION BY account_id ORDER BY event_at, event_id
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS account_mrr_after
    FROM with_previous
),
classified AS (
    SELECT *,
        CASE
            WHEN event_number = 1 AND mrr_after > 0 THEN 'new'
            WHEN mrr_before > 0 AND mrr_after = 0 THEN 'churn'
            WHEN mrr_before = 0 AND mrr_after > 0 THEN 'reactivation'
            WHEN mrr_after > mrr_before THEN 'expansion'
            WHEN mrr_after < mrr_before THEN 'contraction'
            ELSE 'no_change'
        END AS subscription_movement,
        CASE
            WHEN account_mrr_after - mrr_change <= 0 AND account_mrr_after > 0 THEN 'activation'
            WHEN account_mrr_after - mrr_change > 0 AND account_mrr_after <= 0 THEN 'churn'
        END AS account_transition
    FROM with_account
)
SELECT
    account_id, event_at AS valid_from, valid_until, mrr_after AS mrr, month_start, mrr_change,
    subscription_movement,
    CASE
        WHEN account_transition = 'activation'
            AND count(CASE WHEN account_transition = 'activation' THEN 1 END) OVER (
                PARTITION BY account_id ORDER BY event_at, event_id
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
            ) = 1
            THEN 'new_customer'
        WHEN account_transition = 'activation' THEN 'reactivation'
        ELSE account_transition
    END AS account_movement
FROM classified;

-- Each account's MRR and activity at every month boundary the measures read: the first instant of a
-- month (its start; the previous month's end), from 11 months before the range (the end of the month
-- a year before the first month) to the month after it. A period [valid_from, valid_until) is in force
-- at instant t when valid_from < t <= valid_until, as in int_account_months.
CREATE OR REPLACE TEMP TABLE account_state AS
WITH boundaries AS (
    SELECT CAST(b AS DATE) AS boundary
    FROM generate_series(
        DATE '{first_month}' - INTERVAL 11 MONTH, DATE '{last_month}' + INTERVAL 1 MONTH, INTERVAL 1 MONTH
    ) AS t (b)
)
SELECT
    p.account_id,
    boundaries.boundary,
    sum(p.mrr) AS mrr,
    count(CASE WHEN p.mrr > 0 THEN 1 END) > 0 AS is_active
FROM subscription_movements AS p
INNER JOIN boundaries
    ON p.valid_from < boundaries.boundary AND (p.valid_until IS NULL OR p.valid_until >= boundaries.boundary)
GROUP BY ALL;

-- An account has a row in int_account_months from the month of its first subscription event on; a
-- month is "observed" (the account counts and sums read 0 in it, not null) once any account has one.
CREATE OR REPLACE TEMP TABLE observed_months AS
SELECT month_start, month_start >= (SELECT min(month_start) FROM subscription_movements) AS observed
FROM months;

-- Month-grain values --------------------------------------------------------------------------------
CREATE OR REPLACE TEMP TABLE monthly_values AS
WITH movements AS (
    SELECT
        month_start,
        sum(CASE WHEN subscription_movement = 'expansion' THEN mrr_change ELSE 0 END) AS expansion_mrr,
        count(DISTINCT CASE WHEN account_movement = 'new_customer' THEN account_id END) AS new_customers
    FROM subscription_movements
    GROUP BY month_start
),
account_movements AS (
    SELECT
        account_id,
        month_start,
        sum(CASE WHEN subscription_movement IN ('churn', 'contraction') THEN 0 - mrr_change ELSE 0 END)
            AS lost_mrr,
        bool_or(account_movement = 'churn') AS has_churned
    FROM subscription_movements
    GROUP BY account_id, month_start
),
at_start AS (
    SELECT
        months.month_start,
        sum(s.mrr) AS mrr_at_start,
        count(CASE WHEN s.is_active THEN 1 END) AS active_at_start,
        count(CASE WHEN s.is_active AND m.has_churned THEN 1 END) AS churned_from_start,
        sum(CASE WHEN s.is_active THEN coalesce(m.lost_mrr, 0) ELSE 0 END) AS lost_mrr_from_start
    FROM months
    INNER JOIN account_state AS s ON s.boundary = months.month_start
    LEFT JOIN account_movements AS m ON m.account_id = s.account_id AND m.month_start = months.month_start
    GROUP BY months.month_start
),
at_end AS (
    SELECT
        months.month_start,
        sum(s.mrr) AS mrr_at_end,
        count(CASE WHEN s.is_active THEN 1 END) AS active_at_end
    FROM months
    INNER JOIN account_state AS s ON s.boundary = months.next_month_start
    GROUP BY months.month_start
),
revenue AS (
    SELECT CAST(date_trunc('month', invoice_lines.issued_at) AS DATE) AS month_start,
        sum(invoice_lines.amount) AS invoiced_revenue
    FROM invoice_lines
    LEFT JOIN invoices ON invoice_lines.invoice_id = invoices.invoice_id
    WHERE invoices.status IS NULL OR invoices.status NOT IN ('void', 'voided')
    GROUP BY 1
),
cost AS (
    SELECT CAST(date_trunc('month', cost_month) AS DATE) AS month_start, sum(amount) AS cost_of_revenue
    FROM cost_of_revenue
    GROUP BY 1
),
onboarding AS (
    SELECT
        CAST(date_trunc('month', accounts.created_at) AS DATE) AS month_start,
        count(*) AS accounts_created,
        count(CASE WHEN
            milestones.workspace_configured_at <= accounts.created_at + INTERVAL 30 DAY
            AND milestones.data_source_connected_at <= accounts.created_at + INTERVAL 30 DAY
            AND milestones.teammate_invited_at <= accounts.created_at + INTERVAL 30 DAY
            AND milestones.first_dashboard_built_at <= accounts.created_at + INTERVAL 30 DAY
            THEN 1 END) AS onboarded
    FROM accounts
    LEFT JOIN (
        SELECT
            account_id,
            min(occurred_at) FILTER (WHERE milestone = 'workspace_configured') AS workspace_configured_at,
            min(occurred_at) FILTER (WHERE milestone = 'data_source_connected') AS data_source_connected_at,
            min(occurred_at) FILTER (WHERE milestone = 'teammate_invited') AS teammate_invited_at,
            min(occurred_at) FILTER (WHERE milestone = 'first_dashboard_built') AS first_dashboard_built_at
        FROM onboarding_events
        GROUP BY account_id
    ) AS milestones ON accounts.account_id = milestones.account_id
    GROUP BY 1
),
first_values AS (
    SELECT
        CAST(date_trunc('month', first_value.first_value_at) AS DATE) AS month_start,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY
            CAST(date_diff('second', accounts.created_at, first_value.first_value_at) AS DOUBLE) / 86400.0
        ) AS median_days
    FROM (SELECT account_id, min(occurred_at) AS first_value_at FROM first_value_events GROUP BY account_id)
        AS first_value
    LEFT JOIN accounts ON first_value.account_id = accounts.account_id
    GROUP BY 1
),
resolved_tickets AS (
    SELECT
        CAST(date_trunc('month', resolved_at) AS DATE) AS month_start,
        count(*) AS resolved,
        count(CASE WHEN contacts_to_resolution = 1 AND NOT coalesce(reopened, false) THEN 1 END)
            AS first_contact_resolutions,
        count(CASE WHEN coalesce(reopened, false) THEN 1 END) AS reopened
    FROM tickets
    WHERE resolved_at IS NOT NULL
    GROUP BY 1
),
first_responses AS (
    SELECT
        CAST(date_trunc('month', opened_at) AS DATE) AS month_start,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY
            CAST(date_diff('second', opened_at, first_response_at) AS DOUBLE) / 3600.0
        ) AS median_hours
    FROM tickets
    WHERE first_response_at IS NOT NULL
    GROUP BY 1
),
csat AS (
    SELECT CAST(date_trunc('month', responded_at) AS DATE) AS month_start,
        count(*) AS responses, count(CASE WHEN score >= 4 THEN 1 END) AS satisfied
    FROM csat_responses
    GROUP BY 1
),
training AS (
    SELECT
        CAST(date_trunc('month', assignments.due_at) AS DATE) AS month_start,
        count(*) AS due,
        count(CASE WHEN CAST(completions.first_completed_at AS DATE) <= assignments.due_at THEN 1 END)
            AS on_time
    FROM training_assignments AS assignments
    LEFT JOIN (
        SELECT training_assignment_id, min(completed_at) AS first_completed_at
        FROM training_completions
        GROUP BY training_assignment_id
    ) AS completions ON assignments.training_assignment_id = completions.training_assignment_id
    INNER JOIN team_history
        ON assignments.employee_id = team_history.employee_id
        AND team_history.valid_from <= assignments.due_at
        AND (team_history.valid_until IS NULL OR assignments.due_at < team_history.valid_until)
    WHERE team_history.department = 'customer_success'
    GROUP BY 1
),
headcount AS (
    -- an employee has a row from the month they were hired to the month they left
    SELECT
        months.month_start,
        count(CASE WHEN
            employees.hire_date <= months.month_end
            AND (employees.termination_date IS NULL OR employees.termination_date > months.month_end)
            AND team_history.department = 'customer_success' THEN 1 END) AS cs_headcount
    FROM employees
    INNER JOIN months
        ON months.month_end >= employees.hire_date
        AND (employees.termination_date IS NULL OR months.month_start <= employees.termination_date)
    LEFT JOIN team_history
        ON employees.employee_id = team_history.employee_id
        AND team_history.valid_from <= months.month_end
        AND (team_history.valid_until IS NULL OR months.month_end < team_history.valid_until)
    GROUP BY months.month_start
)
SELECT
    months.month_start,
    -- stocks and flows of counts and sums are 0, not null, in a month with data (zero_fill)
    CAST(CASE WHEN observed THEN 12 * coalesce(at_end.mrr_at_end, 0) END AS DOUBLE) AS arr,
    CAST(CASE WHEN observed THEN coalesce(movements.expansion_mrr, 0) END AS DOUBLE) AS expansion_mrr,
    -- a month missing revenue or cost has no margin
    CAST(revenue.invoiced_revenue - cost.cost_of_revenue AS DOUBLE) / nullif(
        CAST(CASE WHEN cost.cost_of_revenue IS NOT NULL THEN revenue.invoiced_revenue END AS DOUBLE), 0
    ) AS gross_margin,
    CAST(CASE WHEN observed THEN coalesce(movements.new_customers, 0) END AS DOUBLE) AS new_customers,
    CAST(at_start.churned_from_start AS DOUBLE) / nullif(CAST(at_start.active_at_start AS DOUBLE), 0)
        AS logo_churn_rate,
    CAST(at_start.lost_mrr_from_start AS DOUBLE) / nullif(CAST(at_start.mrr_at_start AS DOUBLE), 0)
        AS gross_mrr_churn_rate,
    CAST(CASE WHEN observed THEN coalesce(at_end.active_at_end, 0) END AS DOUBLE) AS active_customers,
    CAST(onboarding.onboarded AS DOUBLE) / nullif(CAST(onboarding.accounts_created AS DOUBLE), 0)
        AS onboarding_completion_rate,
    CAST(csat.satisfied AS DOUBLE) / nullif(CAST(csat.responses AS DOUBLE), 0) AS support_csat,
    CAST(first_values.median_days AS DOUBLE) AS time_to_first_value_days,
    CAST(resolved_tickets.first_contact_resolutions AS DOUBLE)
        / nullif(CAST(resolved_tickets.resolved AS DOUBLE), 0) AS first_contact_resolution_rate,
    CAST(resolved_tickets.reopened AS DOUBLE) / nullif(CAST(resolved_tickets.resolved AS DOUBLE), 0)
        AS ticket_reopen_rate,
    CAST(first_responses.median_hours AS DOUBLE) AS median_first_response_hours,
    CAST(training.on_time AS DOUBLE) / nullif(CAST(training.due AS DOUBLE), 0) AS cs_training_completion_rate,
    CAST(headcount.cs_headcount AS DOUBLE) AS cs_headcount
FROM months
INNER JOIN observed_months ON months.month_start = observed_months.month_start
LEFT JOIN movements ON months.month_start = movements.month_start
LEFT JOIN at_start ON months.month_start = at_start.month_start
LEFT JOIN at_end ON months.month_start = at_end.month_start
LEFT JOIN revenue ON months.month_start = revenue.month_start
LEFT JOIN cost ON months.month_start = cost.month_start
LEFT JOIN onboarding ON months.month_start = onboarding.month_start
LEFT JOIN first_values ON months.month_start = first_values.month_start
LEFT JOIN resolved_tickets ON months.month_start = resolved_tickets.month_start
LEFT JOIN first_responses ON months.month_start = first_responses.month_start
LEFT JOIN csat ON months.month_start = csat.month_start
LEFT JOIN training ON months.month_start = training.month_start
LEFT JOIN headcount ON months.month_start = headcount.month_start;

-- Quarter-grain values of the quarterly measures --------------------------------------------------
CREATE OR REPLACE TEMP TABLE quarterly_values AS
WITH quarters AS (
    SELECT
        quarter_start,
        min(month_start) AS first_month_start,
        max(month_end) AS last_month_end,
        max(next_month_start) AS end_boundary
    FROM months
    GROUP BY quarter_start
),
retention AS (
    -- stocks at the end of the quarter's last month, over the accounts that had MRR at the end of the
    -- month a year before it; accounts churned since count with 0
    SELECT
        quarters.quarter_start,
        sum(coalesce(now_.mrr, 0)) AS retained_mrr,
        sum(earlier.mrr) AS cohort_mrr
    FROM quarters
    INNER JOIN account_state AS earlier
        ON earlier.boundary = CAST(quarters.end_boundary - INTERVAL 12 MONTH AS DATE) AND earlier.mrr > 0
    LEFT JOIN account_state AS now_
        ON now_.account_id = earlier.account_id AND now_.boundary = quarters.end_boundary
    GROUP BY quarters.quarter_start
),
engagement AS (
    SELECT months.quarter_start, sum(engagement_score) AS score_sum, count(*) AS responses
    FROM engagement_survey
    INNER JOIN months
        ON months.month_start = CAST(date_trunc('month', engagement_survey.submitted_at) AS DATE)
    GROUP BY months.quarter_start
),
attrition AS (
    -- the cohort employed at the start of the quarter's first month, and who of it left voluntarily
    SELECT
        quarters.quarter_start,
        count(*) AS cohort,
        count(CASE WHEN employees.termination_reason = 'voluntary'
            AND employees.termination_date <= quarters.last_month_end THEN 1 END) AS voluntary_leavers
    FROM quarters
    INNER JOIN employees
        ON employees.hire_date < quarters.first_month_start
        AND (employees.termination_date IS NULL OR employees.termination_date >= quarters.first_month_start)
    GROUP BY quarters.quarter_start
)
SELECT
    quarters.quarter_start,
    CAST(retention.retained_mrr AS DOUBLE) / nullif(CAST(retention.cohort_mrr AS DOUBLE), 0)
        AS net_revenue_retention,
    CAST(engagement.score_sum AS DOUBLE) / nullif(CAST(engagement.responses AS DOUBLE), 0)
        AS employee_engagement_score,
    CAST(attrition.voluntary_leavers AS DOUBLE) / nullif(CAST(attrition.cohort AS DOUBLE), 0)
        AS voluntary_attrition_rate
FROM quarters
LEFT JOIN retention ON quarters.quarter_start = retention.quarter_start
LEFT JOIN engagement ON quarters.quarter_start = engagement.quarter_start
LEFT JOIN attrition ON quarters.quarter_start = attrition.quarter_start;

-- The result: one row per measure and period of its grain -----------------------------------------
CREATE OR REPLACE TABLE baseline_measures AS
SELECT measure_id, 'month' AS period_grain, month_start AS period_start, value
FROM (
    -- accounts_per_csm is derived from two governed measures, as msr_accounts_per_csm reads them
    SELECT *, active_customers / nullif(cs_headcount, 0) AS accounts_per_csm FROM monthly_values
) UNPIVOT INCLUDE NULLS (value FOR measure_id IN (COLUMNS(* EXCLUDE (month_start))))
UNION ALL
SELECT measure_id, 'quarter', quarter_start, value
FROM quarterly_values
UNPIVOT INCLUDE NULLS (value FOR measure_id IN (COLUMNS(* EXCLUDE (quarter_start))));
