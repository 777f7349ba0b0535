"""The asset-check factory: one blocking Dagster asset check per suite in ``expectations/``.

A check validates its suite against the warehouse after its asset materialises and reports:

- ``ERROR`` severity when an ``error`` expectation failed: Dagster does not run anything downstream
  (dbt for a raw table, publishing for a mart), so bad input never reaches the published scorecard;
- ``WARN`` severity when only ``warning`` expectations failed: the run goes on; for raw tables the
  failing periods are written to ``quality.source_flags`` (before dbt runs: dbt waits for every
  blocking check upstream of it) and the marts mark those measure-periods ``untrusted``.

Every check links the run's HTML validation report in its metadata.
"""

from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.config.periods import parse_month
from orchestration.defs.ingestion import WAREHOUSE_POOL
from orchestration.defs.resources import CompanyResource, WarehouseResource
from orchestration.ingestion.ledger import ensure_bookkeeping_tables
from orchestration.ingestion.registry import SourceRegistry
from orchestration.quality.flags import replace_flags
from orchestration.quality.frames import reference_period
from orchestration.quality.plausibility import (
    CHECK_NAME,
    DESCRIBED,
    describe_failure,
    implausible_values,
    suspects,
)
from orchestration.quality.reports import write_suite_outcome
from orchestration.quality.suites import SuiteFile, load_suite_files
from orchestration.quality.validate import SuiteOutcome, failure_message, validate_suite

# Run tags Dagster sets on partitioned runs: a single month, or the end of a range (backfills).
_PARTITION_TAGS = ("dagster/partition", "dagster/asset_partition_range_end")


def build_quality_checks(
    registry: SourceRegistry, expectations_dir: Path | None = None
) -> list[dg.AssetChecksDefinition]:
    """One blocking asset check per suite: raw tables keyed ``["raw", system, table]``, marts
    ``["scorecard", table]``. Raises ``SuiteError`` (naming file and entry) for a broken suite file."""
    return [_build_check(suite, registry) for suite in load_suite_files(registry, expectations_dir)]


def _build_check(suite: SuiteFile, registry: SourceRegistry) -> dg.AssetChecksDefinition:
    source = f"expectations/{suite.path.name}" + (" (baseline: no file yet)" if suite.generated else "")
    description = (
        f"Great Expectations suite {source} on {suite.table}: "
        f"{len(suite.expectations)} expectations ({_severity_counts(suite)}). "
        "Errors block everything downstream; warnings flag the source's periods as untrusted."
    )

    @dg.asset_check(
        asset=dg.AssetKey(list(suite.asset_key)),
        name=suite.check_name,
        description=description,
        blocking=True,
        pool=WAREHOUSE_POOL,
        metadata={"suite_file": str(suite.path), "expectations": len(suite.expectations)},
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, company: CompanyResource
    ) -> dg.AssetCheckResult:
        settings = company.settings
        run_id = context.run.run_id
        with warehouse.connect() as con:
            # A warehouse older than the withdrawal ledger gets it here too (a run that checks
            # without ingesting first, e.g. one asset from the UI).
            ensure_bookkeeping_tables(con)
            reference = reference_period(con, _run_month(context.run.tags))
            outcome = validate_suite(
                con, suite, registry, run_id=run_id, reference=reference, landing_dir=settings.landing_dir
            )
            flags = replace_flags(con, outcome)
        report = write_suite_outcome(settings, outcome)
        for expectation in outcome.failures:
            message = failure_message(outcome, expectation)
            (context.log.error if expectation.severity == "error" else context.log.warning)(message)
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR
            if outcome.severity == "error"
            else dg.AssetCheckSeverity.WARN,
            description=_summary(outcome),
            metadata={
                "report": dg.MetadataValue.path(f"{report}#{suite.name}"),
                "suite_file": dg.MetadataValue.path(str(suite.path)),
                "reference_period": outcome.reference_period or "",
                "expectations": len(outcome.expectations),
                "failed_errors": sum(1 for e in outcome.failures if e.severity == "error"),
                "failed_warnings": sum(1 for e in outcome.failures if e.severity == "warning"),
                "skipped": sum(1 for e in outcome.expectations if e.status == "skipped"),
                "frame_rows": dg.MetadataValue.json(outcome.frame_rows),
                "source_flags_written": flags,
                "failures": dg.MetadataValue.md(
                    "\n".join(f"- {failure_message(outcome, e)}" for e in outcome.failures) or "none"
                ),
            },
        )

    return _check


def _run_month(tags: dict[str, str]) -> date | None:
    """The run's partition month (``YYYY-MM``), when the run is partitioned."""
    for tag in _PARTITION_TAGS:
        try:
            return parse_month(tags.get(tag, "")[:7], tag)
        except ValueError:
            continue
    return None


def _severity_counts(suite: SuiteFile) -> str:
    errors = sum(1 for e in suite.expectations if e["meta"]["severity"] == "error")
    return f"{errors} error, {len(suite.expectations) - errors} warning"


def _summary(outcome: SuiteOutcome) -> str:
    """The check's description in the UI and the run log: every failure's message, errors first."""
    if outcome.passed:
        return f"All {len(outcome.expectations)} expectations of {outcome.suite} passed."
    ordered = sorted(outcome.failures, key=lambda e: e.severity != "error")
    return "\n".join(failure_message(outcome, e) for e in ordered)


def build_plausibility_check(registry: SourceRegistry) -> dg.AssetChecksDefinition:
    """The blocking plausibility check on ``scorecard/measure_values`` (see the module docstring)."""

    @dg.asset_check(
        asset=dg.AssetKey(["scorecard", "measure_values"]),
        name=CHECK_NAME,
        description=(
            "Plausibility gate on the restatement window's measure values: bounds from the unit or "
            "measures.yml `plausibility:`, and a robust jump test against each measure's own history. "
            "A `block` failure stops publishing and names the source rows that moved the value most."
        ),
        blocking=True,
        pool=WAREHOUSE_POOL,
    )
    def _check(
        context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, company: CompanyResource
    ) -> dg.AssetCheckResult:
        landing_dir = company.settings.landing_dir
        with warehouse.connect() as con:
            ensure_bookkeeping_tables(con)  # the lineage reads the withdrawal ledger
            failures = implausible_values(con)
            described = [
                describe_failure(
                    failure,
                    suspects(con, registry, failure) if failure.segment_dimension == "all" else [],
                    landing_dir,
                )
                for failure in failures[:DESCRIBED]
            ]
        blocking = [f for f in failures if f.on_implausible == "block"]
        if len(failures) > DESCRIBED:
            described.append(f"… and {len(failures) - DESCRIBED} more implausible value(s).")
        for text in described:
            (context.log.error if blocking else context.log.warning)(text)
        return dg.AssetCheckResult(
            passed=not failures,
            severity=dg.AssetCheckSeverity.ERROR if blocking else dg.AssetCheckSeverity.WARN,
            description="\n".join(described) or "Every measure value in the restatement window is plausible.",
            metadata={
                "implausible_values": len(failures),
                "blocking": len(blocking),
                "untrusted": len(failures) - len(blocking),
            },
        )

    return _check
