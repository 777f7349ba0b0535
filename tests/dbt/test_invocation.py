"""How the dbt step reads dbt's log and keeps its parse: with real processes and real files."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import time
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

from dagster_dbt import DbtCliResource

from orchestration.defs.dbt_cli import (
    PARTIAL_PARSE_FILE,
    ScorecardDbtCliResource,
    keep_partial_parse,
    process_environment,
    read_log_ahead,
)
from orchestration.transform.project import dbt_env
from tests.dbt.helpers import DbtProject, dbt_executable

# 200,000 log lines of ~40 bytes: 8 MB, far more than a pipe's 64 KiB buffer.
WRITER = """
import sys
for i in range(200_000):
    sys.stdout.write('{"line": %d, "msg": "node finished"}\\n' % i)
"""


def test_dbt_finishes_writing_its_log_while_the_reader_is_still_busy():
    process = subprocess.Popen([sys.executable, "-c", WRITER], stdout=subprocess.PIPE)
    invocation = read_log_ahead(SimpleNamespace(process=process))
    stdout = invocation.process.stdout
    lines = 0
    with stdout:  # as dagster-dbt reads it: a context manager, iterated line by line
        for _ in stdout:
            if lines == 0:
                # A slow consumer (Dagster storing an event): without the read-ahead the writer would
                # block on the full pipe and never exit meanwhile.
                deadline = time.monotonic() + 60
                while process.poll() is None and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert process.poll() == 0, "the writer waited for the reader"
            lines += 1
    assert lines == 200_000
    # dagster-dbt reads stdout a second time after the end (is_successful): it must end at once.
    assert stdout.closed and list(stdout) == []


def test_the_builds_parse_is_kept_for_the_next_run_and_old_builds_are_pruned(tmp_path: Path):
    target = tmp_path / "target"
    builds = []
    for i in range(7):
        build = target / f"scorecard_dbt_models-{i}"
        build.mkdir(parents=True)
        (build / "run_results.json").write_text("{}")
        os.utime(build, (1_000_000 + i, 1_000_000 + i))
        builds.append(build)
    (builds[-1] / PARTIAL_PARSE_FILE).write_bytes(b"parse of build 6")
    (target / "manifest.json").write_text("{}")

    keep_partial_parse(SimpleNamespace(target_path=builds[-1]), tmp_path, keep_builds=3)

    assert (target / PARTIAL_PARSE_FILE).read_bytes() == b"parse of build 6"
    assert sorted(path.name for path in target.iterdir() if path.is_dir()) == [
        "scorecard_dbt_models-4",
        "scorecard_dbt_models-5",
        "scorecard_dbt_models-6",
    ]
    assert (target / "manifest.json").exists()


def test_a_builds_environment_reaches_its_dbt_process_and_lingers_nowhere(monkeypatch):
    monkeypatch.setenv("SCORECARD_BUILD_LAST_MONTH", "2025-01")
    monkeypatch.delenv("SCORECARD_RUN_ID", raising=False)
    names = ("SCORECARD_BUILD_LAST_MONTH", "SCORECARD_RUN_ID")
    echo = f"import os; print(*(os.environ.get(n) for n in {names!r}))"
    with process_environment({"SCORECARD_BUILD_LAST_MONTH": None, "SCORECARD_RUN_ID": "run-7"}):
        seen = subprocess.run([sys.executable, "-c", echo], capture_output=True, text=True, check=True)
    assert seen.stdout.split() == ["None", "run-7"]
    assert os.environ["SCORECARD_BUILD_LAST_MONTH"] == "2025-01" and "SCORECARD_RUN_ID" not in os.environ


def test_the_dbt_resource_starts_dbt_without_asking_its_version_first(
    built_project: DbtProject, tmp_path: Path
) -> None:
    # The members ScorecardDbtCliResource overrides are still dagster-dbt's (an upgrade renaming them
    # would silently bring back a `dbt --version` process and an adapter per run).
    assert isinstance(inspect.getattr_static(DbtCliResource, "_cli_version"), cached_property)
    assert "args" in inspect.signature(DbtCliResource._initialize_dbt_core_adapter).parameters
    # A dbt that refuses `--version` and logs every other call: the resource runs it once, for ls.
    calls = tmp_path / "calls.log"
    wrapper = tmp_path / "dbt"
    wrapper.write_text(
        f'#!/bin/sh\necho "$@" >> {calls}\n[ "$1" = "--version" ] && exit 3\nexec {dbt_executable()} "$@"\n'
    )
    wrapper.chmod(0o755)
    resource = ScorecardDbtCliResource(
        project_dir=str(built_project.project_dir),
        profiles_dir=str(built_project.settings.dbt_profiles_dir),
        dbt_executable=str(wrapper),
    )
    expected = subprocess.run([dbt_executable(), "--version"], capture_output=True, text=True, check=True)
    assert f"installed: {resource._cli_version}" in expected.stdout

    with process_environment(dbt_env(built_project.settings)):
        invocation = resource.cli(["ls", "--select", "measure_values", "--output", "name"])
        assert invocation.is_successful()
    assert invocation.adapter is None
    assert [line.split()[0] for line in calls.read_text().splitlines()] == ["ls"]
