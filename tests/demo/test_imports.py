"""The generator stands alone: numpy, pyarrow and DuckDB, never Dagster or the rest of the package."""

from __future__ import annotations

import subprocess
import sys

from orchestration.settings import REPO_ROOT


def test_demo_imports_neither_dagster_nor_other_project_modules() -> None:
    probe = (
        "import sys, orchestration.demo; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dagster', 'dagster_dbt', 'dbt'} "
        "or (m.startswith('orchestration.') and not m.startswith('orchestration.demo'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
