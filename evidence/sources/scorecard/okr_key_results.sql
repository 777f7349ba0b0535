-- One row per key result of an OKR, with its progress against the progress expected by now.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    okr_id,
    key_result_id,
    okr_name,
    key_result_name,
    objective_id,
    owner,
    period_label,
    period_start,
    period_end,
    judged_on,
    due_date,
    start_value,
    target_value,
    current_value,
    progress,
    expected_progress,
    attainment,
    status,
    score,
    display_order
from scorecard.okr_key_results
