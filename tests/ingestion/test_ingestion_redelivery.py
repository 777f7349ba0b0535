"""Re-delivered and removed files, through the real loader into a real DuckDB file.

A re-delivered file of a ``replace`` table (the default for files) supersedes its earlier version:
rows missing from it are withdrawn, recorded and reported; a sharp drop in rows is refused before use
unless accepted. An ``append`` table keeps upserting. A file removed from the landing zone has its
rows withdrawn, and put back it loads again. Withdrawn rows stay in the raw table.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.freshness import _landing_is_loaded
from orchestration.ingestion.loader import (
    RedeliveryRefusedError,
    SourceSchemaError,
    TableLoadResult,
    in_force_sql,
    ingest_table,
)
from orchestration.ingestion.registry import SourceRegistry
from tests.ingestion.builders import ORDERS_HEADER, TEST_SOURCES, registry_from, write_text

Connection = duckdb.DuckDBPyConnection
# A last month after every file's: no file is held for a later month.
NOTHING_HELD = date(2099, 12, 1)
ORDERS = "shop/orders/2025-05.csv"


def orders(count: int, first: int = 1, amount: str = "10.00") -> str:
    """An orders export of ``count`` valid rows, keys O-<first>…"""
    rows = [
        f"O-{n},C-1,{amount},1,true,2025-05-01,2025-05-01 10:00:00,0" for n in range(first, first + count)
    ]
    return "\n".join([ORDERS_HEADER, *rows]) + "\n"


def load(
    con: Connection, registry: SourceRegistry, landing: Path, load_id: str, **options
) -> TableLoadResult:
    return ingest_table(con, registry, "shop", "orders", landing, load_id, **options)


def in_force(con: Connection) -> dict[str, str]:
    """What staging reads: per key, the latest row of a version still in force (order_id -> amount)."""
    return dict(
        con.execute(
            f"""
            SELECT order_id, CAST(amount AS VARCHAR) FROM raw.shop__orders AS loaded
            WHERE {in_force_sql("loaded")}
            QUALIFY row_number() OVER (
                PARTITION BY order_id ORDER BY _loaded_at DESC, _load_id DESC, _source_row_number DESC
            ) = 1
            """
        ).fetchall()
    )


def test_a_smaller_redelivery_replaces_the_file_and_withdraws_the_missing_rows(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    export = write_text(landing / ORDERS, orders(10))
    load(con, registry, landing, "L1")
    write_text(export, orders(6, amount="12.00"))

    result = load(con, registry, landing, "L2")

    (detail,) = result.files
    assert (detail.status, detail.rows_loaded, detail.rows_withdrawn) == ("loaded", 6, 4)
    assert result.notices == [f"{ORDERS}: re-delivered with 6 of 10 rows; 4 rows withdrawn"]
    assert in_force(con) == {f"O-{n}": "12.00" for n in range(1, 7)}
    # Nothing is lost: the withdrawn rows stay in the raw table, named in the ledger.
    assert con.execute("SELECT count(*) FROM raw.shop__orders").fetchall() == [(16,)]
    assert con.execute(
        "SELECT load_id, source_row_number, withdrawn_by_load_id FROM raw._withdrawn_rows ORDER BY 2"
    ).fetchall() == [("L1", n, "L2") for n in range(7, 11)]
    assert con.execute(
        "SELECT load_id, rows_withdrawn, withdrawn_by_load_id, reason FROM raw._withdrawn_files"
    ).fetchall() == [("L1", 4, "L2", "replaced by a re-delivery of the file with 6 of 10 rows")]


def test_a_redelivery_with_every_row_withdraws_nothing_and_says_so(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    export = write_text(landing / ORDERS, orders(4))
    load(con, registry, landing, "L1")
    write_text(export, orders(5, amount="11.00"))

    result = load(con, registry, landing, "L2")

    assert result.rows_withdrawn == 0
    assert result.notices == [
        f"{ORDERS}: re-delivered with 5 rows (was 4); it replaces the earlier version; no row withdrawn"
    ]
    assert in_force(con) == {f"O-{n}": "11.00" for n in range(1, 6)}


def test_a_sharp_drop_is_refused_before_use_until_accepted(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    export = write_text(landing / ORDERS, orders(10))
    load(con, registry, landing, "L1")
    write_text(export, orders(4, amount="99.00"))  # cut at a row boundary: valid CSV, 40% of the rows

    with pytest.raises(RedeliveryRefusedError) as refused:
        load(con, registry, landing, "L2")

    message = str(refused.value)
    assert message.startswith(f"{export}: re-delivered with 4 of the 10 rows of the version loaded ")
    assert "(40%, below the 50% that shop.orders accepts), so it was not loaded and the earlier " in message
    assert "version stays in force. If the export was cut short, re-deliver the complete file" in message
    assert (
        f"`scorecard run --accept-redelivery {ORDERS}` (or SCORECARD_ACCEPT_REDELIVERY={ORDERS})" in message
    )
    assert "or lower `redelivery_min_ratio` of shop.orders in sources.yml" in message
    (detail,) = refused.value.result.files
    assert detail.status == "failed"
    assert in_force(con) == {f"O-{n}": "10.00" for n in range(1, 11)}
    assert con.execute("SELECT count(*) FROM raw._ingested_files").fetchall() == [(1,)]

    # Refused again on the next run: the file is held, not forgotten.
    with pytest.raises(RedeliveryRefusedError):
        load(con, registry, landing, "L3")

    accepted = load(con, registry, landing, "L4", accept_redelivery=["shop/orders/*.csv"])

    assert accepted.notices == [
        f"{ORDERS}: re-delivered with 4 of 10 rows; 6 rows withdrawn (accepted below the 50% minimum)"
    ]
    assert in_force(con) == {f"O-{n}": "99.00" for n in range(1, 5)}


def test_an_append_table_upserts_and_withdraws_nothing(
    tmp_path: Path, con: Connection, landing: Path
) -> None:
    registry = registry_from(
        tmp_path,
        TEST_SOURCES.replace(
            "location: shop/orders/*.csv", "location: shop/orders/*.csv\n        redelivery: append"
        ),
    )
    export = write_text(landing / ORDERS, orders(10))
    load(con, registry, landing, "L1")
    write_text(export, orders(2, amount="12.00"))

    result = load(con, registry, landing, "L2")

    assert (result.rows_loaded, result.rows_withdrawn, result.notices) == (2, 0, [])
    assert in_force(con) == {f"O-{n}": ("12.00" if n <= 2 else "10.00") for n in range(1, 11)}
    assert con.execute("SELECT count(*) FROM raw._withdrawn_files").fetchall() == [(0,)]


def test_a_removed_file_is_withdrawn_and_loads_again_when_put_back(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    write_text(landing / ORDERS, orders(3))
    late = write_text(landing / "shop" / "orders" / "2025-05_late.csv", orders(2, first=4, amount="1000.00"))
    load(con, registry, landing, "L1")
    content = late.read_text()
    late.unlink()

    result = load(con, registry, landing, "L2")

    withdrawn = [detail for detail in result.files if detail.status == "withdrawn"]
    assert [(d.source_file, d.rows_withdrawn) for d in withdrawn] == [(str(late), 2)]
    assert result.notices == [
        "shop/orders/2025-05_late.csv was removed from the landing zone: its 2 rows are withdrawn"
    ]
    assert (result.files_withdrawn, result.rows_withdrawn) == (1, 2)
    assert in_force(con) == {f"O-{n}": "10.00" for n in range(1, 4)}
    assert con.execute("SELECT reason, withdrawn_by_load_id FROM raw._withdrawn_files").fetchall() == [
        ("file removed from the landing zone", "L2")
    ]
    assert con.execute("SELECT count(*) FROM raw._loads WHERE load_id = 'L2'").fetchall() == [(1,)]

    # Nothing changed since: nothing more is withdrawn. Put back, the same content loads again.
    assert load(con, registry, landing, "L3").notices == []
    write_text(late, content)
    again = load(con, registry, landing, "L4")
    assert [d.status for d in again.files] == ["skipped_unchanged", "loaded"]
    assert in_force(con)["O-5"] == "1000.00"


def test_a_failed_file_removed_stops_failing_and_the_table_loads(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    write_text(landing / ORDERS, orders(3))
    drifted = write_text(
        landing / "shop" / "orders" / "2025-05_extra.csv", orders(2).replace("discount", "rebate")
    )
    with pytest.raises(SourceSchemaError):
        load(con, registry, landing, "L1")
    drifted.unlink()

    result = load(con, registry, landing, "L2")

    assert [d.status for d in result.files] == ["skipped_unchanged"]
    assert in_force(con) == {f"O-{n}": "10.00" for n in range(1, 4)}


def test_each_file_of_a_load_is_a_version_of_its_own(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    for day in range(1, 6):
        write_text(landing / "shop" / "orders" / f"2025-05-0{day}.csv", orders(1, first=day))
    load(con, registry, landing, "L1")
    versions = con.execute("SELECT DISTINCT _load_id, _loaded_at FROM raw.shop__orders").fetchall()
    assert len(versions) == 5


def test_a_removed_file_means_the_landing_zone_is_not_loaded(
    con: Connection, registry: SourceRegistry, landing: Path
) -> None:
    write_text(landing / "shop" / "costs.csv", "month,category,amount\n2025-05-01,rent,1\n")
    write_text(landing / ORDERS, orders(2))
    late = write_text(landing / "shop" / "orders" / "2025-05_late.csv", orders(1, first=9))
    only_files = registry_from(
        landing.parent / "only_files",
        TEST_SOURCES.split("      events:")[0]
        + "      costs:"
        + TEST_SOURCES.split("      costs:")[1].split("      customers:")[0],
    )
    for table in ("orders", "costs"):
        ingest_table(con, only_files, "shop", table, landing, "L1")
    assert _landing_is_loaded(con, only_files, landing, NOTHING_HELD) == 3
    con.execute("DROP TABLE _landing; DROP TABLE _declared")
    late.unlink()

    # The run must withdraw the file.
    assert _landing_is_loaded(con, only_files, landing, NOTHING_HELD) is None
    con.execute("DROP TABLE _landing; DROP TABLE _declared")
    ingest_table(con, only_files, "shop", "orders", landing, "L2")
    assert _landing_is_loaded(con, only_files, landing, NOTHING_HELD) == 2
