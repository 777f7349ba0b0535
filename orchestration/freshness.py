"""Whether a run would change anything: nothing new since the last publication means nothing to do.

What a run publishes is a function of three things, and the warehouse already records each of them:

- **the data**: the load ledger (``raw._ingested_files``) holds the content hash of every export
  loaded, and ``raw._withdrawn_files`` the versions taken out of force. A run ingests only files
  whose hash is not the latest version in force for their path, and withdraws the files no longer
  in the landing zone, so when the files in force are exactly the exports in the landing zone,
  ingestion has nothing to do (a removed file is a change: its rows must be withdrawn; a
  month-to-date export held until its month closes is neither loaded nor withdrawn:
  ``orchestration.ingestion.landing``);
- **the definitions**: the scorecard config, the source registry, the Great Expectations suites, the
  company's dbt project, the engine's dbt package and this package's code;
- **the calendar**: the scorecard's first and last month and the dbt target.

Every run that builds the warehouse records one digest of all three in ``publish.runs``
(``inputs_digest``, taken after ingestion, before dbt). ``unchanged_since_publication`` recomputes it
before a run starts and compares it with the digest of the run behind the last publication; when they
are equal, that run already published exactly what this run would (the build is idempotent), so the
run stops there and the published file is not touched (byte-identical, no new publication row).

Only what the last publication recomputed counts as covered: a run asked for an older month than its
restatement window reached (to restate a correction that arrived outside the window) still runs.
A source read from a database (sqlite, postgres) cannot be compared without extracting it, so a
company with such a source always runs. ``scorecard run --force`` runs regardless, and ``--all``
(a full rebuild) always runs.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

import orchestration
from orchestration.config.periods import add_months
from orchestration.ingestion.landing import held_month
from orchestration.ingestion.ledger import IN_FORCE_FILES_SQL, RAW_SCHEMA, file_fingerprint
from orchestration.ingestion.registry import SourceRegistry
from orchestration.settings import DBT_PARSE_INPUTS, Settings
from orchestration.warehouse import connect, table_exists

# Bumped when what the digest covers changes, so digests of different kinds never compare equal.
_DIGEST_KIND = "scorecard-inputs-v2"
_CODE_SUFFIXES = frozenset({".py", ".j2", ".sql", ".yml", ".yaml", ".json", ".csv", ".md"})
_SKIPPED_DIRS = frozenset({"__pycache__", "target", "dbt_packages", "logs", "generated"})


@dataclass(frozen=True)
class Unchanged:
    """The publication that already holds what a run would publish."""

    run_id: str
    published_at: datetime
    first_month: date
    last_month: date
    files_checked: int


def _files_under(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        return
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(files):
            path = Path(directory, name)
            if path.suffix in _CODE_SUFFIXES:
                yield path


def _definition_files(settings: Settings) -> Iterable[tuple[str, Path]]:
    """Every file whose change can change what a run publishes, labelled by where it sits."""
    roots: list[tuple[str, Path]] = [
        ("config", settings.config_dir),
        ("sources", settings.sources_path),
        ("expectations", settings.expectations_dir),
        ("engine-code", Path(orchestration.__file__).parent),
    ]
    for label, project in (
        ("company-dbt", settings.dbt_project_dir),
        ("engine-dbt", settings.engine_dbt_dir),
    ):
        roots += [(f"{label}/{name}", project / name) for name in DBT_PARSE_INPUTS if name != "generated"]
    for label, root in roots:
        for path in _files_under(root):
            yield f"{label}/{path.relative_to(root) if root.is_dir() else path.name}", path


def code_digest(settings: Settings) -> str:
    """sha256 over the definition files' contents and the dbt target: what the build runs, not when.

    Recorded per run in ``publish.runs.code_digest``: a build whose tests are the last published
    run's may test only the rows loaded since (``orchestration.publish.wap.tested_through``).
    """
    digest = hashlib.sha256(_DIGEST_KIND.encode())
    digest.update(f"\0{settings.dbt_target}\0".encode())
    for label, path in sorted(_definition_files(settings)):
        digest.update(label.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def definitions_digest(
    settings: Settings, first_month: date, last_month: date, code: str | None = None
) -> str:
    """sha256 over the definitions (``code_digest``, or ``code`` when already computed) and the calendar."""
    code = code or code_digest(settings)
    return hashlib.sha256(f"{code}\0{first_month:%Y-%m}\0{last_month:%Y-%m}".encode()).hexdigest()


def ledger_digest(con: duckdb.DuckDBPyConnection) -> str:
    """sha256 over every load and withdrawal the ledger records (any new one changes it); '' before the
    first load."""
    if not table_exists(con, RAW_SCHEMA, "_ingested_files"):
        return ""
    loads = con.execute(
        f"""
        SELECT coalesce(sha256(string_agg(
            concat_ws(chr(31), load_id, system, "table", source_file, file_sha256), chr(30)
            ORDER BY load_id, system, "table", source_file)), '')
        FROM {RAW_SCHEMA}._ingested_files
        """
    ).fetchall()[0][0]
    if not table_exists(con, RAW_SCHEMA, "_withdrawn_files"):
        return loads
    return con.execute(
        f"""
        -- No withdrawal yet: the digest of the loads alone, as before withdrawals were recorded.
        SELECT CASE WHEN count(*) = 0 THEN ? ELSE sha256(? || string_agg(
            concat_ws(chr(31), withdrawn_by_load_id, load_id, system, "table", source_file), chr(30)
            ORDER BY withdrawn_by_load_id, load_id, system, "table", source_file)) END
        FROM {RAW_SCHEMA}._withdrawn_files
        """,
        [loads, loads],
    ).fetchall()[0][0]


def inputs_digest(
    settings: Settings,
    con: duckdb.DuckDBPyConnection,
    first_month: date,
    last_month: date,
    code: str | None = None,
) -> str:
    """The digest a run records in ``publish.runs``: definitions, calendar and the ledger's loads."""
    combined = f"{definitions_digest(settings, first_month, last_month, code)}:{ledger_digest(con)}"
    return hashlib.sha256(combined.encode()).hexdigest()


def _landing_is_loaded(
    con: duckdb.DuckDBPyConnection, registry: SourceRegistry, landing_dir: Path, last_month: date
) -> int | None:
    """How many export files there are, when the files in force are exactly these, each at the content
    of its latest load; else None (a new or changed export, or a loaded one no longer there).

    A file held for a month after ``last_month`` is never a difference: no run before that month
    closes loads it, and none withdraws the version of it that may be in force.
    """
    current = []
    for system, table, spec in registry.iter_tables():
        if spec.is_database:
            return None
        for path in spec.resolve_files(landing_dir):
            held = held_month(path, last_month) is not None
            sha256 = None if held else file_fingerprint(path)[0]
            current.append((system, table, str(path), sha256, held))
    if not any(not held for *_, held in current):
        return None
    con.execute(
        'CREATE TEMP TABLE _landing (system VARCHAR, "table" VARCHAR, source_file VARCHAR, sha VARCHAR, '
        "held BOOLEAN)"
    )
    con.executemany("INSERT INTO _landing VALUES (?, ?, ?, ?, ?)", current)
    con.execute('CREATE TEMP TABLE _declared (system VARCHAR, "table" VARCHAR)')
    con.executemany("INSERT INTO _declared VALUES (?, ?)", registry.table_names())
    in_force = (
        IN_FORCE_FILES_SQL
        if table_exists(con, RAW_SCHEMA, "_withdrawn_files")
        else f"SELECT * FROM {RAW_SCHEMA}._ingested_files"
    )
    # Both ways: an export not loaded at its content, and a loaded file no longer in the landing zone
    # (the run must withdraw it).
    differences = con.execute(
        f"""
        WITH latest AS (
            SELECT system, "table", source_file, arg_max(file_sha256, (loaded_at, load_id)) AS sha
            FROM ({in_force}) SEMI JOIN _declared USING (system, "table")
            GROUP BY ALL
        )
        SELECT count(*) FROM _landing
        FULL JOIN latest USING (system, "table", source_file)
        WHERE latest.sha IS DISTINCT FROM _landing.sha AND NOT coalesce(_landing.held, false)
        """
    ).fetchall()[0][0]
    return sum(1 for *_, held in current if not held) if differences == 0 else None


def _published_run(published_path: Path) -> str | None:
    """The run behind the file readers see now (its newest publication row)."""
    if not published_path.exists():
        return None
    try:
        with duckdb.connect(str(published_path), read_only=True) as con:
            rows = con.execute(
                "SELECT run_id FROM scorecard.publications ORDER BY published_at DESC LIMIT 1"
            ).fetchall()
    except duckdb.Error:
        return None
    return rows[0][0] if rows else None


def unchanged_since_publication(
    settings: Settings,
    registry: SourceRegistry,
    *,
    history_start: date,
    history_end: date,
    range_start: date,
    range_end: date,
    restatement_window: int,
) -> Unchanged | None:
    """The last publication, when a run over ``range_start``…``range_end`` would publish nothing new.

    None whenever anything could differ: no warehouse or published file yet, a publication older than
    the digest, an export not yet loaded, a load since the publication, a changed definition or
    calendar, a database source, or months outside what the publication recomputed.
    """
    if not settings.warehouse_path.exists():
        return None
    published_run = _published_run(settings.published_path)
    if published_run is None:
        return None
    try:
        con = connect(settings.warehouse_path, read_only=True)
    except duckdb.Error:
        return None
    try:
        try:
            row = con.execute(
                """
                SELECT publications.run_id, publications.published_at, publications.last_month,
                       publications.restatement_window_months, runs.inputs_digest
                FROM publish.publications AS publications
                JOIN publish.runs AS runs USING (run_id)
                ORDER BY publications.published_at DESC
                LIMIT 1
                """
            ).fetchall()
        except duckdb.Error:  # no log yet, or one written before runs recorded their inputs
            return None
        if not row:
            return None
        run_id, published_at, last_month, window_months, recorded = row[0]
        if run_id != published_run or not recorded or last_month != history_end or window_months is None:
            return None
        # Periods the publication recomputed end from last_month - window; this run's would end from
        # range_start - restatement_window (and it reaches no later month than the publication).
        if add_months(range_start, -restatement_window) < add_months(last_month, -window_months):
            return None
        if range_end > last_month:
            return None
        # The digest reads small files; the landing zone may be large, so it is hashed last.
        if inputs_digest(settings, con, history_start, history_end) != recorded:
            return None
        files = _landing_is_loaded(con, registry, settings.landing_dir, history_end)
        if files is None:
            return None
    finally:
        con.close()
    return Unchanged(run_id, published_at, history_start, history_end, files)
