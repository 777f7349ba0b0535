-- One row per OKR: its quarter, the objective it serves and the roll-up of its key results.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    okr_id,
    okr_name,
    owner,
    period_label,
    period_start,
    period_end,
    judged_on,
    objective_id,
    objective_name,
    perspective_id,
    perspective_name,
    score,
    status,
    key_results_total,
    key_results_on_track,
    key_results_at_risk,
    key_results_off_track,
    key_results_no_data,
    display_order
from scorecard.okrs
