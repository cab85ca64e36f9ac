"""Hostile text in a real browser (issue 11 point 5): on the pages that show the payloads of
tests/test_hostile_text.py, no link, image or styled span from the data exists in the page, and
the browser fetches nothing from the payloads' host. Screenshots go to $MINYI_SCREENSHOTS."""

from __future__ import annotations

import pytest

from pages.ui import labels
from tests.test_browser import _streamlit, screenshot, settle, signed_in_context
from tests.test_hostile_text import hostile_db  # noqa: F401

pytestmark = pytest.mark.playwright

EVIL = "evil.example"


@pytest.mark.parametrize("name", ["complaints", "survey", "rectification"])
def test_hostile_text_shows_as_text_in_the_browser(hostile_db, browser, name):
    with _streamlit(hostile_db) as url:
        context = signed_in_context(browser, url, hostile_db, role="analyst")
        tab = context.new_page()
        outside = []
        tab.on("request", lambda r: EVIL in r.url and outside.append(r.url))
        tab.goto(f"{url}/{name}")
        settle(tab)
        tab.get_by_role("heading", name=labels.TITLES[name], level=1).wait_for(timeout=90_000)
        path = screenshot(tab, f"hostile_{name}")
        assert tab.locator(f"a[href*='{EVIL}']").count() == 0, path
        assert tab.locator(f"img[src*='{EVIL}']").count() == 0, path
        assert tab.locator("span[style*='font-size:40px']").count() == 0, path
        assert tab.get_by_test_id("stException").count() == 0, path
        assert outside == [], path
        context.close()
