"""The package's layers: no import cycles between its subpackages, and the domain at the bottom.

Only runtime imports count; imports under `if TYPE_CHECKING:` are for the type checker alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import assistant

PACKAGE = Path(assistant.__file__).parent
# What the bottom layer may import from the package: nothing but itself and each other.
BOTTOM = {"domain", "text", "templates", "settings", "locks", "corpus", "datadir", "errors"}


def _unit(module: str) -> str | None:
    """`assistant.facilitator.engine` → `facilitator`; `assistant.service` → `service`."""
    parts = module.split(".")
    return parts[1] if parts[0] == "assistant" and len(parts) > 1 else None


def _is_unit(name: str) -> bool:
    """A subpackage or a top-level module (not a name imported from `assistant` itself)."""
    return (PACKAGE / name).is_dir() or (PACKAGE / f"{name}.py").is_file()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[str]:
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """Subpackage (or top-level module) → the others it imports at run time."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        source = _unit("assistant." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        if source is None or source in ("__init__", "__main__"):
            continue
        targets = graph.setdefault(source, set())
        for module in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            target = _unit(module)
            if target and target != source and _is_unit(target):
                targets.add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle in the graph, as a path that ends where it starts; None when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_subpackages_import_each_other_without_a_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_the_bottom_layer_imports_nothing_above_it() -> None:
    graph = import_graph()
    for unit in BOTTOM & graph.keys():
        assert graph[unit] <= BOTTOM, f"{unit} imports {sorted(graph[unit] - BOTTOM)}"


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
