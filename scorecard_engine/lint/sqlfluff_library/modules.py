"""Lint-time stand-in for dbt's ``modules`` context object (only ``re`` is used)."""

import re  # noqa: F401  (re-exported as modules.re to templates)
