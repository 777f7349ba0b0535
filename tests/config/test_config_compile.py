"""The compiler: hand-checked rows for a small config, determinism, and config strings only as data."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.config import ConfigError, compile_config, load_config
from orchestration.config.compile import (
    SEED_NAMES,
    SEEDS,
    build_tables,
    render_registry,
    render_seed_properties,
)
from orchestration.settings import REPO_ROOT, Settings
from orchestration.transform.project import compile_config_seeds
from tests.config.helpers import SMALL_CONFIG, ConfigDir


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _registry(text: str) -> dict:
    """The JSON literal the generated ``scorecard_registry()`` macro returns."""
    match = re.search(r"\{\{ return\((.*?)\) \}\}", text, re.DOTALL)
    assert match, text
    return json.loads(match.group(1))


def test_small_config_compiles_to_the_hand_checked_rows(tmp_path: Path) -> None:
    config = load_config(SMALL_CONFIG)
    generated = tmp_path / "generated"
    paths = compile_config(config, generated)
    assert paths == [
        *(generated / "seeds" / f"{name}.csv" for name in SEED_NAMES),
        generated / "seeds" / "_config__seeds.yml",
        generated / "macros" / "scorecard_registry.sql",
    ]
    seeds = {path.stem: _rows(path) for path in paths if path.suffix == ".csv"}
    assert paths[-2].read_text(encoding="utf-8") == render_seed_properties()
    assert paths[-1].read_text(encoding="utf-8") == render_registry(config)
    # slice_by unset = every declared dimension, resolved before compiling.
    assert _registry(paths[-1].read_text(encoding="utf-8")) == {
        "measures": [
            {"measure_id": "sales", "model": "msr_sales", "slice_by": ["team"]},
            {"measure_id": "satisfaction", "model": "msr_satisfaction", "slice_by": ["team"]},
            {"measure_id": "delivery_days", "model": "msr_delivery_days", "slice_by": ["team"]},
            {"measure_id": "training_hours", "model": "msr_training_hours", "slice_by": ["team"]},
        ],
        "segment_dimensions": ["team"],
    }

    assert seeds["cfg_settings"] == [
        {
            "company_name": "Tiny Co",
            "strategy_statement": "Sell more by delivering fast.",
            "fiscal_year_start_month": "4",
            "reporting_currency": "EUR",
            "config_version": config.config_version,
        }
    ]
    # Perspectives not declared: the default four, each weighted 1.
    assert [
        (row["perspective_id"], row["display_order"], row["weight"]) for row in seeds["cfg_perspectives"]
    ] == [
        ("financial", "1", "1"),
        ("customer", "2", "1"),
        ("internal_process", "3", "1"),
        ("learning_growth", "4", "1"),
    ]
    # An objective's weight defaults to 1.
    assert [(row["objective_id"], row["weight"]) for row in seeds["cfg_objectives"]] == [
        ("grow_sales", "1"),
        ("happy_customers", "1"),
        ("fast_delivery", "1"),
        ("skilled_staff", "2"),
    ]
    assert seeds["cfg_measures"][1] == {
        "measure_id": "satisfaction",
        "measure_name": "Satisfaction",
        "definition": "Satisfied survey answers ÷ answers in the period.",
        "objective_id": "happy_customers",
        "perspective_id": "customer",
        "owner": "Bo Service",
        "unit": "percent",
        "direction": "higher_is_better",
        "indicator_type": "lagging",
        "frequency": "monthly",
        "measure_type": "ratio",
        "weight": "2",
        "effective_from": "2024-04-01",
        "retired_on": "",
        "data_sources": "shop.surveys",
        "slice_by": "team",
        "target_rollup": "average",
        "matures_after_days": "",
        # A percent's bounds, the default jump test, blocking.
        "plausible_min": "0",
        "plausible_max": "1",
        "max_jump": "10",
        "on_implausible": "block",
    }

    targets = seeds["cfg_targets"]
    # FY2025 with an April start runs 2024-04 … 2025-03; 1300 split 2:1:…:1 over 12 months.
    sales = [row for row in targets if row["measure_id"] == "sales"]
    assert [(row["period_start"], row["target_value"]) for row in sales] == [("2024-04-01", "200")] + [
        (f"{year}-{month:02d}-01", "100")
        for year, month in [(2024, m) for m in range(5, 13)] + [(2025, 1), (2025, 2), (2025, 3)]
    ]
    assert sales[0] == {
        "target_id": "sales__0__1",
        "measure_id": "sales",
        "segment_dimension": "all",
        "segment_value": "all",
        "grain": "month",
        "target_kind": "annual",
        "period_start": "2024-04-01",
        "period_end": "2024-04-30",
        "target_value": "200",
        "baseline": "",
        "change_type": "",
        "change_value": "",
        "effective_from": "2024-04-01",
        "effective_to": "2025-03-31",
        "rationale": "",
        "config_entry": "targets.sales[0]",
    }
    satisfaction = [
        (r["period_start"], r["target_value"]) for r in targets if r["measure_id"] == "satisfaction"
    ]
    assert satisfaction == [
        ("2024-04-01", "0.8"),
        ("2024-05-01", "0.82"),
    ]  # sorted by period, not by YAML order
    delivery = [row for row in targets if row["measure_id"] == "delivery_days"]
    assert len(delivery) == 1
    assert {
        key: delivery[0][key] for key in ("target_kind", "period_start", "period_end", "target_value")
    } == {
        "target_kind": "relative",
        "period_start": "",
        "period_end": "",
        "target_value": "",
    }
    assert (delivery[0]["baseline"], delivery[0]["change_type"], delivery[0]["change_value"]) == (
        "previous_period",
        "relative",
        "-0.1",
    )
    assert (delivery[0]["effective_from"], delivery[0]["effective_to"]) == ("2024-04-01", "2025-03-31")
    training = [
        (
            r["segment_dimension"],
            r["segment_value"],
            r["grain"],
            r["period_start"],
            r["period_end"],
            r["target_value"],
        )
        for r in targets
        if r["measure_id"] == "training_hours"
    ]
    assert training == [
        # linear from 2 to 5 over four fiscal quarters
        ("all", "all", "quarter", "2024-04-01", "2024-06-30", "2"),
        ("all", "all", "quarter", "2024-07-01", "2024-09-30", "3"),
        ("all", "all", "quarter", "2024-10-01", "2024-12-31", "4"),
        ("all", "all", "quarter", "2025-01-01", "2025-03-31", "5"),
        ("team", "team_a", "quarter", "2024-04-01", "2024-06-30", "4"),
        ("team", "team_a", "quarter", "2024-07-01", "2024-09-30", "4"),
    ]

    assert [
        (r["measure_id"], r["at_risk_below"], r["off_track_below"], r["threshold_source"])
        for r in seeds["cfg_thresholds"]
    ] == [
        ("sales", "0.95", "0.85", "default"),
        ("satisfaction", "0.9", "0.8", "measure"),
        ("delivery_days", "0.95", "0.85", "default"),
        ("training_hours", "0.95", "0.85", "default"),
    ]
    assert [
        (r["measure_id"], r["version_number"], r["effective_from"], r["effective_to"], r["change_note"])
        for r in seeds["cfg_measure_versions"]
        if r["measure_id"] == "delivery_days"
    ] == [
        ("delivery_days", "1", "2024-04-01", "2024-06-30", ""),
        (
            "delivery_days",
            "2",
            "2024-07-01",
            "",
            "Median instead of mean, so a few stuck orders do not dominate.",
        ),
    ]
    assert seeds["cfg_strategy_links"][1] == {
        "link_id": "fast_delivery__to__happy_customers",
        "cause_objective_id": "fast_delivery",
        "effect_objective_id": "happy_customers",
        "assumption": "Fast delivery pleases.",
        "lag_months": "2",
    }
    assert [
        (r["scorecard_id"], r["parent_scorecard_id"], r["segment_dimension"], r["segment_value"])
        for r in seeds["cfg_scorecards"]
    ] == [
        ("corporate", "", "all", "all"),
        ("team_a", "corporate", "team", "team_a"),
    ]
    assert [
        (r["scorecard_id"], r["measure_id"], r["segment_dimension"], r["segment_value"], r["weight"])
        for r in seeds["cfg_scorecard_measures"]
    ] == [
        ("corporate", "sales", "all", "all", "1"),
        ("corporate", "satisfaction", "all", "all", "2"),
        ("corporate", "delivery_days", "all", "all", "1"),
        ("corporate", "training_hours", "all", "all", "1"),
        ("team_a", "training_hours", "team", "team_a", "1"),
    ]
    assert seeds["cfg_reviews"] == [
        {
            "review_id": "q1_review",
            "scorecard_id": "corporate",
            "period_label": "FY2025-Q1",
            "period_grain": "quarter",
            "period_start": "2024-04-01",
            "period_end": "2024-06-30",
            "review_date": "2024-07-10",
            "chair": "",
            "summary": "",
        },
        # A draft not yet held: no date, only its agenda.
        {
            "review_id": "review_corporate_fy2025_q2",
            "scorecard_id": "corporate",
            "period_label": "FY2025-Q2",
            "period_grain": "quarter",
            "period_start": "2024-07-01",
            "period_end": "2024-09-30",
            "review_date": "",
            "chair": "",
            "summary": "",
        },
    ]
    assert seeds["cfg_review_agenda"] == [
        {
            "review_id": "review_corporate_fy2025_q2",
            "item_number": "1",
            "kind": "off_track_measure",
            "subject": "sales",
            "owner": "Ann Sales",
            "detail": "Sales is off track.",
        },
        {
            "review_id": "review_corporate_fy2025_q2",
            "item_number": "2",
            "kind": "overdue_action",
            "subject": "hire_trainer",
            "owner": "Di People",
            "detail": "Hire a trainer is overdue.",
        },
    ]
    assert seeds["cfg_failed_assumptions"][0]["link_id"] == "fast_delivery__to__happy_customers"
    assert seeds["cfg_review_actions"][0]["due_date"] == "2024-08-31"
    assert seeds["cfg_initiatives"][0]["budget"] == "1000.5"
    assert seeds["cfg_initiatives"][0]["actual_cost"] == "400"
    assert seeds["cfg_initiative_objectives"] == [
        {"initiative_id": "academy", "objective_id": "skilled_staff", "display_order": "1"},
        {"initiative_id": "academy", "objective_id": "fast_delivery", "display_order": "2"},
    ]
    # An OKR's quarter becomes its dates; key results carry the default thresholds they are judged by.
    assert seeds["cfg_okrs"] == [
        {
            "okr_id": "ship_faster",
            "okr_name": "Ship within two days",
            "objective_id": "fast_delivery",
            "owner": "Cy Ops",
            "period_label": "FY2025-Q2",
            "period_start": "2024-07-01",
            "period_end": "2024-09-30",
            "display_order": "1",
        }
    ]
    assert [
        (row["key_result_id"], row["start_value"], row["target_value"], row["current_value"], row["due_date"])
        for row in seeds["cfg_okr_key_results"]
    ] == [("median_days", "4", "2", "3", "2024-09-30"), ("same_day", "10", "40", "", "2024-08-31")]
    assert {(row["at_risk_below"], row["off_track_below"]) for row in seeds["cfg_okr_key_results"]} == {
        ("0.95", "0.85")
    }
    # A milestone without an owner is the initiative owner's.
    assert seeds["cfg_initiative_milestones"] == [
        {
            "initiative_id": "academy",
            "milestone_id": "plan",
            "milestone_name": "Course plan agreed",
            "owner": "Di People",
            "due_date": "2024-06-15",
            "status": "done",
            "display_order": "1",
        },
        {
            "initiative_id": "academy",
            "milestone_id": "first_cohort",
            "milestone_name": "First cohort trained",
            "owner": "Ann Finance",
            "due_date": "2024-10-31",
            "status": "open",
            "display_order": "2",
        },
    ]
    assert seeds["cfg_segment_values"] == [
        {"segment_dimension": "team", "segment_value": "team_a", "display_order": "1"},
        {"segment_dimension": "team", "segment_value": "team_b", "display_order": "2"},
    ]


def test_compiled_output_is_deterministic(tmp_path: Path, small: ConfigDir) -> None:
    first = compile_config(load_config(SMALL_CONFIG), tmp_path / "first")
    second = compile_config(load_config(small.path), tmp_path / "second")
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    before = {path: path.stat().st_mtime_ns for path in first}
    compile_config(load_config(SMALL_CONFIG), tmp_path / "first")
    assert {path: path.stat().st_mtime_ns for path in first} == before  # unchanged config, untouched files

    small.replace("measures.yml", "name: Sales", "name: Sales (net)")
    changed = load_config(small.path)
    assert changed.config_version != load_config(SMALL_CONFIG).config_version


def test_demo_compiles_and_stale_seeds_are_removed(tmp_path: Path) -> None:
    generated = tmp_path / "generated"
    seeds = generated / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "cfg_old_table.csv").write_text("a\n1\n", encoding="utf-8")
    (seeds / "keep_me.csv").write_text("a\n1\n", encoding="utf-8")
    config = load_config(REPO_ROOT / "scorecard_config")
    paths = compile_config(config, generated)
    assert sorted(path.name for path in seeds.iterdir()) == sorted(
        [*(p.name for p in paths if p.parent == seeds), "keep_me.csv"]
    )
    tables = build_tables(config)
    # One row per measure in measures.yml, in its order (counted from the YAML, not hard-coded).
    declared = yaml.safe_load((REPO_ROOT / "scorecard_config" / "measures.yml").read_text(encoding="utf-8"))
    assert [row[0] for row in tables["cfg_measures"]] == [entry["id"] for entry in declared["measures"]]
    assert {(row[2], row[3]) for row in tables["cfg_targets"]} == {("all", "all"), ("team", "cs_enterprise")}
    # slice_by: an explicit list stays as written ([] = company row only); unset = every declared dimension.
    columns = [column.name for column in next(spec for spec in SEEDS if spec.name == "cfg_measures").columns]
    rows = {row[0]: dict(zip(columns, row, strict=True)) for row in tables["cfg_measures"]}
    defaults = {
        "flow": "sum",
        "stock": "last",
        "ratio": "average",
        "distribution": "average",
        "derived": "average",
    }
    for entry in declared["measures"]:
        expected = entry["slice_by"] if "slice_by" in entry else list(config.segments)
        assert rows[entry["id"]]["slice_by"] == ",".join(expected), entry["id"]
        # target_rollup: as written, or the measure type's default.
        rollup = entry.get("target_rollup", defaults[entry["measure_type"]])
        assert rows[entry["id"]]["target_rollup"] == rollup, entry["id"]


def test_invalid_config_is_never_compiled(tmp_path: Path, small: ConfigDir) -> None:
    small.replace("measures.yml", "    owner: Ann Finance\n", "")
    project = tmp_path / "dbt_project"
    settings = Settings(
        warehouse_dir=tmp_path / "warehouse",
        landing_dir=tmp_path / "landing",
        config_dir=small.path,
        dbt_project_dir=project,
        dbt_target="duckdb",
        company_dir=tmp_path,
    )
    # The route every dbt parse takes: validate, then write generated/ (never a partial one).
    with pytest.raises(ConfigError) as raised:
        compile_config_seeds(settings)
    assert [issue.entry for issue in raised.value.issues] == ["measures[sales].owner"]
    assert not settings.generated_dir.exists()
    assert not project.exists()


HOSTILE = "'; drop table x; --"
HOSTILE_DEFINITION = 'Orders "shipped", then\n{{ log("hi") }} ; select 1; -- counted'


def _hostile_config(small: ConfigDir) -> None:
    small.replace("measures.yml", "name: Sales", f'name: "{HOSTILE}"')
    small.replace(
        "measures.yml",
        "definition: Order amounts in the period.",
        "definition: |-\n      " + HOSTILE_DEFINITION.replace("\n", "\n      "),
    )
    small.replace("strategy.yml", "name: Tiny Co", 'name: "Robert\'); DROP TABLE cfg_settings;--"')


def test_config_strings_round_trip_as_csv_data(tmp_path: Path, small: ConfigDir) -> None:
    _hostile_config(small)
    paths = {path.stem: path for path in compile_config(load_config(small.path), tmp_path / "generated")}
    measures = _rows(paths["cfg_measures"])
    assert measures[0]["measure_name"] == HOSTILE
    assert measures[0]["definition"] == HOSTILE_DEFINITION

    con = duckdb.connect(str(tmp_path / "check.duckdb"))
    con.execute("create table x (id integer)")
    loaded = con.execute(
        "select measure_name, definition from read_csv(?, header = true, all_varchar = true)",
        [str(paths["cfg_measures"])],
    ).fetchall()
    assert loaded[0] == (HOSTILE, HOSTILE_DEFINITION)
    assert con.execute("select count(*) from x").fetchone() == (0,)


@pytest.mark.slow
def test_dbt_seeds_the_compiled_config_with_the_declared_types(tmp_path: Path, small: ConfigDir) -> None:
    """Real dbt: a minimal project holding only the generated seeds and their generated properties file."""
    _hostile_config(small)
    project = tmp_path / "project"
    project.mkdir()
    (project / "dbt_project.yml").write_text(
        "name: cfg_check\nversion: '1.0'\nconfig-version: 2\nprofile: cfg_check\n"
        "seed-paths: ['generated/seeds']\n",
        encoding="utf-8",
    )
    (project / "profiles.yml").write_text(
        "cfg_check:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
        f"      path: {tmp_path / 'seeded.duckdb'}\n",
        encoding="utf-8",
    )
    compile_config(load_config(small.path), project / "generated")
    properties = project / "generated" / "seeds" / "_config__seeds.yml"
    assert properties.read_text(encoding="utf-8") == render_seed_properties()
    dbt = shutil.which("dbt") or str(REPO_ROOT / ".venv" / "bin" / "dbt")
    result = subprocess.run(
        [dbt, "seed", "--project-dir", str(project), "--profiles-dir", str(project)],
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
        env={**os.environ, "DBT_LOG_PATH": str(tmp_path / "logs")},
    )
    assert result.returncode == 0, result.stdout + result.stderr

    con = duckdb.connect(str(tmp_path / "seeded.duckdb"), read_only=True)
    types = dict(
        con.execute(
            "select column_name, data_type from information_schema.columns where table_name = 'cfg_measures'"
        ).fetchall()
    )
    assert (types["measure_id"], types["weight"], types["effective_from"]) == ("VARCHAR", "DOUBLE", "DATE")
    assert con.execute("select fiscal_year_start_month from main_config.cfg_settings").fetchone() == (4,)
    name, definition, retired = con.execute(
        "select measure_name, definition, retired_on from main_config.cfg_measures where measure_id = 'sales'"
    ).fetchone()
    assert (name, definition, retired) == (HOSTILE, HOSTILE_DEFINITION, None)
    assert con.execute("select company_name from main_config.cfg_settings").fetchone() == (
        "Robert'); DROP TABLE cfg_settings;--",
    )
    relative = con.execute(
        "select period_start, target_value, change_value, effective_to from main_config.cfg_targets "
        "where target_kind = 'relative'"
    ).fetchall()
    assert relative == [(None, None, -0.1, date(2025, 3, 31))]
