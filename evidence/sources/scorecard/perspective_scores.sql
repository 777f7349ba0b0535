-- One row per scorecard, period and perspective (custom perspectives included).
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    scorecard_id,
    scorecard_name,
    period_grain,
    period_start,
    period_end,
    period_label,
    perspective_id,
    perspective_name,
    display_order,
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
    objectives_total,
    objectives_off_track,
    is_complete_period,
    weight
from scorecard.perspective_scores
