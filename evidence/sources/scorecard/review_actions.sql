-- One row per action decided in a strategy review, with its overdue state.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    review_id,
    review_date,
    review_period_label,
    action_id,
    description,
    owner,
    due_date,
    status,
    is_overdue,
    days_overdue
from scorecard.review_actions
