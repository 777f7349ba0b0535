-- One row per initiative: owner, dates, status, budget against the cost so far, milestone counts.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.initiatives
