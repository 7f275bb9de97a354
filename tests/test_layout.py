"""The package's imports run one way: no module reaches, however indirectly, back to itself, and no
layer imports a layer above it (docs/architecture.md: core, the contract as data, target, lanes,
session, reports, the CLI and the plugin on top); one lane never imports another.

Every ``import conformance...`` and ``from conformance... import`` counts, those under
``TYPE_CHECKING`` included (a reader is tied to what they name as much as the interpreter).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "conformance"


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text())):
            targets = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else []  # fmt: skip
            for target in targets:
                while target and target not in modules:  # `from conformance.x import name`: the module x
                    target = target.rpartition(".")[0]
                if target and target != name and target.startswith("conformance"):
                    graph[name].add(target)
    return graph


def _a_circle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return []


def test_no_import_circle() -> None:
    graph = _imports()
    assert len(graph) > 40 and graph["conformance.target.http"]  # the walk sees the package
    # a package imports its own modules (``__init__`` re-exports them): only circles through other modules count
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not (name == t.rpartition(".")[0] and name != "conformance")}
    graph["conformance"] = set()  # the public surface imports what it exports; nothing imports it back
    assert _a_circle(graph) == []


# Bottom up; a module may import its own layer and those before it. "top": the modules directly in
# conformance/ (the public surface, the CLI, the pytest plugin and its session hooks).
LAYERS = ("core", "requirements", "scenarios", "target", "lanes", "session", "reports", "top", "suite")
LANES = ("contract", "sdk", "schema", "race", "faults")


def _layer(module: str) -> tuple[str, str]:
    """The module's layer, and its lane ("" outside one)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in LAYERS:
        return "top", ""
    lane = parts[2] if parts[1] == "lanes" and len(parts) > 3 and parts[2] in LANES else ""
    return parts[1], lane


def test_no_layer_imports_one_above_it_and_no_lane_another() -> None:
    graph = _imports()
    assert {_layer(m)[1] for m in graph} >= set(LANES)  # the walk sees every lane's folder
    upward, across = [], []
    for module, imported in sorted(graph.items()):
        layer, lane = _layer(module)
        for target in sorted(imported):
            other, other_lane = _layer(target)
            if LAYERS.index(other) > LAYERS.index(layer):
                upward.append(f"{module} -> {target}")
            if lane and other_lane and lane != other_lane:
                across.append(f"{module} -> {target}")
    assert upward == [] and across == []


def test_few_modules_stay_at_the_top() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 10, top
