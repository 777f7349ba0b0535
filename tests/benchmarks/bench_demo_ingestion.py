"""Benchmark: generate the demo at a scale, then ingest every source table through the Dagster assets.

Not collected by pytest (wall-clock figures belong in notes, never in assertions). Run it as
``.venv/bin/python -m tests.benchmarks.bench_demo_ingestion --scale 10`` and, for peak memory of the
whole process, under ``/usr/bin/time -v``.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.defs.ingestion import build_ingestion_assets
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.demo import generate_demo
from orchestration.ingestion import load_registry
from orchestration.settings import REPO_ROOT, get_settings


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=10.0)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--end-month", default="2026-10")
    args = parser.parse_args()
    year, month = map(int, args.end_month.split("-"))

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        landing, warehouse = Path(tmp) / "landing", Path(tmp) / "warehouse.duckdb"
        started = time.perf_counter()
        summary = generate_demo(landing, scale=args.scale, months=args.months, end_month=date(year, month, 1))
        generated = time.perf_counter()
        os.environ["SCORECARD_LANDING_DIR"] = str(landing)
        assets = build_ingestion_assets(load_registry(REPO_ROOT / "scorecard_config" / "sources.yml"))
        result = dg.materialize(
            assets,
            resources={
                "warehouse": WarehouseResource(path=str(warehouse)),
                "company": CompanyResource.from_settings(get_settings()),
            },
            instance=dg.DagsterInstance.ephemeral(),
        )
        ingested = time.perf_counter()
        assert result.success
        loaded = sum(
            event.materialization.metadata["rows_loaded"].value
            for event in result.get_asset_materialization_events()
        )
        print(f"scale={args.scale} months={args.months}: ", end="")
        print(f"{summary.total_rows:,} rows in {summary.total_files} files")
        print(f"generate: {generated - started:6.1f} s")
        print(f"ingest:   {ingested - generated:6.1f} s  ({loaded:,} rows loaded, {len(assets)} assets)")
        print(f"total:    {ingested - started:6.1f} s  peak RSS {_peak_rss_mb():,.0f} MB")
        print(f"warehouse file: {warehouse.stat().st_size / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
