"""The shape a newcomer can rely on: no import cycle, no module too long to read whole.

Anyone can run the same check: `.venv/bin/python -m pytest tests/test_architecture.py`.
The import graph comes from grimp (the library under import-linter); imports made
only for type checkers are left out, as they never run.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("app", exclude_type_checking_imports=True)
    return {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }


def _cycle(edges: dict[str, set[str]]) -> tuple[str, ...] | None:
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as found:
        return tuple(found.args[1])
    return None


def _package(module: str) -> str:
    """`app.live.engine` → `app.live`; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def test_no_module_imports_itself_back(imports):
    assert _cycle(imports) is None


def test_no_two_packages_import_each_other(imports):
    # The package `app` itself is the application factory: it wires every blueprint in,
    # so it is the one place allowed to import from everywhere.
    between: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports.items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a != b and "app" not in (a, b):
                between[a].add(b)
    assert _cycle(between) is None


def _sources() -> list[Path]:
    found = [
        *(ROOT / "app").rglob("*.py"),
        *(ROOT / "static").rglob("*.js"),
        *(ROOT / "static").rglob("*.css"),
    ]
    return [p for p in found if "vendor" not in p.parts and "migrations" not in p.parts]


def test_no_module_is_longer_than_a_newcomer_reads_whole():
    long = {
        str(path.relative_to(ROOT)): n
        for path in _sources()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
