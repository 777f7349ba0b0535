"""Nothing new since the last publication: a run recomputes nothing and leaves the published file as it is.

One real run loads the demo's exports from a landing zone of this module's own (so a test can change
a file at a path the ledger knows); every other check is either a real ``scorecard run`` process that
stops before building, or ``unchanged_since_publication`` called on the same deployment.
"""

from __future__ import annotations

import os
import shutil
from datetime import date

import dagster as dg
import duckdb
import pytest

from orchestration.freshness import unchanged_since_publication
from orchestration.ingestion.registry import load_registry
from orchestration.settings import get_settings
from tests.publish.conftest import FIRST_MONTH, LAST_MONTH, Deployment
from tests.publish.helpers import sha256

pytestmark = pytest.mark.slow

HISTORY_START, HISTORY_END = date.fromisoformat(f"{FIRST_MONTH}-01"), date.fromisoformat(f"{LAST_MONTH}-01")
RESTATEMENT_WINDOW = 3


@pytest.fixture(scope="module")
def loaded(baseline: Deployment, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """The demo published from a landing zone of its own (the ledger knows these paths)."""
    deployment = baseline.clone(tmp_path_factory.mktemp("nothing_new") / "deployment", own_landing=True)
    deployment.run("run", "--period", LAST_MONTH, log_name="first")
    return deployment


def _dagster_runs(deployment: Deployment) -> int:
    with dg.DagsterInstance.from_config(str(deployment.root / "dagster_home")) as instance:
        return instance.get_runs_count()


def _unchanged(
    deployment: Deployment, monkeypatch: pytest.MonkeyPatch, *, month: str = LAST_MONTH, **env: str
):
    for key, value in deployment.env(**env).items():
        monkeypatch.setenv(key, value)
    settings = get_settings()
    start = date.fromisoformat(f"{month}-01")
    return unchanged_since_publication(
        settings,
        load_registry(settings.sources_path),
        history_start=HISTORY_START,
        history_end=date.fromisoformat(f"{env.get('SCORECARD_LAST_MONTH', LAST_MONTH)}-01"),
        range_start=start,
        range_end=start,
        restatement_window=RESTATEMENT_WINDOW,
    )


def test_a_run_with_nothing_new_builds_nothing_and_leaves_the_published_file_as_it_was(loaded, tmp_path):
    deployment = loaded.clone(tmp_path / "deployment")
    published = sha256(deployment.published)
    runs, logs = _dagster_runs(deployment), set(deployment.run_logs.glob("run-*.log"))

    deployment.run("run", log_name="again")

    output = " ".join(deployment.output("again").split())
    assert f"Nothing new since run {_latest_run(deployment)}" in output, output
    assert "Nothing was recomputed" in output and "is unchanged" in output
    assert sha256(deployment.published) == published, "a run with nothing new rewrote the published file"
    assert _dagster_runs(deployment) == runs, "a run with nothing new started a Dagster run"
    assert set(deployment.run_logs.glob("run-*.log")) == logs


def _latest_run(deployment: Deployment) -> str:
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        return con.execute(
            "SELECT run_id FROM scorecard.publications ORDER BY published_at DESC LIMIT 1"
        ).fetchall()[0][0]


def test_the_same_months_and_inputs_are_unchanged_whatever_the_files_timestamps(loaded, monkeypatch):
    unchanged = _unchanged(loaded, monkeypatch)
    assert unchanged is not None and unchanged.run_id == _latest_run(loaded)
    registry = load_registry(get_settings().sources_path)
    exports = sum(len(spec.resolve_files(loaded.landing)) for _, _, spec in registry.iter_tables())
    assert unchanged.files_checked == exports > 0
    # Content, not modification time: a file touched but not changed is still loaded.
    export = next(loaded.landing.rglob("*.csv"))
    stat = export.stat()
    try:
        os.utime(export, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert _unchanged(loaded, monkeypatch) is not None
    finally:
        os.utime(export, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_changed_export_means_a_run(loaded, monkeypatch):
    export = loaded.landing / "support" / "csat_responses" / "2025-04.csv"
    original = export.read_bytes()
    try:
        export.write_bytes(original.replace(b"\n", b"\r\n", 1))  # the same rows, other bytes
        assert _unchanged(loaded, monkeypatch) is None
    finally:
        export.write_bytes(original)
    assert _unchanged(loaded, monkeypatch) is not None


def test_a_new_export_means_a_run(loaded, monkeypatch):
    export = loaded.landing / "support" / "csat_responses" / "2025-04.csv"
    extra = export.with_name("2025-04-late.csv")
    shutil.copyfile(export, extra)
    try:
        assert _unchanged(loaded, monkeypatch) is None
    finally:
        extra.unlink()


def test_a_removed_export_means_a_run(loaded, monkeypatch, tmp_path):
    # Its rows must be withdrawn: a run with nothing new to load still has something to do.
    export = loaded.landing / "support" / "csat_responses" / "2025-04.csv"
    aside = tmp_path / export.name
    shutil.move(export, aside)
    try:
        assert _unchanged(loaded, monkeypatch) is None
    finally:
        shutil.move(aside, export)
    assert _unchanged(loaded, monkeypatch) is not None


def test_an_older_month_than_the_last_window_means_a_run(loaded, monkeypatch):
    # The last publication recomputed 2025-02…2025-05; restating 2024-09 (a correction outside that
    # window) must recompute it, even with nothing new.
    assert _unchanged(loaded, monkeypatch, month="2025-05") is not None
    assert _unchanged(loaded, monkeypatch, month="2024-09") is None


def test_another_calendar_means_a_run(loaded, monkeypatch):
    assert _unchanged(loaded, monkeypatch, month="2025-04", SCORECARD_LAST_MONTH="2025-04") is None


def test_a_config_edit_means_a_run_and_an_identical_copy_does_not(loaded, monkeypatch, tmp_path):
    config = tmp_path / "scorecard_config"
    shutil.copytree(get_settings().config_dir, config)
    assert _unchanged(loaded, monkeypatch, SCORECARD_CONFIG_DIR=str(config)) is not None
    measures = config / "measures.yml"
    measures.write_text(measures.read_text() + "\n# a reviewer's note\n")
    assert _unchanged(loaded, monkeypatch, SCORECARD_CONFIG_DIR=str(config)) is None


def test_a_published_file_from_elsewhere_means_a_run(loaded, monkeypatch, tmp_path):
    # A published file restored from another copy is not the one the warehouse log last wrote.
    deployment = loaded.clone(tmp_path / "deployment")
    with duckdb.connect(str(deployment.published)) as con:
        con.execute("UPDATE scorecard.publications SET run_id = 'restored-from-backup'")
    assert _unchanged(deployment, monkeypatch) is None
