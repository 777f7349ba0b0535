"""Loading the scorecard config: the one entry point the compiler, the CLI and Dagster use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from orchestration.config.issues import ConfigError
from orchestration.config.models import ScorecardConfig
from orchestration.config.validation import run_validation, validate_config

__all__ = ["ConfigError", "load_config", "validate_config"]


def load_config(config_dir: Path, *, today: date | None = None) -> ScorecardConfig:
    """Validate ``config_dir`` and return the typed config; raise ``ConfigError`` listing every error.

    Lint warnings never stop loading (they are for ``scorecard validate``); only errors do.
    """
    outcome = run_validation(Path(config_dir), today=today, lint=False)
    if outcome.config is None:
        raise ConfigError(outcome.report.errors)
    return outcome.config
