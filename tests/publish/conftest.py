"""A demo warehouse published once per session by a real ``scorecard run`` process, cloned per test."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from orchestration.demo import generate_demo
from orchestration.publish.wap import HOLD_ENV

# Small enough for two shared cores, large enough to pass the volume and freshness gates.
DEMO_SEED, DEMO_SCALE, DEMO_MONTHS, DEMO_END = 7, 0.2, 15, date(2025, 5, 1)
FIRST_MONTH, LAST_MONTH = "2024-03", "2025-05"


@dataclass(frozen=True)
class Deployment:
    """A warehouse, landing zone and Dagster home in one directory, driven by real CLI processes.

    Clones may share the baseline's landing zone (read-only): the ingestion ledger knows files by
    path and content hash, so the same path means a re-run finds nothing new to load, as in production.
    """

    root: Path
    shared_landing: Path | None = None

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "warehouse" / "published" / "bsc_published.duckdb"

    @property
    def landing(self) -> Path:
        return self.shared_landing or self.root / "landing"

    @property
    def run_logs(self) -> Path:
        """Where ``scorecard run`` writes the output of each run's steps (dbt's log lines)."""
        return self.root / "warehouse" / "logs"

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("SCORECARD_")}
        env.pop(HOLD_ENV, None)
        return {
            **env,
            "SCORECARD_WAREHOUSE_DIR": str(self.root / "warehouse"),
            "SCORECARD_LANDING_DIR": str(self.landing),
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "SCORECARD_FIRST_MONTH": FIRST_MONTH,
            "SCORECARD_LAST_MONTH": LAST_MONTH,
            "DAGSTER_DISABLE_TELEMETRY": "true",
            # Progress lines reach the log as they happen, so a killed run's log shows how far it got.
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def start(self, *args: str, log_name: str, **env: str) -> subprocess.Popen:
        """Start ``scorecard <args>`` in its own process group (so a kill takes dbt down with it)."""
        log = (self.root / f"{log_name}.log").open("w")
        return subprocess.Popen(
            [str(Path(sys.executable).with_name("scorecard")), *args],
            env=self.env(**env),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run(self, *args: str, log_name: str = "run") -> None:
        """Run ``scorecard <args>`` to the end and fail the test with its output if it fails."""
        process = self.start(*args, log_name=log_name)
        if process.wait() != 0:
            pytest.fail(f"scorecard {' '.join(args)} failed:\n{self.output(log_name)[-6000:]}")

    def output(self, log_name: str) -> str:
        return (self.root / f"{log_name}.log").read_text()

    def clone(self, destination: Path, *, own_landing: bool = False) -> Deployment:
        """A copy of this deployment that a test may change and kill freely.

        The landing zone is shared unless ``own_landing`` (for tests that change exports).
        """
        ignore = None if own_landing else shutil.ignore_patterns("landing")
        shutil.copytree(self.root, destination, symlinks=True, ignore=ignore)
        return Deployment(destination, None if own_landing else self.landing)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the process and everything it started, as a power cut or an OOM kill of the job would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def wait_for(marker: Path, process: subprocess.Popen, log: str) -> None:
    """Wait until the run reaches the instrumented point (it writes the marker and waits there)."""
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail(f"the run ended (exit {process.returncode}) before reaching {marker.name}:\n{log}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    """The demo company, generated and published once by `scorecard run --period 2025-05`."""
    deployment = Deployment(tmp_path_factory.mktemp("published_baseline"))
    generate_demo(
        deployment.landing, seed=DEMO_SEED, months=DEMO_MONTHS, scale=DEMO_SCALE, end_month=DEMO_END
    )
    deployment.run("run", "--period", LAST_MONTH, log_name="baseline")
    return deployment
