-- One row per key result of an OKR, with its progress against the progress expected by now.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.okr_key_results
