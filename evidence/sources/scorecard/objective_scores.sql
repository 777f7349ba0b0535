-- One row per scorecard, period and strategic objective.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    scorecard_id,
    scorecard_name,
    period_grain,
    period_start,
    period_end,
    period_label,
    objective_id,
    objective_name,
    perspective_id,
    perspective_name,
    owner,
    score,
    status,
    untrusted_weight_share,
    measures_total,
    measures_on_track,
    measures_at_risk,
    measures_off_track,
    measures_no_data,
    measures_no_target,
    measures_untrusted,
    measures_provisional,
    has_off_track_measures,
    is_complete_period,
    measured_period_label
from scorecard.objective_scores
