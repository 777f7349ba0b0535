"""The shipped suites on a real ingested demo: the clean demo passes, each defect fails as it should."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.loader import ingest_table, new_load_id
from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality.frames import reference_period
from orchestration.quality.suites import SuiteFile, load_suite_files
from orchestration.quality.validate import SuiteOutcome, failure_message, validate_suite
from orchestration.warehouse import connect
from tests.quality.conftest import DEMO_END_MONTH, RawDemo, ingest_all


def suite_named(registry: SourceRegistry, name: str) -> SuiteFile:
    return next(s for s in load_suite_files(registry) if s.name == name)


def validate(demo: RawDemo, registry: SourceRegistry, name: str, **options: object) -> SuiteOutcome:
    con = connect(demo.warehouse)
    try:
        reference = options.pop("reference", reference_period(con))
        return validate_suite(
            con,
            suite_named(registry, name),
            registry,
            run_id="test-run",
            reference=reference,  # type: ignore[arg-type]
            landing_dir=demo.landing,
            **options,  # type: ignore[arg-type]
        )
    finally:
        con.close()


def reingest(
    demo: RawDemo, registry: SourceRegistry, system: str, table: str, accept: tuple[str, ...] = ()
) -> None:
    """Load ``system.table`` again; ``accept`` lists re-delivered files to load however much they shrank."""
    con = connect(demo.warehouse)
    try:
        ingest_table(con, registry, system, table, demo.landing, new_load_id(), accept_redelivery=accept)
    finally:
        con.close()


def forget_row_results(demo: RawDemo) -> None:
    """Drop the row results kept per load, so the next validation judges every row (a first run)."""
    con = connect(demo.warehouse)
    try:
        con.execute("DROP TABLE IF EXISTS quality.validated_loads")
        con.execute("DROP TABLE IF EXISTS quality.row_failures")
    finally:
        con.close()


def rewrite_csv(path: Path, select: str, target: Path | None = None) -> None:
    """Rewrite a CSV export through ``select`` (over ``source``, every column as text)."""
    target = target or path
    with duckdb.connect() as con:
        con.execute(
            f"CREATE TABLE source AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)"
        )
        con.execute(f"COPY ({select}) TO '{target}' (FORMAT csv, HEADER true)")


def failed(outcome: SuiteOutcome) -> dict[str, tuple[str, str]]:
    """Failed expectations as ``frame.column -> (severity, message)``; an error wins over a warning."""
    found: dict[str, tuple[str, str]] = {}
    for e in sorted(outcome.failures, key=lambda e: e.severity != "error"):
        key = f"{e.frame}.{e.kwargs.get('column') or e.kwargs.get('column_A') or e.type}"
        found.setdefault(key, (e.severity, failure_message(outcome, e)))
    return found


def test_the_clean_demo_passes_every_raw_suite(raw_demo: RawDemo, shipped_registry: SourceRegistry) -> None:
    con = connect(raw_demo.warehouse)
    try:
        assert reference_period(con) == DEMO_END_MONTH
    finally:
        con.close()
    for system, table, spec in shipped_registry.iter_tables():
        outcome = validate(raw_demo, shipped_registry, f"{system}__{table}")
        assert outcome.passed, [failure_message(outcome, e) for e in outcome.failures]
        assert not [e for e in outcome.expectations if e.status == "skipped"]
        assert outcome.reference_period == "2025-05"
        con = connect(raw_demo.warehouse)
        try:
            keys = ", ".join(spec.primary_key)
            distinct = con.execute(f"SELECT count(DISTINCT ({keys})) FROM raw.{system}__{table}").fetchall()[
                0
            ][0]
        finally:
            con.close()
        assert outcome.frame_rows["rows"] == distinct


def test_batches_agree_with_one_batch_and_keep_each_key_in_one_batch(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    tickets = raw_demo.landing / "support" / "tickets"
    # Two files of one load carry the same tickets: staging could keep either copy, so it must fail.
    resent = "SELECT * REPLACE (ticket_id || '-R' AS ticket_id) FROM source LIMIT 3"
    rewrite_csv(tickets / "2025-05.csv", resent, tickets / "2025-05_a.csv")
    rewrite_csv(tickets / "2025-05.csv", resent, tickets / "2025-05_b.csv")
    reingest(raw_demo, shipped_registry, "support", "tickets")

    whole = validate(raw_demo, shipped_registry, "support__tickets")
    forget_row_results(raw_demo)  # so GE judges every row again, now in batches
    batched = validate(raw_demo, shipped_registry, "support__tickets", batch_rows=40)

    assert whole.frame_rows["rows"] > 40 * 10
    summary = [(e.position, e.status, e.element_count, e.unexpected_count) for e in whole.expectations]
    assert summary == [
        (e.position, e.status, e.element_count, e.unexpected_count) for e in batched.expectations
    ]
    unique = next(e for e in batched.expectations if e.type == "expect_column_values_to_be_unique")
    assert (unique.status, unique.unexpected_count, unique.severity) == ("failed", 6, "error")
    message = failure_message(batched, unique)
    assert "support/tickets/2025-05_a.csv row 1: ticket_id=" in message
    assert "What to do: two files of one load hold the same key" in message


def test_a_header_only_extract_blocks_with_the_file_named(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    tickets = raw_demo.landing / "support" / "tickets" / "2025-05.csv"
    rewrite_csv(tickets, "SELECT * FROM source LIMIT 0")
    # The loader refuses such a re-delivery (tests/ingestion/test_ingestion_redelivery.py); accepted,
    # the suite still catches it.
    reingest(raw_demo, shipped_registry, "support", "tickets", accept=("support/tickets/2025-05.csv",))

    outcome = validate(raw_demo, shipped_registry, "support__tickets")

    assert outcome.severity == "error"
    severity, message = failed(outcome)["deliveries.rows_read"]
    assert severity == "error"
    assert (
        "support.tickets [error] Every delivery holds at least one row — failed for 1 of 15 deliveries"
        in message
    )
    assert "delivery 2025-05 (2025-05.csv): 0 rows read" in message
    assert "re-export it from the source system" in message
    assert failed(outcome)["deliveries.rows_vs_previous"][0] == "error"
    volume = next(e for e in outcome.failures if e.kwargs.get("column") == "rows_read")
    assert volume.failing_periods == ["2025-05-01"]


def test_a_truncated_extract_fails_the_volume_check(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    invoices = raw_demo.landing / "billing" / "invoices" / "2025-05.csv"
    rewrite_csv(invoices, "SELECT * FROM source LIMIT 5")
    reingest(raw_demo, shipped_registry, "billing", "invoices", accept=("billing/invoices/2025-05.csv",))

    outcome = validate(raw_demo, shipped_registry, "billing__invoices")

    severity, message = failed(outcome)["deliveries.rows_vs_previous"]
    assert severity == "error"
    assert "delivery 2025-05 (2025-05.csv): 5 rows read, the deliveries before averaged" in message
    assert "the export looks truncated: re-export it in full" in message
    assert "deliveries.rows_read" not in failed(outcome)


def test_quarantined_rows_fail_their_delivery_with_the_rules_counted(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    invoices = raw_demo.landing / "billing" / "invoices" / "2025-05.csv"
    rewrite_csv(
        invoices,
        "SELECT * REPLACE (CASE WHEN row_number() OVER () <= 4 THEN '-' || total_amount "
        "ELSE total_amount END AS total_amount) FROM source",
    )
    reingest(raw_demo, shipped_registry, "billing", "invoices")

    outcome = validate(raw_demo, shipped_registry, "billing__invoices")

    error, message = failed(outcome)["deliveries.quarantined_share"]
    assert error == "error"
    assert "At most 0.1% of a delivery's rows are quarantined — failed for 1 of 15 deliveries" in message
    assert "4 quarantined (out_of_range 4; e.g. 2025-05.csv row 1: total_amount=" in message
    assert "scorecard quarantine --system billing --table invoices" in message
    shares = [e for e in outcome.failures if e.kwargs.get("column") == "quarantined_share"]
    assert sorted(e.severity for e in shares) == ["error", "warning"]
    assert all(e.failing_periods == ["2025-05-01"] for e in shares)


def test_freshness_is_judged_against_the_reference_period(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    later = validate(raw_demo, shipped_registry, "support__tickets", reference=date(2025, 7, 1))
    severity, message = failed(later)["freshness.days_behind_period_end"]
    assert severity == "error"
    assert "newest opened_at is 2025-05-" in message and "days before the end of 2025-07" in message
    freshness = next(e for e in later.failures if e.frame == "freshness")
    assert freshness.failing_periods == ["2025-07-01"]

    unknown = validate(raw_demo, shipped_registry, "support__tickets", reference=None)
    skipped = [e for e in unknown.expectations if e.status == "skipped"]
    assert [e.frame for e in skipped] == ["freshness"]
    assert "no reference period yet" in skipped[0].note
    assert unknown.passed


def test_unknown_values_warn_with_the_file_row_and_period(
    raw_demo: RawDemo, shipped_registry: SourceRegistry
) -> None:
    tickets = raw_demo.landing / "support" / "tickets" / "2025-04.csv"
    rewrite_csv(
        tickets,
        "SELECT * REPLACE (CASE WHEN row_number() OVER () = 2 THEN 'fax' ELSE channel END AS channel) "
        "FROM source",
    )
    reingest(raw_demo, shipped_registry, "support", "tickets")

    outcome = validate(raw_demo, shipped_registry, "support__tickets")

    assert outcome.severity == "warning"
    severity, message = failed(outcome)["rows.channel"]
    assert severity == "warning"
    assert "support/tickets/2025-04.csv row 2: " in message and "channel='fax'" in message
    channel = next(e for e in outcome.failures if e.kwargs.get("column") == "channel")
    assert channel.failing_periods == ["2025-04-01"]


@pytest.mark.parametrize("batch_rows", [250_000, 7])
def test_mostly_applies_to_the_whole_frame(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, tmp_path: Path, batch_rows: int
) -> None:
    suite = suite_named(shipped_registry, "support__tickets")
    expectation = {
        "type": "expect_column_values_to_be_in_set",
        "kwargs": {"column": "channel", "value_set": ["email", "chat"], "mostly": 0.5},
        "meta": {"severity": "warning", "frame": "rows", "description": "Mostly email or chat.", "fix": "-"},
    }
    mostly = SuiteFile(
        suite.path, suite.name, suite.asset_key, suite.kind, {**suite.data, "expectations": [expectation]}
    )
    con = connect(raw_demo.warehouse)
    try:
        outcome = validate_suite(
            con, mostly, shipped_registry, run_id="r", reference=DEMO_END_MONTH, batch_rows=batch_rows
        )
        phones = con.execute("SELECT count(*) FROM raw.support__tickets WHERE channel = 'phone'").fetchall()[
            0
        ][0]
    finally:
        con.close()
    result = outcome.expectations[0]
    assert (result.status, result.unexpected_count) == ("passed", phones)


def test_a_later_validation_hands_ge_only_the_new_load_and_agrees_with_a_full_one(
    raw_demo: RawDemo, shipped_registry: SourceRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.quality import validate as validation

    judged: list[set[str]] = []  # the loads of each rows batch GE was given
    run_ge = validation._run_ge

    def watching(dataframe, suite, index_columns):
        if "_load_id" in dataframe.columns:
            judged.append(set(dataframe["_load_id"]))
        return run_ge(dataframe, suite, index_columns)

    monkeypatch.setattr(validation, "_run_ge", watching)
    first = validate(raw_demo, shipped_registry, "support__tickets")
    assert first.passed and judged
    judged.clear()
    assert validate(raw_demo, shipped_registry, "support__tickets").passed
    assert judged == [], "nothing was loaded, yet GE was handed the table's rows again"

    # April re-delivered with one ticket on an unknown channel and one resolved before it opened.
    tickets = raw_demo.landing / "support" / "tickets" / "2025-04.csv"
    rewrite_csv(
        tickets,
        """
        SELECT * REPLACE (
            CASE WHEN row_number() OVER () = 2 THEN 'fax' ELSE channel END AS channel,
            CASE WHEN row_number() OVER () = 3 THEN '2025-03-01T00:00:00' ELSE resolved_at END AS resolved_at
        ) FROM source
        """,
    )
    reingest(raw_demo, shipped_registry, "support", "tickets")
    con = connect(raw_demo.warehouse)
    try:
        (new_load,) = con.execute(
            "SELECT load_id FROM raw._ingested_files WHERE source_file = ?", [str(tickets)]
        ).fetchall()[-1:]
    finally:
        con.close()
    incremental = validate(raw_demo, shipped_registry, "support__tickets")
    assert judged and set().union(*judged) == {new_load[0]}, "GE must see only the re-delivered rows"

    forget_row_results(raw_demo)
    full = validate(raw_demo, shipped_registry, "support__tickets")

    def summary(outcome: SuiteOutcome) -> list[tuple]:
        return [
            (e.position, e.status, e.element_count, e.unexpected_count, e.failing_periods, e.examples)
            for e in outcome.expectations
        ]

    assert summary(incremental) == summary(full)
    assert failed(incremental).keys() >= {"rows.channel", "rows.resolved_at"}
    severity, message = failed(incremental)["rows.channel"]
    assert severity == "warning" and "support/tickets/2025-04.csv row 2" in message and "'fax'" in message


def test_a_file_delivered_twice_in_the_first_load_blocks_until_it_is_removed(
    raw_demo_template: RawDemo, shipped_registry: SourceRegistry, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(raw_demo_template.landing, landing)
    tickets = landing / "support" / "tickets" / "2025-05.csv"
    copy = tickets.with_name("2025-05 copy.csv")
    shutil.copyfile(tickets, copy)
    demo = RawDemo(landing, tmp_path / "warehouse" / "warehouse.duckdb")
    ingest_all(shipped_registry, demo.landing, demo.warehouse)  # one load: both files in it

    blocked = validate(demo, shipped_registry, "support__tickets")
    assert blocked.severity == "error"
    assert failed(blocked)["rows.ticket_id"][0] == "error"

    # Deleting the copy withdraws its rows: the duplicates are gone and the load is judged again.
    copy.unlink()
    reingest(demo, shipped_registry, "support", "tickets")
    outcome = validate(demo, shipped_registry, "support__tickets")
    assert outcome.passed, [failure_message(outcome, e) for e in outcome.failures]
