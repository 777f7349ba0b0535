"""The suites in expectations/: one per table, GE-readable, and broken files explained with the fix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.ingestion.registry import SourceRegistry, raw_table_name
from orchestration.quality.suites import (
    SEVERITIES,
    SuiteError,
    baseline_suite,
    expectations_dir,
    ge_suite,
    load_suite_files,
)
from orchestration.settings import REPO_ROOT


def test_every_raw_table_and_measure_values_has_a_suite_named_after_it(
    shipped_registry: SourceRegistry,
) -> None:
    suites = load_suite_files(shipped_registry)
    files = {path.name for path in (REPO_ROOT / "expectations").glob("*.json")}

    expected = {f"{raw_table_name(s, t)}.json" for s, t in shipped_registry.table_names()}
    assert len(expected) == 16
    assert expected | {"scorecard__measure_values.json"} <= files
    assert not [suite.name for suite in suites if suite.generated]
    keys = {suite.asset_key for suite in suites}
    assert {("raw", s, t) for s, t in shipped_registry.table_names()} <= keys
    assert ("scorecard", "measure_values") in keys
    for suite in suites:
        assert suite.path.stem == suite.name == suite.data["name"]
        for expectation in suite.expectations:
            assert expectation["meta"]["severity"] in SEVERITIES
            assert expectation["meta"]["description"].strip()
            assert expectation["meta"]["fix"].strip(), f"{suite.name}: say what to do when it fails"


def test_every_raw_suite_guards_volume_quarantine_uniqueness_and_freshness(
    shipped_registry: SourceRegistry,
) -> None:
    # Tables whose event time says nothing about whether the latest export arrived.
    no_freshness = {("billing", "plans"), ("hr", "employees"), ("hr", "team_assignments")}
    for suite in load_suite_files(shipped_registry):
        if suite.kind != "raw":
            continue
        spec = shipped_registry.table(suite.asset_key[1], suite.asset_key[2])
        columns = {(e["meta"]["frame"], e["kwargs"].get("column")): e for e in suite.expectations}
        assert columns[("deliveries", "rows_read")]["meta"]["severity"] == "error"
        assert columns[("deliveries", "rows_vs_previous")]["meta"]["severity"] == "error"
        assert ("deliveries", "quarantined_share") in columns
        unique = [e for e in suite.expectations if "unique" in e["type"]]
        named = unique[0]["kwargs"].get("column_list") or [unique[0]["kwargs"]["column"]]
        assert named == spec.primary_key
        has_freshness = ("freshness", "days_behind_period_end") in columns
        assert has_freshness == ((suite.asset_key[1], suite.asset_key[2]) not in no_freshness), suite.name


def test_every_shipped_expectation_is_readable_by_great_expectations(
    shipped_registry: SourceRegistry,
) -> None:
    for suite in load_suite_files(shipped_registry):
        built = sum(len(ge_suite(suite, frame).expectations) for frame in suite.frames())
        assert built == len(suite.expectations), suite.name


def test_measure_values_suite_checks_rates_counts_and_arr_jumps(shipped_registry: SourceRegistry) -> None:
    suite = next(s for s in load_suite_files(shipped_registry) if s.name == "scorecard__measure_values")
    conditions = [e["kwargs"].get("row_condition", "") for e in suite.expectations]
    assert any('unit=="percent"' in c for c in conditions)
    assert any('unit in ["count"' in c for c in conditions)
    arr = [e for e in suite.expectations if 'measure_id=="arr"' in e["kwargs"].get("row_condition", "")]
    assert arr[0]["meta"]["frame"] == "month_over_month"
    assert (arr[0]["kwargs"]["min_value"], arr[0]["kwargs"]["max_value"]) == (0.1, 10)


def write_suite(directory: Path, name: str, data: dict) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(data, indent=2))


def tickets_suite(**changes: object) -> dict:
    expectation = {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "channel", "value_set": ["email"]},
        "meta": {"severity": "warning", "frame": "rows", "description": "Known channels.", "fix": "map it"},
    }
    expectation.update(changes)
    return {
        "name": "support__tickets",
        "meta": {"asset_key": ["raw", "support", "tickets"]},
        "expectations": [expectation],
    }


def test_an_expectation_great_expectations_rejects_is_named_by_position(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    data = tickets_suite(type="expect_compound_columns_to_be_unique", kwargs={"column_list": ["ticket_id"]})
    data["expectations"].insert(0, tickets_suite()["expectations"][0])
    write_suite(tmp_path, "support__tickets", data)
    suite = next(s for s in load_suite_files(shipped_registry, tmp_path) if s.name == "support__tickets")
    with pytest.raises(SuiteError) as raised:
        ge_suite(suite, "rows")
    (issue,) = raised.value.issues
    assert (issue.file, issue.entry, issue.code) == (
        "support__tickets.json",
        "expectations[1]",
        "great_expectations",
    )
    lines = (tmp_path / "support__tickets.json").read_text().splitlines()
    assert lines[issue.line - 1].strip() == "{"  # the entry's opening brace
    assert '"expect_compound_columns_to_be_unique"' in lines[issue.line]
    assert issue.message.startswith(
        "Great Expectations cannot read this expect_compound_columns_to_be_unique: "
    )
    assert "at least two columns" in issue.message


def test_a_table_without_a_suite_file_gets_the_baseline_suite(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    suites = load_suite_files(shipped_registry, tmp_path)
    assert len(suites) == 16
    assert all(suite.generated and suite.kind == "raw" for suite in suites)
    tickets = next(s for s in suites if s.name == "support__tickets")
    assert tickets.data == baseline_suite("support", "tickets", shipped_registry.table("support", "tickets"))
    costs = baseline_suite("finance", "cost_of_revenue", shipped_registry.table("finance", "cost_of_revenue"))
    assert any(e["kwargs"].get("column_list") == ["month", "cost_category"] for e in costs["expectations"])


def test_expectations_dir_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert expectations_dir() == REPO_ROOT / "expectations"
    monkeypatch.setenv("SCORECARD_EXPECTATIONS_DIR", str(tmp_path))
    assert expectations_dir() == tmp_path


def test_building_the_checks_does_not_import_great_expectations() -> None:
    # GE costs seconds to import; Definitions must load without it (it is imported when a check runs).
    script = (
        "import sys\n"
        "from orchestration.ingestion.registry import load_registry\n"
        "from orchestration.defs.quality import build_quality_checks\n"
        "from orchestration.settings import get_settings\n"
        "checks = build_quality_checks(load_registry(get_settings().sources_path))\n"
        "print(len(checks), 'great_expectations' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["17", "False"]
