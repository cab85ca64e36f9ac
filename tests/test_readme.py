"""The repository explains itself: the README lists every command and every MINYI_* variable, and
the README, docs/ and code comments point only to files inside the repository."""

from __future__ import annotations

import argparse
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# python -m <package> for each command line the product has (briefing/ once it exists).
COMMANDS = [name for name in ("etl", "auth", "bench", "demo", "briefing") if (ROOT / name).is_dir()]
SOURCES = [
    "app.py",
    "Makefile",
    "pages",
    "queries",
    "etl",
    "auth",
    "demo",
    "intel",
    "bench",
    "briefing",
    "tests",
    ".streamlit",
]


class _Parsed(Exception):
    def __init__(self, parser: argparse.ArgumentParser):
        self.parser = parser


def parser_of(package: str, monkeypatch) -> argparse.ArgumentParser:
    """The argparse parser `python -m <package>` builds (caught as it starts parsing)."""

    def catch(self, *args, **kwargs):
        raise _Parsed(self)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", catch)
    main = importlib.import_module(f"{package}.__main__").main
    with pytest.raises(_Parsed) as caught:
        main([])
    return caught.value.parser


def words_of(parser: argparse.ArgumentParser) -> list[str]:
    """Its subcommands, or (a command without them) its long options."""
    subcommands = [
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    ]
    if subcommands:
        return subcommands
    return [
        o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"
    ]


@pytest.mark.parametrize("package", COMMANDS)
def test_every_subcommand_is_in_the_readme(package, monkeypatch):
    words = words_of(parser_of(package, monkeypatch))
    assert words  # the walk found the parser's commands
    if package == "etl":
        assert {"load", "inspect", "rebuild", "migrate"} <= set(words)
    if all(w.startswith("--") for w in words):
        missing = [w for w in words if w not in README]
    else:
        missing = [
            w
            for w in words
            if not re.search(rf"python -m {package}\b[^\n`]*\b{re.escape(w)}\b", README)
            and f"`{w}" not in README
        ]
    assert missing == []


def code_files() -> list[Path]:
    out = []
    for entry in SOURCES:
        path = ROOT / entry
        if path.is_file():
            out.append(path)
        elif path.is_dir():
            out += [
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix in {".py", ".sql", ".toml", ".sh", ""}
                and "__pycache__" not in p.parts
            ]
    return out


def test_every_minyi_variable_is_in_the_readme():
    names = set()
    for file in code_files():
        names.update(
            re.findall(r"MINYI_[A-Z0-9_]+", file.read_text(encoding="utf-8", errors="ignore"))
        )
    assert {"MINYI_DB", "MINYI_CONFIG_DB", "MINYI_DEMO"} <= names  # the grep works
    assert sorted(n for n in names if f"`{n}`" not in README) == []


# Places outside the repository that comments and docs once pointed to.
OUTSIDE = re.compile(r"\.\./shared|DESIGN\.md|PITFALLS|STYLE(\.md| B\.)")


def test_readme_docs_and_comments_point_only_inside_the_repository():
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += [f for f in code_files() if "tests" not in f.relative_to(ROOT).parts]
    hits = [
        f"{file.relative_to(ROOT)}:{n}"
        for file in files
        for n, line in enumerate(file.read_text(encoding="utf-8", errors="ignore").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert hits == []


def test_docs_links_name_files_that_exist():
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith("http"):
                continue
            assert (page.parent / target).exists(), (page.name, target)
