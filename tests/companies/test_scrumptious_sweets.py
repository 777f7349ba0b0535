"""The second shipped company, Scrumptious Sweets, built and published end to end.

A copy of ``examples/scrumptious_sweets`` runs through the real CLI (Dagster, dbt, Great
Expectations) in its own processes; the demo company's dbt project is parsed for the same checks.
Neither company's build holds anything of the other's.
"""

from __future__ import annotations

import shutil

import pytest

from orchestration.settings import REPO_ROOT
from tests.companies.helpers import Company, company_env, engine_is_untouched, nodes_outside, raw_tables

pytestmark = pytest.mark.slow

EXAMPLE = REPO_ROOT / "examples" / "scrumptious_sweets"
FIRST_MONTH, LAST_MONTH = "2024-11", "2026-10"
_BUILT = ("warehouse", "generated", "target", "dbt_packages", "logs", "package-lock.yml")


@pytest.fixture(scope="module")
def sweets(tmp_path_factory: pytest.TempPathFactory) -> Company:
    root = tmp_path_factory.mktemp("companies") / "scrumptious_sweets"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(*_BUILT))
    company = Company(root, company_env(root.parent, first_month=FIRST_MONTH, last_month=LAST_MONTH))
    before = engine_is_untouched()
    company.cli("validate")
    company.cli("run", "--all")
    assert engine_is_untouched() == before, "a company's run changed engine files"
    return company


def test_every_measure_is_published_for_every_period_it_is_active(sweets: Company) -> None:
    """Each measure has a company-level value for every period of its grain from its effective date."""
    expected = dict(
        sweets.query(
            """
            select measure_id, count(distinct periods.period_start)
            from config.cfg_measures as measures
            join intermediate.int_fiscal_periods as periods
                on periods.period_grain
                    = case measures.frequency when 'monthly' then 'month' else 'quarter' end
                and periods.period_end >= cast(measures.effective_from as date)
            group by all
            """,
            sweets.warehouse,
        )
    )
    published = dict(
        sweets.query(
            """
            select v.measure_id, count(distinct v.period_start)
            from scorecard.measure_values as v
            join config.cfg_measures as m using (measure_id)
            where v.segment_dimension = 'all' and v.value is not null
                and v.period_grain = case m.frequency when 'monthly' then 'month' else 'quarter' end
            group by all
            """,
            sweets.warehouse,
        )
    )
    assert len(expected) == 8
    assert published == expected


def test_segments_are_its_own_dimensions(sweets: Company) -> None:
    dimensions = {
        dimension: sorted(value for _, value in rows)
        for dimension, rows in _group(
            sweets.query("select distinct segment_dimension, segment_value from scorecard.measure_values")
        ).items()
    }
    assert dimensions == {
        "all": ["all"],
        "division": ["retail_division", "wholesale_division"],
        # The wholesale division's central bakery is no store front: its facts have no store.
        "store": ["airport_store", "downtown_store", "riverside_store", "unassigned"],
    }


def test_a_cascade_per_division_and_per_store_front(sweets: Company) -> None:
    cascades = set(
        sweets.query(
            "select distinct scorecard_id, segment_dimension, segment_value from scorecard.scorecard"
        )
    )
    assert cascades == {
        ("corporate", "all", "all"),
        ("retail_division", "division", "retail_division"),
        ("wholesale_division", "division", "wholesale_division"),
        ("downtown_store", "store", "downtown_store"),
        ("riverside_store", "store", "riverside_store"),
        ("airport_store", "store", "airport_store"),
    }
    # A store front's actual is the governed measure's value for that store, never recomputed.
    mismatched = sweets.query(
        """
        select count(*) from scorecard.scorecard as s
        join scorecard.measure_values as v using (measure_id, period_grain, period_start,
            segment_dimension, segment_value)
        where s.actual is distinct from v.value
        """
    )
    assert mismatched == [(0,)]
    statuses = {status for (status,) in sweets.query("select distinct status from scorecard.scorecard")}
    assert {"on_track", "off_track"} <= statuses


def test_relative_targets_follow_last_year(sweets: Company) -> None:
    """Revenue's target is +5% on the same month last year: 1.05 times the published actual 12 months back."""
    rows = sweets.query(
        """
        select s.target, previous.actual
        from scorecard.scorecard as s
        join scorecard.scorecard as previous
            on previous.scorecard_id = s.scorecard_id and previous.measure_id = s.measure_id
            and previous.period_grain = s.period_grain
            and previous.period_start = s.period_start - interval 12 month
        where s.scorecard_id = 'corporate' and s.measure_id = 'revenue' and s.period_grain = 'month'
        """
    )
    assert len(rows) == 12
    for target, previous_actual in rows:
        assert target == pytest.approx(previous_actual * 1.05, rel=1e-9)


def test_its_build_holds_nothing_of_the_demo(sweets: Company) -> None:
    assert nodes_outside(sweets) == []
    assert raw_tables(sweets) == {f"{system}__{table}" for system, table in _registry_tables(sweets)}


def test_the_demo_build_holds_nothing_of_scrumptious_sweets(tmp_path, monkeypatch) -> None:
    """The demo's project, parsed as a run parses it, has only its own and the engine's nodes."""
    from orchestration.settings import get_settings
    from orchestration.transform.project import prepare_dbt_project

    monkeypatch.setenv("SCORECARD_WAREHOUSE_DIR", str(tmp_path / "warehouse"))
    monkeypatch.delenv("SCORECARD_COMPANY_DIR", raising=False)
    prepare_dbt_project(get_settings())
    demo = Company(REPO_ROOT, {})
    assert nodes_outside(demo) == []
    assert demo.manifest()["metadata"]["project_name"] == "northwind"


def test_its_report_renders_per_store_front(sweets: Company) -> None:
    sweets.cli("report", "--period", LAST_MONTH, "--scorecard", "downtown_store")
    html = (sweets.root / "warehouse" / "reports" / f"scorecard_downtown_store_{LAST_MONTH}.html").read_text()
    assert "<h1>Downtown store front" in html and "Revenue" in html


def _group(rows: list[tuple]) -> dict[str, list[tuple]]:
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _registry_tables(company: Company) -> list[tuple[str, str]]:
    from orchestration.ingestion.registry import load_registry

    registry = load_registry(company.root / "scorecard_config" / "sources.yml")
    return [(system, table) for system, table, _ in registry.iter_tables()]
