-- One row per scorecard, period and measure: actual, target, status, score and trend.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.scorecard
