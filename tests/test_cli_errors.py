"""The CLI's net under every command: a one-line message and an exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.errors import BUG_EXIT, IN_USE_EXIT, USER_ERROR_EXIT, explain
from orchestration.settings import REPO_ROOT

HOLDER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(600)
"""
# A command of the real app that fails the way a bug would.
BUGGY = """
import sys
from orchestration.cli import app

@app.command()
def boom() -> None:
    raise RuntimeError("an invariant broke")

app(sys.argv[1:], prog_name="scorecard")
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCORECARD_")}
    return env | {"SCORECARD_WAREHOUSE_DIR": str(tmp_path / "warehouse")} | extra


def _scorecard(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [str(Path(sys.executable).with_name("scorecard")), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def test_a_warehouse_held_by_another_process_is_named_with_its_holder(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    duckdb.connect(str(warehouse)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = _scorecard("quarantine", env=_env(tmp_path))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == IN_USE_EXIT, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert f"{warehouse} is open for writing in another process" in " ".join(result.stderr.split())
    assert f"PID {holder.pid}" in result.stderr


def test_a_bug_is_one_line_with_its_traceback_in_a_file(tmp_path: Path) -> None:
    env = _env(tmp_path)
    result = subprocess.run([sys.executable, "-c", BUGGY, "boom"], env=env, capture_output=True, text=True)
    assert result.returncode == BUG_EXIT
    assert "Traceback" not in result.stderr
    message = " ".join(result.stderr.split())
    assert "RuntimeError: an invariant broke" in message
    assert "This is a bug in the scorecard" in message
    (log,) = (tmp_path / "warehouse" / "logs").glob("scorecard-error-*.log")
    assert str(log) in message
    logged = log.read_text()
    assert logged.startswith("Traceback") and ", in boom\nRuntimeError: an invariant broke" in logged

    debug = subprocess.run(
        [sys.executable, "-c", BUGGY, "--debug", "boom"], env=env, capture_output=True, text=True
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "RuntimeError: an invariant broke" in debug.stderr


def test_files_and_yaml_a_command_cannot_use_are_named(tmp_path: Path) -> None:
    directory = tmp_path / "measures.yml"
    directory.mkdir()
    with pytest.raises(IsADirectoryError) as not_a_file:
        directory.read_text()
    explained = explain(not_a_file.value)
    assert explained.exit_code == USER_ERROR_EXIT
    assert explained.message.startswith(f"{directory} is a directory where a file is expected")

    broken = tmp_path / "targets.yml"
    broken.write_text("targets:\n  arr:\n    - value: 1\n   kind: absolute\n")
    with pytest.raises(yaml.YAMLError) as unparsable, broken.open() as stream:
        yaml.safe_load(stream)
    explained = explain(unparsable.value)
    assert explained.exit_code == USER_ERROR_EXIT
    assert explained.message.startswith(f"{broken}, line 4, column 4:")


def _company(tmp_path: Path) -> Path:
    """A company folder holding copies of the demo's config and suites, for a test to break."""
    company = tmp_path / "company"
    shutil.copytree(REPO_ROOT / "scorecard_config", company / "scorecard_config")
    shutil.copytree(REPO_ROOT / "expectations", company / "expectations")
    return company


def test_broken_sources_yml_and_suite_are_listed_by_validate_and_the_net(tmp_path: Path) -> None:
    company = _company(tmp_path)
    sources = company / "scorecard_config" / "sources.yml"
    sources.write_text(sources.read_text().replace("primary_key: [invoice_id]", "primary_key: [invoice_idd]"))
    suite = company / "expectations" / "support__tickets.json"
    suite.write_text(suite.read_text().replace('"severity": "error"', '"severity": "fatal"', 1))
    source_line = next(
        n for n, line in enumerate(sources.read_text().splitlines(), 1) if "invoice_idd" in line
    )
    suite_line = next(n for n, line in enumerate(suite.read_text().splitlines(), 1) if "fatal" in line)
    env = _env(tmp_path)

    # `scorecard validate` checks every file a user edits: config, sources.yml and, once it loads, the suites.
    validate = _scorecard("--company", str(company), "validate", env=env)
    assert validate.returncode == 1, validate.stdout + validate.stderr
    assert "Traceback" not in validate.stdout + validate.stderr
    said = " ".join(validate.stdout.split())
    assert (
        f"ERROR sources.yml:{source_line}: tables[billing.invoices].primary_key: `invoice_idd` is not" in said
    )

    sources.write_text(sources.read_text().replace("[invoice_idd]", "[invoice_id]"))
    validate = _scorecard("--company", str(company), "validate", env=env)
    said = " ".join(validate.stdout.split())
    assert validate.returncode == 1
    assert (
        f"support__tickets.json:{suite_line}: expectations[0].meta.severity: `fatal` is not allowed" in said
    )

    # Any other command that loads them stops in the CLI's net: one message listing every Issue, exit 2.
    sources.write_text(sources.read_text().replace("[invoice_id]", "[invoice_idd]"))
    quarantine = _scorecard("--company", str(company), "quarantine", env=env)
    assert quarantine.returncode == USER_ERROR_EXIT, quarantine.stderr
    assert "Traceback" not in quarantine.stdout + quarantine.stderr
    assert "bug" not in quarantine.stderr
    said = " ".join(quarantine.stderr.split())
    assert f"{sources} has 1 error(s): - error: sources.yml:{source_line}: tables[billing.invoices]" in said


def test_dev_lists_config_errors_instead_of_starting_a_broken_location(tmp_path: Path) -> None:
    company = _company(tmp_path)
    strategy = company / "scorecard_config" / "strategy.yml"
    strategy.write_text(strategy.read_text().replace("perspective: financial", "perspective: financal", 1))
    line = next(n for n, text in enumerate(strategy.read_text().splitlines(), 1) if "financal" in text)

    dev = _scorecard("--company", str(company), "dev", "--port", "3999", env=_env(tmp_path))

    assert dev.returncode == USER_ERROR_EXIT, dev.stdout + dev.stderr
    said = " ".join((dev.stdout + dev.stderr).split())
    assert "Traceback" not in said and "Dagster UI" not in said
    assert f"strategy.yml:{line}" in said and "financal" in said


def test_review_prepare_without_a_published_scorecard_says_to_run_first(tmp_path: Path) -> None:
    result = _scorecard("review", "prepare", "--period", "2026-10", env=_env(tmp_path))
    assert result.returncode == USER_ERROR_EXIT, result.stderr
    assert "bsc_published.duckdb: no such DuckDB file" in result.stderr
    assert "`scorecard run`" in result.stderr
    assert "Traceback" not in result.stderr
