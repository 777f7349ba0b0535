"""One test per error class of a suite file: a copy of a shipped suite with one thing broken.

Each test asserts what a user sees, as the config's error tests do: the file, the line, the entry, the
message and the fix, all in one ``Issue``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.ingestion.registry import SourceRegistry
from orchestration.issues import Issue, error
from orchestration.quality.suites import SuiteError, load_suite_files
from orchestration.settings import REPO_ROOT

FILE = "support__tickets.json"
SHIPPED = REPO_ROOT / "expectations" / FILE


class BrokenSuite:
    """A copy of the shipped support__tickets.json in which a test breaks exactly one thing."""

    def __init__(self, directory: Path, registry: SourceRegistry):
        self.directory = directory
        self.registry = registry
        self.path = directory / FILE
        self.path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")

    def replace(self, old: str, new: str, occurrence: int = 1) -> None:
        """Replace the ``occurrence``-th ``old`` in the file with ``new``."""
        text = self.path.read_text(encoding="utf-8")
        start = -1
        for _ in range(occurrence):
            start = text.index(old, start + 1)
        self.path.write_text(text[:start] + new + text[start + len(old) :], encoding="utf-8")

    def line_of(self, needle: str, occurrence: int = 1) -> int:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [number for number, line in enumerate(lines, start=1) if needle in line][occurrence - 1]

    def issues(self) -> tuple[Issue, ...]:
        with pytest.raises(SuiteError) as raised:
            load_suite_files(self.registry, self.directory)
        return raised.value.issues


@pytest.fixture
def suite(tmp_path: Path, shipped_registry: SourceRegistry) -> BrokenSuite:
    return BrokenSuite(tmp_path, shipped_registry)


def test_the_shipped_copy_loads(suite: BrokenSuite) -> None:
    loaded = [s for s in load_suite_files(suite.registry, suite.directory) if not s.generated]
    assert [s.name for s in loaded] == ["support__tickets"]


def test_json_syntax_error_names_the_line(suite: BrokenSuite) -> None:
    suite.replace('"min_value": 1\n', '"min_value": 1,\n')
    (issue,) = suite.issues()
    assert (issue.file, issue.entry, issue.code) == (FILE, "", "json_syntax")
    assert issue.line == suite.line_of('"min_value": 1,') + 1
    assert issue.message.startswith("not valid JSON: Expecting property name enclosed in double quotes")
    assert issue.hint.startswith("fix the JSON syntax at that line")


def test_a_key_repeated_inside_an_expectation(suite: BrokenSuite) -> None:
    # A second "kwargs" would silently replace the first: the check would guard another column.
    suite.replace('"kwargs": {', '"kwargs": {"column": "channel"},\n      "kwargs": {')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[0].kwargs",
        f"the key `kwargs` appears twice in the same mapping (lines {suite.line_of('kwargs')} and "
        f"{suite.line_of('kwargs', 2)}); JSON would silently keep only the last.",
        "remove one of them or give it a different name",
        code="duplicate_key",
        line=suite.line_of("kwargs", 2),
    )


def test_unknown_field_suggests_the_right_spelling(suite: BrokenSuite) -> None:
    suite.replace('"fix": "the export is empty', '"fixx": "the export is empty')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[0].meta.fixx",
        "`fixx` is not a known field here.",
        "remove it or fix its spelling (did you mean `fix`?)",
        code="schema",
        line=suite.line_of('"fixx"'),
    )


def test_wrong_type_of_a_field(suite: BrokenSuite) -> None:
    suite.replace('{\n        "column": "rows_read",\n        "min_value": 1\n      }', '["rows_read"]')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[0].kwargs",
        "`kwargs` must be a mapping of `key: value` entries.",
        "see expectations/README.md for the layout",
        code="schema",
        line=suite.line_of('"kwargs": ["rows_read"]'),
    )


def test_missing_required_field_points_at_its_block(suite: BrokenSuite) -> None:
    suite.replace('"description": "Every delivery holds at least one row.",', "")
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[0].meta.description",
        "`description` is required but missing.",
        "say in plain words what must hold",
        code="schema",
        line=suite.line_of('"meta"', 2),
    )


def test_severity_outside_error_and_warning(suite: BrokenSuite) -> None:
    suite.replace('"severity": "error"', '"severity": "fatal"', 2)
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[1].meta.severity",
        "`fatal` is not allowed for `severity`.",
        "use one of: 'error' or 'warning'",
        code="schema",
        line=suite.line_of('"severity": "fatal"'),
    )


def test_a_column_the_table_does_not_declare(suite: BrokenSuite) -> None:
    text = suite.path.read_text()
    column = next(c for c in ("channel", "priority") if f'"column": "{c}"' in text)
    suite.replace(f'"column": "{column}"', f'"column": "{column}s"')
    (issue,) = suite.issues()
    index = _index_of_expectation_naming(suite, f"{column}s")
    assert issue == error(
        FILE,
        f"expectations[{index}].kwargs.column",
        f"`{column}s` is not a column of the rows frame.",
        f"name a column of the frame (did you mean `{column}`?)",
        code="unknown_column",
        line=suite.line_of(f'"column": "{column}s"'),
    )


def test_a_table_sources_yml_does_not_declare(suite: BrokenSuite) -> None:
    suite.replace('"tickets"\n', '"ticket"\n')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "meta.asset_key",
        "`support.ticket` is not a table of sources.yml.",
        "fix the key or delete the suite (did you mean `support.tickets`?)",
        code="unknown_reference",
        line=suite.line_of('"asset_key"'),
    )


def test_an_unknown_frame(suite: BrokenSuite) -> None:
    suite.replace('"frame": "deliveries"', '"frame": "delivery"')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "expectations[0].meta.frame",
        "`delivery` is not a frame of a raw table.",
        "use one of: rows, deliveries, freshness (did you mean `deliveries`?)",
        code="unknown_frame",
        line=suite.line_of('"frame": "delivery"'),
    )


def test_a_suite_named_apart_from_its_file(suite: BrokenSuite) -> None:
    suite.replace('"name": "support__tickets"', '"name": "tickets"')
    (issue,) = suite.issues()
    assert issue == error(
        FILE,
        "name",
        f"the suite is named `tickets`, but its file is {FILE}.",
        'a suite is named after its file: set it to "support__tickets"',
        code="name_mismatch",
        line=2,
    )


def test_every_problem_is_listed_with_its_file_in_one_message(suite: BrokenSuite) -> None:
    suite.replace('"severity": "error"', '"severity": "fatal"')
    suite.replace('"frame": "deliveries"', '"frame": "delivery"', 2)
    with pytest.raises(SuiteError) as raised:
        load_suite_files(suite.registry, suite.directory)
    message = str(raised.value)
    assert message.splitlines()[0] == f"{suite.directory}: 2 error(s) in the suite files:"
    fatal, delivery = suite.line_of("fatal"), suite.line_of('"delivery"')
    assert f"  - error: {FILE}:{fatal}: expectations[0].meta.severity: `fatal`" in message
    assert f"  - error: {FILE}:{delivery}: expectations[1].meta.frame: `delivery`" in message


def _index_of_expectation_naming(suite: BrokenSuite, column: str) -> int:
    expectations = json.loads(suite.path.read_text())["expectations"]
    return next(i for i, e in enumerate(expectations) if e["kwargs"].get("column") == column)
