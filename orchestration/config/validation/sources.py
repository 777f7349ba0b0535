"""sources.yml, as far as the config needs it: the ``system.table`` names measures may list."""

from __future__ import annotations

from orchestration.config.validation.core import SOURCES, Parsed, State
from orchestration.documents import read_document


def read_sources(state: State, parsed: Parsed) -> None:
    """The ``system.table`` names of sources.yml, read as plain YAML (ingestion owns its model)."""
    path = state.config_dir / SOURCES
    if not path.exists():
        state.error(
            SOURCES,
            (),
            f"sources.yml is missing from {state.config_dir}, so data sources cannot be checked.",
            "add the source registry (sources.yml) next to the scorecard config",
            "unknown_data_source",
        )
        return
    # The same reading as the registry's own (orchestration.ingestion.registry), so a syntax error is
    # the same Issue in both reports; the registry reports its duplicate keys itself.
    document, issues = read_document(path, SOURCES)
    if document is None:
        state.issues += issues
        return
    systems = document.data.get("systems") if isinstance(document.data, dict) else None
    if not isinstance(systems, dict):
        state.error(
            SOURCES,
            (),
            "sources.yml has no `systems:` mapping.",
            "list each system with its `tables:`",
            "schema",
        )
        return
    names: set[str] = set()
    for system, spec in systems.items():
        tables = spec.get("tables") if isinstance(spec, dict) else None
        if isinstance(tables, dict):
            names.update(f"{system}.{table}" for table in tables)
    if not names:
        state.error(
            SOURCES,
            ("systems",),
            "sources.yml registers no tables, so no data source can be checked.",
            "give each system a `tables:` mapping of table names to their specs",
            "unknown_data_source",
        )
        return
    parsed.data_sources = names
