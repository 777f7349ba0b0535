-- One row per strategy-map assumption a review judged failed, with the link's evidence then and now.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    review_id,
    scorecard_id,
    review_period_label,
    review_date,
    link_id,
    cause_objective_id,
    cause_objective_name,
    effect_objective_id,
    effect_objective_name,
    effect_objective_owner,
    assumption,
    note,
    evidence_verdict_at_review,
    evidence_period_label,
    evidence_verdict,
    evidence_lag_months,
    evidence_pairs,
    evidence_detrended_correlation,
    evidence_correlation_low,
    evidence_correlation_high
from scorecard.review_assumptions
