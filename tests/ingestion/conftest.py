"""Fixtures for ingestion tests: a landing zone, a registry of crafted tables and a warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.registry import SourceRegistry
from orchestration.warehouse import connect
from tests.ingestion.builders import TEST_SOURCES, registry_from


@pytest.fixture
def landing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty landing zone that settings point to."""
    directory = tmp_path / "landing"
    directory.mkdir()
    monkeypatch.setenv("SCORECARD_LANDING_DIR", str(directory))
    return directory


@pytest.fixture
def registry(tmp_path: Path) -> SourceRegistry:
    return registry_from(tmp_path, TEST_SOURCES)


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "warehouse.duckdb"


@pytest.fixture
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(warehouse_path)
    yield connection
    connection.close()
