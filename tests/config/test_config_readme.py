"""The README's config example is a valid config (so the documentation cannot rot)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from orchestration.config import format_report, validate_config
from orchestration.settings import REPO_ROOT
from tests.config.helpers import TODAY

README = REPO_ROOT / "README.md"


def test_readme_example_validates_without_errors(tmp_path: Path) -> None:
    section = README.read_text(encoding="utf-8").split("## The scorecard config", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert block is not None
    files = re.split(r"^# (\w+\.yml)\n", block.group(1), flags=re.MULTILINE)
    assert files[0].strip() == ""
    for name, text in zip(files[1::2], files[2::2], strict=True):
        (tmp_path / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO_ROOT / "scorecard_config" / "sources.yml", tmp_path / "sources.yml")
    report = validate_config(tmp_path, today=TODAY)
    assert report.errors == [], format_report(report)
