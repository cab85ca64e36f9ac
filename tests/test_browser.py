"""Real-browser smoke tests: a streamlit server on the sample warehouse, driven by Debian's chromium.

Each page opened from the navigation renders without an exception box, with its title; a full-page
screenshot of each is saved to $MINYI_SCREENSHOTS (default: <tmp>/minyi-screenshots). Set
MINYI_BROWSER_DB to run them on another warehouse, e.g. the demo, to look at its screenshots.
The browser is signed in as an administrator, who may open every page (its session cookie is set
before the first request; tests/test_browser_auth.py signs in through the form).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_pages import PAGES, declared_pages  # what app.py declares

from auth import sessions
from pages.ui import labels
from tests.signin import PASSWORD, account, cookie
from tests.test_access import BUREAU, EAST, WEST

pytestmark = pytest.mark.playwright

ROOT = Path(__file__).resolve().parents[1]
SHOTS = Path(
    os.environ.get("MINYI_SCREENSHOTS") or Path(tempfile.gettempdir()) / "minyi-screenshots"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _streamlit(database: Path) -> Iterator[str]:
    """A fresh server on `database`; yields its base URL once /_stcore/health answers ok."""
    port = _free_port()
    env = {**os.environ, "MINYI_DB": str(database), "MINYI_DEMO": "0"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {process.stdout.read().decode()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def database(sample_db) -> Path:
    return Path(os.environ.get("MINYI_BROWSER_DB") or sample_db)


@pytest.fixture(scope="session")
def server(database) -> Iterator[str]:
    with _streamlit(database) as url:
        yield url


def signed_in_context(browser, url: str, database: Path, role: str = "admin"):
    """A browser context whose first request already carries the session cookie of `role`."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.add_cookies([cookie(url, database, role)])
    return context


@pytest.fixture
def page(browser, server, database):
    context = signed_in_context(browser, server, database)
    tab = context.new_page()
    # An intranet has no internet: every request must go to the app itself.
    tab.outside_requests = []
    tab.on(
        "request",
        lambda r: (
            r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:"))
            or tab.outside_requests.append(r.url)
        ),
    )
    yield tab
    context.close()


def settle(page) -> None:
    """Wait until the script run has finished and charts have drawn."""
    page.wait_for_selector("[data-testid='stSidebarNav']")
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    page.wait_for_timeout(1000)


def screenshot(page, name: str) -> Path:
    # The app scrolls inside its main block, so grow the window to its height first.
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 50, 16_000)})
    settle(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    return path


def assert_page_ok(page, title: str) -> None:
    assert page.get_by_role("heading", name=title, level=1).is_visible()
    assert page.get_by_test_id("stException").count() == 0


def test_deep_link_first_request_gets_the_whole_frame(database, browser, capsys):
    # PITFALLS P1: a fresh server whose first request is /satisfaction runs pages/satisfaction.py
    # directly; the page file must still bring up the navigation and the shared filters.
    with _streamlit(database) as url:
        context = signed_in_context(browser, url, database)
        page = context.new_page()
        page.goto(f"{url}/satisfaction")
        settle(page)
        assert_page_ok(page, labels.TITLES["satisfaction"])
        nav = page.get_by_test_id("stSidebarNav")
        for spec in PAGES:
            assert nav.get_by_text(labels.TITLES[spec["name"]], exact=True).is_visible()
        sidebar = page.get_by_test_id("stSidebar")
        # The filters draw in the same run as the title, but on a loaded machine a status-widget
        # gap can end settle() early: wait for the last filter before looking.
        sidebar.get_by_text(labels.UNITS, exact=True).wait_for(timeout=30_000)
        assert sidebar.get_by_text(labels.PERIOD, exact=True).is_visible()
        assert sidebar.get_by_text(labels.UNITS, exact=True).is_visible()
        path = screenshot(page, "deep_link_satisfaction")
        context.close()
    with capsys.disabled():
        print(f"\nscreenshot: {path}")


def test_every_page_from_the_navigation(server, page, capsys):
    page.goto(server)
    settle(page)
    saved = []
    for spec in PAGES:
        title = labels.TITLES[spec["name"]]
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        page.wait_for_url(f"{server}/{spec['url_path']}")
        settle(page)
        assert_page_ok(page, title)
        saved.append(screenshot(page, spec["name"]))
    assert page.outside_requests == []
    with capsys.disabled():
        print(f"\nscreenshots: {SHOTS} ({', '.join(p.name for p in saved)})")


def test_the_first_page_has_an_address_of_its_own(server, page):
    # Streamlit serves the default page at "/" only; /overview (a bookmark, a deep link, the
    # screenshot tool) is its hidden twin and must not raise the "Page not found" dialog. The
    # other pages' addresses are what the navigation opens in test_every_page_from_the_navigation.
    twin = next(p for p in declared_pages() if p["hidden"])
    page.goto(f"{server}/{twin['url_path']}?flt_period=本年")
    settle(page)
    assert page.url.startswith(f"{server}/{twin['url_path']}?flt_period=")
    assert_page_ok(page, labels.TITLES[twin["name"]])
    assert page.get_by_role("dialog").count() == 0
    # 本年 from the URL: the sidebar's period starts on 1 January
    assert re.search(r"\d{4}-01-01 至 ", page.get_by_test_id("stSidebar").inner_text())


def test_filters_survive_page_switch_and_reload(server, page):
    page.goto(f"{server}/satisfaction?flt_units=东城分局")
    settle(page)
    page.get_by_test_id("stSidebarNav").get_by_text(labels.TITLES["complaints"]).click()
    settle(page)
    # The new page's run writes the filters back into the URL; on a loaded machine that run can
    # start after settle() returned, so wait for the URL rather than read it once.
    expect(page).to_have_url(re.compile("flt_units="), timeout=30_000)
    page.reload()
    settle(page)
    units = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    assert "东城分局" in units.inner_text()


def test_chart_click_drills_down_and_download_keeps_the_view(server, page):
    page.goto(f"{server}/satisfaction")
    settle(page)
    # The channel chart is the one whose bars carry the channel names; its 窗口 bar holds one
    # 不满意 record in the sample (CK08).
    chart = page.get_by_test_id("stPlotlyChart").filter(has_text="12345").first
    bar = chart.locator("g.point path").first
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    settle(page)
    drill = labels.DRILL_TITLE.format(what="窗口")
    assert page.get_by_role("heading", name=drill).is_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name=labels.DOWNLOAD_ALL_CSV.format(n="1")).click()
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert "CK08" in content.decode("utf-8-sig")
    settle(page)
    assert page.get_by_role("heading", name=drill).is_visible()


# Sign-in, roles and unit scoping (issue 6).


def metric(page, label: str) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text=label).first
    return card.get_by_test_id("stMetricValue").inner_text()


ANALYSIS = [
    "总览",
    "单位画像",
    "满意度",
    "民意诉求",
    "整改进度",
    "报表负担",
    "警意调查",
    "关键词云",
    "考核评分",
]
NAVIGATION = {
    "leader": ANALYSIS,
    "analyst": [*ANALYSIS, "路由模拟", "待复核"],
    "staff": [*ANALYSIS, "路由模拟", "数据导入", "待复核"],
    "admin": [*ANALYSIS, "路由模拟", "数据导入", "待复核", "账号与审计"],
}
FIGURES = ("满意率", "有效回访率", "不满意件数", "回访记录数")


def sign_in_shown(page) -> None:
    """Wait for the sign-in form, which has no navigation to wait for."""
    page.get_by_role("heading", name=labels.SIGN_IN_TITLE, level=1).wait_for(timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def figures(page) -> dict[str, str]:
    return {label: metric(page, label) for label in FIGURES}


def navigation(page) -> list[str]:
    return page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()


def test_fresh_server_deep_link_signs_in_first_and_a_refresh_keeps_it(database, browser):
    account("staff", warehouse=database)
    # PITFALLS P1: the very first request of a fresh server is the deep link itself.
    with _streamlit(database) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{url}/satisfaction")
        sign_in_shown(page)
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert page.get_by_test_id("stMetric").count() == 0
        assert page.get_by_text(labels.UNITS, exact=True).count() == 0

        page.get_by_label(labels.USERNAME).fill("staff")
        page.get_by_label(labels.PASSWORD).fill(PASSWORD)
        page.get_by_role("button", name=labels.SIGN_IN).click()
        settle(page)
        assert page.url == f"{url}/satisfaction"
        assert page.get_by_role("heading", name="满意度", level=1).is_visible()
        assert figures(page) == EAST
        assert [c["name"] for c in context.cookies() if c["name"] == sessions.COOKIE]

        page.reload()
        settle(page)
        assert figures(page) == EAST
        assert page.get_by_test_id("stSidebar").get_by_text("测试内勤（内勤").is_visible()

        page.get_by_role("button", name=labels.SIGN_OUT).click()
        sign_in_shown(page)
        assert [c for c in context.cookies() if c["name"] == sessions.COOKIE] == []
        page.reload()
        sign_in_shown(page)
        assert page.get_by_test_id("stMetric").count() == 0

        # A made-up token is no session either.
        context.add_cookies([{"name": sessions.COOKIE, "value": "made-up", "url": url}])
        page.reload()
        sign_in_shown(page)
        context.close()


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_each_role_is_offered_its_pages_and_refused_the_others(server, database, browser, role):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([cookie(server, database, role)])
    page = context.new_page()
    page.goto(f"{server}/satisfaction")
    settle(page)
    assert navigation(page) == NAVIGATION[role]
    assert figures(page) == (EAST if role == "staff" else BUREAU)

    if role != "admin":
        page.goto(f"{server}/admin")
        settle(page)
        label = {"leader": "领导", "analyst": "分析员", "staff": "内勤"}[role]
        assert page.get_by_text(labels.PAGE_DENIED.format(role=label)).is_visible()
        assert page.get_by_role("tab").count() == 0

    # Another unit through the link: staff keep their own tree, the others get that unit.
    page.goto(f"{server}/satisfaction?flt_units=西城分局")
    settle(page)
    if role == "staff":
        assert page.get_by_text(labels.UNITS_OUTSIDE_SCOPE).is_visible()
        assert figures(page) == EAST
    else:
        assert figures(page) == WEST
    assert page.get_by_test_id("stException").count() == 0
    context.close()


def test_two_unit_trees_side_by_side_get_their_own_answers(server, database, browser):
    tabs = []
    for username, unit in (("staff", "FJ1"), ("west", "FJ2")):
        account("staff", username, unit, warehouse=database)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_cookies([cookie(server, database, "staff", username)])
        tabs.append(context.new_page())
    for tab in tabs:
        tab.goto(f"{server}/satisfaction")
    for tab in tabs:
        settle(tab)
    assert [figures(tab) for tab in tabs] == [EAST, WEST]
    for tab in tabs:
        tab.reload()
        settle(tab)
    assert [figures(tab) for tab in tabs] == [EAST, WEST]
    for tab in tabs:
        tab.context.close()
