-- One row per initiative milestone, with its overdue state.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.initiative_milestones
