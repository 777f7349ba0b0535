-- One row per cause-and-effect link of the strategy map and period, with both ends' status.
-- The whole published table: its columns are the contract dbt enforces and docs/bi-guide.md
-- documents (tests/bi checks this query returns exactly those); no logic here.
select * from scorecard.strategy_map
