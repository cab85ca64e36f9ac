"""The file uploader in a real browser (chromium) has no English left: not in what it shows (the
button, the size line, the words shown while a file is dragged over it, a staged file's chip) nor
in its aria-labels and titles, which a screen reader reads out. Streamlit has no setting for these
words; the page replaces them (pages/ui/upload.py, uploader_in_chinese)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pages.ui import labels
from tests.conftest import CHROMIUM_ARGS
from tests.signin import cookie
from tests.test_browser import _streamlit, settle
from tests.test_browser_upload import in_own_thread
from tests.test_upload import calls_gbk

pytestmark = pytest.mark.playwright

# Streamlit 1.67's own words in the uploader (static/js FileUploader and utils chunks).
ENGLISH = re.compile(
    r"Browse files|Drag and drop|Limit|per file|Upload|Remove|Add files|Cancel upload|"
    r"Click to retry|Error|\bfiles?\b",
    re.IGNORECASE,
)

# What a person and a screen reader get from the uploader: its text (icons are glyphs of an icon
# font, their ligature names no words) and every aria-label and title in it.
WORDS = """() => {
    const area = document.querySelector('[data-testid="stFileUploader"]');
    const copy = area.cloneNode(true);
    copy.querySelectorAll('[data-testid="stIconMaterial"], svg').forEach((e) => e.remove());
    const named = [...area.querySelectorAll('[aria-label], [title]'), area];
    return {
        text: copy.textContent,
        names: named.flatMap((e) => [e.getAttribute('aria-label'), e.getAttribute('title')])
            .filter((v) => v),
    };
}"""


def english(found: dict) -> list[str]:
    return ENGLISH.findall(" | ".join([found["text"], *found["names"]]))


def test_the_uploader_speaks_chinese_in_text_and_aria_labels(scratch_db):
    in_own_thread(lambda: uploader_flow(scratch_db))


def uploader_flow(database: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, _streamlit(database) as url:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([cookie(url, database, "admin")])
        tab = context.new_page()
        tab.goto(f"{url}/upload")
        settle(tab)

        empty = tab.evaluate(WORDS)
        assert english(empty) == [], empty
        assert "选择文件" in empty["text"] and "单个文件不超过 500 MB" in empty["text"]

        # While a file is dragged over it, the dropzone shows a line of its own.
        tab.evaluate(
            """() => {
            const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
            const moving = new DataTransfer();
            moving.items.add(new File(['x'], '回访.csv', {type: 'text/csv'}));
            zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: moving, bubbles: true}));
            }"""
        )
        tab.get_by_text("将文件拖放到这里").wait_for(timeout=10_000)
        dragging = tab.evaluate(WORDS)
        assert english(dragging) == [], dragging
        tab.evaluate(
            """() => document.querySelector('[data-testid="stFileUploaderDropzone"]')
            .dispatchEvent(new DragEvent('dragleave', {bubbles: true}))"""
        )

        # A staged file: its chip's remove button and the add-more button.
        tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "回访.csv", "mimeType": "text/csv", "buffer": calls_gbk()}]
        )
        tab.get_by_text(labels.UPLOAD_PREVIEW).wait_for(timeout=90_000)
        settle(tab)
        staged = tab.evaluate(WORDS)
        assert english(staged) == [], staged
        assert "移除 回访.csv" in staged["names"]
        assert "添加文件" in staged["names"]
        browser.close()
