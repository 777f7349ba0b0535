"""The ``scorecard_config`` asset: validate the strategy-as-code config and compile it to dbt seeds.

It is the only route by which config reaches the warehouse, so a config error stops the run before
dbt reads anything. Lint warnings do not stop it; they are recorded in the asset's metadata.
"""

import dagster as dg

from orchestration.config import validate_config
from orchestration.defs.resources import CompanyResource

SCORECARD_CONFIG_KEY = dg.AssetKey(["scorecard_config"])


@dg.asset(
    key=SCORECARD_CONFIG_KEY,
    group_name="config",
    kinds={"yaml"},
    description="scorecard_config/*.yml validated and compiled into the cfg_* dbt seeds.",
)
def scorecard_config(context: dg.AssetExecutionContext, company: CompanyResource) -> dg.MaterializeResult:
    from orchestration.transform.project import compile_config_seeds

    settings = company.settings
    # Against the parsed dbt project, as the definitions load checked it: one validation per process.
    manifest = settings.dbt_project_dir / "target" / "manifest.json"
    report = validate_config(settings.config_dir, dbt_manifest=manifest if manifest.exists() else None)
    if report.errors:
        raise dg.Failure(
            description="scorecard_config has errors; fix them and re-run "
            "(`scorecard validate` lists them):\n" + "\n".join(str(issue) for issue in report.errors)
        )
    for warning in report.warnings:
        context.log.warning(str(warning))
    written = compile_config_seeds(settings)
    return dg.MaterializeResult(
        metadata={
            "seeds_written": len(written),
            "lint_warnings": len(report.warnings),
            "warnings": dg.MetadataValue.md("\n".join(f"- {w}" for w in report.warnings) or "none"),
        }
    )
