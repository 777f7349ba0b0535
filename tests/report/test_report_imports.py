"""The report stands apart from orchestration: it never imports Dagster or dbt."""

from __future__ import annotations

import subprocess
import sys

from orchestration.settings import REPO_ROOT


def test_report_imports_neither_dagster_nor_dbt() -> None:
    probe = (
        "import sys, orchestration.report; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dagster', 'dagster_dbt', 'dbt'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
