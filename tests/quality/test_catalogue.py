"""The bad-input catalogue (issue 6), through the real main job.

A baseline is published once per session: the demo company through April 2025. Each case then
delivers May's exports with one thing wrong and runs the month, and must show that:

(a) the message the user sees names the file, column or row and says what to do;
(b) every row read is accounted for: loaded or quarantined, per file, in the ledger and in the tables;
(c) the published scorecard is byte for byte the one published before.

A clean May delivery passes every check and publishes; each demo defect trips its gate.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.config import ConfigError
from orchestration.demo import DEFECTS, generate_demo
from orchestration.ingestion.registry import SourceRegistry, file_period, raw_table_name
from orchestration.runner import RunOutcome, RunRequest, run_main_job
from orchestration.settings import REPO_ROOT, Settings, get_settings
from tests.quality.conftest import DEMO_END_MONTH, DEMO_MONTHS, DEMO_SCALE, DEMO_SEED
from tests.quality.test_validate import rewrite_csv

pytestmark = pytest.mark.slow

FIRST_MONTH, LAST_MONTH = "2024-03", "2025-05"
BASELINE_PERIOD, PERIOD = "2025-04", "2025-05"


@dataclass(frozen=True)
class Baseline:
    """The published April state, and May's exports held back from it."""

    warehouse_dir: Path
    landing: Path  # the one landing path every run uses: the ledger names files by path
    april: Path  # the landing zone as it was for the baseline
    may: Path  # May's exports, laid out like the landing zone


@dataclass
class Deployment:
    """A private copy of the baseline warehouse with May delivered, for one case."""

    settings: Settings
    landing: Path
    config_dir: Path
    published_sha256: str
    ledger_rows: int

    def file(self, relative: str) -> Path:
        return self.landing / relative


@dataclass
class Delivery:
    """What running May did: the outcome (None when the config stopped it) and the words the user sees."""

    outcome: RunOutcome | None
    messages: str
    check_results: dict[str, dg.AssetCheckEvaluation]


def configure(monkeypatch: pytest.MonkeyPatch, warehouse_dir: Path, landing: Path, config_dir: Path) -> None:
    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(warehouse_dir))
    monkeypatch.setenv("SCORECARD_LANDING_DIR", str(landing))
    monkeypatch.setenv("SCORECARD_CONFIG_DIR", str(config_dir))
    monkeypatch.setenv("SCORECARD_FIRST_MONTH", FIRST_MONTH)
    monkeypatch.setenv("SCORECARD_LAST_MONTH", LAST_MONTH)
    monkeypatch.setenv("DAGSTER_HOME", str(warehouse_dir.parent / "dagster_home"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reset_landing(landing: Path, *sources: Path) -> None:
    shutil.rmtree(landing, ignore_errors=True)
    landing.mkdir(parents=True)
    for source in sources:
        shutil.copytree(source, landing, dirs_exist_ok=True)


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    root = tmp_path_factory.mktemp("catalogue")
    demo = root / "demo"
    generate_demo(demo, seed=DEMO_SEED, months=DEMO_MONTHS, scale=DEMO_SCALE, end_month=DEMO_END_MONTH)
    april, may = root / "april", root / "may"
    for path in sorted(p for p in demo.rglob("*") if p.is_file()):
        target = (may if file_period(path) == DEMO_END_MONTH else april) / path.relative_to(demo)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    landing = root / "landing"
    reset_landing(landing, april)
    warehouse_dir = root / "warehouse"
    with pytest.MonkeyPatch.context() as monkeypatch:
        configure(monkeypatch, warehouse_dir, landing, REPO_ROOT / "scorecard_config")
        outcome = run_main_job(
            get_settings(), RunRequest(period=BASELINE_PERIOD), instance=dg.DagsterInstance.ephemeral()
        )
    assert outcome.success and outcome.published, outcome.failure_message
    return Baseline(warehouse_dir, landing, april, may)


@pytest.fixture
def deployment(baseline: Baseline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deployment:
    warehouse_dir = tmp_path / "warehouse"
    shutil.copytree(baseline.warehouse_dir, warehouse_dir)
    reset_landing(baseline.landing, baseline.april, baseline.may)
    config_dir = tmp_path / "scorecard_config"
    shutil.copytree(REPO_ROOT / "scorecard_config", config_dir)
    configure(monkeypatch, warehouse_dir, baseline.landing, config_dir)
    settings = get_settings()
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        ledger_rows = con.execute("SELECT count(*) FROM raw._ingested_files").fetchall()[0][0]
    return Deployment(settings, baseline.landing, config_dir, sha256(settings.published_path), ledger_rows)


def deliver(deployment: Deployment) -> Delivery:
    """Run May through the real main job; collect what the terminal, the UI and `scorecard quality` say."""
    instance = dg.DagsterInstance.ephemeral()
    try:
        outcome = run_main_job(deployment.settings, RunRequest(period=PERIOD), instance=instance)
    except ConfigError as error:
        print(f"\n--- what the user sees (config error) ---\n{error}")
        return Delivery(None, str(error), {})
    records = instance.get_records_for_run(outcome.run_id).records
    evaluations = {
        record.event_log_entry.dagster_event.asset_check_evaluation_data.check_name: (
            record.event_log_entry.dagster_event.asset_check_evaluation_data
        )
        for record in records
        if record.event_log_entry.dagster_event is not None
        and record.event_log_entry.dagster_event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
    }
    failed = [e.description or "" for e in evaluations.values() if not e.passed]
    messages = "\n".join([outcome.failure_message, *failed])
    # Shown with `pytest -s`: the catalogue's messages, verbatim.
    print(f"\n--- what the user sees (run {outcome.run_id}) ---\n{messages}")
    return Delivery(outcome, messages, evaluations)


def assert_rows_accounted(deployment: Deployment, delivery: Delivery, registry: SourceRegistry) -> None:
    """(b) Every export file: loaded (read = loaded + quarantined, in the ledger and in the tables),
    unchanged since an earlier load, or refused whole with nothing of it kept."""
    with duckdb.connect(str(deployment.settings.warehouse_path), read_only=True) as con:
        if delivery.outcome is None:
            ledger = con.execute("SELECT count(*) FROM raw._ingested_files").fetchall()[0][0]
            assert ledger == deployment.ledger_rows, "the config error must stop the run before any load"
            return
        load = f"%-{delivery.outcome.run_id.split('-')[0]}"
        loaded = {
            row[2]: row
            for row in con.execute(
                'SELECT system, "table", source_file, rows_read, rows_loaded, rows_quarantined, load_id '
                "FROM raw._ingested_files WHERE load_id LIKE ?",
                [load],
            ).fetchall()
        }
        refused = " ".join(
            error or ""
            for (error,) in con.execute(
                "SELECT error FROM raw._loads WHERE load_id LIKE ? AND status = 'failed'", [load]
            ).fetchall()
        )
        for system, table, spec in registry.iter_tables():
            for path in spec.resolve_files(deployment.landing):
                source = str(path)
                if source in loaded:
                    _, _, _, read, kept, quarantined, load_id = loaded[source]
                    assert read == kept + quarantined, source
                    in_raw = con.execute(
                        f"SELECT count(*) FROM raw.{raw_table_name(system, table)} "
                        "WHERE _load_id = ? AND _source_file = ?",
                        [load_id, source],
                    ).fetchall()[0][0]
                    in_quarantine = con.execute(
                        "SELECT count(*) FROM raw._quarantine WHERE load_id = ? AND source_file = ?",
                        [load_id, source],
                    ).fetchall()[0][0]
                    assert (in_raw, in_quarantine) == (kept, quarantined), source
                    assert read == rows_in_file(path, spec.format), source
                    continue
                latest = con.execute(
                    "SELECT file_sha256 FROM raw._ingested_files WHERE source_file = ? "
                    "ORDER BY loaded_at DESC LIMIT 1",
                    [source],
                ).fetchall()
                if latest and latest[0][0] == sha256(path):
                    continue  # unchanged since it was loaded before
                assert source in refused, f"{source} was neither loaded nor refused"
                kept_any = (
                    con.execute(
                        "SELECT count(*) FROM raw._quarantine WHERE load_id LIKE ? AND source_file = ?",
                        [load, source],
                    ).fetchall()[0][0]
                    + con.execute(
                        f"SELECT count(*) FROM raw.{raw_table_name(system, table)} "
                        "WHERE _load_id LIKE ? AND _source_file = ?",
                        [load, source],
                    ).fetchall()[0][0]
                )
                assert kept_any == 0, f"{source} was refused but some of its rows were kept"


def rows_in_file(path: Path, file_format: str) -> int:
    """The data rows of an export, counted independently of the loader."""
    with duckdb.connect() as con:
        if file_format == "csv":
            query = "SELECT count(*) FROM read_csv(?, all_varchar = true, header = true)"
        elif file_format == "jsonl":
            query = "SELECT count(*) FROM read_ndjson_objects(?)"
        else:
            query = "SELECT count(*) FROM read_parquet(?)"
        return con.execute(query, [str(path)]).fetchall()[0][0]


def assert_blocked(
    deployment: Deployment, delivery: Delivery, registry: SourceRegistry, says: list[str]
) -> None:
    # (a) the message names the file, column or row and says what to do
    for text in says:
        assert text in delivery.messages, f"{text!r} not in what the user sees:\n{delivery.messages}"
    # (b) nothing vanished
    assert_rows_accounted(deployment, delivery, registry)
    # (c) readers still see the last good scorecard
    if delivery.outcome is not None:
        assert not delivery.outcome.success and not delivery.outcome.published
    assert sha256(deployment.settings.published_path) == deployment.published_sha256


def first_rows(column_sql: str, rows: int = 6) -> str:
    """A rewrite of ``source`` changing ``column_sql`` (``new AS column``) on its first rows only."""
    new, _, column = column_sql.rpartition(" AS ")
    return (
        f"SELECT * REPLACE (CASE WHEN row_number() OVER () <= {rows} THEN {new} ELSE {column} END "
        f"AS {column}) FROM source"
    )


def shift_json_times(path: Path, field: str, days: int, rows: int = 6) -> None:
    """Move ``field`` of the first ``rows`` JSON lines ``days`` later, keeping each line's UTC offset."""
    lines = path.read_text().splitlines()
    for index in range(rows):
        record = json.loads(lines[index])
        moved = datetime.fromisoformat(record[field]) + timedelta(days=days)
        record[field] = moved.isoformat()
        lines[index] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n")


def truncate_mid_row(path: Path, share: float = 0.6) -> None:
    data = path.read_bytes()
    cut = int(len(data) * share)
    while data[cut - 1 : cut] in (b"\n", b","):
        cut += 3
    path.write_bytes(data[:cut])


TICKETS = "support/tickets/2025-05.csv"
INVOICES = "billing/invoices/2025-05.csv"
CSAT = "support/csat_responses/2025-05.csv"
ONBOARDING = "product/onboarding_events/2025-05.jsonl"


def _missing_column(d: Deployment) -> None:
    rewrite_csv(d.file(TICKETS), "SELECT * EXCLUDE (priority) FROM source")


def _renamed_column(d: Deployment) -> None:
    rewrite_csv(d.file(INVOICES), "SELECT * RENAME (status AS invoice_status) FROM source")


def _wrong_type(d: Deployment) -> None:
    rewrite_csv(d.file(INVOICES), first_rows("replace(total_amount, '.', ',') || ' EUR' AS total_amount"))


def _unparseable_dates(d: Deployment) -> None:
    rewrite_csv(
        d.file(TICKETS), first_rows("strftime(CAST(opened_at AS TIMESTAMP), '%d/%m/%Y %H:%M') AS opened_at")
    )


def _duplicate_keys(d: Deployment) -> None:
    rewrite_csv(
        d.file(TICKETS), "SELECT * FROM source UNION ALL (SELECT * FROM source ORDER BY ticket_id LIMIT 6)"
    )


def _null_keys(d: Deployment) -> None:
    rewrite_csv(d.file(TICKETS), first_rows("NULL AS ticket_id"))


def _negative_amounts(d: Deployment) -> None:
    rewrite_csv(d.file(INVOICES), first_rows("'-' || total_amount AS total_amount"))


def _future_events(d: Deployment) -> None:
    shift_json_times(d.file(ONBOARDING), "occurred_at", days=60)


def _empty_file(d: Deployment) -> None:
    d.file(CSAT).write_bytes(b"")


def _header_only(d: Deployment) -> None:
    rewrite_csv(d.file(CSAT), "SELECT * FROM source LIMIT 0")


def _truncated(d: Deployment) -> None:
    truncate_mid_row(d.file(TICKETS))


def _wrong_encoding(d: Deployment) -> None:
    text = d.file(TICKETS).read_text(encoding="utf-8")
    d.file(TICKETS).write_bytes(text.replace(",email,", ",émail,", 1).encode("latin-1"))


def _system_missing(d: Deployment) -> None:
    for path in (d.landing / "support").rglob("2025-05*"):
        path.unlink()


def _unknown_reference(d: Deployment) -> None:
    path = d.config_dir / "measures.yml"
    text = path.read_text()
    assert "objective: improve_profitability" in text
    path.write_text(text.replace("objective: improve_profitability", "objective: improve_profitabilty", 1))


def _undeclared_data_source(d: Deployment) -> None:
    path = d.config_dir / "measures.yml"
    text = path.read_text()
    declared = "[billing.invoices, billing.invoice_lines, finance.cost_of_revenue]"
    assert declared in text
    path.write_text(text.replace(declared, "[billing.invoice_lines, finance.cost_of_revenue]", 1))


def _strategy_cycle(d: Deployment) -> None:
    path = d.config_dir / "strategy.yml"
    path.write_text(
        path.read_text()
        + "  - cause: improve_profitability\n    effect: engage_our_people\n    lag_months: 6\n"
        "    assumption: Profits fund engagement.\n"
    )


@dataclass(frozen=True)
class Case:
    name: str
    apply: Callable[[Deployment], None]
    says: list[str]


CATALOGUE = [
    Case("missing column", _missing_column, [
        f"{TICKETS}: column(s) 'priority' declared in sources.yml are missing from the header",
        "add them to the export, or remove them from sources.yml",
    ]),
    Case("renamed column", _renamed_column, [
        f"{INVOICES}: column 'status' is missing and 'invoice_status' is unexpected",
        "rename it back in the export or update sources.yml",
    ]),
    Case("wrong type in a numeric column", _wrong_type, [
        "billing.invoices [error] At most 0.1% of a delivery's rows are quarantined",
        "6 quarantined (invalid_type 6; e.g. 2025-05.csv row 1: total_amount=",
        "is not a valid decimal(18,2)",
        "What to do: list the rows with `scorecard quarantine --system billing --table invoices`",
    ]),
    Case("unparseable dates", _unparseable_dates, [
        "support.tickets [error] At most 0.1% of a delivery's rows are quarantined",
        "(invalid_type 6; e.g. 2025-05.csv row 1: opened_at='",
        "is not a valid timestamp",
        "correct the export and deliver it again",
    ]),
    Case("duplicate primary keys", _duplicate_keys, [
        "support.tickets [error] At most 0.1% of a delivery's rows are quarantined",
        "(duplicate_primary_key 6; e.g. 2025-05.csv row ",
        "already appears on row",
    ]),
    Case("null keys", _null_keys, [
        "support.tickets [error] At most 0.1% of a delivery's rows are quarantined",
        "(null_primary_key 6; e.g. 2025-05.csv row 1: primary key column(s) empty: ticket_id",
    ]),
    Case("negative invoice amounts", _negative_amounts, [
        "billing.invoices [error] At most 0.1% of a delivery's rows are quarantined",
        "(out_of_range 6; e.g. 2025-05.csv row 1: total_amount='-",
        "is below the minimum 0",
    ]),
    Case("events dated in the future", _future_events, [
        "product.onboarding_events [error] At most 0.1% of a delivery's rows are quarantined",
        "(in_future 6; e.g. 2025-05.jsonl row 1: occurred_at='",
        "is after the end of the file's period 2025-05",
    ]),
    Case("an empty extract (0 bytes)", _empty_file, [
        f"{CSAT}: the file is empty (not even a header row)",
        "re-export it, or delete it if the source has no data",
    ]),
    Case("an empty extract (header only)", _header_only, [
        "support.csat_responses [error] Every delivery holds at least one row",
        "delivery 2025-05 (2025-05.csv): 0 rows read",
        "What to do: the export is empty (only a header, or no lines): re-export it from the source system",
    ]),
    Case("a truncated file", _truncated, [
        f"{TICKETS}: cannot be read as csv: a row does not parse as CSV",
        "the file may be truncated) — re-export the complete file",
    ]),
    Case("a file in the wrong encoding", _wrong_encoding, [
        f"{TICKETS}: cannot be read as csv: it is not UTF-8 encoded",
        "re-export it as UTF-8, or declare its encoding in sources.yml",
    ]),
    Case("a whole source system missing for the period", _system_missing, [
        "support.tickets [error] The newest opened_at is at most 25 days before the end of the period",
        "newest opened_at is 2025-04-",
        "days before the end of 2025-05",
        "support.csat_responses [error] The newest responded_at",
        "What to do: deliver this table's export for the period "
        "(is the support export for the month missing?)",
    ]),
    Case("a broken config: unknown reference", _unknown_reference, [
        "measures.yml",
        "measures[gross_margin].objective",
        "objective `improve_profitabilty` is not defined in strategy.yml objectives",
        "did you mean `improve_profitability`?",
    ]),
    Case("a broken config: a data source the SQL reads is not declared", _undeclared_data_source, [
        "measures.yml",
        "measures[gross_margin].data_sources",
        "measure `gross_margin` reads `billing.invoices` (its dbt model msr_gross_margin reads it through",
        "a quality flag on that table would leave the measure trusted",
        "Fix: add `billing.invoices` to data_sources of measure gross_margin in measures.yml",
    ]),
    Case("a broken config: cycle in the strategy map", _strategy_cycle, [
        "strategy.yml",
        "strategy_map[improve_profitability -> engage_our_people]",
        "the strategy map has a cycle",
        "remove or reverse one of the links in this cycle",
    ]),
]  # fmt: skip


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.name for case in CATALOGUE])
def test_bad_input_is_stopped_explained_accounted_for_and_never_published(
    case: Case, deployment: Deployment, shipped_registry: SourceRegistry
) -> None:
    case.apply(deployment)
    delivery = deliver(deployment)
    assert_blocked(deployment, delivery, shipped_registry, case.says)


def test_a_clean_delivery_passes_every_check_and_publishes(
    deployment: Deployment, shipped_registry: SourceRegistry
) -> None:
    delivery = deliver(deployment)

    assert delivery.outcome is not None and delivery.outcome.success, delivery.messages
    assert delivery.outcome.published
    ours = {name: e for name, e in delivery.check_results.items() if name.endswith("_suite")}
    assert len(ours) == 17
    assert all(evaluation.passed for evaluation in delivery.check_results.values()), [
        name for name, e in delivery.check_results.items() if not e.passed
    ]
    assert_rows_accounted(deployment, delivery, shipped_registry)
    published = deployment.settings.published_path
    assert sha256(published) != deployment.published_sha256
    with duckdb.connect(str(published), read_only=True) as con:
        months = con.execute(
            "SELECT count(*) FROM scorecard.measure_values WHERE period_grain = 'month' AND period_start = ?",
            [date(2025, 5, 1)],
        ).fetchall()[0][0]
    assert months > 0


def test_a_warning_publishes_with_the_periods_measures_untrusted(
    deployment: Deployment, shipped_registry: SourceRegistry
) -> None:
    # Two tickets of May on a channel the suite does not know: a warning, not an error.
    rewrite_csv(deployment.file(TICKETS), first_rows("'fax' AS channel", rows=2))

    delivery = deliver(deployment)

    assert delivery.outcome is not None and delivery.outcome.success, delivery.messages
    assert delivery.outcome.published
    tickets = delivery.check_results["support__tickets_suite"]
    assert (tickets.passed, tickets.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert "support/tickets/2025-05.csv row 1: channel='fax'" in tickets.description
    with duckdb.connect(str(deployment.settings.warehouse_path), read_only=True) as con:
        flags = con.execute(
            "SELECT source_table, period_start, check_name, severity FROM quality.source_flags"
        ).fetchall()
    assert flags == [("support.tickets", date(2025, 5, 1), "support__tickets_suite", "warning")]
    with duckdb.connect(str(deployment.settings.published_path), read_only=True) as con:
        statuses = dict(
            con.execute(
                "SELECT measure_id, min(status) || '/' || bool_and(is_trusted) FROM scorecard.scorecard "
                "WHERE period_grain = 'month' AND period_start = ? "
                "AND measure_id IN ('first_contact_resolution_rate', 'arr') GROUP BY measure_id",
                [date(2025, 5, 1)],
            ).fetchall()
        )
        april = con.execute(
            "SELECT bool_and(is_trusted) FROM scorecard.scorecard "
            "WHERE period_grain = 'month' AND period_start = ? "
            "AND measure_id = 'first_contact_resolution_rate'",
            [date(2025, 4, 1)],
        ).fetchall()[0][0]
        notes = con.execute(
            "SELECT DISTINCT trust_note FROM scorecard.scorecard "
            "WHERE period_grain = 'month' AND period_start = ? "
            "AND measure_id = 'first_contact_resolution_rate'",
            [date(2025, 5, 1)],
        ).fetchall()
    assert statuses["first_contact_resolution_rate"] == "untrusted/false"
    assert statuses["arr"].endswith("/true") and not statuses["arr"].startswith("untrusted")
    assert april is True
    # In plain words: which check failed on which table, from the suite's meta.description.
    assert notes == [("support.tickets failed the check 'channel is one of email, chat, phone' for 2025-05",)]


def test_a_warning_on_invoices_makes_gross_margin_untrusted(
    deployment: Deployment, shipped_registry: SourceRegistry
) -> None:
    """gross_margin reads billing.invoices through its intermediate model (dbt lineage), and its
    data_sources must say so: an invoices warning marks it untrusted, with a finding in plain words."""
    rewrite_csv(deployment.file(INVOICES), first_rows("'disputed' AS status", rows=2))

    delivery = deliver(deployment)

    assert delivery.outcome is not None and delivery.outcome.success, delivery.messages
    assert delivery.outcome.published
    invoices = delivery.check_results["billing__invoices_suite"]
    assert (invoices.passed, invoices.severity) == (False, dg.AssetCheckSeverity.WARN)
    with duckdb.connect(str(deployment.settings.published_path), read_only=True) as con:
        rows = con.execute(
            "SELECT measure_id, min(status), bool_and(is_trusted), min(trust_note) FROM scorecard.scorecard "
            "WHERE period_grain = 'month' AND period_start = ? "
            "AND measure_id IN ('gross_margin', 'arr') GROUP BY measure_id ORDER BY measure_id",
            [date(2025, 5, 1)],
        ).fetchall()
        findings = con.execute(
            "SELECT DISTINCT severity, message FROM scorecard.balance_findings "
            "WHERE finding_type = 'untrusted_data' AND measure_id = 'gross_margin' "
            "AND period_grain = 'month' AND period_start = ?",
            [date(2025, 5, 1)],
        ).fetchall()
    note = "billing.invoices failed the check 'status is one of paid, open, past_due, void' for 2025-05"
    arr, gross_margin = rows
    assert gross_margin == ("gross_margin", "untrusted", False, note)
    assert arr[2] is True and arr[3] is None
    assert findings == [("warning", f"Gross margin cannot be trusted for 2025-05: {note}.")]


# The gate each demo defect must trip. Late rows are valid data arriving late: they load into their
# own months (restatements record what they change), so no quality gate stops them.
DEFECT_GATES: dict[str, list[str]] = {
    "duplicates": ["[error] At most 0.1% of a delivery's rows are quarantined", "(duplicate_primary_key "],
    "late_rows": [],
    "null_keys": ["[error] At most 0.1% of a delivery's rows are quarantined", "null_primary_key"],
    "bad_types": ["[error] At most 0.1% of a delivery's rows are quarantined", "(invalid_type "],
    "renamed_column": [
        f"{TICKETS}: column 'contacts_to_resolution' is missing and 'contacts_count' is unexpected"
    ],
    "negative_amounts": ["billing.invoices [error] At most 0.1%", "(out_of_range "],
    "future_events": ["product.onboarding_events [error] At most 0.1%", "(in_future "],
}


def test_every_demo_defect_has_a_gate() -> None:
    assert set(DEFECT_GATES) == set(DEFECTS)


@pytest.mark.parametrize("defect", sorted(DEFECT_GATES))
def test_each_demo_defect_trips_its_gate(
    defect: str, deployment: Deployment, baseline: Baseline, tmp_path: Path, shipped_registry: SourceRegistry
) -> None:
    exports = tmp_path / "defective"
    generate_demo(
        exports,
        seed=DEMO_SEED,
        months=DEMO_MONTHS,
        scale=DEMO_SCALE,
        end_month=DEMO_END_MONTH,
        defects=frozenset({defect}),
    )
    reset_landing(deployment.landing, exports)

    delivery = deliver(deployment)

    if DEFECT_GATES[defect]:
        assert_blocked(deployment, delivery, shipped_registry, DEFECT_GATES[defect])
        return
    # Late rows: accepted, loaded into the months they belong to, and the month is published.
    assert delivery.outcome is not None and delivery.outcome.success, delivery.messages
    assert delivery.outcome.published
    assert_rows_accounted(deployment, delivery, shipped_registry)
    late = str(deployment.landing / "support" / "tickets" / "2025-05_late.csv")
    with duckdb.connect(str(deployment.settings.warehouse_path), read_only=True) as con:
        months = con.execute(
            "SELECT DISTINCT strftime(opened_at, '%Y-%m') FROM raw.support__tickets WHERE _source_file = ? "
            "ORDER BY 1",
            [late],
        ).fetchall()
        quarantined = con.execute(
            "SELECT count(*) FROM raw._quarantine WHERE source_file = ?", [late]
        ).fetchall()[0][0]
    assert months == [("2025-02",), ("2025-03",)] and quarantined == 0
