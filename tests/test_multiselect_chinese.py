"""Streamlit's multiselect offers an English 「Select all」 row and shows 「Choose options」 when
empty; neither word can be configured, so every multiselect of the app hides the first
(select_all=False) and gives its own placeholder (issue 10 point 11)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def multiselect_calls() -> list[tuple[str, ast.Call]]:
    found = []
    for path in sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "multiselect"
            ):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node))
    return found


def test_the_app_has_multiselects_to_check():
    assert len(multiselect_calls()) >= 7


def test_no_multiselect_offers_the_english_select_all_or_placeholder():
    wrong = []
    for where, call in multiselect_calls():
        given = {k.arg: k.value for k in call.keywords}
        hidden = isinstance(given.get("select_all"), ast.Constant) and (
            given["select_all"].value is False
        )
        if not hidden or "placeholder" not in given:
            wrong.append(where)
    assert wrong == []
