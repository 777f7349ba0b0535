-- One row per OKR: its quarter, the objective it serves and the roll-up of its key results.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.okrs
