"""Balanced Scorecard warehouse: ingestion, governed measures, quality gates and the balance report."""

import os

# No tool of this project reports usage anywhere: dbt, Great Expectations and Dagster are told so
# before any of them is imported (Dagster's own switch is also written into DAGSTER_HOME/dagster.yaml).
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
