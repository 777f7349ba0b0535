{#
    Every period each scorecard reports (any measure has a row), with the day that period is judged
    on: its last day, or the last day of the scorecard's last month for a period still running (the
    current quarter or year), so nothing is called overdue before it could be.
#}
with scorecard_rows as (
    select * from {{ ref('scorecard') }}
)

select distinct
    scorecard_id,
    period_grain,
    period_start,
    period_end,
    period_label,
    {{ judged_on('period_end') }} as judged_on
from scorecard_rows
