"""The package's imports go one way, down the flow of the data.

``kg/`` is a stack of subpackages (see each one's docstring and the README's layout
section). A module may import its own subpackage and the ones below it, never one
above; and no two modules import each other, even lazily inside a function. Both
rules are checked here from the import statements of every module, so a change that
breaks them fails in CI rather than in review.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

import kg

PACKAGE = Path(kg.__file__).resolve().parent

# Lowest first: the order in which an article's data flows through the package.
LAYERS = ("ingest", "extract", "graph", "analyze", "query", "export", "run", "evaluate", "cli")
DATA_DIRS = ("resources", "static", "ontology", "queries")  # data shipped with the package, no code


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))
            if not set(p.relative_to(PACKAGE).parts) & set(DATA_DIRS)}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The kg modules ``path`` imports, anywhere in the file (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            # `from kg.graph import store` imports the module kg.graph.store
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t.startswith("kg") and t != name:
                found.add(t)
    return found


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return -1  # kg itself: the version, below everything
    if parts[1] == "__main__":
        return len(LAYERS) - 1  # `python -m kg` is the CLI
    return LAYERS.index(parts[1])


@pytest.fixture(scope="module")
def import_graph() -> nx.DiGraph:
    modules = _modules()
    g = nx.DiGraph()
    g.add_nodes_from(modules)
    for name, path in modules.items():
        for target in _imports(path, name, set(modules)):
            g.add_edge(name, target)
    return g


def test_every_module_belongs_to_a_layer(import_graph: nx.DiGraph) -> None:
    stray = [m for m in import_graph if len(m.split(".")) > 1 and m.split(".")[1] not in (*LAYERS, "__main__")]
    assert not stray, f"modules outside the layers {LAYERS}: {stray}"
    assert len(import_graph) > 40  # the walk found the package, not an empty directory


def test_imports_point_down_the_flow(import_graph: nx.DiGraph) -> None:
    upward = sorted(f"{a} imports {b}" for a, b in import_graph.edges if _layer(b) > _layer(a))
    assert not upward, "a lower layer imports a higher one:\n" + "\n".join(upward)


def test_no_import_cycles(import_graph: nx.DiGraph) -> None:
    cycles = sorted(" -> ".join(c + [c[0]]) for c in nx.simple_cycles(import_graph))
    assert not cycles, "modules that import each other:\n" + "\n".join(cycles)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    # The rule is only worth having if a bad import is caught: a graph module that
    # imports the CLI is reported, whether at the top or inside a function.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kg.cli.query import query_cmd\n", "utf-8")
    found = _imports(bad, "kg.graph.bad", set(_modules()) | {"kg.graph.bad"})
    assert found == {"kg.cli.query"}
    assert _layer("kg.cli.query") > _layer("kg.graph.bad")
