"""Problems found in a scorecard config, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Issue:
    """One problem: where it is (file, entry, line), what is wrong and what to do about it.

    ``entry`` is a path into the file that names entries by id where they have one, e.g.
    ``measures[revenue].owner`` or ``targets[revenue][0].from``. ``code`` is a stable machine-readable class
    (``unknown_reference``, ``lint_too_many_measures`` …) for tests and tooling.
    """

    severity: Severity
    file: str
    entry: str
    message: str
    hint: str
    code: str = ""
    line: int | None = None

    @property
    def location(self) -> str:
        """``file:line: entry``, the part of a message that says where to look."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}" if self.entry else where

    def __str__(self) -> str:
        return f"{self.severity.value}: {self.location}: {self.message} Fix: {self.hint}"


@dataclass(frozen=True)
class ValidationReport:
    """Everything ``validate_config`` found; never raises for a user's mistake."""

    config_dir: str
    issues: tuple[Issue, ...] = field(default_factory=tuple)

    @property
    def errors(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity is Severity.error]

    @property
    def warnings(self) -> list[Issue]:
        return [issue for issue in self.issues if issue.severity is Severity.warning]

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def exit_code(self, *, strict: bool = False) -> int:
        """1 when there are errors, or warnings under ``--strict``; otherwise 0."""
        if self.errors or (strict and self.warnings):
            return 1
        return 0


class ConfigError(Exception):
    """Raised by ``load_config`` when the config has errors; carries every one of them."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]):
        self.issues = tuple(issues)
        lines = [f"the scorecard config has {len(self.issues)} error(s):"]
        lines += [f"  - {issue}" for issue in self.issues]
        super().__init__("\n".join(lines))


def format_report(report: ValidationReport) -> str:
    """Plain-text rendering of a report for the terminal (errors first, then warnings).

    Each issue takes two lines: ``ERROR file:line: entry`` + the message, then ``fix:`` + the hint.
    The last line summarises the counts.
    """
    lines: list[str] = []
    for issue in [*report.errors, *report.warnings]:
        label = "ERROR  " if issue.severity is Severity.error else "WARNING"
        lines.append(f"{label} {issue.location}: {issue.message}")
        lines.append(f"        fix: {issue.hint}")
    n_errors, n_warnings = len(report.errors), len(report.warnings)
    if n_errors:
        verdict = "invalid"
    elif n_warnings:
        verdict = "valid, with warnings"
    else:
        verdict = "valid"
    lines.append(f"{report.config_dir}: {verdict} ({n_errors} error(s), {n_warnings} warning(s))")
    return "\n".join(lines)
