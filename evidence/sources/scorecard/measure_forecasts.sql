-- One row per scorecard, measure and period with the fiscal year's projection against its annual target.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.measure_forecasts
