"""Publishing the scorecard to the BI-facing DuckDB file: write, audit, atomically replace."""

from orchestration.publish.contract import contract_tables
from orchestration.publish.wap import (
    HOLD_ENV,
    HOLD_POINTS,
    PUBLISHED_SCHEMA,
    PublishedTable,
    PublishError,
    PublishResult,
    RunWindow,
    clean_stale_temp_files,
    ensure_log_tables,
    publish_scorecard,
    register_run,
    storage_version,
    sync_publication_log,
    temp_file_pattern,
)

__all__ = [
    "HOLD_ENV",
    "HOLD_POINTS",
    "PUBLISHED_SCHEMA",
    "PublishError",
    "PublishResult",
    "PublishedTable",
    "RunWindow",
    "clean_stale_temp_files",
    "contract_tables",
    "ensure_log_tables",
    "publish_scorecard",
    "register_run",
    "storage_version",
    "sync_publication_log",
    "temp_file_pattern",
]
