"""How a run whose dbt models run on Spark keeps the DuckDB file the warehouse of record.

On DuckDB, ingestion, dbt, the checks and publishing all work in one file. With
``SCORECARD_ENGINE=spark`` the same dbt project runs on Spark (dbt-spark), and everything around it
stays as it is, because the tables cross in Parquet, the format both engines read natively:

1. **Inputs out.** Every table dbt reads that the run wrote in the warehouse file (the sources:
   ``raw``, and the ``quality``/``publish`` logs some models read; the ``config`` seeds, which dbt
   loads into the file first so both engines see the same typed rows) is written as Parquet under
   ``<warehouse>/spark/exchange/sources/<schema>/<table>/``. The engine's on-run-start hook
   (``scorecard_engine.register_exchanged_sources``) declares each one an external table in Spark.
2. **Models on Spark.** ``dbt build`` runs there: staging, measures, marts and their tests.
3. **Results back.** The on-run-end hook (``scorecard_engine.export_built_relations``) writes every
   relation the build made to ``exchange/results/<schema>/<table>/``; ``read_back`` replaces the
   tables of the same names in the warehouse file, so the Great Expectations and plausibility
   checks, publishing, the report and BI read exactly what Spark computed.

What stays on DuckDB: the config seeds (step 1) and the ``measure_value_history`` snapshot with the
models built on it (``restatements``). A snapshot merges into its own history, which Spark can do
only on a table format with row-level changes (Delta, Iceberg, Hudi) whose jars a machine without
Maven access cannot fetch; the history of a few thousand measure values a month is DuckDB-sized at
any company size. Measure models and ``measure_values`` are incremental on DuckDB and rebuilt whole
on Spark (``scorecard_engine.incremental_by_period``).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from orchestration.sql import literal, qualified
from orchestration.warehouse import table_exists

# The snapshot that, with everything built on it, runs on DuckDB after the results are read back.
HISTORY_SNAPSHOT = "measure_value_history"
HISTORY_SELECTOR = f"{HISTORY_SNAPSHOT}+"
_BUILT_RESOURCES = frozenset({"model", "seed", "snapshot", "test"})


@dataclass(frozen=True)
class Exchange:
    """The Parquet folders of one warehouse's exchange with Spark (``<warehouse>/spark/exchange``)."""

    root: Path

    @property
    def sources_dir(self) -> Path:
        return self.root / "sources"

    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    def export_inputs(self, con: duckdb.DuckDBPyConnection, manifest: Mapping[str, Any]) -> list[str]:
        """Write every source and seed table dbt reads that the warehouse file holds; return their names.

        The folder is emptied first: a table dropped from the file must not reach Spark from an
        earlier run. Sources not yet in the file (a log no run has written) are left out, as dbt on
        DuckDB would find them missing too; the models that read them check for the relation.
        """
        shutil.rmtree(self.sources_dir, ignore_errors=True)
        exported = []
        for schema, table in input_tables(manifest):
            if not table_exists(con, schema, table):
                continue
            folder = self.sources_dir / schema / table
            folder.mkdir(parents=True)
            con.execute(
                f"COPY (SELECT * FROM {qualified(schema, table)}) "
                f"TO {literal(str(folder / 'part-0.parquet'))} (FORMAT parquet)"
            )
            exported.append(f"{schema}.{table}")
        return exported

    def environment(self, exported: Iterable[str]) -> dict[str, str]:
        """What the engine's hooks read while dbt runs on Spark (macros/portable/engine_exchange.sql)."""
        shutil.rmtree(self.results_dir, ignore_errors=True)
        self.results_dir.mkdir(parents=True)
        return {
            "SCORECARD_EXCHANGE_SOURCES": str(self.sources_dir),
            "SCORECARD_EXCHANGE_SOURCE_TABLES": ",".join(exported),
            "SCORECARD_EXCHANGE_RESULTS": str(self.results_dir),
        }

    def read_back(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        """Replace each table the Spark build wrote in the warehouse file with Spark's rows; return them.

        Spark's timestamps are instants (Parquet ``isAdjustedToUTC``); the models' are UTC wall
        times, so they come back as naive UTC timestamps, as DuckDB builds them. A relation that is
        a view in the file (staging, when DuckDB built it last) is dropped first.
        """
        read = []
        for folder in sorted(path for path in self.results_dir.glob("*/*") if path.is_dir()):
            schema, table = folder.parent.name, folder.name
            files = sorted(folder.glob("*.parquet"))
            if not files:
                raise RuntimeError(f"Spark wrote no Parquet file for {schema}.{table} in {folder}.")
            source = f"read_parquet({literal(str(folder / '*.parquet'))})"
            columns = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
            select = ", ".join(
                f"timezone('UTC', {qualified(name)}) AS {qualified(name)}"
                if column_type == "TIMESTAMP WITH TIME ZONE"
                else qualified(name)
                for name, column_type, *_ in columns
            )
            target = qualified(schema, table)
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {qualified(schema)}")
            if _is_view(con, schema, table):
                con.execute(f"DROP VIEW {target}")
            con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT {select} FROM {source}")
            read.append(f"{schema}.{table}")
        return read


def _is_view(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    rows = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(rows) and rows[0][0] == "VIEW"


def input_tables(manifest: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(schema, table) of every source and seed in the manifest, sorted."""
    tables = {(source["schema"], source["identifier"]) for source in manifest["sources"].values()}
    tables |= {
        (node["schema"], node.get("alias") or node["name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "seed"
    }
    return sorted(tables)


def history_exclusions(manifest: Mapping[str, Any]) -> list[str]:
    """Selectors of the nodes a build must exclude to run only the history snapshot and what is built on it.

    dagster-dbt adds the run's own ``--select`` to every invocation and dbt unites several
    ``--select`` options, so "only these" is said as "not the others": every model, seed, snapshot
    and test that does not descend from the snapshot.
    """
    nodes = manifest["nodes"]
    start = [
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] == "snapshot" and node["name"] == HISTORY_SNAPSHOT
    ]
    history, queue = set(start), list(start)
    while queue:
        for child in manifest["child_map"].get(queue.pop(), []):
            if child not in history:
                history.add(child)
                queue.append(child)
    # By full fqn: a bare name is also matched as a folder (excluding the model `scorecard` would
    # exclude everything under a folder named scorecard, the snapshot included).
    return sorted(
        "fqn:" + ".".join(node["fqn"])
        for unique_id, node in nodes.items()
        if node["resource_type"] in _BUILT_RESOURCES and unique_id not in history
    )
