"""The shape a newcomer can rely on: no import cycle, no module too long to read whole,
and the domain (the live engine, the portfolio, the scripts, the vocabulary) free of
Flask, so it can be read, tested and replayed without a request.

Anyone can run the same check: `make test PYTEST_ARGS=tests/test_architecture.py`.
The import graph comes from grimp (the library under import-linter); imports made
only for type checkers count too: a cycle a type checker has to follow is still a
cycle a reader has to.
"""

from __future__ import annotations

import graphlib
import itertools
from collections import defaultdict
from pathlib import Path

import grimp
import pytest

from app.paths import ROOT

MAX_LINES = 400


@pytest.fixture(scope="module")
def imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("app", cache_dir=None)
    return {
        module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules
    }


def _cycle(edges: dict[str, set[str]]) -> tuple[str, ...] | None:
    """One cycle, as graphlib reports it: its first node repeated at the end."""
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as found:
        return tuple(found.args[1])
    return None


def _steps(cycle: tuple[str, ...]) -> list[tuple[str, str]]:
    """The cycle's edges as (importer, imported). graphlib lists each node before the
    ones that depend on it, i.e. an imported module before its importer: read backwards."""
    return list(itertools.pairwise(reversed(cycle)))


def _explained(lines: list[str]) -> str:
    return "import cycle:\n  " + "\n  ".join(lines)


def _package(module: str) -> str:
    """`app.live.engine` → `app.live`; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def test_no_module_imports_itself_back(imports):
    cycle = _cycle(imports)
    assert cycle is None, _explained([f"{a} imports {b}" for a, b in _steps(cycle)])


def test_no_two_packages_import_each_other(imports):
    # The package `app` itself is the application factory: it wires every blueprint in,
    # so it is the one place allowed to import from everywhere.
    between: dict[str, set[str]] = defaultdict(set)
    for module, targets in imports.items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a != b and "app" not in (a, b):
                between[a].add(b)
    cycle = _cycle(between)
    assert cycle is None, _explained([_one_import(imports, a, b) for a, b in _steps(cycle)])


def _one_import(imports: dict[str, set[str]], importer: str, imported: str) -> str:
    """One module-level import that makes package `importer` import package `imported`
    (the first in name order, so the message is the same from run to run)."""
    for module in sorted(imports):
        if _package(module) != importer:
            continue
        for target in sorted(imports[module]):
            if _package(target) == imported:
                return f"{module} imports {target}"
    raise AssertionError(f"no import from {importer} to {imported}")  # pragma: no cover


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


# Packages of plain functions and dataclasses: the web (Flask and its extensions) is
# the pages' and the sockets' business, never theirs.
DOMAIN = ("app.live", "app.portfolio", "app.workshops", "app.vocabulary")


def test_the_domain_imports_nothing_of_flask():
    graph = grimp.build_graph("app", include_external_packages=True, cache_dir=None)
    web = {
        f"{module} imports {target}"
        for module in graph.modules
        if module.startswith(tuple(f"{package}." for package in DOMAIN)) or module in DOMAIN
        for target in graph.find_modules_directly_imported_by(module)
        if target.split(".")[0].startswith("flask")
    }
    assert web == set()
