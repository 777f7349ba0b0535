"""Shared fixtures: an isolated warehouse, landing zone and Dagster home per test session or test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT
from tests.postgres_server import PostgresServer, PostgresUnavailableError, start_server, stop_server


@pytest.fixture
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the warehouse, landing zone and Dagster home into tmp_path for one test."""
    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.setenv("SCORECARD_LANDING_DIR", str(tmp_path / "landing"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    return tmp_path


@pytest.fixture
def config_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of scorecard_config that a test may break without touching the repository."""
    target = tmp_path / "scorecard_config"
    shutil.copytree(REPO_ROOT / "scorecard_config", target)
    monkeypatch.setenv("SCORECARD_CONFIG_DIR", str(target))
    return target


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for the session (started on first use). Missing binaries fail the
    tests that need it, with what to install: CI must exercise PostgreSQL, never skip it."""
    try:
        server = start_server()
    except PostgresUnavailableError as problem:
        pytest.fail(str(problem), pytrace=False)
    yield server
    stop_server(server)


def pytest_configure(config: pytest.Config) -> None:
    # Tests must never report usage either.
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "true")
