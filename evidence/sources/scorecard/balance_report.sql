-- The balance report: one row per scorecard, period grain and period, perspectives side by side.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    scorecard_id,
    scorecard_name,
    period_grain,
    period_start,
    period_end,
    period_label,
    financial_score,
    financial_status,
    customer_score,
    customer_status,
    internal_process_score,
    internal_process_status,
    learning_growth_score,
    learning_growth_status,
    overall_score,
    overall_status,
    untrusted_weight_share,
    balance_index,
    is_imbalanced,
    imbalance_reason,
    measures_total,
    measures_off_track,
    findings_total,
    findings_critical,
    is_complete_period
from scorecard.balance_report
