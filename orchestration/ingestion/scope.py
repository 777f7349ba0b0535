"""The one table load that the ledger, the readers and the row rules each do their part of."""

from __future__ import annotations

import duckdb

from orchestration.ingestion.registry import SourceTable


class LoadScope:
    """What every step of one ``ingest_table`` call works with: the connection, the table's
    sources.yml entry and names, the quoted raw table its rows go to, and the load id."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: SourceTable,
        system: str,
        table: str,
        target: str,
        load_id: str,
    ) -> None:
        self.con = con
        self.spec = spec
        self.system = system
        self.table = table
        self.target = target
        self.load_id = load_id
        self.declared = list(spec.columns)

    def _share(self, scope: LoadScope) -> None:
        """Take the parts of ``scope``: how each step starts from the load's one scope."""
        parts = (scope.con, scope.spec, scope.system, scope.table, scope.target, scope.load_id)
        LoadScope.__init__(self, *parts)
