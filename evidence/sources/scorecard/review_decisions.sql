-- One row per decision taken in a strategy review.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    review_id,
    scorecard_id,
    review_period_label,
    review_date,
    decision_number,
    decision,
    owner,
    objective_id,
    objective_name,
    measure_id,
    measure_name
from scorecard.review_decisions
