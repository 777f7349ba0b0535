"""One test per design lint: a copy of the demo config bent one way, and the warning a user sees."""

from __future__ import annotations

import pytest

from orchestration.config import Issue, Severity, validate_config
from orchestration.config.lints import look_alike_reason, name_similarity, normalised_definition
from tests.config.helpers import TODAY, ConfigDir, only


def warning(file: str, entry: str, message: str, hint: str, code: str, line: int | None) -> Issue:
    return Issue(Severity.warning, file, entry, message, hint, code=code, line=line)


def _measure(measure_id: str, objective: str, name: str, definition: str, **fields: str) -> str:
    values = {
        "owner": "Test Owner, Analyst",
        "unit": "count",
        "direction": "higher_is_better",
        "indicator_type": "leading",
        "frequency": "monthly",
        "measure_type": "flow",
        "data_sources": "[support.tickets]",
        "effective_from": "2023-01-01",
        **fields,
    }
    lines = [
        f"  - id: {measure_id}",
        f"    name: {name}",
        f"    definition: {definition}",
        f"    objective: {objective}",
    ]
    lines += [f"    {key}: {value}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def test_warnings_alone_exit_zero_unless_strict(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      to: 2027-12\n      rationale: FY2027 plan",
        "      to: 2026-06\n      rationale: FY2027 plan",
    )
    report = validate_config(demo.path, today=TODAY)
    assert report.errors == [] and len(report.warnings) == 1
    assert report.exit_code() == 0
    assert report.exit_code(strict=True) == 1


def test_too_many_measures_in_a_scorecard(demo: ConfigDir) -> None:
    objectives = ["win_new_customers", "deliver_value_fast", "engage_our_people", "improve_profitability"]
    for number in range(7):
        demo.append(
            "measures.yml",
            _measure(
                f"extra_{number}", objectives[number % 4], f"Extra {number} widget", f"Extra thing {number}."
            ),
        )
    issue = only(validate_config(demo.path, today=TODAY), "lint_too_many_measures")
    assert issue == warning(
        "scorecards.yml",
        "scorecards[corporate].measures",
        "scorecard `corporate` shows 26 measures; more than 25 spreads attention too thin to steer by.",
        "keep the measures that show the strategy's progress; move diagnostics to a cascaded scorecard or a "
        "drill-down",
        "lint_too_many_measures",
        demo.line_of("scorecards.yml", "- id: corporate"),
    )


def test_more_than_three_measures_for_an_objective(demo: ConfigDir) -> None:
    demo.append(
        "measures.yml",
        _measure(
            "escalation_count",
            "resolve_issues_first_time",
            "Escalations",
            "Tickets escalated to tier 2.",
            direction="lower_is_better",
        ),
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_objective_overloaded")
    assert issue == warning(
        "measures.yml",
        "measures[objective=resolve_issues_first_time]",
        "objective `resolve_issues_first_time` has 4 measures (first_contact_resolution_rate, "
        "ticket_reopen_rate, "
        "median_first_response_hours, escalation_count); more than 3 per objective usually means some are "
        "diagnostics.",
        "keep the one to three measures that best show progress on it; retire the others with "
        "`retired_on:` or "
        "move them to a cascaded scorecard",
        "lint_objective_overloaded",
        demo.line_of("measures.yml", "measures:"),
    )


def test_perspective_without_measures(demo: ConfigDir) -> None:
    demo.replace(
        "strategy.yml",
        "# The segment values",
        "  - id: sustainability\n    name: Sustainability\n    description: Are we a good neighbour?\n\n"
        "# The segment values",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_empty_perspective")
    assert issue == warning(
        "strategy.yml",
        "perspectives[sustainability]",
        "perspective `sustainability` has no active measures, so the scorecard cannot show its balance.",
        "add at least one measure to an objective in this perspective, or drop the perspective if the "
        "strategy "
        "really does not need it",
        "lint_empty_perspective",
        demo.line_of("strategy.yml", "- id: sustainability"),
    )


def test_financially_biased_scorecard(demo: ConfigDir) -> None:
    demo.append(
        "scorecards.yml",
        "  - id: board_pack\n    name: Board pack\n    owner: Elena Novak, CEO\n    level: corporate\n"
        "    parent: corporate\n    measures: [arr, net_revenue_retention, gross_margin, new_customers]\n",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_financial_bias")
    assert issue == warning(
        "scorecards.yml",
        "scorecards[board_pack].measures",
        "3 of 4 measures (75%) on scorecard `board_pack` are financial; above 40% the scorecard only "
        "looks back "
        "at outcomes.",
        "add measures of the customer, internal-process and learning-and-growth objectives that drive the "
        "financial ones",
        "lint_financial_bias",
        demo.line_of("scorecards.yml", "- id: board_pack"),
    )


def test_objective_not_on_the_strategy_map(demo: ConfigDir) -> None:
    demo.replace(
        "strategy.yml",
        "# Cause → effect",
        "  - id: expand_internationally\n    name: Expand internationally\n    perspective: customer\n"
        "    owner: Sofia Marquez, Chief Revenue Officer\n\n# Cause → effect",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_objective_off_map")
    assert issue == warning(
        "strategy.yml",
        "objectives[expand_internationally]",
        "objective `expand_internationally` is not on the strategy map: no link leads to or from it.",
        "add the cause-and-effect link(s) that connect it under `strategy_map:`, or ask whether the strategy "
        "needs this objective",
        "lint_objective_off_map",
        demo.line_of("strategy.yml", "- id: expand_internationally"),
    )


def test_outcome_chain_without_a_leading_driver(demo: ConfigDir) -> None:
    demo.replace(
        "strategy.yml",
        "  - cause: deliver_value_fast\n    effect: win_new_customers\n    lag_months: 1\n"
        "    assumption: Trial accounts that reach value quickly convert to paying customers.\n",
        "",
    )
    (demo.path / "reviews.yml").unlink()  # a review names the removed link as a failed assumption
    issue = only(validate_config(demo.path, today=TODAY), "lint_no_leading_driver")
    assert issue == warning(
        "strategy.yml",
        "objectives[win_new_customers]",
        "objective `win_new_customers` is measured by outcomes only (new_customers) and no objective "
        "upstream of "
        "it on the strategy map has a leading measure, so nothing warns before the outcome moves.",
        "add a leading measure to it or to an objective that drives it, or link it from a driver "
        "objective in "
        "`strategy_map:`",
        "lint_no_leading_driver",
        demo.line_of("strategy.yml", "- id: win_new_customers"),
    )


def test_measure_without_a_target_for_the_current_period(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      to: 2027-12\n      rationale: FY2027 plan",
        "      to: 2026-06\n      rationale: FY2027 plan",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_missing_current_target")
    assert issue == warning(
        "targets.yml",
        "targets.support_csat",
        "measure `support_csat` has no target for the current period 2026-10 (the last closed month as of "
        "2026-11-27).",
        "add a target covering that period, e.g. extend the latest target's `to:`",
        "lint_missing_current_target",
        demo.line_of("targets.yml", "  support_csat:"),
    )


def test_the_current_period_follows_a_pinned_last_month(
    demo: ConfigDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SCORECARD_LAST_MONTH pins the run to 2026-05: the lint judges that month, not today's.
    demo.replace(
        "targets.yml",
        "      to: 2027-12\n      rationale: FY2027 plan",
        "      to: 2026-04\n      rationale: FY2027 plan",
    )
    monkeypatch.setenv("SCORECARD_LAST_MONTH", "2026-05")
    issue = only(validate_config(demo.path), "lint_missing_current_target")
    assert "has no target for the current period 2026-05 " in issue.message
    monkeypatch.setenv("SCORECARD_LAST_MONTH", "2026-04")
    codes = [found.code for found in validate_config(demo.path).issues]
    assert "lint_missing_current_target" not in codes


def test_missing_current_target_for_a_cascade_segment(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      value: 14\n      from: 2023-01\n      to: 2027-12",
        "      value: 14\n      from: 2023-01\n      to: 2025-12",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_missing_current_target")
    assert issue.message == (
        "measure `accounts_per_csm` has no target for the current period 2026-10 (the last closed month "
        "as of "
        "2026-11-27) for segment team=cs_enterprise (scorecard `cs_enterprise`)."
    )
    assert issue.hint == (
        "add a target covering that period with `segment: {team: cs_enterprise}`, e.g. extend the latest "
        "target's `to:`"
    )


def test_quarterly_measure_is_checked_against_the_last_closed_quarter(demo: ConfigDir) -> None:
    demo.replace(
        "targets.yml",
        "      value: 0.03\n      from: FY2023-Q4\n      to: FY2028-Q4",
        "      value: 0.03\n      from: FY2023-Q4\n      to: FY2027-Q2",
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_missing_current_target")
    assert issue.message == (
        "measure `voluntary_attrition_rate` has no target for the current period FY2027-Q3 (the last closed "
        "quarter as of 2026-11-27)."
    )


def test_two_measures_with_the_same_definition(demo: ConfigDir) -> None:
    demo.append(
        "measures.yml",
        _measure(
            "customer_loss_rate",
            "reduce_avoidable_churn",
            "Customer loss rate",
            # The demo's logo_churn_rate definition, with "/" for "÷": normalisation ignores punctuation.
            "Accounts active at the start of the period that cancelled their last active subscription "
            "during it / accounts active at the start of the period.",
            measure_type="ratio",
            unit="percent",
            data_sources="[billing.subscription_events]",
            direction="lower_is_better",
            indicator_type="lagging",
        ),
    )
    issue = only(validate_config(demo.path, today=TODAY), "lint_lookalike_measures")
    assert issue == warning(
        "measures.yml",
        "measures[customer_loss_rate]",
        "measures `logo_churn_rate` and `customer_loss_rate` look like the same thing under two names: their "
        "definitions are the same.",
        "keep one governed measure (retire the other), or make the definitions say how `customer_loss_rate` "
        "differs from `logo_churn_rate`",
        "lint_lookalike_measures",
        demo.line_of("measures.yml", "- id: customer_loss_rate"),
    )


def test_two_measures_with_the_same_sources_shape_and_a_similar_name() -> None:
    from orchestration.config.models import Measure

    base = {
        "objective": "reduce_avoidable_churn",
        "owner": "A, B",
        "unit": "percent",
        "direction": "lower_is_better",
        "indicator_type": "lagging",
        "frequency": "monthly",
        "measure_type": "ratio",
        "data_sources": ["crm.accounts", "billing.subscription_events"],
        "effective_from": "2023-01-01",
    }
    logo = Measure(
        id="logo_churn_rate", name="Logo churn rate", definition="Cancelled accounts ÷ accounts.", **base
    )
    monthly = Measure(
        id="monthly_logo_churn", name="Monthly logo churn", definition="Lost logos per month.", **base
    )
    gross = Measure(
        id="gross_mrr_churn_rate", name="Gross MRR churn rate", definition="MRR lost ÷ MRR.", **base
    )
    assert look_alike_reason(logo, monthly) == (
        "they read the same sources (billing.subscription_events, crm.accounts), are both ratio measures in "
        "percent, and their names are 67% alike"
    )
    assert look_alike_reason(logo, gross) is None  # {logo, churn} vs {gross, mrr, churn}: 25% alike
    assert name_similarity("Logo churn rate", "Gross MRR churn rate") == 0.25
    assert normalised_definition("The MRR, of  the period!") == "mrr period"
