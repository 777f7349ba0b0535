"""Helpers for the config tests: fixed dates, fixture paths and a breakable config copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from orchestration.config.issues import Issue, ValidationReport

# The demo's "today": the last closed month is 2026-10 and the last closed fiscal quarter FY2027-Q3.
TODAY = date(2026, 11, 27)
FIXTURES = Path(__file__).parent / "fixtures"
SMALL_CONFIG = FIXTURES / "small_config"
SMALL_TODAY = date(2024, 8, 15)


class ConfigDir:
    """A copy of a config directory with helpers to break exactly one thing in it."""

    def __init__(self, path: Path):
        self.path = path

    def text(self, file: str) -> str:
        return (self.path / file).read_text(encoding="utf-8")

    def replace(self, file: str, old: str, new: str, count: int = 1) -> None:
        """Replace ``old`` (which must occur) with ``new`` in ``file``."""
        text = self.text(file)
        assert old in text, f"{old!r} not found in {file}"
        (self.path / file).write_text(text.replace(old, new, count), encoding="utf-8")

    def append(self, file: str, text: str) -> None:
        (self.path / file).write_text(self.text(file) + text, encoding="utf-8")

    def line_of(self, file: str, needle: str, occurrence: int = 1, after: str | None = None) -> int:
        """1-based line of the ``occurrence``-th line containing ``needle`` (below the line ``after``)."""
        lines = self.text(file).splitlines()
        start = self.line_of(file, after) if after else 0
        hits = [number for number, line in enumerate(lines, start=1) if number > start and needle in line]
        return hits[occurrence - 1]


def only(report: ValidationReport, code: str) -> Issue:
    """The single issue of ``code`` in ``report``, failing with the whole report otherwise."""
    matches = [issue for issue in report.issues if issue.code == code]
    assert len(matches) == 1, f"expected one {code} issue, got: " + "\n".join(map(str, report.issues))
    return matches[0]
