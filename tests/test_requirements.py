"""What the code imports is pinned, at the version installed; single sign-on's path imports."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, version
from pathlib import Path

from streamlit import auth_util

ROOT = Path(__file__).resolve().parents[1]
CODE = ["app.py", "pages", "queries", "etl", "auth", "demo", "intel", "bench", "briefing"]


def pins(*files: str) -> dict[str, str]:
    """name (lower case) -> version of every `name==version` line of the requirements files."""
    found = {}
    for file in files:
        for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*([A-Za-z0-9_.\-]+)==([^\s#]+)", line)
            if match:
                found[match.group(1).lower()] = match.group(2)
    return found


def third_party_distributions() -> set[str]:
    """Distributions the product's code imports directly (standard library and own packages out)."""
    owners = packages_distributions()
    modules = set()
    for entry in CODE:
        path = ROOT / entry
        if not path.exists():
            continue
        for file in [path] if path.suffix == ".py" else sorted(path.rglob("*.py")):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules.add(node.module.split(".")[0])
    return {owners[m][0] for m in modules if m not in sys.stdlib_module_names and m in owners}


def test_every_imported_package_is_pinned_at_its_installed_version():
    pinned = pins("requirements.txt", "tests/requirements.txt")
    used = third_party_distributions()
    assert {"numpy", "pillow", "duckdb", "streamlit"} <= used  # the walk sees the imports
    unpinned = sorted(d for d in used if d.lower() not in pinned)
    assert unpinned == []
    wrong = {d: (pinned[d.lower()], version(d)) for d in used if pinned[d.lower()] != version(d)}
    assert wrong == {}


def test_single_sign_on_dependencies_are_pinned_at_their_installed_versions():
    pinned = pins("requirements.txt")
    assert pinned["authlib"] == version("Authlib")
    assert pinned["httpx"] == version("httpx")


def test_the_st_login_path_imports_and_builds_its_oauth_client():
    # st.login: Streamlit checks Authlib, then its server builds an Authlib Starlette client for
    # the provider of .streamlit/secrets.toml; registering one fetches nothing yet.
    assert auth_util.is_authlib_installed()
    from authlib.integrations.starlette_client import OAuth
    from streamlit.web.server.starlette import starlette_auth_routes

    assert callable(starlette_auth_routes._create_oauth_client)
    client = OAuth().register(
        "default",
        client_id="minyi",
        client_secret="s",
        server_metadata_url="https://sso.example/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile"},
    )
    assert client.client_id == "minyi"
