-- One row per scorecard, period and perspective (custom perspectives included).
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.perspective_scores
