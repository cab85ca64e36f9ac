"""Shared fixtures: one sample warehouse per session, every test pointed at it, AppTest helper."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # `import etl`, `queries`, `pages.ui` however pytest is invoked

REALDATA = ROOT.parent / "shared" / "realdata"
SAMPLE = ROOT / "data" / "sample"


def pytest_addoption(parser):
    parser.addoption("--playwright", action="store_true", help="also run the real-browser tests")


def pytest_configure(config):
    config.addinivalue_line("markers", "playwright: real-browser test; runs with --playwright")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--playwright"):
        return
    skip = pytest.mark.skip(reason="real-browser test: run with --playwright (make test does)")
    for item in items:
        if "playwright" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    """The warehouse exactly as the loader builds it from data/sample/manifest.json."""
    from etl.load import load_manifest

    out = tmp_path_factory.mktemp("warehouse") / "minyi.duckdb"
    load_manifest(out, SAMPLE / "manifest.json")
    return out


@pytest.fixture
def scratch_db(sample_db, tmp_path) -> Path:
    """A private copy of the sample warehouse that a test may write to."""
    path = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, path)
    return path


@pytest.fixture(autouse=True)
def use_sample_db(request, monkeypatch, tmp_path_factory):
    """Keep a developer's real data/minyi.duckdb out of every test, and start with cold caches.
    Loads start no background job (intel.jobs) unless a test asks: one swapping in its file
    while a test reads would move the figures under it."""
    monkeypatch.setenv("MINYI_JOBS", "off")
    if "sample_db" in request.fixturenames or "app" in request.fixturenames:
        monkeypatch.setenv("MINYI_DB", str(request.getfixturevalue("sample_db")))
    else:
        monkeypatch.setenv("MINYI_DB", str(tmp_path_factory.getbasetemp() / "no-such.duckdb"))
    import streamlit as st

    st.cache_data.clear()


@pytest.fixture
def realdata() -> Path:
    """../shared/realdata, or skip where the real exports are not beside the checkout."""
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is not present")
    return REALDATA


# Debian's chromium on a closed network: no background connections, no first-run screens.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# One browser for the whole session, shared by every test module that takes `browser`: a second
# sync_playwright while this one runs fails ("Sync API inside the asyncio loop").
@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
