"""Each defect shows up when asked for, and leaves the untouched tables byte-identical."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from orchestration.demo import DemoSummary
from tests.demo.landing import reader, table_files


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def rows(con: duckdb.DuckDBPyConnection, demo: DemoSummary, spec: dict, where: str, select: str = "count(*)"):
    source = reader(table_files(demo.landing_dir, spec), spec, as_text=True, union_by_name=True)
    return con.execute(f"SELECT {select} FROM {source} WHERE {where}").fetchone()[0]


def test_summary_records_the_defects(defective_demo: DemoSummary) -> None:
    assert defective_demo.defects == frozenset(
        {
            "duplicates",
            "late_rows",
            "null_keys",
            "bad_types",
            "renamed_column",
            "negative_amounts",
            "future_events",
        }
    )


def test_duplicates_repeat_primary_keys(con, defective_demo: DemoSummary, registry: dict[str, dict]) -> None:
    for name in (
        "billing.invoices",
        "billing.subscription_events",
        "product.onboarding_events",
        "support.tickets",
    ):
        spec = registry[name]
        key = spec["primary_key"][0]
        repeated = rows(con, defective_demo, spec, f"{key} IS NOT NULL", f"count(*) - count(DISTINCT {key})")
        assert repeated > 0, name
        files = table_files(defective_demo.landing_dir, spec)
        files_with_repeats = sum(
            con.execute(
                f"SELECT count(*) > count(DISTINCT {key}) FROM {reader([path], spec, as_text=True)} "
                f"WHERE {key} IS NOT NULL"
            ).fetchone()[0]
            for path in files
        )
        assert 1 <= files_with_repeats <= 3, name


def test_late_rows_arrive_in_an_extra_file(
    con, defective_demo: DemoSummary, registry: dict[str, dict]
) -> None:
    late_file = defective_demo.landing_dir / "support" / "tickets" / "2025-06_late.csv"
    assert late_file in table_files(defective_demo.landing_dir, registry["support.tickets"])
    months = con.execute(
        f"SELECT DISTINCT left(opened_at, 7) FROM read_csv('{late_file}', all_varchar = true)"
    ).fetchall()
    assert {m for (m,) in months} <= {"2025-03", "2025-04"} and months


def test_null_keys_leave_required_columns_empty(
    con, defective_demo: DemoSummary, registry: dict[str, dict]
) -> None:
    assert rows(con, defective_demo, registry["support.tickets"], "ticket_id IS NULL") > 0
    assert rows(con, defective_demo, registry["support.tickets"], "account_id IS NULL") > 0
    assert rows(con, defective_demo, registry["billing.invoices"], "account_id IS NULL") > 0
    assert rows(con, defective_demo, registry["billing.subscription_events"], "account_id IS NULL") > 0
    assert rows(con, defective_demo, registry["product.onboarding_events"], "account_id IS NULL") > 0


def test_bad_types_do_not_cast(con, defective_demo: DemoSummary, registry: dict[str, dict]) -> None:
    example = rows(
        con,
        defective_demo,
        registry["billing.invoices"],
        "TRY_CAST(total_amount AS DECIMAL(18,2)) IS NULL",
        "any_value(total_amount)",
    )
    assert example is not None and example.endswith(" EUR") and "," in example
    assert rows(con, defective_demo, registry["support.csat_responses"], "score = 'n/a'") > 0


def test_renamed_column_only_in_the_last_tickets_file(defective_demo: DemoSummary) -> None:
    folder = defective_demo.landing_dir / "support" / "tickets"
    headers = {path.name: path.read_text().splitlines()[0].split(",") for path in folder.glob("*.csv")}
    assert "contacts_count" in headers.pop("2025-06.csv")
    assert all(
        "contacts_to_resolution" in header and "contacts_count" not in header for header in headers.values()
    )


def test_negative_amounts(con, defective_demo: DemoSummary, registry: dict[str, dict]) -> None:
    negative = rows(
        con, defective_demo, registry["billing.invoices"], "TRY_CAST(total_amount AS DECIMAL(18,2)) < 0"
    )
    assert negative > 0


def test_future_events(con, defective_demo: DemoSummary, registry: dict[str, dict]) -> None:
    for name in ("product.onboarding_events", "product.first_value_events"):
        future = rows(
            con,
            defective_demo,
            registry[name],
            "CAST(occurred_at AS TIMESTAMPTZ) >= TIMESTAMPTZ '2025-07-01 00:00:00+00'",
        )
        assert future > 0, name


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_defects_leave_other_tables_untouched(clean_demo: DemoSummary, defective_demo: DemoSummary) -> None:
    touched = {"billing/invoices", "billing/subscription_events", "product", "support"}
    compared = 0
    for path in sorted(clean_demo.landing_dir.rglob("*")):
        relative = path.relative_to(clean_demo.landing_dir)
        if path.is_dir() or any(str(relative).startswith(prefix) for prefix in touched):
            continue
        assert digest(path) == digest(defective_demo.landing_dir / relative), relative
        compared += 1
    assert compared > 50


@pytest.mark.parametrize("defect", ["duplicates", "null_keys", "negative_amounts"])
def test_each_defect_alone_changes_only_its_tables(tmp_path: Path, defect: str) -> None:
    from datetime import date

    from orchestration.demo import generate_demo

    args = {"months": 6, "scale": 0.2, "end_month": date(2024, 6, 1)}
    clean = generate_demo(tmp_path / "clean", **args)
    broken = generate_demo(tmp_path / "broken", defects=frozenset({defect}), **args)
    assert broken.defects == {defect}
    changed = {
        str(path.relative_to(tmp_path / "clean").parent)
        for path in (tmp_path / "clean").rglob("*.*")
        if digest(path) != digest(tmp_path / "broken" / path.relative_to(tmp_path / "clean"))
    }
    assert changed, defect
    assert changed <= {
        "billing/invoices",
        "billing/subscription_events",
        "product/onboarding_events",
        "support/tickets",
    }
    assert clean.tables["crm.accounts"] == broken.tables["crm.accounts"]
