"""dbt exposures stand for the Evidence pages and depend on exactly the published marts they query."""

from __future__ import annotations

import pytest

from tests.bi.evidence_project import EVIDENCE_DIR, pages, render_placeholders, source_queries, tables_read

pytestmark = pytest.mark.slow  # parses the dbt project

SOURCE_TABLES = {query.qualified_name: query for query in source_queries()}


def _evidence_exposures(manifest: dict) -> dict[str, dict]:
    return {
        exposure["name"]: exposure
        for exposure in manifest["exposures"].values()
        if "evidence_pages" in exposure.get("config", {}).get("meta", {})
    }


def _marts_read_by(page_relative: str) -> set[str]:
    """The published tables a page reads: its queries' source queries, mapped to what those read."""
    page = next(page for page in pages() if page.relative == page_relative)
    marts = set()
    for name, sql in page.queries.items():
        for table in tables_read(render_placeholders(sql, page), f"{page_relative} query {name}"):
            source = SOURCE_TABLES[table]
            marts |= {read.split(".")[-1] for read in tables_read(source.sql, source.path.name)}
    return marts


def test_every_page_belongs_to_exactly_one_exposure(dbt_manifest: dict) -> None:
    listed = [
        page
        for e in _evidence_exposures(dbt_manifest).values()
        for page in e["config"]["meta"]["evidence_pages"]
    ]
    assert sorted(listed) == sorted(page.relative for page in pages())
    for page in listed:
        assert (EVIDENCE_DIR / page).is_file()


def test_exposures_depend_on_exactly_the_marts_their_pages_read(dbt_manifest: dict) -> None:
    nodes = dbt_manifest["nodes"]
    for name, exposure in _evidence_exposures(dbt_manifest).items():
        depends = {nodes[node]["name"] for node in exposure["depends_on"]["nodes"]}
        read = set().union(*(_marts_read_by(page) for page in exposure["config"]["meta"]["evidence_pages"]))
        assert depends == read, (
            f"exposure {name} depends on {sorted(depends)} but its pages read {sorted(read)}"
        )


def test_exposures_depend_only_on_published_contract_models(dbt_manifest: dict) -> None:
    nodes = dbt_manifest["nodes"]
    for name, exposure in _evidence_exposures(dbt_manifest).items():
        assert exposure["owner"].get("name") or exposure["owner"].get("email")
        for node_id in exposure["depends_on"]["nodes"]:
            node = nodes[node_id]
            assert node["resource_type"] == "model", f"exposure {name} depends on {node_id}"
            assert node["schema"] == "scorecard", f"exposure {name} depends on unpublished {node_id}"
            assert node["config"]["contract"]["enforced"], (
                f"exposure {name}: {node_id} has no enforced contract"
            )
            # The marts are public (dbt_project.yml); an exposure must lean only on public models.
            assert node.get("access") == "public", f"exposure {name}: {node_id} is not a public model"
