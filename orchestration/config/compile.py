"""Compiling a validated config into dbt seed CSVs: the only route config takes into the warehouse.

``compile_config`` writes a company's ``dbt_project/generated/`` (git-ignored, rewritten before every
parse): one ``cfg_*.csv`` seed per table with ``_config__seeds.yml`` (descriptions and explicit column
types) from the same table specs, so the two cannot drift, and the measure registry the engine's dbt
package reads (``render_registry``).

Output is deterministic: rows in config order (or sorted where config order means nothing), numbers
in a fixed notation, no timestamps; unchanged config gives byte-identical seeds. Values are written
with the csv module as data: no config string is ever placed in SQL.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from orchestration.config.models import ScorecardConfig, SegmentDimension
from orchestration.config.periods import parse_period
from orchestration.config.targets import expand_target, segment_key

# Logical column types → the type text dbt puts in the seed's CREATE TABLE. Seed properties are
# rendered with `target` but without dbt's macros, so the few spellings that differ are chosen by
# adapter: Spark/Databricks say `string` and `double`, DuckDB/PostgreSQL/most SQL engines `varchar`
# and `double precision`; `integer` and `date` are the same everywhere.
_SPARK_LIKE = "target.type in ('spark', 'databricks')"
COLUMN_TYPES = {
    "text": "{{ 'string' if " + _SPARK_LIKE + " else 'varchar' }}",
    "integer": "integer",
    "double": "{{ 'double' if " + _SPARK_LIKE + " else 'double precision' }}",
    "date": "date",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str


@dataclass(frozen=True)
class SeedSpec:
    name: str
    description: str
    columns: tuple[Column, ...]


def _c(name: str, type_: str, description: str) -> Column:
    return Column(name, type_, description)


_SEGMENT_COLUMNS = (
    _c("segment_dimension", "text", "Segment dimension filtered on ('all' when not filtered)."),
    _c("segment_value", "text", "Value of that dimension ('all' when not filtered)."),
)

SEEDS: tuple[SeedSpec, ...] = (
    SeedSpec(
        "cfg_settings",
        "The company and its calendar: one row.",
        (
            _c("company_name", "text", "Company name."),
            _c("strategy_statement", "text", "The strategy in one plain-language statement."),
            _c("fiscal_year_start_month", "integer", "First calendar month (1-12) of the fiscal year."),
            _c("reporting_currency", "text", "ISO 4217 code of the currency amounts are reported in."),
            _c("config_version", "text", "sha256 of the validated config; changes whenever the config does."),
        ),
    ),
    SeedSpec(
        "cfg_perspectives",
        "Balanced-scorecard perspectives, in display order (1 = top of the strategy map).",
        (
            _c("perspective_id", "text", "Perspective id."),
            _c("perspective_name", "text", "Display name."),
            _c("description", "text", "The question the perspective answers."),
            _c("display_order", "integer", "1 for the top band (financial) … n for the bottom (learning)."),
            _c(
                "weight",
                "double",
                "Relative weight in the overall score (default 1): multiplies its measures' weights there.",
            ),
        ),
    ),
    SeedSpec(
        "cfg_objectives",
        "Strategic objectives, each in one perspective.",
        (
            _c("objective_id", "text", "Objective id."),
            _c("objective_name", "text", "Display name."),
            _c("perspective_id", "text", "Perspective the objective belongs to."),
            _c("owner", "text", "Accountable person and role."),
            _c("description", "text", "What must go right."),
            _c("display_order", "integer", "Order of the objective in the config."),
            _c(
                "weight",
                "double",
                "Relative weight in its perspective's and the overall score (default 1): multiplies its "
                "measures' weights there.",
            ),
        ),
    ),
    SeedSpec(
        "cfg_strategy_links",
        "Strategy-map links: each a cause-and-effect assumption between two objectives.",
        (
            _c("link_id", "text", "Link id: <cause>__to__<effect>."),
            _c("cause_objective_id", "text", "The driving objective."),
            _c("effect_objective_id", "text", "The objective it should move."),
            _c("assumption", "text", "Why the cause should move the effect, in words."),
            _c("lag_months", "integer", "Expected delay in months before the effect shows."),
        ),
    ),
    SeedSpec(
        "cfg_measures",
        "Governed measures: one row per measure; each has exactly one dbt model under models/measures/.",
        (
            _c("measure_id", "text", "Measure id; the dbt measure model's meta.measure_id."),
            _c("measure_name", "text", "Plain-language name."),
            _c("definition", "text", "Plain-language definition of the current computation."),
            _c("objective_id", "text", "Objective the measure shows progress on."),
            _c("perspective_id", "text", "Perspective of that objective."),
            _c("owner", "text", "Accountable person and role."),
            _c("unit", "text", "Unit (percent values are fractions: 0.87 = 87%)."),
            _c("direction", "text", "higher_is_better or lower_is_better."),
            _c("indicator_type", "text", "leading (a driver) or lagging (an outcome)."),
            _c("frequency", "text", "monthly or quarterly (fiscal quarters)."),
            _c("measure_type", "text", "flow, stock, ratio, distribution or derived."),
            _c("weight", "double", "Weight in objective roll-ups."),
            _c("effective_from", "date", "First day the measure applies."),
            _c("retired_on", "date", "Day the measure stopped applying (empty while in use)."),
            _c("data_sources", "text", "Comma-separated system.table names from sources.yml."),
            _c("slice_by", "text", "Comma-separated segment dimensions the measure is sliced by."),
            _c(
                "target_rollup",
                "text",
                "How a quarter or year target follows from the measure's own targets: sum, last, "
                "average or compound (1 - product of (1 - target)).",
            ),
            _c(
                "matures_after_days",
                "integer",
                "Observation window: a period's value is provisional until this many days after the "
                "period ends (empty: final when the period closes).",
            ),
            _c(
                "plausible_min", "double", "Lowest plausible value (empty: none); the unit's unless declared."
            ),
            _c(
                "plausible_max",
                "double",
                "Highest plausible value (empty: none); the unit's unless declared.",
            ),
            _c(
                "max_jump",
                "double",
                "Largest plausible change from the previous period, in robust standard deviations of "
                "the measure's earlier changes (empty: no jump test).",
            ),
            _c(
                "on_implausible",
                "text",
                "What an implausible value does: block the run, or untrust the period.",
            ),
        ),
    ),
    SeedSpec(
        "cfg_measure_versions",
        "Definition history of each measure; the row with no effective_to is the current definition.",
        (
            _c("measure_id", "text", "Measure id."),
            _c("version_number", "integer", "1 for the oldest definition, increasing."),
            _c("effective_from", "date", "First day this definition applied."),
            _c("effective_to", "date", "Last day this definition applied (empty for the current one)."),
            _c("definition", "text", "The definition in force in that range."),
            _c("change_note", "text", "Why this definition replaced the previous one (empty for the first)."),
        ),
    ),
    SeedSpec(
        "cfg_targets",
        "Targets: one row per measure x segment x period for absolute and annual (phased) targets, and "
        "one rule row per relative target (period columns empty) that the warehouse evaluates against "
        "its baseline for every period starting between effective_from and effective_to.",
        (
            _c("target_id", "text", "Row id: <measure_id>__<target index>__<row number>."),
            _c("measure_id", "text", "Measure id."),
            *_SEGMENT_COLUMNS,
            _c("grain", "text", "month or quarter (the measure's frequency)."),
            _c("target_kind", "text", "absolute, annual or relative."),
            _c("period_start", "date", "First day of the period (empty for relative rules)."),
            _c("period_end", "date", "Last day of the period (empty for relative rules)."),
            _c("target_value", "double", "Target for the period (empty for relative rules)."),
            _c("baseline", "text", "Relative rules: same_period_last_year or previous_period."),
            _c("change_type", "text", "Relative rules: relative (x (1 + change)) or absolute (+ change)."),
            _c("change_value", "double", "Relative rules: the change applied to the baseline's actual."),
            _c("effective_from", "date", "First day of the first period the configured target covers."),
            _c("effective_to", "date", "Last day of the last period it covers (empty: open-ended)."),
            _c("rationale", "text", "Why the target is what it is."),
            _c("config_entry", "text", "Where the target is configured, e.g. targets.revenue[1]."),
        ),
    ),
    SeedSpec(
        "cfg_thresholds",
        "Status thresholds per measure (defaults resolved). Attainment is actual/target when higher is "
        "better and target/actual when lower is better.",
        (
            _c("measure_id", "text", "Measure id."),
            _c("at_risk_below", "double", "Attainment below this is at_risk."),
            _c("off_track_below", "double", "Attainment below this is off_track."),
            _c("threshold_source", "text", "default or measure (a per-measure override)."),
        ),
    ),
    SeedSpec(
        "cfg_initiatives",
        "Initiatives: funded projects meant to move objectives.",
        (
            _c("initiative_id", "text", "Initiative id."),
            _c("initiative_name", "text", "Display name."),
            _c("owner", "text", "Accountable person and role."),
            _c("start_date", "date", "Start date."),
            _c("end_date", "date", "Planned or actual end date."),
            _c("status", "text", "planned, in_progress, on_hold, completed or cancelled."),
            _c("budget", "double", "Budget in the reporting currency (empty if not given)."),
            _c("description", "text", "What the initiative does."),
            _c("actual_cost", "double", "Spent so far, in the reporting currency (empty if not given)."),
            _c("display_order", "integer", "Order of the initiative in the config."),
        ),
    ),
    SeedSpec(
        "cfg_initiative_objectives",
        "Which objectives each initiative serves (one row per pair).",
        (
            _c("initiative_id", "text", "Initiative id."),
            _c("objective_id", "text", "Objective the initiative serves."),
            _c("display_order", "integer", "Position of the objective in the initiative's list (1 = first)."),
        ),
    ),
    SeedSpec(
        "cfg_initiative_milestones",
        "Milestones of initiatives: dated steps with a status (open, in_progress, done, cancelled).",
        (
            _c("initiative_id", "text", "Initiative id."),
            _c("milestone_id", "text", "Milestone id, unique within its initiative."),
            _c("milestone_name", "text", "What the milestone delivers."),
            _c("owner", "text", "Accountable person (the initiative's owner unless named)."),
            _c("due_date", "date", "When it is due."),
            _c("status", "text", "open, in_progress, done or cancelled."),
            _c("display_order", "integer", "Order of the milestone in its initiative."),
        ),
    ),
    SeedSpec(
        "cfg_okrs",
        "OKRs: short-cycle objectives, each for one fiscal quarter and linked to a strategic objective.",
        (
            _c("okr_id", "text", "OKR id."),
            _c("okr_name", "text", "What the quarter should achieve."),
            _c("objective_id", "text", "Strategic objective the OKR serves."),
            _c("owner", "text", "Accountable person and role."),
            _c("period_label", "text", "The fiscal quarter, e.g. FY2027-Q3."),
            _c("period_start", "date", "First day of the quarter."),
            _c("period_end", "date", "Last day of the quarter."),
            _c("display_order", "integer", "Order of the OKR in okrs.yml."),
        ),
    ),
    SeedSpec(
        "cfg_okr_key_results",
        "Key results of OKRs (1-5 each): start, target and current value, due date, and the default "
        "status thresholds (targets.yml thresholds.default) they are judged by.",
        (
            _c("okr_id", "text", "OKR id."),
            _c("key_result_id", "text", "Key result id, unique within its OKR."),
            _c("key_result_name", "text", "What is measured."),
            _c("start_value", "double", "Value at the start of the quarter."),
            _c("target_value", "double", "Value to reach by the due date."),
            _c("current_value", "double", "Latest checked-in value (empty: not checked in yet)."),
            _c("due_date", "date", "When the target should be reached."),
            _c("at_risk_below", "double", "Attainment below this is at_risk (the default threshold)."),
            _c("off_track_below", "double", "Attainment below this is off_track (the default threshold)."),
            _c("display_order", "integer", "Order of the key result in its OKR."),
        ),
    ),
    SeedSpec(
        "cfg_scorecards",
        "Scorecards: the corporate one (no parent) and its cascades with their segment filters.",
        (
            _c("scorecard_id", "text", "Scorecard id."),
            _c("scorecard_name", "text", "Display name."),
            _c("owner", "text", "Accountable person and role."),
            _c("scorecard_level", "text", "Level in the organisation (corporate, business unit, branch …)."),
            _c("description", "text", "What the scorecard is for."),
            _c(
                "parent_scorecard_id", "text", "Scorecard this one rolls up to (empty for the corporate one)."
            ),
            *_SEGMENT_COLUMNS,
            _c("display_order", "integer", "Order in the config."),
        ),
    ),
    SeedSpec(
        "cfg_scorecard_measures",
        "Scorecard x measure, with the scorecard's segment filter: which slice of measure_values each "
        "scorecard shows.",
        (
            _c("scorecard_id", "text", "Scorecard id."),
            _c("measure_id", "text", "Measure id."),
            _c("objective_id", "text", "Objective of the measure (corporate objectives are shared)."),
            _c("perspective_id", "text", "Perspective of that objective."),
            *_SEGMENT_COLUMNS,
            _c("weight", "double", "Weight of the measure in roll-ups."),
            _c("display_order", "integer", "Order of the measure on the scorecard."),
        ),
    ),
    SeedSpec(
        "cfg_segment_values",
        "Declared segment values cascades may filter on.",
        (
            _c("segment_dimension", "text", "A segment dimension declared in strategy.yml segments."),
            _c("segment_value", "text", "A value of that dimension."),
            _c("display_order", "integer", "Order in the config."),
        ),
    ),
    SeedSpec(
        "cfg_review_cadence",
        "How often the strategy review meets: one row.",
        (
            _c("review_frequency", "text", "monthly or quarterly."),
            _c("description", "text", "Who reviews what, when."),
        ),
    ),
    SeedSpec(
        "cfg_reviews",
        "Strategy review records: one row per meeting.",
        (
            _c("review_id", "text", "Review id."),
            _c("scorecard_id", "text", "Scorecard reviewed."),
            _c("period_label", "text", "Period reviewed as configured (2026-09, FY2027-Q2)."),
            _c("period_grain", "text", "month or quarter."),
            _c("period_start", "date", "First day of the period reviewed."),
            _c("period_end", "date", "Last day of the period reviewed."),
            _c("review_date", "date", "Date of the meeting (empty: a draft, not held yet)."),
            _c("chair", "text", "Who chaired it."),
            _c("summary", "text", "What the review concluded."),
        ),
    ),
    SeedSpec(
        "cfg_review_agenda",
        "The agenda of each review, as drafted by `scorecard review prepare` from the published scorecard.",
        (
            _c("review_id", "text", "Review id."),
            _c("item_number", "integer", "1, 2, … within the review, in agenda order."),
            _c("kind", "text", "What put it on the agenda (off_track_measure, overdue_action, …)."),
            _c("subject", "text", "What it is about: a measure, link, action or milestone id."),
            _c("owner", "text", "Who answers for it."),
            _c("detail", "text", "The published finding or value, in words."),
        ),
    ),
    SeedSpec(
        "cfg_review_decisions",
        "Decisions taken in each review.",
        (
            _c("review_id", "text", "Review id."),
            _c("decision_number", "integer", "1, 2, … within the review."),
            _c("decision", "text", "The decision."),
            _c("owner", "text", "Who owns it."),
            _c("objective_id", "text", "Objective it concerns (may be empty)."),
            _c("measure_id", "text", "Measure it concerns (may be empty)."),
        ),
    ),
    SeedSpec(
        "cfg_review_actions",
        "Actions agreed in reviews, with owner, due date and status (overdue = open past its due date).",
        (
            _c("action_id", "text", "Action id (unique across reviews)."),
            _c("review_id", "text", "Review that agreed it."),
            _c("action", "text", "What is to be done."),
            _c("owner", "text", "Who does it."),
            _c("due_date", "date", "When it is due."),
            _c("status", "text", "open, in_progress, done or cancelled."),
            _c("objective_id", "text", "Objective it concerns (may be empty)."),
            _c("measure_id", "text", "Measure it concerns (may be empty)."),
        ),
    ),
    SeedSpec(
        "cfg_failed_assumptions",
        "Strategy-map links a review judged not to hold, with the evidence in words.",
        (
            _c("review_id", "text", "Review id."),
            _c("link_id", "text", "The strategy-map link (<cause>__to__<effect>)."),
            _c("cause_objective_id", "text", "Cause objective of the link."),
            _c("effect_objective_id", "text", "Effect objective of the link."),
            _c("note", "text", "What the data showed."),
        ),
    ),
)
SEED_NAMES = tuple(spec.name for spec in SEEDS)


def _cell(value: Any) -> str:
    """One CSV cell: empty for None, ISO dates, numbers in a fixed plain notation, text as is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = f"{value:.10f}".rstrip("0").rstrip(".")
        return "0" if text in {"", "-0"} else text
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _segment(segment: dict[SegmentDimension, str]) -> tuple[str, str]:
    return segment_key(segment)


def build_tables(config: ScorecardConfig) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of every ``cfg_*`` table, in a stable order (column order as in ``SEEDS``)."""
    company = config.company
    fy_start = company.fiscal_year_start_month
    objectives = {objective.id: objective for objective in config.objectives}
    tables: dict[str, list[tuple[Any, ...]]] = {}

    tables["cfg_settings"] = [
        (
            company.name,
            company.strategy_statement,
            company.fiscal_year_start_month,
            company.reporting_currency,
            config.config_version,
        )
    ]
    tables["cfg_perspectives"] = [
        (p.id, p.name, p.description, order, float(p.weight))
        for order, p in enumerate(config.perspectives, start=1)
    ]
    tables["cfg_objectives"] = [
        (o.id, o.name, o.perspective, o.owner, o.description, order, float(o.weight))
        for order, o in enumerate(config.objectives, start=1)
    ]
    tables["cfg_strategy_links"] = [
        (link.link_id, link.cause, link.effect, link.assumption, link.lag_months)
        for link in config.strategy_map
    ]
    tables["cfg_measures"] = [
        (
            m.id,
            m.name,
            m.definition,
            m.objective,
            objectives[m.objective].perspective,
            m.owner,
            m.unit,
            m.direction.value,
            m.indicator_type.value,
            m.frequency.value,
            m.measure_type.value,
            float(m.weight),
            m.effective_from,
            m.retired_on,
            ",".join(m.data_sources),
            ",".join(m.slice_by or []),
            m.resolved_target_rollup.value,
            m.matures_after_days,
            *m.plausible_bounds,
            m.plausibility_gate.max_jump,
            m.plausibility_gate.on_fail.value,
        )
        for m in config.measures
    ]

    versions: list[tuple[Any, ...]] = []
    for m in config.measures:
        history = sorted(m.previous_versions, key=lambda version: version.effective_from)
        # A row's change_note says why its definition replaced the one before (empty for the first).
        for number, version in enumerate(history, start=1):
            note = history[number - 2].change_note if number > 1 else ""
            versions.append(
                (m.id, number, version.effective_from, version.effective_to, version.definition, note)
            )
        current_from = history[-1].effective_to + timedelta(days=1) if history else m.effective_from
        last_day = m.retired_on - timedelta(days=1) if m.retired_on else None
        change_note = history[-1].change_note if history else ""
        versions.append((m.id, len(history) + 1, current_from, last_day, m.definition, change_note))
    tables["cfg_measure_versions"] = versions

    targets: list[tuple[Any, ...]] = []
    for m in config.measures:
        for index, target in enumerate(config.targets.get(m.id, [])):
            rows = expand_target(m, target, index, fy_start)
            for number, row in enumerate(rows, start=1):
                targets.append(
                    (
                        f"{m.id}__{index}__{number}",
                        m.id,
                        *row.segment,
                        row.grain.value,
                        row.kind,
                        row.period.start if row.period else None,
                        row.period.end if row.period else None,
                        float(row.value) if row.value is not None else None,
                        row.baseline,
                        row.change_type,
                        float(row.change) if row.change is not None else None,
                        row.effective_from,
                        row.effective_to,
                        row.rationale,
                        f"targets.{m.id}[{index}]",
                    )
                )
    tables["cfg_targets"] = targets

    default = config.thresholds.default
    tables["cfg_thresholds"] = [
        (
            m.id,
            float(config.thresholds.measures.get(m.id, default).at_risk_below),
            float(config.thresholds.measures.get(m.id, default).off_track_below),
            "measure" if m.id in config.thresholds.measures else "default",
        )
        for m in config.measures
    ]

    tables["cfg_initiatives"] = [
        (
            i.id,
            i.name,
            i.owner,
            i.start_date,
            i.end_date,
            i.status.value,
            i.budget,
            i.description,
            i.actual_cost,
            order,
        )
        for order, i in enumerate(config.initiatives, start=1)
    ]
    tables["cfg_initiative_objectives"] = [
        (i.id, o, order) for i in config.initiatives for order, o in enumerate(i.objectives, start=1)
    ]
    tables["cfg_initiative_milestones"] = [
        (i.id, m.id, m.name, m.owner or i.owner, m.due_date, m.status.value, order)
        for i in config.initiatives
        for order, m in enumerate(i.milestones, start=1)
    ]

    okrs: list[tuple[Any, ...]] = []
    key_results: list[tuple[Any, ...]] = []
    for order, o in enumerate(config.okrs, start=1):
        quarter = parse_period(o.quarter, fy_start)
        okrs.append((o.id, o.name, o.objective, o.owner, quarter.label, quarter.start, quarter.end, order))
        for number, kr in enumerate(o.key_results, start=1):
            key_results.append(
                (
                    o.id,
                    kr.id,
                    kr.name,
                    float(kr.start),
                    float(kr.target),
                    float(kr.current) if kr.current is not None else None,
                    kr.due_date,
                    float(default.at_risk_below),
                    float(default.off_track_below),
                    number,
                )
            )
    tables["cfg_okrs"] = okrs
    tables["cfg_okr_key_results"] = key_results

    tables["cfg_scorecards"] = [
        (s.id, s.name, s.owner, s.level, s.description, s.parent, *_segment(s.segment), order)
        for order, s in enumerate(config.scorecards, start=1)
    ]
    scorecard_measures: list[tuple[Any, ...]] = []
    for s in config.scorecards:
        for order, measure_id in enumerate(config.scorecard_measure_ids(s), start=1):
            m = config.measure(measure_id)
            scorecard_measures.append(
                (
                    s.id,
                    m.id,
                    m.objective,
                    objectives[m.objective].perspective,
                    *_segment(s.segment),
                    float(m.weight),
                    order,
                )
            )
    tables["cfg_scorecard_measures"] = scorecard_measures

    tables["cfg_segment_values"] = [
        (dimension, value, order)
        for dimension, values in config.segments.items()
        for order, value in enumerate(values, start=1)
    ]
    tables["cfg_review_cadence"] = [
        (config.review_cadence.frequency.value, config.review_cadence.description)
    ]

    reviews: list[tuple[Any, ...]] = []
    agenda: list[tuple[Any, ...]] = []
    decisions: list[tuple[Any, ...]] = []
    actions: list[tuple[Any, ...]] = []
    failed: list[tuple[Any, ...]] = []
    for r in config.reviews:
        period = parse_period(r.period, fy_start)
        reviews.append(
            (
                r.id,
                r.scorecard,
                period.label,
                period.grain.value,
                period.start,
                period.end,
                r.review_date,
                r.chair,
                r.summary,
            )
        )
        for number, item in enumerate(r.agenda, start=1):
            agenda.append((r.id, number, item.kind.value, item.subject, item.owner, item.detail))
        for number, d in enumerate(r.decisions, start=1):
            decisions.append((r.id, number, d.decision, d.owner, d.objective, d.measure))
        for a in r.actions:
            actions.append(
                (a.id, r.id, a.action, a.owner, a.due_date, a.status.value, a.objective, a.measure)
            )
        for f in r.failed_assumptions:
            failed.append((r.id, f.link_id, f.cause, f.effect, f.note))
    tables["cfg_reviews"] = reviews
    tables["cfg_review_agenda"] = agenda
    tables["cfg_review_decisions"] = decisions
    tables["cfg_review_actions"] = actions
    tables["cfg_failed_assumptions"] = failed
    return tables


def render_csv(spec: SeedSpec, rows: Iterable[Sequence[Any]]) -> str:
    """CSV text of one table: header then rows, ``\\n`` line ends, quoting by the csv module."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([column.name for column in spec.columns])
    for row in rows:
        if len(row) != len(spec.columns):
            raise ValueError(f"{spec.name}: a row has {len(row)} values for {len(spec.columns)} columns")
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def _write_if_changed(path: Path, text: str) -> Path:
    """Write ``text`` only when it differs, so dbt's partial parsing and file watchers see no churn."""
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    return path


def registry_data(config: ScorecardConfig) -> dict[str, Any]:
    """The company's measures (id, model, segment dimensions) and its declared dimensions."""
    return {
        "measures": [
            {"measure_id": m.id, "model": f"msr_{m.id}", "slice_by": list(m.slice_by or [])}
            for m in config.measures
        ],
        "segment_dimensions": list(config.segments),
    }


def render_registry(config: ScorecardConfig) -> str:
    """Text of ``generated/macros/scorecard_registry.sql``: the company's measures for the engine.

    dbt resolves refs at parse time, so the engine cannot find a company's measure models in the graph
    or a seed: ``measure_values`` unions the models this macro lists, and the segment macros read each
    measure's dimensions from it. Only validated ids reach it (ids are ``[a-z][a-z0-9_]*``), as JSON,
    which Jinja reads as a literal. The file also routes the company's schema names through the
    engine's ``generate_schema_name`` (dbt uses a root project's macro for the root's own nodes only).
    """
    body = json.dumps(registry_data(config), indent=2)
    return (
        "{# Generated by the scorecard engine (orchestration/config/compile.py) from scorecard_config/;\n"
        "   rewritten before every dbt parse, do not edit. #}\n\n"
        "{% macro scorecard_registry() -%}\n"
        "{{ return(" + body + ") }}\n"
        "{%- endmacro %}\n\n"
        "{% macro generate_schema_name(custom_schema_name, node) -%}\n"
        "    {{ return(scorecard_engine.generate_schema_name(custom_schema_name, node)) }}\n"
        "{%- endmacro %}\n"
    )


def compile_config(config: ScorecardConfig, generated_dir: Path) -> list[Path]:
    """Write the company's compiled config into its dbt project's ``generated/`` folder.

    ``generated/seeds/``: one ``cfg_*.csv`` per table (in ``SEEDS`` order) and ``_config__seeds.yml``
    (descriptions, schema and explicit column types); ``generated/macros/scorecard_registry.sql``.
    Files are only rewritten when their content changes, and ``cfg_*.csv`` files no longer produced
    are removed. Returns the paths written.
    """
    generated_dir = Path(generated_dir)
    seeds_dir = generated_dir / "seeds"
    tables = build_tables(config)
    written: list[Path] = []
    for spec in SEEDS:
        written.append(_write_if_changed(seeds_dir / f"{spec.name}.csv", render_csv(spec, tables[spec.name])))
    for stale in sorted(seeds_dir.glob("cfg_*.csv")):
        if stale not in written:
            stale.unlink()
    written.append(_write_if_changed(seeds_dir / "_config__seeds.yml", render_seed_properties()))
    registry_path = generated_dir / "macros" / "scorecard_registry.sql"
    written.append(_write_if_changed(registry_path, render_registry(config)))
    return written


def render_seed_properties() -> str:
    """Text of ``generated/seeds/_config__seeds.yml``: every seed and column described and typed."""
    seeds = [
        {
            "name": spec.name,
            "description": spec.description,
            "config": {
                "schema": "config",
                # Always recreated: a seed is a few hundred rows, and an engine release that adds a
                # column would otherwise fail to load into the table the previous release created.
                "full_refresh": True,
                "column_types": {column.name: COLUMN_TYPES[column.type] for column in spec.columns},
            },
            "columns": [{"name": column.name, "description": column.description} for column in spec.columns],
        }
        for spec in SEEDS
    ]
    header = (
        "# Generated by the scorecard engine (orchestration/config/compile.py); do not edit by hand.\n"
        "# The cfg_*.csv seeds beside this file are compiled from scorecard_config/*.yml after\n"
        "# validation; this file gives every seed and column a description and an explicit,\n"
        "# adapter-portable type, and is recreated on every build (full_refresh), so a column an\n"
        "# engine release adds never meets a table of the release before.\n"
    )
    body = yaml.safe_dump({"version": 2, "seeds": seeds}, sort_keys=False, allow_unicode=True, width=100)
    return header + body


__all__ = [
    "SEEDS",
    "SEED_NAMES",
    "build_tables",
    "compile_config",
    "registry_data",
    "render_csv",
    "render_registry",
    "render_seed_properties",
]
