"""docs/bi-guide.md is generated from the dbt manifest and stays in sync with it."""

from __future__ import annotations

import pytest

from orchestration.export import documented_columns, published_tables, render_bi_guide
from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.slow  # parses the dbt project

GUIDE = REPO_ROOT / "docs" / "bi-guide.md"


def test_committed_guide_is_what_the_dbt_project_generates(dbt_manifest: dict) -> None:
    assert GUIDE.read_text() == render_bi_guide(dbt_manifest), (
        "docs/bi-guide.md is out of date with the dbt YAML: run `scorecard bi-guide`."
    )


def test_guide_documents_every_published_table_with_key_and_meaning(dbt_manifest: dict) -> None:
    tables = published_tables(dbt_manifest)
    expected = {
        "scorecard",
        "objective_scores",
        "perspective_scores",
        "balance_report",
        "balance_findings",
        "strategy_map",
        "measure_forecasts",
        "review_actions",
        "initiatives",
        "initiative_objectives",
        "initiative_milestones",
        "okrs",
        "okr_key_results",
        "reviews",
        "review_decisions",
        "review_assumptions",
        "measure_values",
    }
    assert expected <= {table.name for table in tables}
    for table in tables:
        assert table.key, f"{table.name} has no tested key: declare its uniqueness test in dbt"
        assert table.description, f"{table.name} has no description in dbt"
        for column in table.columns:
            assert column.description, f"{table.name}.{column.name} has no description in dbt"
        if table.resource_type == "model":
            assert table.contract_enforced, f"{table.name} is published without an enforced contract"
            # A contract declares every type; snapshots (no contracts) may leave some undeclared.
            assert all(column.data_type != "—" for column in table.columns)


def test_reading_the_guide_back_gives_the_manifest_columns(dbt_manifest: dict) -> None:
    documented = documented_columns(render_bi_guide(dbt_manifest))
    for table in published_tables(dbt_manifest):
        assert documented[table.name] == [column.name for column in table.columns]
    # The publication log is documented by hand: the publish step writes it, not dbt.
    assert documented["publications"][:3] == ["run_id", "run_seq", "published_at"]


def test_guide_cells_survive_pipes_and_newlines() -> None:
    manifest = {
        "nodes": {
            "model.p.t": {
                "resource_type": "model",
                "name": "t",
                "schema": "scorecard",
                "description": "A table\nover two lines.",
                "config": {"materialized": "table", "contract": {"enforced": True}},
                "columns": {"a": {"name": "a", "data_type": "varchar", "description": "x | y\nz"}},
            },
            "test.p.unique_t_a": {
                "resource_type": "test",
                "attached_node": "model.p.t",
                "test_metadata": {"name": "unique", "kwargs": {"column_name": "a"}},
            },
        }
    }
    text = render_bi_guide(manifest)
    assert "| `a` | varchar | x \\| y z |" in text
    assert "A table over two lines." in text
    assert "one row per `a`" in text
    assert documented_columns(text)["t"] == ["a"]
