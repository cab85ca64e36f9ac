"""The upload flow in a real browser (chromium): deep link to /upload on a fresh server, drop a GBK
export, preview, load, see the dashboard move, download the rejected rows, undo. Screenshots of the
preview, the summary and the undo go to $MINYI_SCREENSHOTS (default <tmp>/minyi-screenshots)."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from pages.ui import labels
from pages.ui import labels_upload as text
from tests.conftest import CHROMIUM_ARGS
from tests.signin import cookie
from tests.test_browser import _streamlit, metric, screenshot, settle
from tests.test_upload import calls_gbk

pytestmark = pytest.mark.playwright


def choose(page, label: str, text: str) -> None:
    """Pick the option containing `text` in the selectbox labelled `label` (typing filters it)."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.locator("input").click()
    page.keyboard.insert_text(text)  # typed keys would go through an input method for 汉字
    page.get_by_role("option").filter(has_text=text).first.click()
    settle(page)


def in_own_thread(test) -> None:
    """Run `test` on a thread of its own: the sync Playwright API will not start on a thread where
    another instance (the session browser of tests/test_browser.py) already runs its event loop."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            test()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread below
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


def test_upload_preview_load_dashboard_and_undo(scratch_db, capsys):
    shots: list[Path] = []
    in_own_thread(lambda: upload_flow(scratch_db, shots))
    with capsys.disabled():
        print(f"\nscreenshots: {', '.join(str(p) for p in shots)}")


def upload_flow(database: Path, shots: list[Path]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, _streamlit(database) as url:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        # An administrator loads, checks the dashboard and undoes the load.
        context = browser.new_context(
            viewport={"width": 1400, "height": 900}, accept_downloads=True
        )
        context.add_cookies([cookie(url, database, "admin")])
        tab = context.new_page()
        outside: list[str] = []
        tab.on(
            "request",
            lambda r: (
                r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
                or outside.append(r.url)
            ),
        )
        # PITFALLS P1: the first request of a fresh server is the deep link itself.
        tab.goto(f"{url}/upload")
        settle(tab)
        assert tab.get_by_role("heading", name=labels.TITLES["upload"], level=1).is_visible()

        tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "calls.csv", "mimeType": "text/csv", "buffer": calls_gbk()}]
        )
        tab.get_by_text(labels.UPLOAD_PREVIEW).wait_for(timeout=60_000)
        settle(tab)
        # The hand count of tests/test_upload.py: 12 rows read, 7 new, 5 rejected.
        assert (
            metric(tab, labels.UPLOAD_READ),
            metric(tab, labels.UPLOAD_NEW),
            metric(tab, labels.UPLOAD_REJECTED),
        ) == ("12", "7", "5")
        shots.append(screenshot(tab, "upload_preview"))

        tab.get_by_role("button", name=labels.UPLOAD_LOAD.format(n=1)).click()
        tab.get_by_text(labels.UPLOAD_SUMMARY, exact=True).wait_for(timeout=120_000)
        settle(tab)
        assert tab.get_by_text("已导入 1 个文件：新增 7 行，更新 0 行，拒绝 5 行。").is_visible()
        with tab.expect_download() as download:
            tab.get_by_role("button", name=labels.UPLOAD_REJECTED_CSV).click()
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"\xef\xbb\xbf")
        assert "2024-13-01" in content.decode("utf-8-sig")
        shots.append(screenshot(tab, "upload_summary"))

        # The dashboard in the same browser: 30 sample records + 7 new.
        tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["satisfaction"]).click()
        settle(tab)
        assert metric(tab, "回访记录数") == "37"

        tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["upload"]).click()
        settle(tab)
        choose(tab, labels.UPLOAD_UNDO_PICK, "calls.csv")
        tab.get_by_role("button", name=labels.UPLOAD_UNDO, exact=True).click()
        settle(tab)
        tab.get_by_role("button", name=labels.UPLOAD_UNDO_YES).click()
        settle(tab)
        # The undo runs in a child process: wait for its result.
        tab.get_by_text("删除 7 行，恢复 0 行").wait_for(timeout=120_000)
        shots.append(screenshot(tab, "upload_undone"))
        assert tab.get_by_test_id("stException").count() == 0

        tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["satisfaction"]).click()
        settle(tab)
        assert metric(tab, "回访记录数") == "30"
        assert outside == []

        # The clerk of 东城分局 loads the same file: only 东风's and 南湖's rows are taken
        # (tests/test_upload.py counts them by hand), and their dashboard moves by them.
        clerk = browser.new_context(viewport={"width": 1400, "height": 900})
        clerk.add_cookies([cookie(url, database, "staff")])
        tab = clerk.new_page()
        tab.goto(f"{url}/upload")
        settle(tab)
        assert tab.get_by_text(labels.UPLOAD_SCOPE.format(unit="江城市公安局东城分局")).is_visible()
        tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            files=[{"name": "calls.csv", "mimeType": "text/csv", "buffer": calls_gbk()}]
        )
        tab.get_by_text(labels.UPLOAD_PREVIEW).wait_for(timeout=60_000)
        settle(tab)
        assert (metric(tab, labels.UPLOAD_NEW), metric(tab, labels.UPLOAD_REJECTED)) == ("4", "8")
        shots.append(screenshot(tab, "upload_staff_preview"))  # the reasons are in a grid (canvas)
        tab.get_by_role("button", name=labels.UPLOAD_LOAD.format(n=1)).click()
        tab.get_by_text(labels.UPLOAD_SUMMARY, exact=True).wait_for(timeout=120_000)
        settle(tab)
        shots.append(screenshot(tab, "upload_staff_summary"))
        # A clerk may undo their own import (tests/test_upload_undo.py).
        assert tab.get_by_role("button", name=labels.UPLOAD_UNDO, exact=True).count() == 1
        tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["satisfaction"]).click()
        settle(tab)
        assert metric(tab, "回访记录数") == "17"  # 东城分局's 13 and N01 N02 N05 N06
        assert tab.get_by_test_id("stException").count() == 0
        browser.close()


# A message board's export with no unit column: B3 has a month 13, B4 no text (content is required).
BOARD = (
    "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n"
    "B1,A001,路灯不亮,2024/4/1 9:00,东风路路灯坏了一周,0,1\n"
    "B2,A002,噪音扰民,2024/4/2 22:00,夜间施工噪音很大,0,3\n"
    "B3,A003,停车难,2024/13/03 8:30,小区门口乱停车,1,0\n"
    "B4,A004,咨询,2024/4/4 10:00,,0,0\n"
)


def test_a_clerk_takes_four_exports_from_upload_to_dashboard_without_an_error(scratch_db, capsys):
    """Issue 10's walk: a message board export with no unit column, its corrected rejected-rows
    file, a GBK CSV with multi-line quoted notes and an export with English headers, each from
    upload to the dashboard, which moves by exactly the summary's 新增."""
    shots: list[Path] = []
    in_own_thread(lambda: board_flow(scratch_db, shots))
    with capsys.disabled():
        print(f"\nscreenshots: {', '.join(str(p) for p in shots)}")


# Callbacks as Excel writes a CSV in GBK: quoted notes over several lines. M3 is of 西城分局,
# outside the clerk's tree: rejected.
MULTILINE_GBK = (
    "警情编号,报警时间,管辖单位,回访结果,回访记录\r\n"
    'M1,2024-04-12 08:00,东风派出所,满意,"第一次回访：满意\r\n第二次回访：仍满意"\r\n'
    'M2,2024-04-13 09:30,南湖派出所,不满意,"民警到场慢\r\n希望改进, 谢谢"\r\n'
    "M3,2024-04-14 10:00,西山派出所,满意,\r\n"
).encode("gbk")
# A web system's export: English field names, the meaning plain.
ENGLISH = (
    "id,title,content,created_at,status,unit,channel\n"
    "E1,路灯不亮,东风路路灯坏了,2024-04-05 09:00,已办结,东风派出所,12345\n"
    "E2,夜间噪音,小区夜间施工噪音,2024-04-06 21:00,办理中,南湖派出所,12345\n"
).encode()


def drop(tab, name: str, content: bytes) -> None:
    tab.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    tab.get_by_text(labels.UPLOAD_PREVIEW).wait_for(timeout=90_000)
    settle(tab)


def last_metric(tab, label: str) -> str:
    """The last metric so labelled: the preview's, below the summary of an earlier load."""
    card = tab.get_by_test_id("stMetric").filter(has_text=label).last
    return card.get_by_test_id("stMetricValue").inner_text()


def metric_becomes(tab, label: str, value: str, timeout_s: float = 90) -> str:
    """The preview's metric once it shows `value` (a preview runs in a child process and takes
    seconds), else what it shows at the timeout."""
    for _ in range(int(timeout_s * 2)):
        if last_metric(tab, label) == value:
            break
        tab.wait_for_timeout(500)
    settle(tab)
    return last_metric(tab, label)


def dashboard(tab, page: str, label: str) -> int:
    """The figure `label` of dashboard page `page` as a number, then back to the upload page."""
    tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES[page]).click()
    settle(tab)
    value = int(metric(tab, label).replace(",", ""))
    assert tab.get_by_test_id("stException").count() == 0
    tab.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["upload"]).click()
    settle(tab)
    return value


def uploader_words(tab) -> dict[str, str]:
    """The dropzone's button and size line as shown (tests/test_browser_uploader_words.py walks
    all of the uploader's words and aria-labels)."""
    return tab.evaluate(
        """() => {
        const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        return {button: zone.querySelector('button p').innerText,
                limit: zone.querySelector(
                    '[data-testid="stFileUploaderDropzoneInstructions"] span').innerText};
        }"""
    )


def drawn_over_chips(tab) -> list[str]:
    """Text CSS draws after any element of the dropzone holding staged files."""
    return tab.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"] *')]
        .map((e) => getComputedStyle(e, '::after').content)
        .filter((c) => c !== 'none' && c !== 'normal')"""
    )


def no_error_box(tab) -> None:
    assert tab.get_by_test_id("stException").count() == 0
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0


def load_and_wait(tab) -> None:
    tab.get_by_role("button", name=labels.UPLOAD_LOAD.format(n=1)).click()
    tab.get_by_text(labels.UPLOAD_SUMMARY, exact=True).wait_for(timeout=120_000)
    settle(tab)


def board_flow(database: Path, shots: list[Path]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, _streamlit(database) as url:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        clerk = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        clerk.add_cookies([cookie(url, database, "staff")])
        tab = clerk.new_page()
        tab.goto(f"{url}/upload")
        settle(tab)
        shots.append(screenshot(tab, "upload_empty"))
        # The uploader's own English words are replaced by Chinese ones.
        assert uploader_words(tab) == {
            "button": text.UPLOADER_BUTTON,
            "limit": text.UPLOADER_LIMIT.format(mb=500),
        }
        received = dashboard(tab, "complaints", labels.KPI_RECEIVED)
        callbacks = dashboard(tab, "satisfaction", "回访记录数")

        # (a) Every row rejected: was KeyError: 'change' and a traceback. Now the reason and the
        # way forward, and the unit of the whole file to pick.
        drop(tab, "board.csv", BOARD.encode())
        # Nothing is drawn over a staged file's chip or the add button (words once were).
        assert drawn_over_chips(tab) == []
        assert metric(tab, labels.UPLOAD_REJECTED) == "4"
        assert tab.get_by_text(text.ALL_REJECTED.format(n=4)).is_visible()
        assert tab.get_by_test_id("stException").count() == 0
        shots.append(screenshot(tab, "upload_board_all_rejected"))
        choose(tab, "为整份文件选定承办单位", "东风派出所")
        # B3 (month 13) and B4 (no text) are still rejected, B1 B2 are new.
        assert metric_becomes(tab, labels.UPLOAD_NEW, "2") == "2"
        assert metric(tab, labels.UPLOAD_REJECTED) == "2"
        load_and_wait(tab)
        tab.get_by_text("已导入 1 个文件：新增 2 行，更新 0 行，拒绝 2 行。").wait_for(
            timeout=120_000
        )
        with tab.expect_download() as download:
            tab.get_by_role("button", name=labels.UPLOAD_REJECTED_CSV).click()
        fixup = pd.read_csv(
            download.value.path(), dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
        assert fixup["留言编号"].tolist() == ["B3", "B4"]
        no_error_box(tab)
        assert dashboard(tab, "complaints", labels.KPI_RECEIVED) == received + 2

        # (b) The clerk corrects B3's date, leaves B4, and uploads the file again: was
        # ValueError: cannot insert 错误原因, already exists, after the data was written.
        fixup.loc[fixup["留言编号"] == "B3", "留言时间"] = "2024/4/3 8:30"
        drop(tab, "board_被拒绝的行.csv", fixup.to_csv(index=False).encode("utf-8-sig"))
        choose(tab, "为整份文件选定承办单位", "东风派出所")
        assert metric_becomes(tab, labels.UPLOAD_NEW, "1") == "1"
        assert last_metric(tab, labels.UPLOAD_REJECTED) == "1"
        load_and_wait(tab)
        # The first summary stays on the page: wait for this load's own.
        tab.get_by_text("已导入 1 个文件：新增 1 行，更新 0 行，拒绝 1 行。").wait_for(
            timeout=120_000
        )
        no_error_box(tab)
        shots.append(screenshot(tab, "upload_board_fixup_summary"))
        assert dashboard(tab, "complaints", labels.KPI_RECEIVED) == received + 3

        # (c) GBK with line breaks inside quoted notes: was a traceback from the CSV reader.
        drop(tab, "回访_多行备注.csv", MULTILINE_GBK)
        assert metric_becomes(tab, labels.UPLOAD_NEW, "2") == "2"
        assert last_metric(tab, labels.UPLOAD_REJECTED) == "1"  # M3: 西城分局
        assert tab.get_by_test_id("stException").count() == 0
        shots.append(screenshot(tab, "upload_multiline_gbk_preview"))
        load_and_wait(tab)
        tab.get_by_text("已导入 1 个文件：新增 2 行，更新 0 行，拒绝 1 行。").wait_for(
            timeout=120_000
        )
        no_error_box(tab)
        assert dashboard(tab, "satisfaction", "回访记录数") == callbacks + 2

        # (d) English headers, recognised as a complaints export.
        drop(tab, "web_export.csv", ENGLISH)
        assert metric_becomes(tab, labels.UPLOAD_NEW, "2") == "2"
        assert last_metric(tab, labels.UPLOAD_REJECTED) == "0"
        shots.append(screenshot(tab, "upload_english_preview"))
        load_and_wait(tab)
        tab.get_by_text("已导入 1 个文件：新增 2 行，更新 0 行，拒绝 0 行。").wait_for(
            timeout=120_000
        )
        no_error_box(tab)
        shots.append(screenshot(tab, "upload_english_summary"))
        assert dashboard(tab, "complaints", labels.KPI_RECEIVED) == received + 5
        browser.close()
