-- One row per initiative and objective it serves, with the objective's name and perspective.
-- Columns as documented in docs/bi-guide.md (the published contract); no logic here.
select
    initiative_id,
    initiative_name,
    objective_id,
    objective_name,
    perspective_id,
    perspective_name,
    display_order
from scorecard.initiative_objectives
