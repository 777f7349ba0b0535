-- One row per initiative and objective it serves, with the objective's name and perspective.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.initiative_objectives
