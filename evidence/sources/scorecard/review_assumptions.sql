-- One row per strategy-map assumption a review judged failed, with the link's evidence then and now.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.review_assumptions
