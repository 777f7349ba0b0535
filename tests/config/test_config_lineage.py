"""data_sources against dbt lineage: a measure lists exactly the sources its model reads.

Which measures turn ``untrusted`` follows ``data_sources``; these tests parse a private copy of the
real dbt project (engine linked) and check the config against the manifest's upstream graph, the way
``scorecard validate`` does with a manifest and every run does after its parse.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from orchestration.config import ConfigError, format_report, validate_config
from orchestration.config.validation import upstream_sources
from orchestration.transform.project import prepare_dbt_project
from tests.config.helpers import TODAY, ConfigDir, only
from tests.dbt.helpers import DbtProject, copy_project

pytestmark = pytest.mark.slow

GROSS_MARGIN_SOURCES = "[billing.invoices, billing.invoice_lines, finance.cost_of_revenue]"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """The demo's dbt project, copied and parsed once (lineage does not depend on data_sources)."""
    project = copy_project(tmp_path_factory.mktemp("lineage"))
    result = project.dbt("parse", "--no-partial-parse")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def manifest_path(project: DbtProject) -> Path:
    return project.target_dir / "manifest.json"


def test_the_sources_a_measure_reads_come_from_the_dbt_lineage(parsed: DbtProject) -> None:
    manifest = parsed.manifest()
    [gross_margin] = [
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node.get("config", {}).get("meta", {}).get("measure_id") == "gross_margin"
    ]
    read = upstream_sources(manifest, gross_margin)
    # billing.invoices is read only through the intermediate model, never by the measure itself.
    assert sorted(read) == ["billing.invoice_lines", "billing.invoices", "finance.cost_of_revenue"]
    assert read["billing.invoices"] == ["int_revenue_and_cost_monthly", "stg_billing__invoices"]


def test_every_demo_measure_lists_exactly_the_sources_it_reads(parsed: DbtProject) -> None:
    report = validate_config(
        Path(parsed.settings.config_dir), today=TODAY, dbt_manifest=manifest_path(parsed)
    )
    assert report.issues == (), format_report(report)


def test_a_source_the_sql_reads_but_the_config_omits_is_an_error(demo: ConfigDir, parsed: DbtProject) -> None:
    demo.replace("measures.yml", GROSS_MARGIN_SOURCES, "[billing.invoice_lines, finance.cost_of_revenue]")

    report = validate_config(demo.path, today=TODAY, dbt_manifest=manifest_path(parsed))

    issue = only(report, "data_source_not_declared")
    assert (issue.file, issue.entry) == ("measures.yml", "measures[gross_margin].data_sources")
    assert issue.line == demo.line_of("measures.yml", "data_sources:", after="id: gross_margin")
    assert issue.message == (
        "measure `gross_margin` reads `billing.invoices` (its dbt model msr_gross_margin reads it through "
        "int_revenue_and_cost_monthly → stg_billing__invoices), but its data_sources do not list it: a "
        "quality flag on that table would leave the measure trusted."
    )
    assert issue.hint == "add `billing.invoices` to data_sources of measure gross_margin in measures.yml"
    assert report.exit_code() == 1


def test_a_declared_source_the_sql_does_not_read_is_an_error(demo: ConfigDir, parsed: DbtProject) -> None:
    demo.replace("measures.yml", GROSS_MARGIN_SOURCES, GROSS_MARGIN_SOURCES[:-1] + ", support.tickets]")

    report = validate_config(demo.path, today=TODAY, dbt_manifest=manifest_path(parsed))

    issue = only(report, "data_source_not_read")
    assert (issue.file, issue.entry) == ("measures.yml", "measures[gross_margin].data_sources[3]")
    assert issue.message == (
        "measure `gross_margin` lists `support.tickets` in data_sources, but its dbt model msr_gross_margin "
        "does not read it (no path in the dbt lineage leads to that source): a quality flag on that table "
        "would mark the measure untrusted for nothing."
    )
    assert issue.hint == (
        "remove `support.tickets` from data_sources of measure gross_margin in measures.yml, or make the "
        "model read it"
    )


def test_an_unregistered_source_is_reported_once(demo: ConfigDir, parsed: DbtProject) -> None:
    demo.replace("measures.yml", GROSS_MARGIN_SOURCES, GROSS_MARGIN_SOURCES[:-1] + ", sales.nowhere]")

    report = validate_config(demo.path, today=TODAY, dbt_manifest=manifest_path(parsed))

    assert [issue.code for issue in report.errors] == ["unknown_data_source"], format_report(report)


def test_a_run_stops_after_the_parse_when_data_sources_miss_a_source(tmp_path: Path, demo: ConfigDir) -> None:
    """prepare_dbt_project (what every run does first) checks the fresh manifest: a ConfigError
    naming the measure, the table and the fix, before anything is built."""
    demo.replace("measures.yml", GROSS_MARGIN_SOURCES, "[billing.invoice_lines, finance.cost_of_revenue]")
    project = copy_project(tmp_path / "run")
    settings = replace(project.settings, config_dir=demo.path)

    with pytest.raises(ConfigError) as raised:
        prepare_dbt_project(settings)

    [issue] = raised.value.issues
    assert issue.code == "data_source_not_declared"
    text = str(raised.value)
    assert text.startswith("the scorecard config has 1 error(s):")
    assert "measures[gross_margin].data_sources: measure `gross_margin` reads `billing.invoices`" in text
    assert "Fix: add `billing.invoices` to data_sources of measure gross_margin in measures.yml" in text
    assert "Traceback" not in text
    assert manifest_path(project).exists(), "the check runs on the manifest the parse just wrote"

    # Fixed, the same project prepares cleanly.
    demo.replace("measures.yml", "[billing.invoice_lines, finance.cost_of_revenue]", GROSS_MARGIN_SOURCES)
    assert prepare_dbt_project(settings).manifest_path == manifest_path(project)
