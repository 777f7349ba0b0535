"""Validation of a scorecard config directory: every problem at once, each with file, entry and fix.

Three passes:

1. read each YAML file (syntax errors with their line, duplicate keys): ``core``;
2. validate each entry against its pydantic model, entry by entry, so one broken measure does not hide
   the problems of the others: ``_parse``, with the ``parse`` of the files that have several sections;
3. check what needs several entries or files, file by file (``strategy``, ``measures``, ``targets``,
   ``initiatives``, ``okrs``, ``scorecards``, ``reviews``): references (a table in ``references``),
   duplicate ids, strategy-map cycles, data sources against ``sources.yml`` (``sources``), periods and
   grains, overlapping effective dates, segment filters (``segments``), and (given a dbt manifest,
   ``manifest``) that config and dbt measure models match one to one and that each measure's
   ``data_sources`` are the sources its model reads in the dbt lineage.

When all of that passes, the lints in ``lints.py`` add warnings. Nothing here raises for a user's
mistake; ``load_config`` turns errors into a ``ConfigError``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orchestration.config.issues import Issue, Severity, ValidationReport
from orchestration.config.models import ConfigModel, Initiative, Measure, Okr, ReviewCadence, ScorecardConfig
from orchestration.config.periods import reporting_day
from orchestration.config.targets import TargetRow
from orchestration.config.validation import (
    initiatives,
    measures,
    okrs,
    reviews,
    scorecards,
    strategy,
    targets,
)
from orchestration.config.validation.core import (
    BOUND_HINTS,
    CONFIG_FILES,
    FIELD_HINTS,
    INITIATIVES,
    MEASURES,
    OKRS,
    OPTIONAL_FILES,
    REVIEWS,
    SCORECARDS,
    SOURCES,
    STRATEGY,
    TARGETS,
    FileChecker,
    Located,
    Parsed,
    State,
    entry_name,
    read_documents,
)
from orchestration.config.validation.manifest import check_dbt_manifest, upstream_sources
from orchestration.config.validation.references import REFERENCES, Reference
from orchestration.config.validation.segments import resolved_slice_by
from orchestration.config.validation.sources import read_sources
from orchestration.config.vocabulary import Frequency
from orchestration.documents import Document

__all__ = [
    "BOUND_HINTS",
    "CONFIG_FILES",
    "FIELD_HINTS",
    "INITIATIVES",
    "MEASURES",
    "OKRS",
    "OPTIONAL_FILES",
    "REFERENCES",
    "REVIEWS",
    "SCORECARDS",
    "SOURCES",
    "STRATEGY",
    "TARGETS",
    "Located",
    "Reference",
    "ValidationOutcome",
    "build_config",
    "entry_name",
    "resolved_slice_by",
    "run_validation",
    "upstream_sources",
    "validate_config",
]

# How a readable file's sections become ``Parsed``: files of one list section named like the file
# (``measures:`` in measures.yml) by their entry model; the others by their module's ``parse``.
_ENTRY_LISTS: dict[str, type[ConfigModel]] = {MEASURES: Measure, INITIATIVES: Initiative, OKRS: Okr}
_PARSERS: dict[str, Callable[[FileChecker, Parsed], None]] = {
    STRATEGY: strategy.parse,
    TARGETS: targets.parse,
    SCORECARDS: scorecards.parse,
    REVIEWS: reviews.parse,
}


def _parse(state: State) -> Parsed:
    """Every file's entries against the models, file by file in ``CONFIG_FILES`` order."""
    parsed = Parsed()
    for file in CONFIG_FILES:
        checker = FileChecker(state, file)
        if not checker.readable():
            continue
        if file in _PARSERS:
            _PARSERS[file](checker, parsed)
        else:
            section = file.removesuffix(".yml")
            setattr(parsed, section, checker.items(section, _ENTRY_LISTS[file]))
    if not (state.config_dir / REVIEWS).exists():
        # reviews.yml is optional: without it the strategy review meets monthly.
        parsed.cadence = ReviewCadence(frequency=Frequency.monthly)
    return parsed


def build_config(parsed: Parsed) -> ScorecardConfig:
    """Assemble the validated parts into one ``ScorecardConfig`` (only called when there are no errors)."""
    assert parsed.company is not None and parsed.thresholds is not None and parsed.cadence is not None
    return ScorecardConfig(
        company=parsed.company,
        perspectives=[located.model for located in parsed.perspectives],
        segments=parsed.segments,
        objectives=[located.model for located in parsed.objectives],
        strategy_map=[located.model for located in parsed.links],
        measures=[
            located.model.model_copy(update={"slice_by": resolved_slice_by(located.model, parsed.segments)})
            for located in parsed.measures
        ],
        thresholds=parsed.thresholds,
        targets={
            measure_id: [located.model for located in entries]
            for measure_id, entries in parsed.targets.items()
        },
        initiatives=[located.model for located in parsed.initiatives],
        okrs=[located.model for located in parsed.okrs],
        scorecards=[located.model for located in parsed.scorecards],
        review_cadence=parsed.cadence,
        reviews=[located.model for located in parsed.reviews],
    )


@dataclass
class ValidationOutcome:
    """The report, and the config when it has no errors (what ``load_config`` needs)."""

    report: ValidationReport
    config: ScorecardConfig | None
    target_rows: dict[str, list[TargetRow]]
    lines: dict[str, Document]


@dataclass
class _Checked:
    """One validation of a config folder's own files, before any dbt manifest: what ``run_validation``
    combines with a manifest check. Lint warnings are kept apart (they follow the manifest's issues)."""

    state: State
    parsed: Parsed | None
    checks: tuple[Issue, ...]
    lints: tuple[Issue, ...]
    config: ScorecardConfig | None
    target_rows: dict[str, list[TargetRow]]


# What this process already checked: config folders by their files' content and the day, and
# manifest checks by config and manifest version (see run_validation).
_CHECKED: dict[tuple[Any, ...], _Checked] = {}
_MANIFEST_CHECKED: dict[tuple[Any, ...], tuple[Issue, ...]] = {}


def _config_key(config_dir: Path, today: date) -> tuple[Any, ...] | None:
    """What a config folder's validation depends on: every file's bytes, the environment variables
    they name (``${VAR}`` in sources.yml) and the day."""
    if not config_dir.is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(config_dir.rglob("*")):
        if path.is_file():
            text = path.read_bytes()
            digest.update(str(path.relative_to(config_dir)).encode() + b"\0" + text + b"\0")
            for name in sorted(set(re.findall(rb"\$\{([^}]*)\}", text))):
                value = os.environ.get(name.decode(errors="replace"))
                digest.update(b"$" + name + b"=" + (b"\1" + value.encode() if value is not None else b"\0"))
    return (str(config_dir.resolve()), digest.hexdigest(), today)


def _manifest_version(dbt_manifest: Path) -> tuple[Any, ...]:
    path = Path(dbt_manifest).resolve()
    stat = path.stat() if path.exists() else None
    return (str(path), stat.st_mtime_ns if stat else None, stat.st_size if stat else None)


def run_validation(
    config_dir: Path, *, today: date | None = None, dbt_manifest: Path | None = None, lint: bool = True
) -> ValidationOutcome:
    """Every check, returning the report plus the assembled config when it is error-free.

    A process validates a config folder once: the config's own checks and lints are kept by the
    folder's content and the day, so ``load_config`` (before dbt parses), the dbt project's
    preparation and the config asset of one run share them; a dbt manifest adds only its own check
    (config measures against dbt models and lineage), kept by the manifest's version.
    """
    config_dir = Path(config_dir)
    day = reporting_day(today)
    key = _config_key(config_dir, day)
    checked = _CHECKED.get(key) if key is not None else None
    if checked is None:
        checked = _check(config_dir, day)
        if key is not None:
            _CHECKED[key] = checked
    from_manifest: tuple[Issue, ...] = ()
    if dbt_manifest is not None and checked.parsed is not None:
        manifest_key = (key, _manifest_version(dbt_manifest))
        if manifest_key not in _MANIFEST_CHECKED:
            _MANIFEST_CHECKED[manifest_key] = _check_manifest(checked, Path(dbt_manifest))
        from_manifest = _MANIFEST_CHECKED[manifest_key]
    config = checked.config
    issues = [*checked.checks, *from_manifest]
    if any(issue.severity is Severity.error for issue in from_manifest):
        config = None  # an error of any check withholds the config, and with it the lints
    elif config is not None and lint:
        issues += checked.lints
    return ValidationOutcome(
        ValidationReport(str(config_dir), tuple(issues)), config, checked.target_rows, checked.state.documents
    )


def _check_manifest(checked: _Checked, dbt_manifest: Path) -> tuple[Issue, ...]:
    """The manifest's issues, located in the config's own documents."""
    state = State(
        config_dir=checked.state.config_dir,
        today=checked.state.today,
        documents=checked.state.documents,
        # A copy: the check reads it (a defaultdict, so reading adds keys) and the cache keeps the original.
        broken_ids=defaultdict(set, {kind: set(ids) for kind, ids in checked.state.broken_ids.items()}),
    )
    assert checked.parsed is not None
    check_dbt_manifest(state, checked.parsed, dbt_manifest)
    return tuple(state.issues)


def _check(config_dir: Path, today: date) -> _Checked:
    """Every check of the config folder's own files, and its lints when it has no error."""
    from orchestration.config.lints import run_lints

    state = State(config_dir=config_dir, today=today)
    if not config_dir.is_dir():
        state.error(
            str(config_dir),
            (),
            "the config directory does not exist.",
            "pass the folder holding strategy.yml, measures.yml, targets.yml and scorecards.yml",
            "missing_file",
        )
        return _Checked(state, None, tuple(state.issues), (), None, {})
    read_documents(state)
    parsed = _parse(state)
    read_sources(state, parsed)
    strategy.check(state, parsed)
    measures.check(state, parsed)
    target_rows = targets.check(state, parsed)
    for file in (initiatives, okrs, scorecards, reviews):
        file.check(state, parsed)
    config: ScorecardConfig | None = None
    if not any(issue.severity is Severity.error for issue in state.issues):
        try:
            config = build_config(parsed)
        except (ValidationError, AssertionError) as error:  # a gap in the checks above; say so plainly
            state.error(
                STRATEGY,
                (),
                f"the config could not be assembled: {error}.",
                "report this as a bug of the config validator",
                "internal",
            )
    checks = tuple(state.issues)
    lints = tuple(run_lints(config, target_rows, state.today, state.documents)) if config else ()
    return _Checked(state, parsed, checks, lints, config, target_rows)


def validate_config(
    config_dir: Path, *, today: date | None = None, dbt_manifest: Path | None = None
) -> ValidationReport:
    """Validate a scorecard config directory and lint it; never raises for a user's mistake.

    ``today`` fixes the "current period" for lints (default: ``reporting_day``, which follows
    ``SCORECARD_LAST_MONTH`` when it pins the last month, else the real date). ``dbt_manifest``, when
    given, is dbt's ``target/manifest.json``: every configured measure must have exactly one dbt model
    under ``models/measures/`` whose ``meta.measure_id`` names it, and vice versa; and each measure's
    ``data_sources`` must be exactly the sources its model reads in the dbt lineage.
    """
    return run_validation(config_dir, today=today, dbt_manifest=dbt_manifest).report
