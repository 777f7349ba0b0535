"""The validation report of a run: ``<warehouse_dir>/quality/<run_id>/index.html``, and listing them.

Each check writes its suite's outcome as ``<suite>.json`` into the run's folder and re-renders
``index.html`` from every outcome there, so the page always lists the suites validated so far in the
run: each expectation with its severity, result, observed value and failing examples. The page is one
self-contained file (no scripts, no fetched assets) and is linked from every check's metadata.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from orchestration.quality.validate import SuiteOutcome, describe_example, failure_message
from orchestration.settings import Settings

REPORT_FILE = "index.html"


def quality_dir(settings: Settings) -> Path:
    """Where the validation reports of every run live."""
    return settings.warehouse_dir / "quality"


def run_report_dir(settings: Settings, run_id: str) -> Path:
    """The folder of one run's validation report."""
    return quality_dir(settings) / run_id


def write_suite_outcome(settings: Settings, outcome: SuiteOutcome) -> Path:
    """Save ``outcome`` in its run's folder, re-render the run's ``index.html`` and return its path."""
    folder = run_report_dir(settings, outcome.run_id)
    folder.mkdir(parents=True, exist_ok=True)
    _write_atomically(folder / f"{outcome.suite}.json", json.dumps(outcome.to_dict(), indent=2))
    return render_run_report(folder)


def read_run_outcomes(folder: Path) -> list[SuiteOutcome]:
    """Every suite outcome saved in a run's report folder, by table."""
    outcomes = []
    for path in sorted(folder.glob("*.json")):
        try:
            outcomes.append(SuiteOutcome.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            # A file being replaced by a concurrent check, or not ours: the next render picks it up.
            continue
    return sorted(outcomes, key=lambda o: (o.source_table is None, o.table))


def render_run_report(folder: Path) -> Path:
    """Render ``index.html`` in ``folder`` from the outcomes saved there; returns its path."""
    outcomes = read_run_outcomes(folder)
    environment = Environment(
        loader=PackageLoader("orchestration.quality", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(describe_example=describe_example, failure_message=failure_message)
    periods = sorted({o.reference_period for o in outcomes if o.reference_period})
    attention = [
        (outcome.suite, expectation.severity, failure_message(outcome, expectation))
        for severity in ("error", "warning")
        for outcome in outcomes
        for expectation in outcome.failures
        if expectation.severity == severity
    ]
    html = environment.get_template("quality_report.html.j2").render(
        run_id=folder.name,
        outcomes=outcomes,
        attention=attention,
        periods=periods,
        rendered_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        errors=sum(1 for o in outcomes if o.severity == "error"),
        warnings=sum(1 for o in outcomes if o.severity == "warning"),
    )
    path = folder / REPORT_FILE
    _write_atomically(path, html)
    return path


@dataclass(frozen=True)
class QualityReport:
    """One run's validation report, as listed by ``scorecard quality``."""

    run_id: str
    path: Path
    written_at: datetime
    periods: tuple[str, ...]
    suites: int
    suites_failed_error: int
    suites_failed_warning: int
    failures: tuple[str, ...]

    @property
    def status(self) -> str:
        """``failed`` (an error blocked the run), ``warnings`` or ``passed``."""
        if self.suites_failed_error:
            return "failed"
        return "warnings" if self.suites_failed_warning else "passed"


def list_quality_reports(settings: Settings, period: str | None = None) -> list[QualityReport]:
    """The validation reports under the warehouse, newest first; only those judging ``period`` (YYYY-MM)
    when given. ``failures`` holds the message of every failed expectation, errors first."""
    root = quality_dir(settings)
    reports: list[QualityReport] = []
    if not root.is_dir():
        return reports
    for folder in root.iterdir():
        index = folder / REPORT_FILE
        if not index.is_file():
            continue
        outcomes = read_run_outcomes(folder)
        periods = tuple(sorted({o.reference_period for o in outcomes if o.reference_period}))
        if period is not None and period not in periods:
            continue
        failures = [
            failure_message(outcome, expectation)
            for severity in ("error", "warning")
            for outcome in outcomes
            for expectation in outcome.failures
            if expectation.severity == severity
        ]
        reports.append(
            QualityReport(
                run_id=folder.name,
                path=index,
                written_at=datetime.fromtimestamp(index.stat().st_mtime, tz=UTC),
                periods=periods,
                suites=len(outcomes),
                suites_failed_error=sum(1 for o in outcomes if o.severity == "error"),
                suites_failed_warning=sum(1 for o in outcomes if o.severity == "warning"),
                failures=tuple(failures),
            )
        )
    return sorted(reports, key=lambda r: r.written_at, reverse=True)


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename it over: readers never see half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
