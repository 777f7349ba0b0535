"""Problems found in a scorecard config, and how they are reported."""

from __future__ import annotations

from dataclasses import dataclass, field

# Shared with the source registry and the suites: one Issue type for every file a user edits.
from orchestration.issues import Issue, IssuesError, Severity

__all__ = ["ConfigError", "Issue", "Severity", "ValidationReport", "format_report"]


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


class ConfigError(IssuesError):
    """Raised by ``load_config`` when the config has errors; carries every one of them."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]):
        super().__init__(f"the scorecard config has {len(issues)} error(s):", issues)


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
