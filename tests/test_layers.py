"""Which package may import which: the layering the architecture relies on, checked on the source.

Imports are read from the syntax tree, so an import inside a function counts as much as one at the
top of a file.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Every module an `import` or `from … import` in the file names (absolute imports only); for
    `from a import b` both a and a.b, since b may be a module."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports_of_package(package: str) -> dict[str, set[str]]:
    return {
        str(path.relative_to(ROOT)): imported_modules(path)
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def top_level(module: str) -> str:
    return module.split(".", 1)[0]


def test_the_loader_imports_neither_auth_nor_the_demo():
    # The demo seeds the demo accounts, so it depends on auth; the loader depends on neither.
    offending = {
        file: sorted(m for m in modules if top_level(m) in {"auth", "demo"})
        for file, modules in imports_of_package("etl").items()
    }
    assert {file: mods for file, mods in offending.items() if mods} == {}


def test_the_check_finds_an_import_inside_a_function(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from auth.accounts import create_demo_accounts\n")
    assert imported_modules(sample) == {"auth.accounts", "auth.accounts.create_demo_accounts"}


def test_the_gate_and_the_query_cache_do_not_import_each_other():
    # data reads who is signed in from signed_in; the gate may use data (for unit names).
    data = imported_modules(ROOT / "pages" / "ui" / "data.py")
    gate = imported_modules(ROOT / "pages" / "ui" / "gate.py")
    assert "pages.ui.gate" not in data
    assert "pages.ui.data" in gate  # one way only
    assert "pages.ui.signed_in" in data
