"""Strategy as code: the scorecard config's models, validation, lints, compiler and strategy map.

Public entry points:

- ``load_config(config_dir) -> ScorecardConfig`` (raises ``ConfigError`` with every error)
- ``validate_config(config_dir, *, today=None, dbt_manifest=None) -> ValidationReport`` (never raises
  for a user's mistake) and ``format_report(report) -> str``
- ``compile_config(config, generated_dir) -> list[Path]``: the company's ``dbt_project/generated/``
- ``render_strategy_map_mermaid(config, statuses=None) -> str``

No Dagster here: the orchestration layer calls these functions.
"""

from orchestration.config.compile import compile_config
from orchestration.config.issues import ConfigError, Issue, Severity, ValidationReport, format_report
from orchestration.config.loader import load_config
from orchestration.config.models import ScorecardConfig
from orchestration.config.validation import validate_config

__all__ = [
    "ConfigError",
    "Issue",
    "ScorecardConfig",
    "Severity",
    "ValidationReport",
    "compile_config",
    "format_report",
    "load_config",
    "validate_config",
]
