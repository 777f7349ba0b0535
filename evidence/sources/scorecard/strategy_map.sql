-- One row per cause-and-effect link of the strategy map and period, with both ends' status.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    scorecard_id,
    period_grain,
    period_start,
    period_end,
    period_label,
    cause_objective_id,
    cause_objective_name,
    cause_perspective_id,
    cause_status,
    cause_score,
    effect_objective_id,
    effect_objective_name,
    effect_perspective_id,
    effect_status,
    effect_score,
    lag_months,
    assumption,
    assumption_failed,
    evidence_correlation
from scorecard.strategy_map
