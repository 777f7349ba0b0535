"""Reading the Evidence project the way Evidence does, without Node.

- Source queries: ``evidence/sources/<source>/*.sql``, run by Evidence's DuckDB driver against the
  file named in ``connection.yaml`` and exposed to pages as ``<source>.<file stem>``.
- Pages: Markdown under ``evidence/pages/`` with ``{@partial "file.md"}`` replaced by
  ``evidence/partials/file.md`` (Evidence's preprocessor does the same, before anything else), named
  ```` ```sql name ```` fences, and Svelte components such as ``<DataTable data={name}>``.
- Templates in page SQL: ``${inputs.<input>.value}`` (a Dropdown's value, unquoted for a single
  select), ``${params.<param>}`` (a templated page's path parameter) and ``${<query>}`` (another
  query of the page, inlined as a subquery).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
import yaml
from sqlglot import expressions as exp

from orchestration.settings import REPO_ROOT

EVIDENCE_DIR = REPO_ROOT / "evidence"
SOURCES_DIR = EVIDENCE_DIR / "sources"
PAGES_DIR = EVIDENCE_DIR / "pages"
PARTIALS_DIR = EVIDENCE_DIR / "partials"

_PARTIAL = re.compile(r'\{@partial\s+"([^"]+)"\s*\}')
_SQL_FENCE = re.compile(r"^```sql[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
_TEMPLATE = re.compile(r"\$\{\s*([^}]*?)\s*\}")
_INPUT = re.compile(r"^inputs\.([A-Za-z_][A-Za-z0-9_]*)\.value$")
_PARAM = re.compile(r"^params\.([A-Za-z_][A-Za-z0-9_]*)$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMPONENT = re.compile(r"<(/?)([A-Z][A-Za-z]*)\b((?:[^>{}]|\{[^}]*\})*?)(/?)>", re.S)
_ATTRIBUTE = re.compile(r"""([A-Za-z_][A-Za-z0-9_]*)=(\{[^}]*\}|"[^"]*"|'[^']*'|[^\s/>]+)""")
_PAGE_PARAM = re.compile(r"\[([A-Za-z_][A-Za-z0-9_]*)\]")


@dataclass(frozen=True)
class SourceQuery:
    """One ``.sql`` file of a source: what pages call ``<source>.<name>``."""

    source: str
    name: str
    path: Path
    filename: str

    @property
    def sql(self) -> str:
        return self.path.read_text()

    @property
    def qualified_name(self) -> str:
        return f"{self.source}.{self.name}"


@dataclass(frozen=True)
class Component:
    """A Svelte component tag of a page, with its attributes as written."""

    tag: str
    attributes: dict[str, str]
    parent: Component | None = None


@dataclass(frozen=True)
class Page:
    """A page with its partials inlined, its named queries and its components."""

    path: Path
    text: str
    queries: dict[str, str]
    components: list[Component] = field(default_factory=list)

    @property
    def relative(self) -> str:
        return self.path.relative_to(EVIDENCE_DIR).as_posix()

    @property
    def path_params(self) -> list[str]:
        """Templated-page parameters from the path, e.g. ``pages/measures/[measure_id].md``."""
        return _PAGE_PARAM.findall(self.path.relative_to(PAGES_DIR).as_posix())


def source_queries() -> list[SourceQuery]:
    """Every source query file, with the source's name and DuckDB filename from connection.yaml."""
    queries = []
    for connection in sorted(SOURCES_DIR.glob("*/connection.yaml")):
        config = yaml.safe_load(connection.read_text())
        for path in sorted(connection.parent.glob("*.sql")):
            queries.append(
                SourceQuery(
                    source=config["name"],
                    name=path.stem,
                    path=path,
                    filename=config["options"]["filename"],
                )
            )
    return queries


def inline_partials(text: str, seen: tuple[str, ...] = ()) -> str:
    """``text`` with every ``{@partial "x.md"}`` replaced by ``partials/x.md`` (recursively)."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        path = PARTIALS_DIR / name
        if name in seen:
            raise ValueError(f"partial {name} includes itself")
        if not path.is_file():
            raise FileNotFoundError(f'{{@partial "{name}"}} names a missing file {path}')
        return inline_partials(path.read_text(), (*seen, name))

    return _PARTIAL.sub(replace, text)


def load_page(path: Path) -> Page:
    """Parse one page: partials inlined, queries by name, components in document order."""
    text = inline_partials(path.read_text())
    queries: dict[str, str] = {}
    for match in _SQL_FENCE.finditer(text):
        name, sql = match.group(1), match.group(2)
        if name in queries:
            raise ValueError(f"{path}: query {name} is defined twice")
        queries[name] = sql
    # Components are read from the Markdown outside the SQL fences.
    markup = _SQL_FENCE.sub("", text)
    return Page(path=path, text=text, queries=queries, components=_components(markup))


def pages() -> list[Page]:
    """Every page of the project, in path order."""
    return [load_page(path) for path in sorted(PAGES_DIR.rglob("*.md"))]


def templates(sql: str) -> list[str]:
    """The ``${...}`` expressions of a query, as written."""
    return _TEMPLATE.findall(sql)


def render(sql: str, page: Page, inputs: dict[str, str], params: dict[str, str], _depth: int = 0) -> str:
    """``sql`` with its templates replaced the way Evidence fills them at run time.

    Raises ``KeyError`` naming an input, parameter or query the page does not provide.
    """
    if _depth > 10:
        raise ValueError("queries reference each other in a cycle")

    def replace(match: re.Match[str]) -> str:
        expression = match.group(1)
        if found := _INPUT.match(expression):
            return inputs[found.group(1)].replace("'", "''")
        if found := _PARAM.match(expression):
            return params[found.group(1)].replace("'", "''")
        if _NAME.match(expression):
            return "(" + render(page.queries[expression], page, inputs, params, _depth + 1) + ")"
        raise KeyError(f"unsupported template ${{{expression}}}")

    return _TEMPLATE.sub(replace, sql)


def render_placeholders(sql: str, page: Page) -> str:
    """``sql`` with every input and parameter set to a placeholder string, for static analysis."""
    inputs = {c.attributes["name"]: "placeholder" for c in page.components if "name" in c.attributes}
    params = dict.fromkeys(page.path_params, "placeholder")
    return render(sql, page, inputs, params)


def parse_one(sql: str, where: str) -> exp.Expression:
    """The single statement of ``sql`` parsed as DuckDB SQL; AssertionError naming ``where`` otherwise."""
    statements = [statement for statement in sqlglot.parse(sql, read="duckdb") if statement is not None]
    assert len(statements) == 1, f"{where}: expected one statement, found {len(statements)}"
    return statements[0]


def tables_read(sql: str, where: str) -> set[str]:
    """``schema.table`` (or ``table``) names a query reads."""
    return {f"{t.db}.{t.name}" if t.db else t.name for t in parse_one(sql, where).find_all(exp.Table)}


def parse_attributes(text: str) -> dict[str, str]:
    """Component attributes: ``a=b``, ``a="b"`` and ``a={expr}`` (braces and quotes stripped)."""
    attributes = {}
    for name, value in _ATTRIBUTE.findall(text):
        if value[:1] in "{\"'":
            value = value[1:-1]
        attributes[name] = value.strip()
    return attributes


def _components(markup: str) -> list[Component]:
    components: list[Component] = []
    stack: list[Component] = []
    for match in _COMPONENT.finditer(markup):
        closing, tag, body, self_closing = match.groups()
        if closing:
            while stack and stack[-1].tag != tag:
                stack.pop()
            if stack:
                stack.pop()
            continue
        component = Component(tag=tag, attributes=parse_attributes(body), parent=stack[-1] if stack else None)
        components.append(component)
        if not self_closing:
            stack.append(component)
    return components
