"""One run at a time: a second ``scorecard run`` refuses while one runs; a killed run leaves no lock.

Real processes on a clone of the published demo deployment, as a user and a scheduler would start
them.
"""

from __future__ import annotations

import duckdb
import pytest

from orchestration.cli import RUN_LOCKED_EXIT
from orchestration.publish import HOLD_ENV
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
