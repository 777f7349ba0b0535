"""Validating a suite against its frames with Great Expectations, in batches, into plain outcomes.

GE validates each batch of a frame (a pandas DataFrame read from DuckDB); the per-batch results of a
row-wise ("map") expectation add up — counts are summed, the failing rows' examples and periods are
collected — so a table of any size is validated with bounded memory. Everything returned is plain
Python (JSON-ready), for the Dagster check, the flags and the HTML report.
"""

from __future__ import annotations

import contextlib
import logging
import math
import warnings
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb

from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality import row_results
from orchestration.quality.frames import BATCH_ROWS, Frame, mart_frames, raw_frames
from orchestration.quality.row_results import ROW_IDENTITY
from orchestration.quality.suites import SuiteError, SuiteFile, ge_suite
from orchestration.sql import identifier

Status = Literal["passed", "failed", "skipped", "error"]
EXAMPLES_KEPT = 10
_FRAME_TABLE = "_quality_frame"


@dataclass
class ExpectationOutcome:
    """One expectation of a suite after validation."""

    position: int
    type: str
    kwargs: dict[str, Any]
    severity: str
    frame: str
    description: str
    fix: str
    status: Status = "passed"
    element_count: int | None = None
    unexpected_count: int | None = None
    observed_value: Any = None
    examples: list[dict[str, Any]] = field(default_factory=list)
    failing_periods: list[str | None] = field(default_factory=list)
    note: str = ""

    @property
    def failed(self) -> bool:
        """A failure counts when the expectation did not hold or could not be evaluated."""
        return self.status in ("failed", "error")


@dataclass
class SuiteOutcome:
    """A suite's validation in one run."""

    suite: str
    suite_file: str
    asset_key: list[str]
    table: str
    source_table: str | None
    check_name: str
    run_id: str
    reference_period: str | None
    started_at: str
    finished_at: str = ""
    frame_rows: dict[str, int] = field(default_factory=dict)
    expectations: list[ExpectationOutcome] = field(default_factory=list)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if e.failed]

    @property
    def severity(self) -> str | None:
        """``error`` if an error-severity expectation failed, ``warning`` if only warnings did, else None."""
        severities = {e.severity for e in self.failures}
        if "error" in severities:
            return "error"
        return "warning" if severities else None

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuiteOutcome:
        expectations = [ExpectationOutcome(**e) for e in data.get("expectations", [])]
        return cls(**{**data, "expectations": expectations})


def validate_suite(
    con: duckdb.DuckDBPyConnection,
    suite: SuiteFile,
    registry: SourceRegistry,
    *,
    run_id: str,
    reference: date | None,
    landing_dir: Path | None = None,
    batch_rows: int = BATCH_ROWS,
) -> SuiteOutcome:
    """Validate every expectation of ``suite`` against the warehouse on ``con``.

    ``reference`` is the period freshness is judged against (see ``frames.reference_period``). Frames
    that cannot be built this run (no reference period yet) leave their expectations ``skipped``.
    """
    outcome = SuiteOutcome(
        suite=suite.name,
        suite_file=str(suite.path),
        asset_key=list(suite.asset_key),
        table=suite.table,
        source_table=suite.source_table,
        check_name=suite.check_name,
        run_id=run_id,
        reference_period=reference.strftime("%Y-%m") if reference else None,
        started_at=_now(),
    )
    by_position = {
        position: ExpectationOutcome(
            position=position,
            type=e["type"],
            kwargs=_jsonable(e["kwargs"]),
            severity=e["meta"]["severity"],
            frame=e["meta"]["frame"],
            description=e["meta"]["description"],
            fix=e["meta"].get("fix", ""),
        )
        for position, e in enumerate(suite.expectations)
    }
    if suite.kind == "raw":
        system, table = suite.asset_key[1], suite.asset_key[2]
        frames = raw_frames(system, table, registry.table(system, table), reference, suite.frames())
    else:
        frames = mart_frames(suite.asset_key[1], suite.batch_key, suite.frames())
    for name, frame in frames.items():
        members = [o for o in by_position.values() if o.frame == name]
        if frame is None:
            for member in members:
                member.status = "skipped"
                member.note = (
                    "no reference period yet: no export in the ledger is named after its month"
                    if name == "freshness"
                    else f"the frame {name!r} is not available for {suite.table}"
                )
            continue
        rows = _validate_frame(con, suite, frame, by_position, batch_rows, landing_dir)
        outcome.frame_rows[name] = rows
    outcome.expectations = [by_position[p] for p in sorted(by_position)]
    outcome.finished_at = _now()
    return outcome


def _validate_frame(
    con: duckdb.DuckDBPyConnection,
    suite: SuiteFile,
    frame: Frame,
    by_position: dict[int, ExpectationOutcome],
    batch_rows: int,
    landing_dir: Path | None,
) -> int:
    """Materialise ``frame``, validate it batch by batch and fold the results into ``by_position``."""
    ge = ge_suite(suite, frame.name)
    if frame.batched:
        _require_row_wise(suite, ge)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {_FRAME_TABLE} AS {frame.sql}", frame.params)
    try:
        rows = con.execute(f"SELECT count(*) FROM {_FRAME_TABLE}").fetchall()[0][0]
        batches = max(1, math.ceil(rows / batch_rows)) if frame.batched else 1
        if batches == 1:
            queries = [f"SELECT * FROM {_FRAME_TABLE}"]
        else:
            # Rows of one key land in one batch, so a uniqueness check per batch holds overall.
            split = _batch_split(frame)
            queries = [
                f"SELECT * FROM {_FRAME_TABLE} WHERE {split} % {batches} = {i}" for i in range(batches)
            ]
        if _judged_by_load(suite, frame):
            _validate_new_loads(con, suite, frame, ge, by_position, rows, batch_rows, landing_dir)
        else:
            for query in queries:
                dataframe = con.execute(query).df()
                index_columns = [c for c in frame.index_columns if c in dataframe.columns]
                results = _run_ge(dataframe, ge, index_columns)
                for result in results:
                    position = int(result.expectation_config.meta["position"])
                    _fold(by_position[position], result, frame, landing_dir)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {_FRAME_TABLE}")
    for member in by_position.values():
        if member.frame == frame.name:
            # Batches come back in hash order; show examples in file order.
            member.examples.sort(
                key=lambda e: (str(e.get("_source_file", "")), e.get("_source_row_number") or 0)
            )
        if member.frame == frame.name and member.status == "failed" and member.unexpected_count is not None:
            mostly = member.kwargs.get("mostly")
            if mostly is not None and member.element_count:
                # With batches, `mostly` applies to the whole frame, not to each batch.
                share_ok = 1 - member.unexpected_count / member.element_count
                member.status = "passed" if share_ok >= float(mostly) else "failed"
    return rows


_UNIQUE_TYPES = frozenset({"expect_column_values_to_be_unique", "expect_compound_columns_to_be_unique"})


def _batch_split(frame: Frame) -> str:
    """What splits a frame into batches: a hash of its key, so the rows of one key share a batch."""
    if not frame.batch_key:
        return "rowid"
    return f"hash({', '.join(identifier(c) for c in frame.batch_key)})"


def _judged_by_load(suite: SuiteFile, frame: Frame) -> bool:
    """Whether a frame's results can be kept per load (``row_results``): a raw table's current rows,
    whose uniqueness checks are on its primary key (unique within a load is then unique overall)."""
    if suite.kind != "raw" or frame.name != "rows" or not set(ROW_IDENTITY) <= set(frame.index_columns):
        return False
    for expectation in suite.expectations:
        if expectation["meta"]["frame"] == frame.name and expectation["type"] in _UNIQUE_TYPES:
            kwargs = expectation["kwargs"]
            columns = kwargs.get("column_list") or [kwargs.get("column")]
            if sorted(columns) != sorted(frame.batch_key):
                return False
    return True


def _validate_new_loads(
    con: duckdb.DuckDBPyConnection,
    suite: SuiteFile,
    frame: Frame,
    ge: Any,
    by_position: dict[int, ExpectationOutcome],
    rows: int,
    batch_rows: int,
    landing_dir: Path | None,
) -> None:
    """GE on the rows of loads not judged yet; the outcome over every current row from DuckDB.

    See ``orchestration.quality.row_results``: a one-month refresh hands GE the month's new rows, not
    the table's history, and the counts, examples and failing periods come out as if GE had seen all.
    """
    members = [o for o in by_position.values() if o.frame == frame.name]
    digest = row_results.suite_digest(
        frame.sql, [{"position": m.position, "type": m.type, "kwargs": m.kwargs} for m in members]
    )
    loads = row_results.loads_to_validate(con, _FRAME_TABLE, suite.name, digest)
    failures: list[tuple[int, str, str, int]] = []
    judged = True
    if loads:
        where = f"FROM {_FRAME_TABLE} WHERE list_contains(?, _load_id)"
        new_rows = con.execute(f"SELECT count(*) {where}", [loads]).fetchall()[0][0]
        batches = max(1, math.ceil(new_rows / batch_rows))
        split = _batch_split(frame)
        for i in range(batches):
            dataframe = con.execute(f"SELECT * {where} AND {split} % {batches} = {i}", [loads]).df()
            for result in _run_ge(dataframe, ge, list(frame.index_columns)):
                member = by_position[int(result.expectation_config.meta["position"])]
                info = result.exception_info or {}
                if info.get("raised_exception"):
                    member.status = "error"
                    member.note = str(info.get("exception_message") or "Great Expectations raised an error")
                    judged = False
                    continue
                for row in (result.result or {}).get("unexpected_index_list") or []:
                    if isinstance(row, dict):
                        failures.append(
                            (
                                member.position,
                                row["_load_id"],
                                row["_source_file"],
                                int(row["_source_row_number"]),
                            )
                        )
    row_results.record(con, _FRAME_TABLE, suite.name, digest, loads if judged else [], failures)
    for member in members:
        if member.status == "error":
            continue
        count, examples, periods = row_results.current_failures(
            con,
            _FRAME_TABLE,
            suite.name,
            digest,
            member.position,
            _example_columns(frame, member.kwargs),
            frame.period_column,
            EXAMPLES_KEPT,
        )
        member.element_count = rows
        member.unexpected_count = count
        member.examples = [_example(row, landing_dir) for row in examples]
        if count:
            member.status = "failed"
            member.failing_periods = sorted(set(periods), key=lambda p: (p is not None, p or ""))


def _example_columns(frame: Frame, kwargs: dict[str, Any]) -> list[str]:
    """What an example of a failing row shows, in the order GE's own examples list them: the checked
    column (or the pair's first), the row's identity, then the pair's second column."""
    first = [kwargs.get("column"), kwargs.get("column_A"), *(kwargs.get("column_list") or [])]
    identity = [c for c in frame.index_columns if c != "_load_id"]
    columns: list[str] = []
    for column in [*first, *identity, kwargs.get("column_B")]:
        if column and column not in columns:
            columns.append(column)
    return columns


def _require_row_wise(suite: SuiteFile, ge: Any) -> None:
    """Batched frames take only row-wise expectations: an aggregate over one batch means nothing."""
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation,
        ColumnPairMapExpectation,
        MulticolumnMapExpectation,
    )

    row_wise = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)
    issues = [
        suite.issue(
            ("expectations", e.meta["position"], "meta", "frame"),
            f"{e.expectation_type} is not row-wise, but the rows frame is validated in batches.",
            "move it to a derived frame",
            "not_row_wise",
        )
        for e in ge.expectations
        if not isinstance(e, row_wise)
    ]
    if issues:
        raise SuiteError(issues)


_GE_STATE: dict[str, Any] = {}


def _batch_definition() -> Any:
    """One ephemeral GE context per process, with a pandas datasource over in-memory frames."""
    if "batch_definition" not in _GE_STATE:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        # GE logs and warns about usage statistics and its own internals; none of it helps a user.
        logging.getLogger("great_expectations").setLevel(logging.ERROR)
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        source = context.data_sources.add_pandas("scorecard_frames")
        asset = source.add_dataframe_asset("frame")
        _GE_STATE["batch_definition"] = asset.add_batch_definition_whole_dataframe("whole_frame")
    return _GE_STATE["batch_definition"]


def _run_ge(dataframe: Any, suite: Any, index_columns: list[str]) -> list[Any]:
    result_format: dict[str, Any] = {"result_format": "COMPLETE", "partial_unexpected_count": EXAMPLES_KEPT}
    if index_columns:
        result_format["unexpected_index_column_names"] = index_columns
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        batch = _batch_definition().get_batch(batch_parameters={"dataframe": dataframe})
        return list(batch.validate(suite, result_format=result_format).results)


def _fold(outcome: ExpectationOutcome, result: Any, frame: Frame, landing_dir: Path | None) -> None:
    """Add one batch's GE result to the expectation's outcome."""
    info = result.exception_info or {}
    if info.get("raised_exception"):
        outcome.status = "error"
        outcome.note = str(info.get("exception_message") or "Great Expectations raised an error").strip()
        return
    details = result.result or {}
    if "element_count" in details:
        outcome.element_count = (outcome.element_count or 0) + int(details["element_count"])
    if "unexpected_count" in details:
        outcome.unexpected_count = (outcome.unexpected_count or 0) + int(details["unexpected_count"] or 0)
    if "observed_value" in details:
        outcome.observed_value = _jsonable(details["observed_value"])
    if not result.success and outcome.status != "error":
        outcome.status = "failed"
    if result.success:
        return
    index = [row for row in details.get("unexpected_index_list") or [] if isinstance(row, dict)]
    examples = [row for row in details.get("partial_unexpected_index_list") or [] if isinstance(row, dict)]
    room = EXAMPLES_KEPT - len(outcome.examples)
    outcome.examples += [_example(row, landing_dir) for row in examples[:room]]
    # An aggregate expectation names no failing row: it fails for every period (None).
    periods = {_period_text(row.get(frame.period_column)) for row in index} if frame.period_column else set()
    if not index:
        periods = {None}
    outcome.failing_periods = sorted(
        set(outcome.failing_periods) | periods, key=lambda p: (p is not None, p or "")
    )


def failure_message(outcome: SuiteOutcome, expectation: ExpectationOutcome, examples: int = 3) -> str:
    """One paragraph a user can act on: the table, what should hold, what failed where, what to do."""
    subject = outcome.source_table or outcome.table
    if expectation.status == "error":
        failed = f"could not be evaluated: {expectation.note}"
    elif expectation.unexpected_count is not None and expectation.element_count is not None:
        unit = {"deliveries": "deliveries", "freshness": "checks"}.get(expectation.frame, "rows")
        failed = f"failed for {expectation.unexpected_count:,} of {expectation.element_count:,} {unit}"
    else:
        failed = f"failed (observed {expectation.observed_value!r})"
    shown = [describe_example(example) for example in expectation.examples[:examples]]
    more = ""
    if expectation.unexpected_count and expectation.unexpected_count > len(shown) and shown:
        more = f" (and {expectation.unexpected_count - len(shown):,} more)"
    where = f": {'; '.join(shown)}{more}" if shown else ""
    fix = f" What to do: {expectation.fix}." if expectation.fix else ""
    return f"{subject} [{expectation.severity}] {expectation.description.rstrip('.')} — {failed}{where}.{fix}"


def describe_example(example: dict[str, Any]) -> str:
    """A failing row in words: the file and row for source rows, the delivery for volumes, etc."""
    if "delivery" in example:
        text = (
            f"delivery {example['delivery']} ({example.get('files')}): {example.get('rows_read')} rows read"
        )
        if example.get("rows_quarantined"):
            text += f", {example['rows_quarantined']} quarantined ({example.get('quarantined_by_rule')}"
            text += f"; e.g. {example['quarantine_example']})" if example.get("quarantine_example") else ")"
        if example.get("previous_rows_read") is not None:
            text += f", the deliveries before averaged {float(example['previous_rows_read']):,.0f}"
        return text
    if "event_column" in example:
        period = str(example.get("reference_period"))[:7]
        return (
            f"newest {example['event_column']} is {example.get('newest_event_at')}, "
            f"{example.get('days_behind_period_end')} days before the end of {period}"
        )
    values = ", ".join(f"{k}={v!r}" for k, v in example.items() if not k.startswith("_"))
    if "_source_file" in example:
        return f"{example['_source_file']} row {example.get('_source_row_number')}: {values}"
    return values


def _example(row: dict[str, Any], landing_dir: Path | None) -> dict[str, Any]:
    example = {key: _jsonable(value) for key, value in row.items()}
    source = example.get("_source_file")
    if isinstance(source, str) and landing_dir is not None:
        # Files outside the landing zone keep their full path.
        with contextlib.suppress(ValueError):
            example["_source_file"] = str(Path(source).relative_to(landing_dir))
    return example


def _period_text(value: Any) -> str | None:
    if value is None or _is_missing(value):
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().strftime("%Y-%m-%d")
    return str(value)[:10]


def _is_missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN, NaT and pandas' NA are not equal to themselves
    except TypeError:
        return True


def _jsonable(value: Any) -> Any:
    """Plain JSON types for results that GE returns as numpy, pandas or Decimal values."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        # numpy's scalars subclass int / float: return the plain Python number.
        if isinstance(value, float):
            return None if math.isnan(value) else float(value)
        return int(value)
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and not hasattr(value, "to_pydatetime"):
        return _jsonable(value.item())
    if _is_missing(value):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
