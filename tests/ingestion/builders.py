"""Builders for ingestion tests: a small registry of crafted tables and files written in tmp_path."""

from __future__ import annotations

import textwrap
from pathlib import Path

import duckdb

from orchestration.ingestion.registry import SourceRegistry, load_registry

# One table per format, with every declared type, so each test crafts only the file it needs.
TEST_SOURCES = """
version: 1
systems:
  shop:
    description: A test shop.
    tables:
      orders:
        description: Orders, one CSV per day.
        format: csv
        location: shop/orders/*.csv
        primary_key: [order_id]
        event_time: ordered_at
        columns:
          order_id: varchar
          customer_id: varchar
          amount: decimal(18,2)
          quantity: bigint
          paid: boolean
          ordered_on: date
          ordered_at: timestamp
          discount: double
        not_null: [customer_id, amount]
      events:
        description: Click events with the user's UTC offset.
        format: jsonl
        location: shop/events/*.jsonl
        primary_key: [event_id]
        event_time: occurred_at
        columns:
          event_id: varchar
          account_id: varchar
          occurred_at: timestamptz
          value: double
        not_null: [account_id]
      lines:
        description: Order lines.
        format: parquet
        location: shop/lines/*.parquet
        primary_key: [line_id]
        columns:
          line_id: varchar
          order_id: varchar
          quantity: bigint
          amount: decimal(18,2)
          shipped_at: timestamp
        not_null: [order_id]
      costs:
        description: Monthly costs by category (composite key).
        format: csv
        location: shop/costs.csv
        primary_key: [month, category]
        event_time: month
        columns:
          month: date
          category: varchar
          amount: decimal(18,2)
      customers:
        description: Customers, straight from the shop's SQLite database.
        format: sqlite
        location: shop/shop.db
        table: customers
        primary_key: [customer_id]
        columns:
          customer_id: bigint
          name: varchar
          signed_up: date
        not_null: [name]
"""

ORDERS_HEADER = "order_id,customer_id,amount,quantity,paid,ordered_on,ordered_at,discount"


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` (dedented) to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
    return path


def write_parquet(path: Path, select_sql: str) -> Path:
    """Write the result of ``select_sql`` to a Parquet file with DuckDB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(f"COPY ({select_sql}) TO '{path}' (FORMAT parquet)")
    return path


def registry_from(tmp_path: Path, text: str) -> SourceRegistry:
    """Load a registry from ``text`` written to a sources.yml under ``tmp_path``."""
    return load_registry(write_text(tmp_path / "config" / "sources.yml", text))
