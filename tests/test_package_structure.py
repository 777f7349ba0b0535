"""The orchestration package's shape: imports form no circle, the Dagster wiring stays apart, and no
module or function grows past what a reader takes in at once.

A circle between two modules works only as long as one of them imports the other lazily or late;
the next edit that moves an import to the top breaks it at import time. The graph counts every
import, function-local ones included, between modules of the package (``from package import
submodule`` depends on the submodule, not on the package's ``__init__``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from orchestration.settings import REPO_ROOT

PACKAGE = REPO_ROOT / "orchestration"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [
                    f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                    for alias in node.names
                ]
            else:
                continue
            graph[name].update(target for target in targets if target in modules and target != name)
    return graph


def _a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None (depth-first search, three colours)."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        state[node] = "done"
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_graph_sees_lazy_imports() -> None:
    """The check would be blind if it missed function-local imports (the CLI imports lazily)."""
    graph = _import_graph(_modules())
    assert "orchestration.export" in graph["orchestration.cli.inspect"]
    assert "orchestration.quality.frames" in graph["orchestration.quality.suites"]


def test_orchestration_has_no_import_circle() -> None:
    cycle = _a_cycle(_import_graph(_modules()))
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _a_cycle({"a": {"b"}, "b": set()}) is None


# Library modules that speak Dagster types all the same: the in-process runner (an entry point, like
# the CLI) and the dbt project handle (dagster-dbt's DbtProject, which the CLI prepares too).
DAGSTER_OUTSIDE_DEFS = {"orchestration.runner", "orchestration.transform.project"}
# Entry points may reach into the wiring; the library may not.
ENTRY_POINTS = ("orchestration.cli", "orchestration.runner")


def _imports_dagster(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = (
            [alias.name for alias in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else []
        )
        if any(name.split(".")[0] in {"dagster", "dagster_dbt"} for name in names):
            return True
    return False


def test_dagster_is_wired_in_defs_only() -> None:
    modules = _modules()
    wired = {name for name, path in modules.items() if _imports_dagster(path)}
    outside = {name for name in wired if not name.startswith("orchestration.defs")}
    assert outside == DAGSTER_OUTSIDE_DEFS, f"Dagster imported outside orchestration/defs: {sorted(outside)}"
    assert "orchestration.defs.definitions" in wired


def test_the_library_does_not_import_the_wiring() -> None:
    graph = _import_graph(_modules())
    reaching = {
        (name, target)
        for name, targets in graph.items()
        if not name.startswith(("orchestration.defs", *ENTRY_POINTS))
        for target in targets
        if target.startswith("orchestration.defs")
    }
    assert not reaching, f"library modules importing orchestration/defs: {sorted(reaching)}"


MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
# A longer function says why in its docstring, in a paragraph that starts with this.
LONG_BECAUSE = "Long because"


def test_no_module_is_longer_than_a_reader_takes_in() -> None:
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by responsibility): {long}"


def test_a_long_function_says_why() -> None:
    unexplained = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES and LONG_BECAUSE not in (ast.get_docstring(node) or ""):
                unexplained.append(f"{name}.{node.name} ({length} lines)")
    assert not unexplained, (
        f"functions over {MAX_FUNCTION_LINES} lines without a '{LONG_BECAUSE} …' reason in their "
        f"docstring: {unexplained}"
    )
