"""Which files of the landing zone a run loads, which it holds back, and which it leaves alone, and why.

For every file source table of sources.yml:

- **loaded**: the files its ``location`` matches (``SourceTable.resolve_files``), except those held;
- **held**: matched files named after a month later than the scorecard's last month
  (``file_period``: the last ``YYYY-MM`` in the name), i.e. a month-to-date export of the month still
  open. Loading one would judge a partial month as a delivery (its volume looks truncated) and put
  rows in the warehouse that no closed period reports, so it stays in the landing zone untouched
  until a run's last month reaches it: the first run after that month closes loads it. Files
  without a month in their name (snapshots such as ``accounts.jsonl``) are never held: they are
  loaded whole, and rows dated after the last month sit in the warehouse outside every period until
  their month is reported. Files of closed months load in any run, whatever months it asks for;
- **ignored**: every other file under the table's landing folder (the part of ``location`` before
  its first wildcard) that no table's ``location`` matches — a ``.csv.gz`` beside ``*.csv``, a
  ``notes.txt`` — and every match that is not a readable file (a broken symlink, a folder). They are
  listed with the reason, and the run goes on;
- **noise**, never listed: names starting with a dot and everything in folders starting with one
  (``.DS_Store``, editor lock files such as ``.~lock.2025-05.csv#``, the hidden temporary files of
  ``rsync`` and most transfer tools). ``location`` globs never match them either.

A file under the folders of several tables is listed once, under the table whose folder is nearest.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.ingestion.registry import SourceRegistry, SourceTable, file_period

_WILDCARDS = frozenset("*?[")
_COMPRESSED_SUFFIXES = frozenset({".gz", ".bz2", ".xz", ".zst", ".zip", ".7z", ".tgz"})


@dataclass(frozen=True)
class IgnoredFile:
    """A file under a table's landing folder that no run loads, and why, in words for the user."""

    path: Path
    reason: str


def held_month(path: Path, last_month: date | None) -> date | None:
    """The month ``path`` is named after, when later than ``last_month`` (the file is held); else None."""
    period = file_period(path)
    if last_month is None or period is None or period <= last_month:
        return None
    return period


def without_held(paths: Iterable[Path], last_month: date | None) -> list[Path]:
    """``paths`` less the files named after a month later than ``last_month``."""
    return [path for path in paths if held_month(path, last_month) is None]


def held_files(spec: SourceTable, landing_dir: Path, last_month: date | None) -> list[tuple[Path, date]]:
    """The files of ``spec`` held by a run whose last month is ``last_month``, with their months."""
    if spec.is_database:
        return []
    held = ((path, held_month(path, last_month)) for path in spec.resolve_files(landing_dir))
    return [(path, month) for path, month in held if month is not None]


def landing_folder(spec: SourceTable, landing_dir: Path) -> Path:
    """The folder ``location`` points into: its path up to the first part with a wildcard, less the file."""
    location = Path(spec.location) if Path(spec.location).is_absolute() else landing_dir / spec.location
    parts = location.parts
    literal = next((index for index, part in enumerate(parts) if _WILDCARDS & set(part)), len(parts) - 1)
    return Path(*parts[:literal])


def _visible_entries(folder: Path) -> Iterator[Path]:
    """Every file and symlink under ``folder`` (not following links to folders), dot names left out."""
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(directory, name)


def ignored_files(registry: SourceRegistry, landing_dir: Path) -> dict[tuple[str, str], list[IgnoredFile]]:
    """Per ``(system, table)``: the files under its landing folder no run loads, with the reason."""
    tables = [(system, table, spec) for system, table, spec in registry.iter_tables() if not spec.is_database]
    loaded: set[Path] = set()
    ignored: dict[tuple[str, str], list[IgnoredFile]] = {}
    for system, table, spec in tables:
        for path in spec.glob_matches(landing_dir):
            if path.is_file():
                loaded.add(path)
            else:  # a broken symlink or a folder the glob matched
                entry = IgnoredFile(path, _reason(path, spec.location))
                ignored.setdefault((system, table), []).append(entry)
    listed = {entry.path for entries in ignored.values() for entry in entries}
    folders = [(landing_folder(spec, landing_dir), system, table, spec) for system, table, spec in tables]
    patterns: dict[Path, list[str]] = {}
    for folder, _system, _table, spec in folders:
        patterns.setdefault(folder, []).append(spec.location)
    walked: list[Path] = []
    # Nearest folder first, so a file is listed under the table whose folder holds it most closely.
    for folder, system, table, _spec in sorted(folders, key=lambda item: -len(item[0].parts)):
        if folder in walked or not folder.is_dir():
            continue
        for path in _visible_entries(folder):
            if path in loaded or path in listed or any(path.is_relative_to(other) for other in walked):
                continue
            reason = _reason(path, " or ".join(patterns[folder]))
            ignored.setdefault((system, table), []).append(IgnoredFile(path, reason))
        walked.append(folder)
    return ignored


def _reason(path: Path, patterns: str) -> str:
    """Why ``path`` is not loaded, and what to do about it."""
    if path.is_symlink() and not path.exists():
        return (
            f"a broken symlink (it points to {os.readlink(path)}, which does not exist): "
            "restore the file it points to, or remove the link"
        )
    if path.is_dir():
        return f"a folder matched by {patterns}, not a file: move it out, or narrow `location` in sources.yml"
    if path.suffix.lower() in _COMPRESSED_SUFFIXES:
        return (
            f"not matched by {patterns}: a compressed file is not read; decompress it beside the "
            "others to load it"
        )
    return (
        f"not matched by {patterns}: if it is an export, rename it to match, or change `location` in "
        "sources.yml; otherwise move it out of the landing folder"
    )


__all__ = ["IgnoredFile", "held_files", "held_month", "ignored_files", "landing_folder", "without_held"]
