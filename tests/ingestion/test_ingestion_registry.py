"""The source registry: the shipped sources.yml is valid, and a broken one is explained in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingestion.registry import RegistryError, load_registry, normalise_type
from orchestration.settings import get_settings
from tests.ingestion.builders import TEST_SOURCES, registry_from, write_text

MINIMAL = """
version: 1
systems:
  billing:
    tables:
      invoices:
        format: csv
        location: billing/invoices/*.csv
        primary_key: [{pk}]
        columns:
          invoice_id: varchar
          total_amount: {amount_type}
"""


def test_shipped_sources_yml_loads_without_errors() -> None:
    registry = load_registry(get_settings().sources_path)

    tables = {(system, table): spec for system, table, spec in registry.iter_tables()}
    assert len(tables) == 16
    assert set(registry.systems) == {"billing", "crm", "product", "support", "hr", "finance"}
    invoices = tables[("billing", "invoices")]
    assert invoices.format == "csv"
    assert invoices.primary_key == ["invoice_id"]
    assert invoices.columns["total_amount"] == "decimal(18,2)"
    assert tables[("finance", "cost_of_revenue")].primary_key == ["month", "cost_category"]
    for spec in tables.values():
        assert set(spec.required_columns) <= set(spec.columns)
    assert registry.table_names() == list(tables)


def test_test_registry_covers_every_format(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, TEST_SOURCES)
    assert {spec.format for _, _, spec in registry.iter_tables()} == {"csv", "jsonl", "parquet", "sqlite"}


def test_unknown_primary_key_column_is_named_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(RegistryError) as caught:
        registry_from(tmp_path, MINIMAL.format(pk="invoice_idd", amount_type="decimal(18,2)"))

    message = str(caught.value)
    assert (
        "sources.yml: systems.billing.tables.invoices.primary_key: column 'invoice_idd' is not in columns "
        "— add it to columns or fix the name (did you mean 'invoice_id'?)"
    ) in message
    assert caught.value.problems == [line.removeprefix("  - ") for line in message.splitlines()[1:]]


def test_every_problem_is_listed_at_once_without_a_pydantic_traceback(tmp_path: Path) -> None:
    broken = """
    version: 1
    systems:
      Billing:
        tables:
          invoices:
            format: xlsx
            location: billing/*.xlsx
            primary_key: [invoice_id]
            primary_keys: [invoice_id]
            columns:
              invoice_id: varchar
              Total Amount: money
            not_null: [issued_at]
            event_time: invoice_id
      crm:
        tables:
          accounts:
            format: sqlite
            location: crm.db
            primary_key: [account_id]
            columns:
              account_id: int
          notes:
            format: csv
            location: crm/notes.csv
            table: notes
            primary_key: []
            columns:
              note_id: varchar
    """
    with pytest.raises(RegistryError) as caught:
        registry_from(tmp_path, broken)

    problems = caught.value.problems
    expected_fragments = [
        "systems.Billing: system name 'Billing' is not lowercase snake_case — rename it "
        "(for example 'billing')",
        "systems.Billing.tables.invoices.format: format 'xlsx' is not supported",
        "systems.Billing.tables.invoices.primary_keys: unknown key 'primary_keys' "
        "(did you mean 'primary_key'?)",
        "systems.Billing.tables.invoices.columns.Total Amount: column name 'Total Amount' is not lowercase",
        "systems.Billing.tables.invoices.columns.Total Amount: type 'money' is not supported",
        "systems.Billing.tables.invoices.not_null: column 'issued_at' is not in columns",
        "systems.Billing.tables.invoices.event_time: column 'invoice_id' is 'varchar'; an event time must be",
        "systems.crm.tables.accounts.columns.account_id: type 'int' is not supported",
        "systems.crm.tables.accounts.table: a sqlite source needs `table:`",
        "systems.crm.tables.notes.table: only database sources (sqlite, postgres) take `table:`",
        "systems.crm.tables.notes.primary_key: must not be empty",
    ]
    for fragment in expected_fragments:
        assert any(fragment in problem for problem in problems), (fragment, problems)
    assert all(problem.startswith("sources.yml: systems.") for problem in problems)
    message = str(caught.value)
    assert "pydantic" not in message and "validation error" not in message.lower()
    assert f"has {len(problems)} problem(s)" in message


def test_types_are_normalised_and_decimal_bounds_checked(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, MINIMAL.format(pk="invoice_id", amount_type="'DECIMAL(18, 2)'"))
    assert registry.table("billing", "invoices").columns["total_amount"] == "decimal(18,2)"
    assert normalise_type("decimal(39,2)") is None
    assert normalise_type("decimal(4,5)") is None
    assert normalise_type(" TimestampTZ ") == "timestamptz"


def test_environment_variables_are_expanded_and_unset_ones_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = MINIMAL.format(pk="invoice_id", amount_type="double").replace(
        "billing/invoices/*.csv", "${EXPORT_ROOT}/invoices/*.csv"
    )
    monkeypatch.setenv("EXPORT_ROOT", "/data/exports")
    assert (
        registry_from(tmp_path, text).table("billing", "invoices").location == "/data/exports/invoices/*.csv"
    )

    monkeypatch.delenv("EXPORT_ROOT")
    with pytest.raises(RegistryError) as caught:
        registry_from(tmp_path, text)
    assert caught.value.problems == [
        "sources.yml: systems.billing.tables.invoices.location: environment variable EXPORT_ROOT is not set "
        "— export EXPORT_ROOT before running, or write the value into sources.yml"
    ]


def test_a_table_declared_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    once = MINIMAL.format(pk="invoice_id", amount_type="double")
    table = once[once.index("      invoices:") :]
    with pytest.raises(RegistryError) as caught:
        registry_from(tmp_path, once + table.replace("double", "decimal(18,2)"))
    assert caught.value.problems == [
        "sources.yml:12: systems.billing.tables.invoices is declared twice (lines 5 and 12) — keep one "
        "of them; YAML would silently use the last"
    ]


def test_invalid_yaml_and_missing_file_name_the_file(tmp_path: Path) -> None:
    bad = write_text(tmp_path / "sources.yml", "systems: [unclosed\n")
    with pytest.raises(RegistryError, match=r"is not valid YAML \(line 2\)") as caught:
        load_registry(bad)
    assert str(bad) in str(caught.value)
    with pytest.raises(RegistryError, match="does not exist"):
        load_registry(tmp_path / "nowhere.yml")


def test_resolve_files_globs_relative_to_landing_sorted_and_accepts_absolute(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, MINIMAL.format(pk="invoice_id", amount_type="double"))
    spec = registry.table("billing", "invoices")
    landing = tmp_path / "landing"
    for name in ["2024-03.csv", "2024-01.csv", "2024-02.csv", "notes.txt"]:
        write_text(landing / "billing" / "invoices" / name, "x\n")

    found = spec.resolve_files(landing)
    assert [path.name for path in found] == ["2024-01.csv", "2024-02.csv", "2024-03.csv"]

    absolute = spec.model_copy(update={"location": str(landing / "billing" / "invoices" / "2024-0[12].csv")})
    assert [path.name for path in absolute.resolve_files(tmp_path / "elsewhere")] == [
        "2024-01.csv",
        "2024-02.csv",
    ]


def test_unknown_table_lookup_lists_declared_tables(tmp_path: Path) -> None:
    registry = registry_from(tmp_path, MINIMAL.format(pk="invoice_id", amount_type="double"))
    with pytest.raises(KeyError, match=r"billing\.payments is not declared .*billing\.invoices"):
        registry.table("billing", "payments")
