"""Ingestion of source-system exports into the warehouse's ``raw`` schema, driven by sources.yml."""

from orchestration.ingestion.loader import (
    IngestionError,
    SourceReadError,
    SourceSchemaError,
    TableLoadResult,
    ingest_table,
    new_load_id,
)
from orchestration.ingestion.registry import RegistryError, SourceRegistry, SourceTable, load_registry

__all__ = [
    "IngestionError",
    "RegistryError",
    "SourceReadError",
    "SourceRegistry",
    "SourceSchemaError",
    "SourceTable",
    "TableLoadResult",
    "ingest_table",
    "load_registry",
    "new_load_id",
]
