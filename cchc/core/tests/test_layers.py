"""Layers that only point down (issue #18): read every module's imports (those inside functions too) and fail
on core importing an app, on an app importing an app of a higher layer, and on any circle between apps.

The layers are declared once, in the ``layers`` block of docs/architecture.md; this test reads them there so
that the picture in the docs and the rule checked here cannot drift apart. Tests and migrations are left out
(a test of core may well make a user)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

CCHC = Path(__file__).resolve().parents[2]
ARCHITECTURE = CCHC.parent / "docs" / "architecture.md"

# Edges waiting for another helper's change this session; each names what removes it. Keep it SHORT: the
# lead empties it once those changes land. (importing app, imported app): why it is still here.
PENDING: dict[tuple[str, str], str] = {}

Edges = dict[str, dict[str, list[str]]]


def declared_layers() -> list[list[str]]:
    """The ``layers`` block of docs/architecture.md, lowest layer first."""
    block = re.search(r"```layers\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```layers block"
    rows = [line.split() for line in block.group(1).splitlines() if line.strip() and line.split()[0].isdigit()]
    return [apps for _, *apps in sorted(rows, key=lambda r: int(r[0]))]


def apps_on_disk() -> set[str]:
    return {p.name for p in CCHC.iterdir() if (p / "__init__.py").exists()}


def imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    out = []
    for node in ast.walk(tree):  # every level: the imports inside functions count as much as the top ones
        if isinstance(node, ast.Import):
            out += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, node.lineno))
    return out


def app_edges(apps: set[str]) -> Edges:
    """{app: {imported app: ["path:line", …]}} over every module of the product but tests and migrations."""
    edges: Edges = defaultdict(lambda: defaultdict(list))
    for path in sorted(CCHC.rglob("*.py")):
        parts = path.relative_to(CCHC).parts
        if len(parts) < 2 or parts[0] not in apps or {"tests", "migrations"} & set(parts):
            continue
        for module, line in imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            names = module.split(".")
            if names[0] == "cchc" and len(names) > 1 and names[1] in apps and names[1] != parts[0]:
                edges[parts[0]][names[1]].append(f"{path.relative_to(CCHC.parent)}:{line}")
    return edges


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _checked(edges: Edges) -> dict[str, set[str]]:
    return {a: {b for b in targets if (a, b) not in PENDING} for a, targets in edges.items()}


def test_every_app_has_a_layer():
    placed = [app for layer in declared_layers() for app in layer]
    assert len(placed) == len(set(placed)), "an app is in two layers of docs/architecture.md"
    assert declared_layers()[0] == ["core"]
    missing = apps_on_disk() - set(placed)
    assert not missing, f"apps without a layer in docs/architecture.md: {sorted(missing)}"


def test_core_imports_no_app():
    edges = app_edges(apps_on_disk())
    assert not edges.get("core"), f"core imports apps: {dict(edges['core'])}"


def test_no_app_imports_a_higher_layer():
    level = {app: n for n, layer in enumerate(declared_layers()) for app in layer}
    edges = app_edges(apps_on_disk())
    upward = {
        f"{a} → {b}": where[:3]
        for a, targets in _checked(edges).items()
        for b in targets
        if level.get(b, 0) > level.get(a, 0)
        for where in [edges[a][b]]
    }
    assert not upward, f"imports pointing up (layers in docs/architecture.md): {upward}"


def test_no_circle_between_apps():
    found = circles(_checked(app_edges(apps_on_disk())))
    assert not found, f"import circles between apps: {found}"


def test_the_checks_catch_what_they_should():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    tree = ast.parse("import cchc.org\ndef f():\n    from cchc.accounts import scope\n")
    assert [m for m, _ in imported_modules(tree)] == ["cchc.org", "cchc.accounts"]
