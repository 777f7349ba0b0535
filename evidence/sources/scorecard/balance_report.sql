-- The balance report: one row per scorecard, period grain and period, perspectives side by side.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.balance_report
