"""Dagster's SQLite event log, with its connections kept open between events.

A run of the scorecard job records a few thousand events: a planned event, an output and an
evaluation for each of several hundred dbt tests, a materialisation per asset and recomputed month.
Dagster's ``SqliteEventLogStorage`` opens a new SQLAlchemy engine and SQLite connection for every
event and closes it again; closing the last connection to a WAL database checkpoints it. Measured on
a one-month refresh of the demo, that open/commit/close cycle was half the time the run spent in
Dagster's event log, and the event log half the run.

``PooledSqliteEventLogStorage`` is the same storage (same files, same schema, readable by any
Dagster process, the UI included) whose ``_connect`` keeps one engine with one open connection per
shard (the run's database and the cross-run index), for the most recent shards. Connections run
with ``synchronous=NORMAL``, SQLite's recommended setting in WAL mode: a crash of the process never
loses a committed event; a power cut may lose the last ones, never corrupt the file.

It is configured in the ``dagster.yaml`` that ``orchestration.settings.ensure_dagster_home`` writes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._serdes import ConfigurableClassData
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

# Open shards kept: the running run's and the index, with room for the UI reading a few others.
_OPEN_SHARDS = 8
_BUSY_TIMEOUT_SECONDS = 30


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` that reuses one open connection per shard instead of one per event."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._engines_lock = threading.Lock()
        self._tables_present: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(  # ty: ignore[invalid-method-override]
        cls, inst_data: ConfigurableClassData | None, config_value: dict[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.pop(shard, None)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard),
                    # One connection, used under the storage's own lock by whichever thread holds it.
                    poolclass=StaticPool,
                    connect_args={"timeout": _BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                event.listen(engine, "connect", _normal_sync)
            self._engines[shard] = engine
            while len(self._engines) > _OPEN_SHARDS:
                _, oldest = self._engines.popitem(last=False)
                oldest.dispose()
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        """Whether the index has ``table_name``; Dagster asks for every asset event, with a new engine
        each time. A table, once there, stays (migrations add tables), so a yes is remembered."""
        if table_name in self._tables_present:
            return True
        present = super().has_table(table_name)
        if present:
            self._tables_present.add(table_name)
        return present

    def dispose(self) -> None:
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()
