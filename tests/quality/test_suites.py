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
    (directory / f"{name}.json").write_text(json.dumps(data))


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


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("support__tickets", tickets_suite(meta={"frame": "rows", "description": "x"}),
         "support__tickets.json: expectations[0] (expect_column_values_to_be_in_set): meta.severity is None; "
         "use 'error' (blocks the run) or 'warning'"),
        ("support__tickets", tickets_suite(kwargs={"column": "chanel", "value_set": ["email"]}),
         "support__tickets.json: expectations[0] (expect_column_values_to_be_in_set): column 'chanel' is not "
         "in this frame (did you mean 'channel'?)"),
        ("support__tickets", tickets_suite(meta={"severity": "error", "frame": "row", "description": "x"}),
         "meta.frame is 'row'; a raw-table suite reads one of rows, deliveries, freshness"),
        ("support__tickets",
         tickets_suite(type="expect_column_values_to_be_unique", kwargs={"column": "channel"}),
         "only the primary key (ticket_id) can be checked for uniqueness"),
        ("tickets", tickets_suite(),
         "tickets.json: name is 'support__tickets'; a suite is named after its file"),
        ("support__tickets", {**tickets_suite(), "meta": {"asset_key": ["raw", "support", "ticket"]}},
         "support__tickets.json: meta.asset_key: support.ticket is not declared in sources.yml"),
        ("support__tickets", {**tickets_suite(), "meta": {}},
         "support__tickets.json: meta.asset_key is missing"),
        ("scorecard__measure_values",
         {"name": "scorecard__measure_values", "meta": {"asset_key": ["scorecard", "measure_values"]},
          "expectations": [{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "value"},
                            "meta": {"severity": "error", "frame": "yearly", "description": "x"}}]},
         "meta.frame is 'yearly'; a suite on scorecard.measure_values reads one of month_over_month, rows"),
    ],
)  # fmt: skip
def test_a_broken_suite_names_its_file_entry_and_fix(
    tmp_path: Path, shipped_registry: SourceRegistry, name: str, data: dict, expected: str
) -> None:
    write_suite(tmp_path, name, data)
    with pytest.raises(SuiteError) as raised:
        load_suite_files(shipped_registry, tmp_path)
    assert expected in str(raised.value)


def test_invalid_json_is_reported_with_the_file(tmp_path: Path, shipped_registry: SourceRegistry) -> None:
    (tmp_path / "support__tickets.json").write_text('{"name": "support__tickets",')
    with pytest.raises(
        SuiteError, match=r"support__tickets\.json: is not valid JSON .* fix the file or delete it"
    ):
        load_suite_files(shipped_registry, tmp_path)


def test_a_key_repeated_in_one_object_is_reported(tmp_path: Path, shipped_registry: SourceRegistry) -> None:
    # The second "kwargs" would silently replace the first: the check would guard another column.
    suite = json.dumps(tickets_suite())
    expectation = suite.index('"kwargs"')
    repeated = suite[:expectation] + '"kwargs": {"column": "nobody"}, ' + suite[expectation:]
    (tmp_path / "support__tickets.json").write_text(repeated)
    with pytest.raises(SuiteError) as raised:
        load_suite_files(shipped_registry, tmp_path)
    assert (
        "support__tickets.json: key 'kwargs' appears twice in one object — keep one of them; JSON would "
        "silently use the last"
    ) in str(raised.value)


def test_an_expectation_great_expectations_rejects_is_named_by_position(
    tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    data = tickets_suite(type="expect_compound_columns_to_be_unique", kwargs={"column_list": ["ticket_id"]})
    data["expectations"].insert(0, tickets_suite()["expectations"][0])
    write_suite(tmp_path, "support__tickets", data)
    suite = next(s for s in load_suite_files(shipped_registry, tmp_path) if s.name == "support__tickets")
    with pytest.raises(SuiteError) as raised:
        ge_suite(suite, "rows")
    said = str(raised.value)
    assert "support__tickets.json: expectations[1] (expect_compound_columns_to_be_unique): " in said
    assert "Great Expectations cannot read it" in said
    assert "at least two columns" in str(raised.value)


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
        "from orchestration.quality.checks import build_quality_checks\n"
        "from orchestration.settings import get_settings\n"
        "checks = build_quality_checks(load_registry(get_settings().sources_path))\n"
        "print(len(checks), 'great_expectations' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert completed.stdout.split() == ["17", "False"]
