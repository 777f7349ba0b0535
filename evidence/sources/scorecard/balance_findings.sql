-- One row per finding (imbalance, early warning, off-track measure, ...) and period.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    finding_id,
    scorecard_id,
    period_grain,
    period_start,
    period_label,
    finding_type,
    severity,
    perspective_id,
    objective_id,
    measure_id,
    owner,
    message,
    subject
from scorecard.balance_findings
