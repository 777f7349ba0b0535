-- One row per initiative: owner, dates, status, budget against the cost so far, milestone counts.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    initiative_id,
    initiative_name,
    owner,
    start_date,
    end_date,
    status,
    description,
    budget,
    actual_cost,
    budget_remaining,
    objectives_served,
    milestones_total,
    milestones_done,
    milestones_overdue,
    next_milestone_due_date,
    display_order
from scorecard.initiatives
