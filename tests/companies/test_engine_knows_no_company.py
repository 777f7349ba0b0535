"""The engine knows no company: no name of any shipped company appears in the engine's files.

The engine is the dbt package ``scorecard_engine/`` and the Python package ``orchestration/``
without the demo company's data generator (``orchestration/demo``, the demo's own) and the
``scorecard init`` template (a company of its own). Checked, each as a whole word: a company's
segment dimensions, and every id that cannot be an ordinary word (one with ``_`` or ``.``): measure
and objective ids, segment values, source tables as ``system.table`` and ``system__table``. A
single-word id such as ``revenue`` is plain English, so the engine's prose may use it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from orchestration.config import load_config
from orchestration.settings import ENGINE_DBT_DIR, REPO_ROOT

COMPANIES = {
    "demo": REPO_ROOT,
    "scrumptious_sweets": REPO_ROOT / "examples" / "scrumptious_sweets",
}
_ENGINE_SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".md", ".j2", ".json", ".csv"}
_NOT_ENGINE = ("demo", "template", "__pycache__", "target", "logs", "dbt_packages")


def _engine_files() -> list[Path]:
    roots = [ENGINE_DBT_DIR, REPO_ROOT / "orchestration"]
    return sorted(
        path
        for root in roots
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix in _ENGINE_SUFFIXES
        and not any(part in _NOT_ENGINE for part in path.relative_to(root).parts)
    )


def _company_names(company_dir: Path) -> set[str]:
    config = load_config(company_dir / "scorecard_config")
    sources = yaml.safe_load((company_dir / "scorecard_config" / "sources.yml").read_text())
    ids = {measure.id for measure in config.measures}
    ids |= {objective.id for objective in config.objectives}
    ids |= {value for values in config.segments.values() for value in values}
    for system, spec in sources["systems"].items():
        for table in spec["tables"]:
            ids |= {f"{system}.{table}", f"{system}__{table}"}
    return {name for name in ids if "_" in name or "." in name} | set(config.segments)


@pytest.mark.parametrize("company", sorted(COMPANIES))
def test_no_name_of_the_company_appears_in_the_engine(company: str) -> None:
    names = _company_names(COMPANIES[company])
    alternatives = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)")
    found = []
    for path in _engine_files():
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for match in pattern.finditer(line):
                found.append(f"{path.relative_to(REPO_ROOT)}:{number}: {match.group(1)}")
    assert not found, f"{company}'s names in engine files:\n" + "\n".join(found)


def test_the_scan_sees_the_engine_and_a_planted_name() -> None:
    """The scan reads the engine's SQL and Python, and would catch a demo measure id written there."""
    files = {path.relative_to(REPO_ROOT).as_posix() for path in _engine_files()}
    assert "scorecard_engine/models/marts/scorecard/measure_values.sql" in files
    assert "orchestration/config/compile.py" in files
    assert not any(name.startswith("orchestration/demo/") for name in files)
    names = _company_names(REPO_ROOT)
    assert {"logo_churn_rate", "team", "cs_enterprise", "billing.invoices", "billing__invoices"} <= names
