-- One row per strategy review: scorecard and period reviewed, date, chair, summary and counts.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.reviews
