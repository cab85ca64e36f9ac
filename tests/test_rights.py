"""The one table of rights (auth/rights.py): what each role may do, and that the code asks only
for rights the table has, with every page naming its right there."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from auth import accounts, rights

ROOT = Path(__file__).resolve().parents[1]
CODE = ["app.py", "pages", "queries", "etl", "auth", "demo", "intel", "bench", "briefing"]


def python_files() -> list[Path]:
    out = []
    for entry in CODE:
        path = ROOT / entry
        if path.exists():
            out += [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
    return out


def rights_asked_for() -> dict[str, set[str]]:
    """right -> files, for every call x.can("…") / can("…") / allowed("…") / allows(role, "…")."""
    asked: dict[str, set[str]] = {}
    for file in python_files():
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", None)
            )
            position = {"can": 0, "allowed": 0, "allows": 1}.get(name)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                asked.setdefault(argument.value, set()).add(str(file.relative_to(ROOT)))
    return asked


def test_every_right_the_code_asks_for_is_in_the_table():
    asked = rights_asked_for()
    assert {"export", "undo", "profile", "alias"} <= set(asked)  # the walk finds them
    assert {r: sorted(files) for r, files in asked.items() if r not in rights.RIGHTS} == {}


def test_every_page_has_its_right_and_checks_it_by_name():
    pages = sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")
    assert sorted(rights.PAGES) == pages
    assert set(rights.PAGES.values()) <= set(rights.RIGHTS)
    for page in pages:
        source = (ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8")
        assert f'gate.require("{page}")' in source, page


def test_what_each_role_may_do():
    grid = {
        role: sorted(r for r in rights.RIGHTS if rights.allows(role, r)) for role in accounts.ROLES
    }
    assert grid == {
        "leader": ["view"],
        "analyst": ["export", "label", "view"],
        "staff": ["export", "label", "undo", "upload", "view"],  # undo: their own imports only
        "admin": sorted(rights.RIGHTS),
    }
    assert tuple(accounts.ROLES) == rights.ROLE_NAMES


def test_a_right_missing_from_the_table_is_an_error_not_a_refusal():
    with pytest.raises(KeyError, match="auth/rights.py"):
        rights.allows("admin", "mange")
