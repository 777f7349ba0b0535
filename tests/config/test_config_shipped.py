"""The shipped configs: both validate cleanly, and the demo matches the shared catalogue."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import yaml

from orchestration.config import compile_config, format_report, load_config, validate_config
from orchestration.config.compile import render_seed_properties
from orchestration.config.periods import Grain, month_period, periods_between, quarter_period
from orchestration.config.targets import covers, expand_target, measure_grain, segment_key
from orchestration.settings import REPO_ROOT
from tests.config.helpers import TODAY
from tests.dbt.helpers import copy_project

DEMO = REPO_ROOT / "scorecard_config"
# A company is a folder of its own; its config is the folder's scorecard_config/.
SCRUMPTIOUS = REPO_ROOT / "examples" / "scrumptious_sweets" / "scorecard_config"

CATALOGUE_MEASURES = [
    "arr",
    "net_revenue_retention",
    "expansion_mrr",
    "gross_margin",
    "new_customers",
    "logo_churn_rate",
    "gross_mrr_churn_rate",
    "active_customers",
    "onboarding_completion_rate",
    "support_csat",
    "time_to_first_value_days",
    "first_contact_resolution_rate",
    "ticket_reopen_rate",
    "median_first_response_hours",
    "cs_training_completion_rate",
    "cs_headcount",
    "accounts_per_csm",
    "employee_engagement_score",
    "voluntary_attrition_rate",
]


@pytest.mark.parametrize("config_dir", [DEMO, SCRUMPTIOUS], ids=["demo", "scrumptious_sweets"])
def test_shipped_config_validates_without_errors_or_warnings(config_dir: Path) -> None:
    report = validate_config(config_dir, today=TODAY)
    assert report.issues == (), format_report(report)
    assert report.exit_code(strict=True) == 0


def test_demo_matches_the_shared_catalogue() -> None:
    config = load_config(DEMO)
    assert config.company.name == "Northwind Analytics"
    assert config.company.fiscal_year_start_month == 2
    assert config.company.reporting_currency == "USD"
    assert [p.id for p in config.perspectives] == [
        "financial",
        "customer",
        "internal_process",
        "learning_growth",
    ]
    assert [m.id for m in config.measures] == CATALOGUE_MEASURES
    quarterly = {m.id for m in config.measures if m.frequency.value == "quarterly"}
    assert quarterly == {"net_revenue_retention", "employee_engagement_score", "voluntary_attrition_rate"}
    links = {(link.cause, link.effect, link.lag_months) for link in config.strategy_map}
    assert ("onboard_customers_successfully", "reduce_avoidable_churn", 3) in links
    assert ("build_cs_capability", "resolve_issues_first_time", 2) in links
    cascade = next(s for s in config.scorecards if s.id == "cs_enterprise")
    assert cascade.segment == {"team": "cs_enterprise"} and cascade.parent == "corporate"
    assert cascade.measures == [
        "onboarding_completion_rate",
        "support_csat",
        "logo_churn_rate",
        "time_to_first_value_days",
        "first_contact_resolution_rate",
        "cs_training_completion_rate",
        "active_customers",
        "accounts_per_csm",
        "arr",
    ]
    assert len(config.reviews) >= 2
    overdue = [
        a for r in config.reviews for a in r.actions if a.status.value == "open" and a.due_date < TODAY
    ]
    assert [a.id for a in overdue] == ["trial_conversion_analysis"]
    assert any(r.failed_assumptions for r in config.reviews)


def test_demo_targets_cover_every_period_2023_to_2027_for_every_scorecard_slice() -> None:
    config = load_config(DEMO)
    fy_start = config.company.fiscal_year_start_month
    first, last = month_period(date(2023, 1, 1)), month_period(date(2027, 12, 1))
    for scorecard in config.scorecards:
        segment = segment_key(scorecard.segment)
        for measure_id in config.scorecard_measure_ids(scorecard):
            measure = config.measure(measure_id)
            rows = [
                row
                for index, target in enumerate(config.targets[measure_id])
                for row in expand_target(measure, target, index, fy_start)
                if row.segment == segment
            ]
            grain = measure_grain(measure)
            start = first if grain is Grain.month else quarter_period(first.start, fy_start)
            for period in periods_between(start, last, grain, fy_start):
                assert covers(rows, period), f"{scorecard.id}/{measure_id} has no target for {period.label}"


def test_demo_uses_every_target_kind_and_an_effective_dated_change() -> None:
    config = load_config(DEMO)
    kinds = {target.kind.value for targets in config.targets.values() for target in targets}
    assert kinds == {"absolute", "annual", "relative"}
    onboarding = [t for t in config.targets["onboarding_completion_rate"] if not t.segment]
    assert [(t.from_, t.to, t.value) for t in onboarding] == [
        ("2023-01", "2025-01", 0.55),
        ("2025-02", "2027-12", 0.8),
    ]


def test_generated_seed_properties_match_the_table_specs(tmp_path: Path) -> None:
    """The compiler writes the properties file beside the seeds, from the same specs as the CSVs."""
    compile_config(load_config(DEMO), tmp_path / "generated")
    seeds_dir = tmp_path / "generated" / "seeds"
    generated = (seeds_dir / "_config__seeds.yml").read_text(encoding="utf-8")
    assert generated == render_seed_properties()
    properties = {seed["name"]: seed for seed in yaml.safe_load(generated)["seeds"]}
    assert sorted(properties) == sorted(path.stem for path in seeds_dir.glob("cfg_*.csv"))
    for name, seed in properties.items():
        with (seeds_dir / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert [column["name"] for column in seed["columns"]] == header, name
        assert list(seed["config"]["column_types"]) == header, name


@pytest.mark.slow
def test_demo_measures_and_dbt_measure_models_match_one_to_one(tmp_path: Path) -> None:
    """Parse the real dbt project (a private copy, engine linked) and check config ↔ measure models."""
    project = copy_project(tmp_path)
    result = project.dbt("parse", "--no-partial-parse")
    assert result.returncode == 0, result.stdout + result.stderr
    report = validate_config(DEMO, today=TODAY, dbt_manifest=project.target_dir / "manifest.json")
    assert report.errors == [], format_report(report)


def test_a_process_validates_each_version_of_a_config_once(demo, monkeypatch, tmp_path):
    from orchestration.config import validation

    checked: list[Path] = []
    check = validation._check

    def counting(config_dir: Path, today):
        checked.append(config_dir)
        return check(config_dir, today)

    monkeypatch.setattr(validation, "_check", counting)
    first = validation.run_validation(demo.path)
    # The definitions load, the dbt preparation and the config asset of one run ask again: no new work.
    assert validation.run_validation(demo.path).report == first.report
    assert load_config(demo.path) == first.config  # without lints, from the same validation
    assert len(checked) == 1
    # A dbt manifest adds its own check, not a second validation of the config.
    missing = tmp_path / "manifest.json"
    with_manifest = validation.run_validation(demo.path, dbt_manifest=missing)
    assert [issue.code for issue in with_manifest.report.errors] == ["dbt_manifest"]
    assert with_manifest.config is None
    assert len(checked) == 1
    # An edit is a new version: checked again, and its errors are seen.
    measures = demo.path / "measures.yml"
    measures.write_text(measures.read_text().replace("owner:", "owner_name:", 1))
    assert validation.run_validation(demo.path).report.errors
    assert len(checked) == 2
