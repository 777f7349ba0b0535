"""Fixtures for the config tests: private copies of shipped configs that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT
from tests.config.helpers import SMALL_CONFIG, ConfigDir


@pytest.fixture
def demo(tmp_path: Path) -> ConfigDir:
    """A private copy of the shipped demo config (scorecard_config/, with its sources.yml)."""
    target = tmp_path / "scorecard_config"
    shutil.copytree(REPO_ROOT / "scorecard_config", target)
    return ConfigDir(target)


@pytest.fixture
def small(tmp_path: Path) -> ConfigDir:
    """A private copy of the small hand-checked config."""
    target = tmp_path / "small_config"
    shutil.copytree(SMALL_CONFIG, target)
    return ConfigDir(target)
