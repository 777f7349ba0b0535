"""What a run loads, holds and leaves alone in the landing zone, and the months its loads touched.

Real files in a temp landing zone, the real loader and a real DuckDB warehouse.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb

from orchestration.ingestion.landing import held_files, ignored_files, landing_folder
from orchestration.ingestion.late_data import months_loaded, not_restated_message
from orchestration.ingestion.loader import ingest_table
from orchestration.ingestion.registry import SourceRegistry
from tests.ingestion.builders import ORDERS_HEADER, write_text

MAY, JUNE = date(2025, 5, 1), date(2025, 6, 1)
ORDER = "O-{n},C-1,1.00,1,true,2025-0{m}-02,2025-0{m}-02 10:00:00,0"


def _orders(landing: Path, name: str, month: int, *numbers: int) -> Path:
    rows = "\n".join(ORDER.format(n=n, m=month) for n in numbers)
    return write_text(landing / "shop" / "orders" / name, f"{ORDERS_HEADER}\n{rows}\n")


def _relative(landing: Path, found: dict) -> dict[tuple[str, str], list[tuple[str, str]]]:
    return {
        key: [(str(entry.path.relative_to(landing)), entry.reason) for entry in entries]
        for key, entries in found.items()
    }


def test_a_month_to_date_export_is_held_and_loads_once_its_month_is_the_last(
    con: duckdb.DuckDBPyConnection, registry: SourceRegistry, landing: Path
) -> None:
    _orders(landing, "2025-05.csv", 5, 1, 2)
    open_month = _orders(landing, "2025-06.csv", 6, 3)

    spec = registry.table("shop", "orders")
    assert held_files(spec, landing, MAY) == [(open_month, JUNE)]
    result = ingest_table(con, registry, "shop", "orders", landing, "load-may", last_month=MAY)
    assert [Path(detail.source_file).name for detail in result.files] == ["2025-05.csv"]
    assert con.execute("SELECT count(*) FROM raw._ingested_files").fetchall()[0][0] == 1

    assert held_files(spec, landing, JUNE) == []
    result = ingest_table(con, registry, "shop", "orders", landing, "load-june", last_month=JUNE)
    assert [(Path(d.source_file).name, d.status) for d in result.files] == [
        ("2025-05.csv", "skipped_unchanged"),
        ("2025-06.csv", "loaded"),
    ]


def test_a_held_file_loaded_before_is_neither_withdrawn_nor_reloaded(
    con: duckdb.DuckDBPyConnection, registry: SourceRegistry, landing: Path
) -> None:
    """Holding is not removing: a June file loaded by a run whose last month was June (a replay),
    then held by a run whose last month is May, keeps its rows in force and is not read again."""
    _orders(landing, "2025-05.csv", 5, 1, 2)
    _orders(landing, "2025-06.csv", 6, 3)
    ingest_table(con, registry, "shop", "orders", landing, "load-june", last_month=JUNE)

    result = ingest_table(con, registry, "shop", "orders", landing, "load-may", last_month=MAY)
    assert [(Path(d.source_file).name, d.status) for d in result.files] == [
        ("2025-05.csv", "skipped_unchanged")
    ]
    (withdrawn,) = con.execute("SELECT count(*) FROM raw._withdrawn_files").fetchone()
    assert withdrawn == 0


def test_files_no_location_matches_are_listed_with_the_reason_and_dotfiles_are_noise(
    registry: SourceRegistry, landing: Path
) -> None:
    _orders(landing, "2025-05.csv", 5, 1)
    write_text(landing / "shop" / "orders" / "2025-04.csv.gz", "compressed")
    write_text(landing / "shop" / "orders" / "notes.txt", "a note")
    write_text(landing / "shop" / "orders" / ".DS_Store", "noise")
    write_text(landing / "shop" / "orders" / ".~lock.2025-05.csv#", "noise")
    write_text(landing / "shop" / "orders" / ".partial" / "2025-03.csv", "noise")
    os.symlink(landing / "gone" / "2025-03.csv", landing / "shop" / "orders" / "2025-03.csv")
    write_text(landing / "shop" / "costs.csv", "month,category,amount\n")
    # Under shop/ (the folder of shop/costs.csv) but matched by another table: not listed.
    write_text(landing / "shop" / "events" / "2025-05.jsonl", "{}\n")

    assert landing_folder(registry.table("shop", "orders"), landing) == landing / "shop" / "orders"
    assert landing_folder(registry.table("shop", "costs"), landing) == landing / "shop"
    assert _relative(landing, ignored_files(registry, landing)) == {
        ("shop", "orders"): [
            (
                "shop/orders/2025-03.csv",
                f"a broken symlink (it points to {landing / 'gone' / '2025-03.csv'}, which does not "
                "exist): restore the file it points to, or remove the link",
            ),
            (
                "shop/orders/2025-04.csv.gz",
                "not matched by shop/orders/*.csv: a compressed file is not read; decompress it beside "
                "the others to load it",
            ),
            (
                "shop/orders/notes.txt",
                "not matched by shop/orders/*.csv: if it is an export, rename it to match, or change "
                "`location` in sources.yml; otherwise move it out of the landing folder",
            ),
        ]
    }


def test_the_months_a_run_loaded_by_file_name_and_by_changed_snapshot_rows(
    con: duckdb.DuckDBPyConnection, registry: SourceRegistry, landing: Path
) -> None:
    costs = landing / "shop" / "costs.csv"
    write_text(costs, "month,category,amount\n2024-01-01,rent,10\n2024-02-01,rent,10\n2024-03-01,rent,10\n")
    _orders(landing, "2024-02.csv", 2, 1)
    for table in ("orders", "costs"):
        ingest_table(con, registry, "shop", table, landing, f"first-{table}", run_id="first")
    assert {(m.table, m.month) for m in months_loaded(con, registry, "first")} == {
        ("orders", date(2024, 2, 1)),
        ("costs", date(2024, 1, 1)),
        ("costs", date(2024, 2, 1)),
        ("costs", date(2024, 3, 1)),
    }

    # A snapshot with February corrected and March withdrawn; February's order file corrected.
    write_text(costs, "month,category,amount\n2024-01-01,rent,10\n2024-02-01,rent,12\n")
    _orders(landing, "2024-02.csv", 2, 1, 2)
    for table in ("orders", "costs"):
        ingest_table(con, registry, "shop", table, landing, f"second-{table}", run_id="second")
    loaded = months_loaded(con, registry, "second")
    assert [(m.table, m.month) for m in loaded] == [
        ("costs", date(2024, 2, 1)),
        ("orders", date(2024, 2, 1)),
        ("costs", date(2024, 3, 1)),
    ]
    # The same content at a new path (the landing zone moved) brings nothing new.
    moved = landing / "shop" / "orders" / "2024-02_moved.csv"
    moved.write_bytes((landing / "shop" / "orders" / "2024-02.csv").read_bytes())
    ingest_table(con, registry, "shop", "orders", landing, "moved", run_id="moved")
    assert months_loaded(con, registry, "moved") == []
    assert not_restated_message(loaded, date(2024, 6, 1), landing) == (
        "Loaded but not restated: shop/costs.csv (2024-02, 2024-03); shop/orders/2024-02.csv (2024-02) — "
        "older than this run's restatement window (periods ending from 2024-06 on), so the values "
        "published for those months are unchanged. `scorecard run --period 2024-02 --restate` "
        "recomputes every month from 2024-02 and records the changed values in scorecard.restatements."
    )
