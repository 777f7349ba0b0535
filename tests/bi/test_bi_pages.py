"""Every SQL block of the Evidence pages parses, reads only source queries and columns, and computes nothing.

At build and view time Evidence runs page queries in DuckDB over tables named ``<source>.<query>``
holding each source query's result. These tests rebuild exactly that: an in-memory DuckDB with schema
``scorecard`` and one table per source query, filled from the published file, then run every page
query with its inputs and parameters filled in as a reader's first visit would (the first option of
each Dropdown: the first scorecard, the month grain and the latest month) and for every measure and
perspective a templated page is built for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import duckdb
import pytest
from sqlglot import expressions as exp

from orchestration.status_styles import STATUS_STYLES
from tests.bi.evidence_project import (
    PAGES_DIR,
    Component,
    Page,
    inline_partials,
    pages,
    parse_one,
    render,
    render_placeholders,
    source_queries,
    tables_read,
    templates,
)

pytestmark = pytest.mark.slow  # reads a demo warehouse built by the real pipeline

PAGES = pages()
SOURCE_NAMES = {query.qualified_name for query in source_queries()}
# Components whose `data` prop names a query, and the props that name its columns.
COLUMN_PROPS = ("value", "label", "x", "y", "y2", "series", "column", "sort")
# Page SQL may pick, filter and order published columns; anything that computes a value belongs in
# the warehouse (status, score, target, roll-up, window, arithmetic, CASE, any function).
FORBIDDEN = (exp.Func, exp.Case, exp.Window, exp.Binary, exp.Join, exp.Group, exp.Having)
ALLOWED_BINARY = (exp.And, exp.Or, exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is, exp.In)


def _page_id(page: Page) -> str:
    return page.relative


@pytest.fixture(scope="module")
def evidence_db(bi_db) -> Iterator[duckdb.DuckDBPyConnection]:
    """Evidence's query engine stand-in: each source query's result as table ``scorecard.<name>``."""
    published = duckdb.connect(str(bi_db), read_only=True)
    engine = duckdb.connect(":memory:")
    try:
        for source in {query.source for query in source_queries()}:
            engine.execute(f'create schema "{source}"')
        for query in source_queries():
            engine.register("source_result", published.sql(query.sql).to_arrow_table())
            engine.execute(f'create table "{query.source}"."{query.name}" as select * from source_result')
            engine.unregister("source_result")
        yield engine
    finally:
        published.close()
        engine.close()


@pytest.fixture(scope="module")
def first_visit_inputs(evidence_db: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """What the Dropdowns select before a reader touches them: their first option, in their order."""
    scorecard, period = evidence_db.execute(
        """
        select scorecard_id, arg_max(period_label, period_start)
        from scorecard.balance_report
        where period_grain = 'month'
        group by scorecard_id
        order by scorecard_id
        limit 1
        """
    ).fetchone()
    return {"scorecard": scorecard, "grain": "month", "period": period}


def _param_values(evidence_db: duckdb.DuckDBPyConnection, param: str) -> list[str]:
    """Every value a templated page is built for: the ids the index pages link to."""
    table = {"measure_id": "scorecard", "perspective_id": "perspective_scores"}[param]
    return [
        row[0]
        for row in evidence_db.execute(
            f"select distinct {param} from scorecard.{table} order by 1"
        ).fetchall()
    ]


def test_the_project_has_the_pages_the_brief_lists() -> None:
    relative = {page.relative for page in PAGES}
    assert {
        "pages/index.md",
        "pages/strategy-map.md",
        "pages/initiatives.md",
        "pages/okrs.md",
        "pages/reviews.md",
        "pages/measures/[measure_id].md",
        "pages/perspectives/[perspective_id].md",
    } <= relative
    # A period selector on the balance report, the perspectives and the strategy map.
    for name in ("pages/index.md", "pages/perspectives/[perspective_id].md", "pages/strategy-map.md"):
        page = next(page for page in PAGES if page.relative == name)
        assert any(c.tag == "Dropdown" and c.attributes.get("name") == "period" for c in page.components)


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_sql_parses_and_reads_only_source_queries(page: Page) -> None:
    assert page.queries or not page.components, f"{page.relative} shows data but defines no query"
    for name, sql in page.queries.items():
        where = f"{page.relative} query {name}"
        for qualified in tables_read(render_placeholders(sql, page), where):
            assert qualified in SOURCE_NAMES, (
                f"{where} reads {qualified}; pages may read only the source queries "
                f"{', '.join(sorted(SOURCE_NAMES))} (or another query of the page via ${{name}})"
            )


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_sql_only_picks_filters_and_orders(page: Page) -> None:
    for name, sql in page.queries.items():
        tree = parse_one(render_placeholders(sql, page), f"{page.relative} query {name}")
        for node in tree.walk():
            if isinstance(node, (*ALLOWED_BINARY, exp.Not, exp.Paren)):
                continue
            assert not isinstance(node, FORBIDDEN), (
                f"{page.relative} query {name} computes `{node.sql(dialect='duckdb')}`: page SQL may only "
                "select, filter and order published columns; compute it in the warehouse instead."
            )


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_templates_are_inputs_params_or_page_queries(page: Page) -> None:
    inputs = {c.attributes["name"] for c in page.components if c.tag == "Dropdown" and "name" in c.attributes}
    for name, sql in page.queries.items():
        for expression in templates(sql):
            if found := re.fullmatch(r"inputs\.(\w+)\.value", expression):
                assert found.group(1) in inputs, f"{page.relative} query {name} uses an undefined input"
            elif found := re.fullmatch(r"params\.(\w+)", expression):
                assert found.group(1) in page.path_params, f"{page.relative} query {name}: no such parameter"
            else:
                assert expression in page.queries, f"{page.relative} query {name}: unknown ${{{expression}}}"


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_page_queries_run_on_the_source_results(
    page: Page, evidence_db: duckdb.DuckDBPyConnection, first_visit_inputs
) -> None:
    param_sets = [{}]
    for param in page.path_params:
        values = _param_values(evidence_db, param)
        assert values, f"{page.relative} would be built for no {param}"
        param_sets = [params | {param: value} for params in param_sets for value in values]
    for params in param_sets:
        for name, sql in page.queries.items():
            try:
                evidence_db.execute(render(sql, page, first_visit_inputs, params)).fetchall()
            except duckdb.Error as error:
                pytest.fail(f"{page.relative} query {name} with {params} fails: {error}")


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_components_use_page_queries_and_their_columns(
    page: Page, evidence_db: duckdb.DuckDBPyConnection, first_visit_inputs
) -> None:
    params = {param: _param_values(evidence_db, param)[0] for param in page.path_params}
    columns = {}
    for name, sql in page.queries.items():
        result = evidence_db.execute(render(sql, page, first_visit_inputs, params))
        columns[name] = {description[0] for description in result.description}
    for component in page.components:
        data = _data_of(component)
        if data is None:
            continue
        assert data in page.queries, f"{page.relative}: <{component.tag} data={{{data}}}> names no query"
        for column in _named_columns(component):
            assert column in columns[data], (
                f"{page.relative}: <{component.tag}> uses column {column}, which query {data} does not return"
            )
    for data in re.findall(r"\{#each\s+(\w+)\s+as\s+\w+\s*\}", page.text):
        assert data in page.queries, f"{page.relative}: {{#each {data}}} names no query"


def test_balance_report_shows_the_latest_period_on_first_visit(
    evidence_db: duckdb.DuckDBPyConnection, first_visit_inputs
) -> None:
    page = next(page for page in PAGES if page.relative == "pages/index.md")
    balance = evidence_db.execute(render(page.queries["balance"], page, first_visit_inputs, {})).fetchall()
    assert len(balance) == 1
    perspectives = evidence_db.execute(
        render(page.queries["perspectives"], page, first_visit_inputs, {})
    ).fetchall()
    assert len(perspectives) >= 4
    periods = evidence_db.execute(render(page.queries["periods"], page, first_visit_inputs, {})).fetchall()
    assert periods[0][0] == first_visit_inputs["period"], (
        "the period Dropdown must list the latest month first"
    )


def test_every_templated_page_is_linked_so_the_build_prerenders_it() -> None:
    # Evidence prerenders templated pages it finds links to; the index pages link each id.
    text = "\n".join(inline_partials(path.read_text()) for path in PAGES_DIR.rglob("*.md"))
    for page in PAGES:
        if page.path_params:
            folder = page.path.parent.relative_to(PAGES_DIR).as_posix()
            assert re.search(rf"\]\(/{folder}/\{{\w+\.{page.path_params[0]}\}}\)", text), (
                f"no page links to /{folder}/<{page.path_params[0]}>"
            )


def _data_of(component: Component) -> str | None:
    if "data" in component.attributes:
        return component.attributes["data"]
    if component.tag == "Column" and component.parent is not None:
        return component.parent.attributes.get("data")
    return None


def _named_columns(component: Component) -> list[str]:
    names = []
    props = ("id",) if component.tag == "Column" else COLUMN_PROPS
    for prop in props:
        value = component.attributes.get(prop)
        if value is None:
            continue
        if value.startswith("["):
            names += re.findall(r"['\"](\w+)['\"]", value)
        else:
            names.append(value.split()[0])
    if component.tag == "Dropdown" and "order" in component.attributes:
        names.append(component.attributes["order"].split()[0])
    return names


def test_status_colours_are_the_report_palette() -> None:
    # Evidence cannot import Python: the measure page mirrors the palette's strong colours, and this
    # keeps the mirror true, so a status has the same colour in the report, Mermaid and Evidence.
    page = next(page for page in PAGES if page.relative == "pages/measures/[measure_id].md")
    block = re.search(r"const statusColors = \{(.*?)\};", page.text, re.S)
    assert block, "the measure page defines statusColors"
    colours = dict(re.findall(r"(\w+): '(#[0-9a-f]{6})'", block.group(1)))
    assert colours == {status: style.stroke for status, style in STATUS_STYLES.items()}
