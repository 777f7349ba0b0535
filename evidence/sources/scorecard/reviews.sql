-- One row per strategy review: scorecard and period reviewed, date, chair, summary and counts.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    review_id,
    scorecard_id,
    review_period_grain,
    review_period_start,
    review_period_end,
    review_period_label,
    review_date,
    is_held,
    chair,
    summary,
    agenda_items,
    decisions,
    failed_assumptions,
    actions,
    actions_open,
    actions_overdue
from scorecard.reviews
