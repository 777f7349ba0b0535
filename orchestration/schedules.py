"""Jobs, partitions, schedules and sensors."""

from __future__ import annotations

import dagster as dg

MAIN_JOB_NAME = "scorecard_job"

# Every asset writes the same DuckDB file, which takes one writer at a time: run steps in one process.
scorecard_job = dg.define_asset_job(
    name=MAIN_JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dg.in_process_executor,
    description="Validate config, ingest every source, build and test every dbt model.",
)
