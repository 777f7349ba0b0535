"""Lint-time ``scorecard_registry()``: the measure registry of the company being linted.

At run time the engine writes it into the company's ``dbt_project/generated/macros`` from the
validated config; lint reads the same config ($SCORECARD_COMPANY_DIR, default the demo at the
repository root) through the same function, so models lint against their real segment dimensions.
"""

from orchestration.config import load_config
from orchestration.config.compile import registry_data
from orchestration.settings import get_settings


def registry() -> dict:
    return registry_data(load_config(get_settings().config_dir))
