-- One row per finding (imbalance, early warning, off-track measure, ...) and period.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.balance_findings
