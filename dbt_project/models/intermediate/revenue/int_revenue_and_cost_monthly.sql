-- Invoiced revenue (invoice lines by issue month, void invoices excluded) and cost of revenue (as
-- closed by finance) per calendar month. Null, not 0, where a source has no rows for the month.
with invoice_lines as (
    select * from {{ ref('stg_billing__invoice_lines') }}
),

invoices as (
    select * from {{ ref('stg_billing__invoices') }}
),

revenue as (
    select
        {{ scorecard_engine.month_start('invoice_lines.issued_at') }} as month_start,
        sum(invoice_lines.amount) as invoiced_revenue
    from invoice_lines
    left join invoices
        on invoice_lines.invoice_id = invoices.invoice_id
    where invoices.status is null or invoices.status not in ('void', 'voided')
    group by {{ scorecard_engine.month_start('invoice_lines.issued_at') }}
),

cost as (
    select
        {{ scorecard_engine.month_start('cost_month') }} as month_start,
        sum(amount) as cost_of_revenue
    from {{ ref('stg_finance__cost_of_revenue') }}
    group by {{ scorecard_engine.month_start('cost_month') }}
),

months as (
    select month_start from {{ ref('int_calendar_months') }}
)

select
    months.month_start,
    revenue.invoiced_revenue,
    cost.cost_of_revenue
from months
left join revenue on months.month_start = revenue.month_start
left join cost on months.month_start = cost.month_start
