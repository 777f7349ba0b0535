"""The source registry: the shipped sources.yml is valid, and a broken one is explained in full."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingestion.registry import RegistryError, load_registry, normalise_type, redact_conninfo
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

    issues = caught.value.issues
    said = [f"{issue.entry}: {issue.message}" for issue in issues]
    expected = [
        "systems[Billing]: the system name `Billing` is not lowercase snake_case.",
        "tables[Billing.invoices].format: `xlsx` is not allowed for `format`.",
        "tables[Billing.invoices].primary_keys: `primary_keys` is not a known field here.",
        "tables[Billing.invoices].columns[Total Amount]: the column name `Total Amount` is not lowercase "
        "snake_case.",
        "tables[Billing.invoices].columns[Total Amount]: the type `money` is not supported.",
        "tables[Billing.invoices].not_null: `issued_at` is not one of the table's columns.",
        "tables[Billing.invoices].event_time: the event time `invoice_id` is a `varchar` column.",
        "tables[crm.accounts].table: a sqlite source needs `table:`.",
        "tables[crm.accounts].columns[account_id]: the type `int` is not supported.",
        "tables[crm.notes].table: only database sources (sqlite, postgres) take `table:`.",
        "tables[crm.notes].primary_key: `primary_key` is empty.",
    ]
    assert sorted(said) == sorted(expected)
    assert all(issue.file == "sources.yml" and issue.line for issue in issues)
    message = str(caught.value)
    assert "pydantic" not in message and "validation error" not in message.lower()
    assert f"has {len(issues)} error(s)" in message


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
    (issue,) = caught.value.issues
    assert (issue.entry, issue.message) == (
        "tables[billing.invoices].location",
        "the environment variable EXPORT_ROOT is not set.",
    )


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


@pytest.mark.parametrize(
    ("conninfo", "shown"),
    [
        ("postgresql://etl:s3cret@db:5432/crm", "postgresql://etl:***@db:5432/crm"),
        ("postgresql://etl:s3@c/r:et@db/crm", "postgresql://etl:***@db/crm"),
        ("postgresql://x@etl:s3cret@db/crm", "postgresql://x@etl:***@db/crm"),
        (
            "postgresql://db/crm?user=etl&password=s3cret&sslmode=require",
            "postgresql://db/crm?user=etl&password=***&sslmode=require",
        ),
        ("host=db user=etl password=s3cret dbname=crm", "host=db user=etl password=*** dbname=crm"),
        ("postgresql://etl@db/crm", "postgresql://etl@db/crm"),
    ],
)
def test_a_connection_string_is_shown_without_its_password(conninfo: str, shown: str) -> None:
    assert redact_conninfo(conninfo) == shown
