"""What a table load reports: one ``FileLoadDetail`` per source, the ``TableLoadResult`` of the table,
and the errors that carry it. Shared by the ledger, the readers, the row rules and ``ingest_table``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


class IngestionError(Exception):
    """A source could not be loaded; ``result`` holds what the rest of the table load did."""

    result: TableLoadResult | None = None


class SourceReadError(IngestionError):
    """A source file or database could not be read at all (truncated, wrong encoding, wrong format...)."""


class SourceSchemaError(IngestionError):
    """A source's columns do not match sources.yml (missing, unexpected, renamed or retyped)."""


class RedeliveryRefusedError(IngestionError):
    """A re-delivered file holds too few rows of the version it would replace; it was not loaded."""


@dataclass(frozen=True)
class FileLoadDetail:
    """What happened to one file (or one database extract) in a table load."""

    source_file: str
    status: Literal["loaded", "skipped_unchanged", "failed", "withdrawn"]
    file_sha256: str = ""
    file_bytes: int = 0
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    quarantined_by_rule: dict[str, int] = field(default_factory=dict)
    error: str = ""
    # Rows of earlier versions (or, for a removed file, of the file) taken out of force, and in words.
    rows_withdrawn: int = 0
    notice: str = ""


def _files_with(status: str, doc: str) -> property:
    """A ``TableLoadResult`` count: how many of its files ended the load with ``status``."""
    return property(lambda result: sum(detail.status == status for detail in result.files), doc=doc)


def _total(attribute: str, doc: str) -> property:
    """A ``TableLoadResult`` total: ``attribute`` summed over its files."""
    return property(lambda result: sum(getattr(detail, attribute) for detail in result.files), doc=doc)


@dataclass(frozen=True)
class TableLoadResult:
    """The outcome of ``ingest_table`` for one registry table."""

    load_id: str
    system: str
    table: str
    raw_table: str
    files: tuple[FileLoadDetail, ...]

    files_read = _files_with("loaded", "Files read and loaded by this load (unchanged and failed excluded).")
    files_skipped_unchanged = _files_with("skipped_unchanged", "Files whose content was loaded before.")
    files_failed = _files_with("failed", "Files (or database extracts) that failed to load.")
    files_withdrawn = _files_with(
        "withdrawn", "Files removed from the landing zone since the last load, whose rows this load withdrew."
    )
    rows_read = _total("rows_read", "Rows read from the files this load read.")
    rows_loaded = _total("rows_loaded", "Rows loaded into the raw table.")
    rows_quarantined = _total("rows_quarantined", "Rows filed in the quarantine.")
    rows_withdrawn = _total(
        "rows_withdrawn",
        "Rows taken out of force by this load: replaced versions' missing rows, removed files' rows.",
    )

    @property
    def notices(self) -> list[str]:
        """What happened to re-delivered and removed files, one sentence each."""
        return [detail.notice for detail in self.files if detail.notice]

    @property
    def quarantined_by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for detail in self.files:
            for rule, count in detail.quarantined_by_rule.items():
                totals[rule] = totals.get(rule, 0) + count
        return totals
