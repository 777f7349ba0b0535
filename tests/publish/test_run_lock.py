"""One run at a time: a second ``scorecard run`` refuses while one runs; a killed run leaves no lock.

Real processes on a clone of the published demo deployment, as a user and a scheduler would start
them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import RUN_LOCKED_EXIT
from orchestration.publish import HOLD_ENV
from orchestration.run_lock import run_lock
from tests.publish.conftest import LAST_MONTH, Deployment, kill_group, wait_for
from tests.publish.helpers import sha256

pytestmark = pytest.mark.slow


def _publications(deployment: Deployment) -> int:
    with duckdb.connect(str(deployment.published), read_only=True) as con:
        return con.execute("SELECT count(*) FROM scorecard.publications").fetchall()[0][0]


def test_a_second_run_refuses_while_one_runs_and_a_killed_run_leaves_no_lock(baseline, tmp_path):
    deployment = baseline.clone(tmp_path / "deployment")
    published_digest = sha256(deployment.published)
    publications = _publications(deployment)

    # The first run holds its locks from start to end; here it is held just before publishing.
    marker = deployment.root / "held.marker"
    # --force: nothing is new since the baseline, and an unforced run would stop before building.
    first = deployment.start(
        "run", "--period", LAST_MONTH, "--force", log_name="first", **{HOLD_ENV: f"before_write:{marker}"}
    )
    try:
        wait_for(marker, first, deployment.output("first"))
        second = deployment.start("run", "--period", LAST_MONTH, log_name="second")
        assert second.wait(timeout=600) == RUN_LOCKED_EXIT, deployment.output("second")
        refusal = " ".join(deployment.output("second").split())
        assert f"(pid {first.pid} on " in refusal, refusal
        assert "is running on this warehouse" in refusal and "wait for that run to finish" in refusal
        assert "Traceback" not in refusal
        assert sha256(deployment.published) == published_digest, "a refused run must not publish"
    finally:
        # Killed like a power cut: the operating system drops its locks with the process.
        kill_group(first)

    deployment.run("run", "--period", LAST_MONTH, "--force", log_name="after_kill")
    assert _publications(deployment) == publications + 1, "the next run must publish as usual"


def test_a_dagster_launched_run_refuses_while_scorecard_run_runs(baseline, tmp_path):
    """A run started by Dagster itself (UI, schedule, sensor; here its CLI) takes the same locks."""
    deployment = baseline.clone(tmp_path / "deployment")
    published_digest = sha256(deployment.published)
    marker = deployment.root / "held.marker"
    first = deployment.start(
        "run", "--period", LAST_MONTH, "--force", log_name="first", **{HOLD_ENV: f"before_write:{marker}"}
    )
    try:
        wait_for(marker, first, deployment.output("first"))
        log = deployment.root / "dagster.log"
        with log.open("w") as out:
            status = subprocess.run(
                [
                    str(Path(sys.executable).with_name("dagster")),
                    "asset",
                    "materialize",
                    "-m",
                    "orchestration.defs.definitions",
                    "--select",
                    "raw/billing/invoices",
                ],
                env=deployment.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=600,
            ).returncode
        output = " ".join(log.read_text().split())
        assert status != 0, output[-3000:]
        assert f"(pid {first.pid} on " in output and "is running on this warehouse" in output, output[-3000:]
        assert sha256(deployment.published) == published_digest
    finally:
        kill_group(first)


def test_the_lock_is_reentrant_in_one_process_and_exclusive_across_processes(tmp_path):
    warehouse, project = tmp_path / "warehouse", tmp_path / "dbt_project"
    other = [
        sys.executable,
        "-c",
        "import sys; from orchestration.run_lock import RunLockedError, run_lock\n"
        "try:\n"
        f"    with run_lock({str(warehouse)!r}, {str(project)!r}): sys.exit(0)\n"
        "except RunLockedError as error:\n"
        "    print(error); sys.exit(75)",
    ]
    with run_lock(warehouse, project):
        with run_lock(warehouse, project):  # the job that `scorecard run` executes in process
            pass
        refused = subprocess.run(other, capture_output=True, text=True)
        assert refused.returncode == 75, refused.stdout + refused.stderr
        assert "is running on this warehouse" in refused.stdout
    assert subprocess.run(other).returncode == 0
