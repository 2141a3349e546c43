"""The package's layers: arrows point down only (web -> services -> domain), read from the imports.

An import under `if TYPE_CHECKING:` names a shape for annotations and loads nothing, so it is not
an arrow: a renderer may say which service builds what it draws.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "gangway"
SHARED = {"config", "extensions", "keys"}  # the singletons: open to every layer but the domain
MAY_IMPORT = {  # layer: the layers it may import at run time
    "domain": {"domain"},
    "db": {"db", "domain"},
    "render": {"render", "db", "domain"},
    "imaging": {"imaging", "db", "domain"},
    "services": {"services", "background", "render", "imaging", "db", "domain"},
    "background": {"background", "services", "render", "imaging", "db", "domain"},
    "cli": {"cli", "services", "background", "render", "imaging", "db", "domain"},
    "web": {"web", "services", "background", "render", "imaging", "db", "domain"},
}
BUILD_AN_APP = {"cli", "background"}  # a command or a worker process starts from the factory
TOP_LEVEL = {"__init__.py", "config.py", "extensions.py", "keys.py"}


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _runtime_imports(tree: ast.Module):
    """Yield the gangway modules a file imports when it runs (TYPE_CHECKING blocks left out)."""
    skipped = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            skipped.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "gangway":
                yield from (f"gangway.{alias.name}" for alias in node.names)
            elif node.module.startswith("gangway."):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("gangway."))


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_layers_below_it(path):
    layer = _layer(path)
    if layer in TOP_LEVEL:
        return  # the factory wires every layer together
    allowed = MAY_IMPORT[layer] | (set() if layer == "domain" else SHARED)
    if layer in BUILD_AN_APP:
        allowed = allowed | {"create_app"}
    wrong = [
        name
        for name in _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        if name.split(".")[1] not in allowed
    ]
    assert wrong == [], f"{layer} may not import {wrong}"


def test_no_relative_imports_so_a_module_can_move_without_breaking_its_neighbours():
    relative = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path in _modules()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert relative == []


def test_the_top_level_holds_only_the_factory_configuration_extensions_and_keys():
    loose = {p.name for p in PACKAGE.glob("*.py")}
    assert loose == TOP_LEVEL


def test_no_folder_holds_more_than_fifteen_modules():
    crowded = {
        str(folder.relative_to(PACKAGE)): count
        for folder in [PACKAGE, *(p for p in PACKAGE.rglob("*") if p.is_dir())]
        if "migrations" not in folder.parts and "__pycache__" not in folder.parts
        if (count := len([p for p in folder.glob("*.py") if p.name != "__init__.py"])) > 15
    }
    assert crowded == {}


def test_the_checker_sees_a_wrong_arrow_and_ignores_a_type_only_import():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from gangway.services.scan import scanning\n"
        "from gangway import web\n"
        "if TYPE_CHECKING:\n"
        "    from gangway.web.auth import login\n"
    )
    assert list(_runtime_imports(tree)) == ["gangway.services.scan", "gangway.web"]
