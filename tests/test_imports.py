"""The package's modules import one another without cycles.

A cycle works until someone moves an import and a module is used half-initialised: the graph
of module-level imports (those run on import; imports inside functions are deliberate late
ones) must be acyclic, and the build package's modules import on their own in a fresh
interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "_defaults" not in p.parts}


def _top_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports run when the module is imported: at module level, and in module-level ``if`` and
    ``try`` blocks (but not ``if TYPE_CHECKING:``); not inside functions or classes."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If):
            if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            for handler in node.handlers:
                pending += handler.body
    return found


def import_graph(late: bool = False) -> dict[str, set[str]]:
    """Per module of the package, the modules of the package it imports (with ``late``, also
    those imported inside functions)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)] if late \
            else _top_level_imports(tree)
        targets: set[str] = set()
        for node in nodes:
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names if alias.name in modules}
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if submodule in modules:
                    targets.add(submodule)
                elif base in modules:
                    targets.add(base)
        graph[name] = targets - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of ``graph`` (as the list of its modules, the first repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target):], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_find_cycle_finds_one() -> None:
    """The checker itself: a cycle is found, a chain is not (else the tests below prove nothing)."""
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_graph_sees_relative_imports() -> None:
    """The graph resolves ``from ..x import y`` and ``from . import module`` (so that an empty graph
    cannot pass for an acyclic one)."""
    graph = import_graph()
    assert "generator.build.catalog" in graph["generator.build.driver"]
    assert "generator.publish" in graph["generator.build.driver"]  # ``from .. import publish``
    assert "generator.build.report" in graph["generator.build.catalog"]


def test_no_import_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_serve_does_not_import_the_command_line() -> None:
    """``cli`` starts ``serve``; ``serve`` needs nothing of ``cli`` (not even late)."""
    graph = import_graph(late=True)
    assert "generator.serve" in graph["generator.cli"]
    assert "generator.cli" not in graph["generator.serve"]


@pytest.mark.parametrize("module", sorted(m for m in _modules() if m.startswith("generator.build")
                                          or m in ("generator.cli", "generator.serve")))
def test_module_imports_alone(module: str) -> None:
    """Each module of the build package (and cli, serve) imports first, in a fresh interpreter."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                            cwd=PACKAGE.parent, timeout=120)
    assert result.returncode == 0, result.stderr


def test_build_modules_stay_small() -> None:
    """The build driver is split by stage so that each part can be read alone (issue 19)."""
    sizes = {path.name: len(path.read_text(encoding="utf-8").splitlines())
             for path in (PACKAGE / "build").glob("*.py")}
    assert len(sizes) >= 8
    assert {name: size for name, size in sizes.items() if size > 400} == {}
