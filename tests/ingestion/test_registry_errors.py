"""One test per error class of sources.yml: a copy of the shipped file with one thing broken.

Each test asserts what a user sees, as the config's error tests do: the file, the line, the entry, the
message and the fix, all in one ``Issue``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingestion.registry import RegistryError, load_registry
from orchestration.issues import Issue, error
from orchestration.settings import REPO_ROOT

SHIPPED = REPO_ROOT / "scorecard_config" / "sources.yml"


class BrokenSources:
    """A copy of the shipped sources.yml in which a test breaks exactly one thing."""

    def __init__(self, path: Path):
        self.path = path
        path.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")

    def replace(self, old: str, new: str) -> None:
        text = self.path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} must occur once in sources.yml"
        self.path.write_text(text.replace(old, new), encoding="utf-8")

    def line_of(self, needle: str, occurrence: int = 1) -> int:
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [number for number, line in enumerate(lines, start=1) if needle in line][occurrence - 1]

    def issues(self) -> tuple[Issue, ...]:
        with pytest.raises(RegistryError) as raised:
            load_registry(self.path)
        return raised.value.issues


@pytest.fixture
def sources(tmp_path: Path) -> BrokenSources:
    return BrokenSources(tmp_path / "sources.yml")


def test_yaml_syntax_error_names_the_line(sources: BrokenSources) -> None:
    sources.replace("primary_key: [invoice_id]", "primary_key: [invoice_id")
    (issue,) = sources.issues()
    assert (issue.file, issue.entry, issue.code) == ("sources.yml", "", "yaml_syntax")
    assert issue.line is not None and issue.line > sources.line_of("primary_key: [invoice_id")
    assert issue.message.startswith("not valid YAML: ")
    assert issue.hint == "fix the YAML syntax at that line (indentation, a missing `:` or an unclosed quote)"


def test_a_table_declared_twice_names_both_lines(sources: BrokenSources) -> None:
    sources.replace("      invoice_lines:\n", "      invoices:\n")
    (issue,) = sources.issues()
    first, second = sources.line_of("      invoices:"), sources.line_of("      invoices:", occurrence=2)
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices]",
        f"the key `invoices` appears twice in the same mapping (lines {first} and {second}); YAML would "
        "silently keep only the last.",
        "remove one of them or give it a different name",
        code="duplicate_key",
        line=second,
    )


def test_unknown_field_suggests_the_right_spelling(sources: BrokenSources) -> None:
    sources.replace("primary_key: [invoice_id]", "primary_keys: [invoice_id]")
    missing, unknown = sources.issues()
    assert unknown == error(
        "sources.yml",
        "tables[billing.invoices].primary_keys",
        "`primary_keys` is not a known field here.",
        "remove it or fix its spelling (did you mean `primary_key`?)",
        code="schema",
        line=sources.line_of("primary_keys: [invoice_id]"),
    )
    # primary_key itself is then missing: said too, on the table's line (first, in file order).
    assert (missing.entry, missing.line) == (
        "tables[billing.invoices].primary_key",
        sources.line_of("invoices:"),
    )
    assert missing.message == "`primary_key` is required but missing."


def test_missing_required_field_points_at_the_table(sources: BrokenSources) -> None:
    sources.replace("        location: billing/invoices/*.csv\n", "")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].location",
        "`location` is required but missing.",
        "add `location:`, the files' glob under the landing zone, e.g. billing/invoices/*.csv",
        code="schema",
        line=sources.line_of("      invoices:"),
    )


def test_wrong_type_of_a_field(sources: BrokenSources) -> None:
    sources.replace("primary_key: [invoice_id]", "primary_key: {invoice_id: 1}")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].primary_key",
        "`primary_key` must be a list.",
        "see the README section 'Bring your own source' for the layout",
        code="schema",
        line=sources.line_of("primary_key: {invoice_id: 1}"),
    )


def test_bad_enum_value(sources: BrokenSources) -> None:
    sources.replace(
        "format: csv\n        location: billing/invoices/",
        "format: xlsx\n        location: billing/invoices/",
    )
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].format",
        "`xlsx` is not allowed for `format`.",
        "use one of: 'csv', 'jsonl', 'parquet', 'sqlite' or 'postgres'",
        code="schema",
        line=sources.line_of("format: xlsx"),
    )


def test_unsupported_column_type(sources: BrokenSources) -> None:
    sources.replace("          total_amount: decimal(18,2)", "          total_amount: money")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].columns[total_amount]",
        "the type `money` is not supported.",
        "use one of varchar, bigint, double, boolean, date, timestamp, timestamptz, decimal(p,s)",
        code="unsupported_type",
        line=sources.line_of("total_amount: money"),
    )


def test_reference_to_an_undeclared_column(sources: BrokenSources) -> None:
    sources.replace("primary_key: [invoice_id]", "primary_key: [invoice_idd]")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].primary_key",
        "`invoice_idd` is not one of the table's columns.",
        "add it to columns or fix the name (did you mean `invoice_id`?)",
        code="unknown_column",
        line=sources.line_of("primary_key: [invoice_idd]"),
    )


def test_a_rule_on_an_undeclared_column(sources: BrokenSources) -> None:
    sources.replace("          total_amount: {min: 0}", "          total_amnt: {min: 0}")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].rules[total_amnt]",
        "`total_amnt` is not one of the table's columns.",
        "add it to columns or fix the name (did you mean `total_amount`?)",
        code="unknown_column",
        line=sources.line_of("total_amnt: {min: 0}"),
    )


def test_name_that_is_not_snake_case(sources: BrokenSources) -> None:
    sources.replace("  billing:\n", "  Billing:\n")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "systems[Billing]",
        "the system name `Billing` is not lowercase snake_case.",
        "rename it, e.g. `billing`",
        code="invalid_name",
        line=sources.line_of("  Billing:"),
    )


def test_unset_environment_variable(sources: BrokenSources, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXPORT_ROOT", raising=False)
    sources.replace("location: billing/invoices/*.csv", "location: ${EXPORT_ROOT}/invoices/*.csv")
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoices].location",
        "the environment variable EXPORT_ROOT is not set.",
        "export EXPORT_ROOT before running, or write the value into sources.yml",
        code="environment",
        line=sources.line_of("${EXPORT_ROOT}"),
    )


def test_every_problem_is_listed_at_once_in_file_order(sources: BrokenSources) -> None:
    sources.replace("          total_amount: decimal(18,2)", "          total_amount: money")
    sources.replace("primary_key: [ticket_id]", "primary_key: [ticket]")
    sources.replace("  billing:\n", "  Billing:\n")
    issues = sources.issues()
    assert [issue.code for issue in issues] == ["invalid_name", "unsupported_type", "unknown_column"]
    assert [issue.line for issue in issues] == sorted(issue.line or 0 for issue in issues)
    with pytest.raises(RegistryError) as raised:
        load_registry(sources.path)
    message = str(raised.value)
    assert message.splitlines()[0] == f"{sources.path} has 3 error(s):"
    line = sources.line_of("total_amount: money")
    assert (
        f"  - error: sources.yml:{line}: tables[Billing.invoices].columns[total_amount]: the type `money` is "
        "not supported. Fix: use one of" in message
    )
    assert "pydantic" not in message and "validation error" not in message.lower()


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as raised:
        load_registry(tmp_path / "sources.yml")
    (issue,) = raised.value.issues
    assert (issue.code, issue.message) == ("missing_file", f"{tmp_path / 'sources.yml'} does not exist.")


def test_an_unknown_redelivery_mode(sources: BrokenSources) -> None:
    sources.replace(
        "location: billing/invoice_lines/*.csv\n",
        "location: billing/invoice_lines/*.csv\n        redelivery: overwrite\n",
    )
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoice_lines].redelivery",
        "`overwrite` is not allowed for `redelivery`.",
        "use one of: 'replace' or 'append'",
        code="schema",
        line=sources.line_of("redelivery: overwrite"),
    )


def test_a_redelivery_ratio_outside_zero_to_one(sources: BrokenSources) -> None:
    sources.replace(
        "location: billing/invoice_lines/*.csv\n",
        "location: billing/invoice_lines/*.csv\n        redelivery_min_ratio: 1.5\n",
    )
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoice_lines].redelivery_min_ratio",
        "`redelivery_min_ratio` = 1.5: input should be less than or equal to 1.",
        "change `redelivery_min_ratio`",
        code="schema",
        line=sources.line_of("redelivery_min_ratio: 1.5"),
    )


def test_a_redelivery_ratio_on_an_append_table(sources: BrokenSources) -> None:
    sources.replace(
        "location: billing/invoice_lines/*.csv\n",
        "location: billing/invoice_lines/*.csv\n"
        "        redelivery: append\n"
        "        redelivery_min_ratio: 0.8\n",
    )
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[billing.invoice_lines].redelivery_min_ratio",
        "an `append` table withdraws nothing when a file is re-delivered, so `redelivery_min_ratio` has "
        "no effect.",
        "remove it, or set `redelivery: replace`",
        code="invalid_option",
        line=sources.line_of("redelivery_min_ratio: 0.8"),
    )


def test_redelivery_defaults_to_replace_for_files_and_append_for_databases(tmp_path: Path) -> None:
    registry = load_registry(BrokenSources(tmp_path / "sources.yml").path)
    modes = {spec.format: spec.redelivery_mode for _, _, spec in registry.iter_tables()}
    assert modes["csv"] == "replace"
    assert registry.table("billing", "invoice_lines").redelivery_min_ratio == 0.5


INCREMENTAL_CASES = [
    pytest.param(
        "        location: crm/accounts*.jsonl\n",
        "        location: crm/accounts*.jsonl\n        incremental_column: updated_at\n",
        "only database sources (sqlite, postgres) take `incremental_column:`.",
        "remove it: a file is loaded whole when it is new or changed",
        id="a-file-source",
    ),
    pytest.param(
        "        location: crm/accounts*.jsonl\n",
        "        location: crm.db\n        table: accounts\n        incremental_column: updated_on\n",
        "`updated_on` is not one of the table's columns.",
        "add it to columns or fix the name (did you mean `updated_at`?)",
        id="an-undeclared-column",
    ),
    pytest.param(
        "        location: crm/accounts*.jsonl\n",
        "        location: crm.db\n        table: accounts\n        incremental_column: region\n",
        "the incremental column `region` is a `varchar` column.",
        "name a date, timestamp, timestamptz or numeric column that rises whenever a row is inserted "
        "or updated (e.g. updated_at)",
        id="a-text-column",
    ),
    pytest.param(
        "        location: crm/accounts*.jsonl\n",
        "        location: crm.db\n        table: accounts\n        redelivery: replace\n"
        "        incremental_column: updated_at\n",
        "an incremental extract holds only the rows changed since the last load, so with "
        "`redelivery: replace` it would withdraw every other row.",
        "remove `redelivery: replace` (database sources default to append), or remove "
        "`incremental_column` to extract the whole table every run",
        id="a-replace-table",
    ),
]


@pytest.mark.parametrize(("old", "new", "message", "hint"), INCREMENTAL_CASES)
def test_an_incremental_column_must_fit_its_table(
    sources: BrokenSources, old: str, new: str, message: str, hint: str
) -> None:
    sources.replace(old, new)
    if "crm.db" in new:
        sources.replace(
            "        format: jsonl\n        location: crm.db",
            "        format: sqlite\n        location: crm.db",
        )
    (issue,) = sources.issues()
    assert issue == error(
        "sources.yml",
        "tables[crm.accounts].incremental_column",
        message,
        hint,
        code="unknown_column" if "not one of" in message else "invalid_option",
        line=sources.line_of("incremental_column:"),
    )


def test_an_incremental_column_on_a_database_table_is_accepted(sources: BrokenSources) -> None:
    sources.replace(
        "        format: jsonl\n        location: crm/accounts*.jsonl\n",
        "        format: postgres\n        location: postgresql://etl@db/crm\n"
        "        table: public.accounts\n        incremental_column: updated_at\n",
    )
    spec = load_registry(sources.path).table("crm", "accounts")
    assert (spec.incremental_column, spec.redelivery_mode) == ("updated_at", "append")
