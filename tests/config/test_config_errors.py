"""One test per error class: a copy of the demo config with one thing broken, and the exact message.

Each test asserts what a user sees: the file, the entry, the line, the message and the fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.config import ConfigError, Issue, Severity, load_config, validate_config
from tests.config.helpers import TODAY, ConfigDir, only


def error(file: str, entry: str, message: str, hint: str, code: str, line: int | None) -> Issue:
    return Issue(Severity.error, file, entry, message, hint, code=code, line=line)


def test_yaml_syntax_error_names_file_and_line(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "    unit: usd\n", "    unit: [usd\n")
    issue = only(validate_config(demo.path, today=TODAY), "yaml_syntax")
    assert (issue.file, issue.entry, issue.line) == (
        "measures.yml",
        "",
        demo.line_of("measures.yml", "unit: [usd") + 1,
    )
    assert issue.message.startswith("not valid YAML: ")
    assert issue.hint == "fix the YAML syntax at that line (indentation, a missing `:` or an unclosed quote)"


def test_missing_file(demo: ConfigDir) -> None:
    (demo.path / "scorecards.yml").unlink()
    issue = only(validate_config(demo.path, today=TODAY), "missing_file")
    assert issue == error(
        "scorecards.yml",
        "",
        f"scorecards.yml is missing from {demo.path}.",
        "create scorecards.yml; see the README section 'The scorecard config' for its layout",
        "missing_file",
        None,
    )


def test_measure_without_owner(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "    owner: Daniel Okafor, Chief Financial Officer\n", "")
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue == error(
        "measures.yml",
        "measures[arr].owner",
        "`owner` is required but missing.",
        "add `owner:` naming a person and role, e.g. `owner: Maya Chen, VP Customer Success`",
        "schema",
        demo.line_of("measures.yml", "- id: arr"),
    )


def test_measure_without_frequency(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "    frequency: quarterly\n", "")
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue == error(
        "measures.yml",
        "measures[net_revenue_retention].frequency",
        "`frequency` is required but missing.",
        "add `frequency: monthly` or `frequency: quarterly`",
        "schema",
        demo.line_of("measures.yml", "- id: net_revenue_retention"),
    )


def test_measure_without_data_source(demo: ConfigDir) -> None:
    demo.replace(
        "measures.yml",
        "data_sources: [billing.invoices, billing.invoice_lines, finance.cost_of_revenue]",
        "data_sources: []",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue == error(
        "measures.yml",
        "measures[gross_margin].data_sources",
        "`data_sources` is empty.",
        "list the `system.table` names it is computed from, as named in sources.yml, "
        "e.g. `data_sources: [sales.orders]`",
        "schema",
        demo.line_of("measures.yml", "data_sources: []"),
    )


def test_invalid_identifier(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "  - id: gross_margin", "  - id: Gross Margin")
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue == error(
        "measures.yml",
        "measures[Gross Margin].id",
        "`Gross Margin` is not a valid id: use lowercase snake_case (a letter, then letters, digits or "
        "underscores, at most 63 characters).",
        "rename it, e.g. `Net Margin` → `net_margin`",
        "schema",
        demo.line_of("measures.yml", "Gross Margin"),
    )


def test_unknown_enum_value_and_misspelt_field(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "    direction: lower_is_better\n", "    direction: down\n")
    demo.replace("measures.yml", "    weight: 2.0\n", "    wieght: 2.0\n")
    issues = [i for i in validate_config(demo.path, today=TODAY).issues]
    assert issues == [
        error(
            "measures.yml",
            "measures[arr].wieght",
            "`wieght` is not a known field here.",
            "remove it or fix its spelling (did you mean `weight`?)",
            "schema",
            demo.line_of("measures.yml", "wieght"),
        ),
        error(
            "measures.yml",
            "measures[logo_churn_rate].direction",
            "`down` is not allowed for `direction`.",
            "use one of: 'higher_is_better' or 'lower_is_better'",
            "schema",
            demo.line_of("measures.yml", "direction: down"),
        ),
    ]


def test_duplicate_measure_id(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "  - id: expansion_mrr", "  - id: arr")
    issue = only(validate_config(demo.path, today=TODAY), "duplicate_id")
    assert issue == error(
        "measures.yml",
        "measures[arr]",
        f"duplicate measure `arr`: it is already defined at line {demo.line_of('measures.yml', '- id: arr')} "
        "of measures.yml.",
        "give each measure a unique id, or merge the two entries",
        "duplicate_id",
        demo.line_of("measures.yml", "- id: arr", occurrence=2),
    )


def test_duplicate_yaml_key_is_not_silently_dropped(demo: ConfigDir) -> None:
    demo.replace("targets.yml", "  voluntary_attrition_rate:\n", "  employee_engagement_score:\n")
    issue = only(validate_config(demo.path, today=TODAY), "duplicate_key")
    first = demo.line_of("targets.yml", "  employee_engagement_score:")
    second = demo.line_of("targets.yml", "  employee_engagement_score:", occurrence=2)
    assert issue == error(
        "targets.yml",
        "targets.employee_engagement_score",
        f"the key `employee_engagement_score` appears twice in the same mapping (lines {first} and "
        f"{second}); "
        "YAML would silently keep only the last.",
        "remove one of them or give it a different name",
        "duplicate_key",
        second,
    )


def test_unknown_objective_reference(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "objective: improve_profitability", "objective: improve_profitabilty")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_reference")
    assert issue == error(
        "measures.yml",
        "measures[gross_margin].objective",
        "objective `improve_profitabilty` is not defined in strategy.yml objectives.",
        "use one of the objective ids in strategy.yml objectives (did you mean `improve_profitability`?), "
        "or add `improve_profitabilty` there",
        "unknown_reference",
        demo.line_of("measures.yml", "improve_profitabilty"),
    )


def test_unknown_measure_on_a_scorecard(demo: ConfigDir) -> None:
    demo.replace("scorecards.yml", "      - support_csat\n", "      - support_cast\n")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_reference")
    assert issue == error(
        "scorecards.yml",
        "scorecards[cs_enterprise].measures[1]",
        "measure `support_cast` is not defined in measures.yml.",
        "use one of the measure ids in measures.yml (did you mean `support_csat`?), or add "
        "`support_cast` there",
        "unknown_reference",
        demo.line_of("scorecards.yml", "support_cast"),
    )


def test_failed_assumption_must_name_an_existing_link(demo: ConfigDir) -> None:
    demo.replace("reviews.yml", "      - cause: deliver_value_fast\n", "      - cause: engage_our_people\n")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_reference")
    assert issue == error(
        "reviews.yml",
        "reviews[review_2026_08].failed_assumptions[engage_our_people -> win_new_customers]",
        "there is no strategy-map link engage_our_people → win_new_customers in strategy.yml.",
        "a failed assumption names an existing link by its `cause` and `effect` objectives",
        "unknown_reference",
        demo.line_of("reviews.yml", "- cause: engage_our_people"),
    )


def test_unknown_segment_value(demo: ConfigDir) -> None:
    demo.replace("scorecards.yml", "segment: {team: cs_enterprise}", "segment: {team: cs_enterprize}")
    report = validate_config(demo.path, today=TODAY)
    issue = only(report, "unknown_reference")
    assert issue == error(
        "scorecards.yml",
        "scorecards[cs_enterprise].segment.team",
        "`cs_enterprize` is not a declared team in strategy.yml segments.",
        "use one of cs_smb, cs_mid_market, cs_enterprise, support_tier1, support_tier2 "
        "(did you mean `cs_enterprise`?), or declare it there",
        "unknown_reference",
        demo.line_of("scorecards.yml", "cs_enterprize"),
    )


def test_cycle_in_the_strategy_map_is_named(demo: ConfigDir) -> None:
    demo.append(
        "strategy.yml",
        "  - cause: improve_profitability\n    effect: engage_our_people\n    lag_months: 6\n"
        "    assumption: Profits fund engagement.\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "strategy_map_cycle")
    assert issue == error(
        "strategy.yml",
        "strategy_map[improve_profitability -> engage_our_people]",
        "the strategy map has a cycle: engage_our_people → build_cs_capability → "
        "onboard_customers_successfully → "
        "reduce_avoidable_churn → grow_recurring_revenue → improve_profitability → engage_our_people.",
        "cause and effect run one way (learning → process → customer → financial): remove or reverse one "
        "of the "
        "links in this cycle",
        "strategy_map_cycle",
        demo.line_of("strategy.yml", "- cause: improve_profitability"),
    )


def test_data_source_not_in_sources_yml(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "[hr.engagement_survey, hr.team_assignments]", "[hr.engagement_surveys]")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_data_source")
    assert issue == error(
        "measures.yml",
        "measures[employee_engagement_score].data_sources[0]",
        "data source `hr.engagement_surveys` is not a table in sources.yml.",
        "use a `system.table` registered in sources.yml (did you mean `hr.engagement_survey`?), "
        "or register the table there first",
        "unknown_data_source",
        demo.line_of("measures.yml", "hr.engagement_surveys"),
    )


def test_overlapping_targets(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      to: 2025-01\n      rationale: Before guided",
        "      to: 2025-03\n      rationale: Before guided",
    )
    issue = only(validate_config(demo.path, today=TODAY), "overlapping_effective_dates")
    assert issue == error(
        "targets.yml",
        "targets.onboarding_completion_rate[1]",
        "this target overlaps targets.onboarding_completion_rate[0] from period 2025-02: "
        "`onboarding_completion_rate` would have two targets for the same period.",
        "end the earlier target (`to:`) before the later one starts, so each period has one target",
        "overlapping_effective_dates",
        demo.line_of("targets.yml", "- kind:", occurrence=2, after="  onboarding_completion_rate:"),
    )


def test_overlapping_relative_and_absolute_targets_for_a_segment(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      rationale: The enterprise book grows through expansion more than new logos.\n",
        "      rationale: The enterprise book grows through expansion more than new logos.\n"
        "    - kind: absolute\n      segment: {team: cs_enterprise}\n      value: 2500000\n"
        "      from: 2026-01\n      to: 2026-12\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "overlapping_effective_dates")
    assert issue == error(
        "targets.yml",
        "targets.arr[4]",
        "this target overlaps targets.arr[3] from period 2026-01: `arr` would have two targets for the same "
        "period and segment.",
        "end the earlier target (`to:`) before the later one starts, so each period has one target",
        "overlapping_effective_dates",
        demo.line_of("targets.yml", "value: 2500000") - 2,
    )


def test_overlapping_measure_versions(small: ConfigDir) -> None:
    small.replace(
        "measures.yml",
        "        change_note: Median instead of mean, so a few stuck orders do not dominate.\n",
        "        change_note: Median instead of mean, so a few stuck orders do not dominate.\n"
        "      - effective_from: 2024-06-01\n        effective_to: 2024-06-30\n"
        "        definition: Trimmed mean days.\n        change_note: Tried briefly.\n",
    )
    issue = only(validate_config(small.path, today=TODAY), "overlapping_effective_dates")
    assert issue == error(
        "measures.yml",
        "measures[delivery_days].previous_versions[1]",
        "this version (2024-06-01 … 2024-06-30) overlaps previous_versions[0] (2024-04-01 … 2024-06-30).",
        "each day has exactly one definition: end the earlier version the day before the later starts",
        "overlapping_effective_dates",
        small.line_of("measures.yml", "- effective_from: 2024-06-01"),
    )


def test_month_13_does_not_exist(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      from: 2025-02\n      to: 2027-12\n      rationale: >-",
        "      from: 2025-13\n      to: 2027-12\n      rationale: >-",
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "targets.yml",
        "targets.onboarding_completion_rate[1].from",
        "`2025-13` names month 13, which does not exist (months run 01-12).",
        "write a month as `2024-07`, a fiscal quarter as `FY2025-Q1`, a fiscal year as `FY2025`",
        "invalid_period",
        demo.line_of("targets.yml", "from: 2025-13"),
    )


def test_quarterly_measure_with_a_monthly_target_period(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml", "      value: 3.9\n      from: FY2023-Q4", "      value: 3.9\n      from: 2023-01"
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "targets.yml",
        "targets.employee_engagement_score[0].from",
        "`2023-01` is a month, but `from` of the quarterly measure `employee_engagement_score` needs a "
        "quarter.",
        "write it as a quarter, e.g. `FY2025-Q2`",
        "invalid_period",
        demo.line_of("targets.yml", "value: 3.9") + 1,
    )


def test_target_period_outside_the_measures_effective_range(demo: ConfigDir) -> None:
    demo.replace("targets.yml", "values: {2023-01: 40}", "values: {2022-12: 40}")
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "targets.yml",
        "targets.new_customers[0].values.2022-12",
        "period 2022-12 (2022-12-01 … 2022-12-31) lies outside the effective range of `new_customers` "
        "(from 2023-01-01).",
        "drop the target for that period, or change the measure's effective_from / retired_on",
        "invalid_period",
        demo.line_of("targets.yml", "2022-12: 40"),
    )


def test_annual_weights_must_match_the_periods_of_a_year(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      value: 550\n      phasing: weights\n      weights: [1.05, ",
        "      value: 550\n      phasing: weights\n      weights: [",
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "targets.yml",
        "targets.new_customers[1].weights",
        "11 weights given, but a fiscal year has 12 months for the monthly measure `new_customers`.",
        "give exactly 12 weights, one per month in fiscal order",
        "invalid_period",
        demo.line_of("targets.yml", "      weights: [1.0, 1.0"),
    )


def test_review_period_must_match_the_cadence(demo: ConfigDir) -> None:
    demo.replace("reviews.yml", "    period: 2026-09\n", "    period: FY2027-Q3\n")
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "reviews.yml",
        "reviews[review_2026_09].period",
        "`FY2027-Q3` is a quarter, but the review cadence is monthly.",
        "review one month at a time, or change `cadence.frequency`",
        "invalid_period",
        demo.line_of("reviews.yml", "period: FY2027-Q3"),
    )


def test_splitting_an_annual_total_of_a_ratio_is_an_error(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml", "      value: 0.75\n      phasing: flat", "      value: 0.75\n      phasing: even"
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_phasing")
    assert issue == error(
        "targets.yml",
        "targets.gross_margin[2].phasing",
        "phasing `even` splits a total across periods, but `gross_margin` is a ratio measure, whose "
        "yearly value "
        "is not a sum of its periods.",
        "use `phasing: flat` (same value every period) or `phasing: linear` (a path)",
        "invalid_phasing",
        demo.line_of("targets.yml", "phasing: even"),
    )


def test_summing_the_targets_of_a_stock_is_an_error(demo: ConfigDir) -> None:
    demo.replace(
        "measures.yml", "    measure_type: stock\n", "    measure_type: stock\n    target_rollup: sum\n"
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_target_rollup")
    assert issue == error(
        "measures.yml",
        "measures[arr].target_rollup",
        "a stock is a level read at the period's end; summing its monthly targets gives a quarter "
        "target three times the level.",
        "use `target_rollup: last` (the default for a stock), or remove the line",
        "invalid_target_rollup",
        demo.line_of("measures.yml", "target_rollup: sum"),
    )


def test_compounding_targets_needs_a_percent_measure(demo: ConfigDir) -> None:
    demo.replace(
        "measures.yml", "    measure_type: stock\n", "    measure_type: stock\n    target_rollup: compound\n"
    )
    issue = only(validate_config(demo.path, today=TODAY), "invalid_target_rollup")
    assert issue == error(
        "measures.yml",
        "measures[arr].target_rollup",
        "`compound` treats each monthly target as a share lost (1 - Π(1 - target)), which needs "
        "unit percent (a fraction 0…1); this measure's unit is `usd`.",
        "use `sum`, `last` or `average` for this unit, or express the measure as a percent fraction",
        "invalid_target_rollup",
        demo.line_of("measures.yml", "target_rollup: compound"),
    )


def test_an_unknown_target_rollup_lists_the_choices(demo: ConfigDir) -> None:
    demo.replace(
        "measures.yml", "    measure_type: stock\n", "    measure_type: stock\n    target_rollup: median\n"
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue.entry == "measures[arr].target_rollup"
    assert issue.line == demo.line_of("measures.yml", "target_rollup: median")
    assert issue.message == "`median` is not allowed for `target_rollup`."
    assert issue.hint == "use one of: 'sum', 'last', 'average' or 'compound'"


def test_segment_filter_a_measure_cannot_be_sliced_by(demo: ConfigDir) -> None:
    demo.replace("scorecards.yml", "segment: {team: cs_enterprise}", "segment: {region: emea}")
    report = validate_config(demo.path, today=TODAY)
    line = demo.line_of("scorecards.yml", "region: emea")
    assert [issue for issue in report.issues if issue.code == "invalid_segment"] == [
        error(
            "scorecards.yml",
            "scorecards[cs_enterprise].segment.region",
            f"measure `{measure}` cannot be sliced by region (its slice_by: team).",
            f"drop the region filter, or leave `{measure}` out of this entry",
            "invalid_segment",
            line,
        )
        for measure in ("cs_training_completion_rate", "accounts_per_csm")
    ]


def test_segment_filter_names_one_dimension_only(demo: ConfigDir) -> None:
    demo.replace(
        "scorecards.yml", "segment: {team: cs_enterprise}", "segment: {team: cs_enterprise, region: emea}"
    )
    report = validate_config(demo.path, today=TODAY)
    assert [issue for issue in report.issues if issue.code == "invalid_segment"] == [
        error(
            "scorecards.yml",
            "scorecards[cs_enterprise].segment",
            "the segment filter {team: cs_enterprise, region: emea} names 2 dimensions; measure values are "
            "sliced by one dimension at a time.",
            "keep the one dimension this entry is about (e.g. the branch, not also its country)",
            "invalid_segment",
            demo.line_of("scorecards.yml", "region: emea"),
        )
    ]


def test_segment_filter_on_an_undeclared_dimension(demo: ConfigDir) -> None:
    demo.replace("scorecards.yml", "segment: {team: cs_enterprise}", "segment: {teams: cs_enterprise}")
    report = validate_config(demo.path, today=TODAY)
    unknown = [issue for issue in report.issues if issue.entry == "scorecards[cs_enterprise].segment.teams"]
    assert [(issue.code, issue.message) for issue in unknown] == [
        (
            "unknown_reference",
            "`teams` is not a segment dimension declared in strategy.yml segments "
            "(declared: team, region, customer_segment).",
        )
    ]
    assert "(did you mean `team`?)" in unknown[0].hint


def test_scorecards_need_exactly_one_root(demo: ConfigDir) -> None:
    demo.replace("scorecards.yml", "    parent: corporate\n", "")
    issue = only(validate_config(demo.path, today=TODAY), "scorecard_hierarchy")
    assert issue == error(
        "scorecards.yml",
        "scorecards[cs_enterprise]",
        "2 scorecards have no parent; exactly one (the corporate scorecard) must be the root.",
        "give every cascaded scorecard a `parent:` (the scorecard it rolls up to)",
        "scorecard_hierarchy",
        demo.line_of("scorecards.yml", "- id: cs_enterprise"),
    )


def _manifest(path: Path, models: dict[str, str | None]) -> Path:
    """A manifest.json as dbt writes it, reduced to the fields the check reads."""
    nodes = {
        f"model.balanced_scorecard.{Path(file).stem}": {
            "resource_type": "model",
            "original_file_path": file,
            "config": {"meta": {"measure_id": measure_id} if measure_id else {}},
        }
        for file, measure_id in models.items()
    }
    path.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    return path


def test_configured_measure_without_dbt_model_and_dbt_model_without_config(
    demo: ConfigDir, tmp_path: Path
) -> None:
    config = load_config(demo.path)
    models: dict[str, str | None] = {
        f"models/measures/x/msr_{m.id}.sql": m.id for m in config.measures if m.id != "gross_margin"
    }
    models["models/measures/financial/msr_net_new_arr.sql"] = "net_new_arr"
    models["models/marts/scorecard/measure_values.sql"] = None
    report = validate_config(
        demo.path, today=TODAY, dbt_manifest=_manifest(tmp_path / "manifest.json", models)
    )
    missing = only(report, "dbt_measure_missing")
    assert missing == error(
        "measures.yml",
        "measures[gross_margin]",
        "measure `gross_margin` has no governed dbt model: no model under models/measures/ has "
        "`meta.measure_id: gross_margin`.",
        "add its model under dbt_project/models/measures/<perspective>/ with "
        "`config: {meta: {measure_id: gross_margin}}`, or remove the measure from the config",
        "dbt_measure_missing",
        demo.line_of("measures.yml", "- id: gross_margin"),
    )
    extra = only(report, "dbt_model_without_config")
    assert extra == error(
        "models/measures/financial/msr_net_new_arr.sql",
        "meta.measure_id: net_new_arr",
        "dbt measure model models/measures/financial/msr_net_new_arr.sql computes `net_new_arr`, which "
        "is not in "
        "measures.yml.",
        "add the measure (owner, definition, targets) to scorecard_config/measures.yml, or correct the "
        "model's "
        "meta.measure_id",
        "dbt_model_without_config",
        None,
    )


def test_one_measure_computed_by_two_dbt_models(demo: ConfigDir, tmp_path: Path) -> None:
    config = load_config(demo.path)
    models: dict[str, str | None] = {f"models/measures/x/msr_{m.id}.sql": m.id for m in config.measures}
    models["models/measures/x/msr_arr_v2.sql"] = "arr"
    report = validate_config(
        demo.path, today=TODAY, dbt_manifest=_manifest(tmp_path / "manifest.json", models)
    )
    issue = only(report, "dbt_measure_duplicate")
    assert issue.message == (
        "measure `arr` is computed by 2 dbt models: models/measures/x/msr_arr.sql, "
        "models/measures/x/msr_arr_v2.sql."
    )


def test_all_problems_are_reported_at_once_and_load_config_raises_with_all(demo: ConfigDir) -> None:
    demo.replace("measures.yml", "    owner: Daniel Okafor, Chief Financial Officer\n", "")
    demo.replace("measures.yml", "objective: improve_profitability", "objective: improve_profitabilty")
    demo.replace("targets.yml", "values: {2023-01: 40}", "values: {2023-13: 40}")
    report = validate_config(demo.path, today=TODAY)
    assert [issue.code for issue in report.errors] == ["schema", "unknown_reference", "invalid_period"]
    assert report.exit_code() == 1
    with pytest.raises(ConfigError) as raised:
        load_config(demo.path)
    assert raised.value.issues == tuple(report.errors)
    assert "measures[arr].owner" in str(raised.value)


def test_a_broken_measure_does_not_cascade_into_reference_errors(demo: ConfigDir) -> None:
    """Targets of a measure that failed validation are not reported as unknown references too."""
    demo.replace("measures.yml", "    measure_type: stock\n", "    measure_type: stok\n")
    report = validate_config(demo.path, today=TODAY)
    assert [issue.entry for issue in report.errors] == ["measures[arr].measure_type"]


def test_format_report_prints_location_message_and_fix(demo: ConfigDir) -> None:
    from orchestration.config import format_report

    demo.replace("measures.yml", "    owner: Daniel Okafor, Chief Financial Officer\n", "")
    line = demo.line_of("measures.yml", "- id: arr")
    assert format_report(validate_config(demo.path, today=TODAY)).splitlines() == [
        f"ERROR   measures.yml:{line}: measures[arr].owner: `owner` is required but missing.",
        "        fix: add `owner:` naming a person and role, e.g. `owner: Maya Chen, VP Customer Success`",
        f"{demo.path}: invalid (1 error(s), 0 warning(s))",
    ]


@pytest.mark.parametrize(
    ("file", "text", "entry", "message"),
    [
        ("measures.yml", "- arr\n- gross_margin\n", "", "the file does not hold a mapping of sections."),
        (
            "measures.yml",
            "version: 1\nmeasures: {arr: 1}\n",
            "measures",
            "`measures` must be a list of entries.",
        ),
        (
            "sources.yml",
            "version: 1\nsystems: {billing: 1}\n",
            "systems",
            "sources.yml registers no tables, so no data source can be checked.",
        ),
    ],
)
def test_an_unreadable_file_gives_one_error_not_a_cascade(
    demo: ConfigDir, file: str, text: str, entry: str, message: str
) -> None:
    (demo.path / file).write_text(text, encoding="utf-8")
    report = validate_config(demo.path, today=TODAY)
    assert [(issue.file, issue.entry, issue.message) for issue in report.issues] == [(file, entry, message)]


def test_plausibility_bounds_that_leave_no_room(demo: ConfigDir) -> None:
    # gross_margin is a percent: a declared min of 2 meets the unit's max of 1.
    demo.replace(
        "measures.yml",
        "    slice_by: []\n    effective_from: 2023-01-01\n",
        "    slice_by: []\n    effective_from: 2023-01-01\n    plausibility: {min: 2}\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert (issue.file, issue.entry, issue.line) == (
        "measures.yml",
        "measures[gross_margin]",
        demo.line_of("measures.yml", "- id: gross_margin"),
    )
    assert issue.message == (
        "Plausibility bounds are empty: min 2 is not below max 1 (a bound not written comes from the "
        "unit `percent`; write both, or `null` to drop one)."
    )


def test_plausibility_with_an_unknown_action(demo: ConfigDir) -> None:
    demo.replace(
        "measures.yml",
        "    slice_by: []\n    effective_from: 2023-01-01\n",
        "    slice_by: []\n    effective_from: 2023-01-01\n    plausibility: {on_fail: warn}\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert (issue.file, issue.entry) == ("measures.yml", "measures[gross_margin].plausibility.on_fail")
    assert (issue.message, issue.hint) == (
        "`warn` is not allowed for `on_fail`.",
        "use one of: 'block' or 'untrust'",
    )


def test_plausibility_null_drops_the_units_bound() -> None:
    from orchestration.config.models import Measure

    base = {
        "id": "nrr",
        "name": "Net revenue retention",
        "definition": "Retained MRR ÷ MRR a year before.",
        "objective": "grow",
        "owner": "Ann, CFO",
        "unit": "percent",
        "direction": "higher_is_better",
        "indicator_type": "lagging",
        "frequency": "monthly",
        "measure_type": "ratio",
        "data_sources": ["billing.events"],
        "effective_from": "2024-01-01",
    }
    assert Measure.model_validate(base).plausible_bounds == (0.0, 1.0)
    assert Measure.model_validate({**base, "plausibility": {"max": None}}).plausible_bounds == (0.0, None)
    assert Measure.model_validate({**base, "plausibility": {"max": 5}}).plausible_bounds == (0.0, 5.0)
    assert Measure.model_validate({**base, "unit": "usd"}).plausible_bounds == (None, None)
    gate = Measure.model_validate({**base, "plausibility": {"max_jump": None, "on_fail": "untrust"}})
    assert (gate.plausibility_gate.max_jump, gate.plausibility_gate.on_fail.value) == (None, "untrust")


def test_an_initiative_serving_an_unknown_objective(demo: ConfigDir) -> None:
    demo.replace("initiatives.yml", "objectives: [engage_our_people]", "objectives: [engage_our_peple]")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_reference")
    assert issue == error(
        "initiatives.yml",
        "initiatives[engagement_listening].objectives[0]",
        "objective `engage_our_peple` is not defined in strategy.yml objectives.",
        "use one of the objective ids in strategy.yml objectives (did you mean `engage_our_people`?), "
        "or add `engage_our_peple` there",
        "unknown_reference",
        demo.line_of("initiatives.yml", "engage_our_peple"),
    )


def test_a_milestone_due_after_its_initiative_ends(demo: ConfigDir) -> None:
    demo.replace("initiatives.yml", "due_date: 2026-12-15", "due_date: 2027-02-15")
    issue = only(validate_config(demo.path, today=TODAY), "milestone_outside_initiative")
    assert issue == error(
        "initiatives.yml",
        "initiatives[engagement_listening].milestones[second_year_review].due_date",
        "milestone `second_year_review` is due 2027-02-15, after its end_date (2025-07-01 … 2026-12-31) "
        "of initiative `engagement_listening`.",
        "move the due_date inside the initiative's dates, or extend its `end_date` if the initiative "
        "now runs longer",
        "milestone_outside_initiative",
        demo.line_of("initiatives.yml", "due_date: 2027-02-15"),
    )


def test_a_milestone_id_used_twice_in_one_initiative(demo: ConfigDir) -> None:
    demo.replace("initiatives.yml", "- id: second_year_review", "- id: first_round_held")
    issue = only(validate_config(demo.path, today=TODAY), "duplicate_id")
    assert issue.entry == "initiatives[engagement_listening].milestones[first_round_held]"
    assert issue.message.startswith("duplicate milestone `first_round_held`: it is already defined at line ")
    assert issue.line == demo.line_of("initiatives.yml", "- id: first_round_held", occurrence=2)


def test_a_milestone_status_outside_the_actions_vocabulary(demo: ConfigDir) -> None:
    demo.replace(
        "initiatives.yml",
        "status: in_progress\n      - id: second_year_review",
        "status: late\n      - id: second_year_review",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue.entry == "initiatives[engagement_listening].milestones[themes_action_plan].status"
    assert issue.message == "`late` is not allowed for `status`."
    assert issue.hint == "use one of: 'open', 'in_progress', 'done' or 'cancelled'"


@pytest.mark.parametrize(
    ("old", "new", "entry", "hint"),
    [
        (
            "budget: 40000",
            "budget: -40000",
            "initiatives[engagement_listening].budget",
            "give the budget as a non-negative amount in the reporting currency, e.g. `budget: 120000`",
        ),
        (
            "actual_cost: 26500",
            "actual_cost: -1",
            "initiatives[engagement_listening].actual_cost",
            "give the amount spent so far as a non-negative number, e.g. `actual_cost: 45000`",
        ),
    ],
)
def test_a_negative_budget_or_cost(demo: ConfigDir, old: str, new: str, entry: str, hint: str) -> None:
    demo.replace("initiatives.yml", old, new)
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    field = entry.rsplit(".", 1)[1]
    value = new.split(": ")[1]
    assert issue == error(
        "initiatives.yml",
        entry,
        f"`{field}` = {value}: input should be greater than or equal to 0.",
        hint,
        "schema",
        demo.line_of("initiatives.yml", new),
    )


@pytest.mark.parametrize("weight", ["0", "-1"])
def test_an_objective_weight_must_be_positive(demo: ConfigDir, weight: str) -> None:
    demo.replace(
        "strategy.yml",
        "    perspective: learning_growth\n",
        f"    perspective: learning_growth\n    weight: {weight}\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue.file == "strategy.yml"
    assert issue.entry.startswith("objectives[") and issue.entry.endswith("].weight")
    assert issue.message == f"`weight` = {weight}: input should be greater than 0."
    assert issue.hint.startswith("give a positive number: weights are relative")
    assert issue.line == demo.line_of("strategy.yml", f"weight: {weight}")


def test_a_perspective_weight_must_be_a_positive_number(demo: ConfigDir) -> None:
    demo.replace("strategy.yml", "  - id: financial\n", "  - id: financial\n    weight: heavy\n")
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert (issue.entry, issue.message) == ("perspectives[financial].weight", "`heavy` is not a number.")


def test_an_okr_quarter_must_be_a_fiscal_quarter(demo: ConfigDir) -> None:
    demo.replace("okrs.yml", "quarter: FY2027-Q4", "quarter: 2026-11")
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert (issue.file, issue.entry) == ("okrs.yml", "okrs[listening_follow_up].quarter")
    assert issue.message == "`2026-11` is a month, not a fiscal quarter."
    assert issue.hint == "write the fiscal quarter the OKR runs in, e.g. `quarter: FY2027-Q3`"
    assert issue.line == demo.line_of("okrs.yml", "quarter: 2026-11")


def test_a_key_result_due_outside_its_quarter(demo: ConfigDir) -> None:
    demo.replace("okrs.yml", "due_date: 2026-10-15", "due_date: 2026-11-15")
    issue = only(validate_config(demo.path, today=TODAY), "invalid_period")
    assert issue == error(
        "okrs.yml",
        "okrs[certify_support_leads].key_results[leads_certified].due_date",
        "key result `leads_certified` is due 2026-11-15, outside its OKR's quarter FY2027-Q3 "
        "(2026-08-01 … 2026-10-31).",
        "give it a due date inside the quarter, or move the OKR to the quarter it is due in",
        "invalid_period",
        demo.line_of("okrs.yml", "due_date: 2026-11-15"),
    )


def test_an_okr_serving_an_unknown_objective(demo: ConfigDir) -> None:
    demo.replace("okrs.yml", "objective: build_cs_capability", "objective: build_capability")
    issue = only(validate_config(demo.path, today=TODAY), "unknown_reference")
    assert issue.entry == "okrs[certify_support_leads].objective"
    assert issue.message == "objective `build_capability` is not defined in strategy.yml objectives."


def test_a_key_result_that_does_not_move_and_too_many_key_results(demo: ConfigDir) -> None:
    demo.replace("okrs.yml", "        start: 4\n", "        start: 12\n")
    report = validate_config(demo.path, today=TODAY)
    issue = only(report, "schema")
    assert issue.entry == "okrs[certify_support_leads].key_results[leads_certified]"
    assert issue.message == "Target 12 equals start: a key result must move from its start."
    kr = "      - {id: kr_N, name: More, start: 0, target: 1, due_date: 2026-10-01}\n"
    demo.replace("okrs.yml", "        start: 12\n", "        start: 4\n")
    demo.replace(
        "okrs.yml",
        "    key_results:\n      - id: leads_certified",
        "    key_results:\n"
        + "".join(kr.replace("N", str(n)) for n in range(5))
        + "      - id: leads_certified",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue.entry == "okrs[certify_support_leads].key_results"
    assert "at most 5" in issue.message


def test_a_review_recording_actions_needs_its_date(demo: ConfigDir) -> None:
    demo.replace("reviews.yml", "    review_date: 2026-10-13\n", "    review_date:\n")
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue == error(
        "reviews.yml",
        "reviews[review_2026_09].review_date",
        "review review_2026_09 records decisions, actions but has no review_date: only a draft for a "
        "meeting not yet held may leave it empty.",
        "write the date the meeting was held, e.g. `review_date: 2026-10-13`",
        "schema",
        demo.line_of("reviews.yml", "    review_date:", after="id: review_2026_09"),
    )


def test_an_agenda_item_of_an_unknown_kind_is_an_error(demo: ConfigDir) -> None:
    demo.append(
        "reviews.yml",
        "\n  - id: review_corporate_2026_10\n    scorecard: corporate\n    period: 2026-10\n"
        "    agenda:\n      - {kind: gossip, subject: arr, owner: Dan, detail: Heard in the corridor.}\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "schema")
    assert issue.entry == "reviews[review_corporate_2026_10].agenda[0].kind"
    assert "off_track_measure" in issue.hint
