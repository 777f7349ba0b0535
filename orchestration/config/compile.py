"""Compiling a validated config into dbt seed CSVs: the only route config takes into the warehouse.

``compile_config`` writes a company's ``dbt_project/generated/`` (git-ignored, rewritten before every
parse): one ``cfg_*.csv`` seed per table with ``_config__seeds.yml`` (descriptions and explicit column
types) from the same table specs (``seeds.yml`` beside this module), so the two cannot drift, and the
measure registry the engine's dbt package reads (``render_registry``).

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

from orchestration.config.models import Measure, ScorecardConfig
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


def _load_seeds(path: Path) -> tuple[SeedSpec, ...]:
    """The seed specs of ``seeds.yml``: each seed's description and its columns, in order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        SeedSpec(
            name,
            spec["description"],
            tuple(
                Column(column, type_, description) for column, (type_, description) in spec["columns"].items()
            ),
        )
        for name, spec in data.items()
    )


# Data, not code: descriptions and types of every seed column, beside this module.
SEEDS: tuple[SeedSpec, ...] = _load_seeds(Path(__file__).with_name("seeds.yml"))
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


Rows = list[tuple[Any, ...]]


def build_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Rows of every ``cfg_*`` table, in a stable order (column order as in ``SEEDS``)."""
    company = config.company
    tables: dict[str, Rows] = {
        "cfg_settings": [
            (
                company.name,
                company.strategy_statement,
                company.fiscal_year_start_month,
                company.reporting_currency,
                config.config_version,
            )
        ],
        **_strategy_tables(config),
        **_measure_tables(config),
        **_initiative_tables(config),
        **_okr_tables(config),
        **_scorecard_tables(config),
        "cfg_review_cadence": [(config.review_cadence.frequency.value, config.review_cadence.description)],
        **_review_tables(config),
    }
    return {spec.name: tables[spec.name] for spec in SEEDS}


def _strategy_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Perspectives, objectives, strategy-map links and the declared segment values."""
    return {
        "cfg_perspectives": [
            (p.id, p.name, p.description, order, float(p.weight))
            for order, p in enumerate(config.perspectives, start=1)
        ],
        "cfg_objectives": [
            (o.id, o.name, o.perspective, o.owner, o.description, order, float(o.weight))
            for order, o in enumerate(config.objectives, start=1)
        ],
        "cfg_strategy_links": [
            (link.link_id, link.cause, link.effect, link.assumption, link.lag_months)
            for link in config.strategy_map
        ],
        "cfg_segment_values": [
            (dimension, value, order)
            for dimension, values in config.segments.items()
            for order, value in enumerate(values, start=1)
        ],
    }


def _measure_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Measures, their definition history, their targets and their status thresholds."""
    perspective_of = {objective.id: objective.perspective for objective in config.objectives}
    default = config.thresholds.default
    return {
        "cfg_measures": [
            (
                m.id,
                m.name,
                m.definition,
                m.objective,
                perspective_of[m.objective],
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
        ],
        "cfg_measure_versions": [row for m in config.measures for row in _version_rows(m)],
        "cfg_targets": _target_rows(config),
        "cfg_thresholds": [
            (
                m.id,
                float(config.thresholds.measures.get(m.id, default).at_risk_below),
                float(config.thresholds.measures.get(m.id, default).off_track_below),
                "measure" if m.id in config.thresholds.measures else "default",
            )
            for m in config.measures
        ],
    }


def _version_rows(m: Measure) -> Rows:
    """A measure's definitions, oldest first; the current one last, open-ended unless retired."""
    rows: Rows = []
    history = sorted(m.previous_versions, key=lambda version: version.effective_from)
    # A row's change_note says why its definition replaced the one before (empty for the first).
    for number, version in enumerate(history, start=1):
        note = history[number - 2].change_note if number > 1 else ""
        rows.append((m.id, number, version.effective_from, version.effective_to, version.definition, note))
    current_from = history[-1].effective_to + timedelta(days=1) if history else m.effective_from
    last_day = m.retired_on - timedelta(days=1) if m.retired_on else None
    change_note = history[-1].change_note if history else ""
    rows.append((m.id, len(history) + 1, current_from, last_day, m.definition, change_note))
    return rows


def _target_rows(config: ScorecardConfig) -> Rows:
    """Every configured target expanded to its rows (see ``expand_target``), by measure then target."""
    fy_start = config.company.fiscal_year_start_month
    targets: Rows = []
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
    return targets


def _initiative_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Initiatives, the objectives each serves and their milestones."""
    return {
        "cfg_initiatives": [
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
        ],
        "cfg_initiative_objectives": [
            (i.id, o, order) for i in config.initiatives for order, o in enumerate(i.objectives, start=1)
        ],
        "cfg_initiative_milestones": [
            (i.id, m.id, m.name, m.owner or i.owner, m.due_date, m.status.value, order)
            for i in config.initiatives
            for order, m in enumerate(i.milestones, start=1)
        ],
    }


def _okr_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """OKRs with their fiscal quarter, and their key results judged by the default thresholds."""
    fy_start = config.company.fiscal_year_start_month
    default = config.thresholds.default
    okrs: Rows = []
    key_results: Rows = []
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
    return {"cfg_okrs": okrs, "cfg_okr_key_results": key_results}


def _scorecard_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Scorecards with their segment filter, and the measures each shows."""
    perspective_of = {objective.id: objective.perspective for objective in config.objectives}
    scorecard_measures: Rows = []
    for s in config.scorecards:
        for order, measure_id in enumerate(config.scorecard_measure_ids(s), start=1):
            m = config.measure(measure_id)
            scorecard_measures.append(
                (
                    s.id,
                    m.id,
                    m.objective,
                    perspective_of[m.objective],
                    *segment_key(s.segment),
                    float(m.weight),
                    order,
                )
            )
    return {
        "cfg_scorecards": [
            (s.id, s.name, s.owner, s.level, s.description, s.parent, *segment_key(s.segment), order)
            for order, s in enumerate(config.scorecards, start=1)
        ],
        "cfg_scorecard_measures": scorecard_measures,
    }


def _review_tables(config: ScorecardConfig) -> dict[str, Rows]:
    """Review records with their agenda, decisions, actions and failed assumptions."""
    fy_start = config.company.fiscal_year_start_month
    reviews: Rows = []
    agenda: Rows = []
    decisions: Rows = []
    actions: Rows = []
    failed: Rows = []
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
    return {
        "cfg_reviews": reviews,
        "cfg_review_agenda": agenda,
        "cfg_review_decisions": decisions,
        "cfg_review_actions": actions,
        "cfg_failed_assumptions": failed,
    }


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
