-- One row per initiative milestone, with its overdue state.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    initiative_id,
    initiative_name,
    milestone_id,
    milestone_name,
    owner,
    due_date,
    status,
    is_overdue,
    days_overdue,
    display_order
from scorecard.initiative_milestones
