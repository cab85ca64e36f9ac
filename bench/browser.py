"""Browser section: a `streamlit run` server on the benchmark warehouse, every page opened once in
chromium, then the server's resident memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import procs
from bench.pages import page_names, sign_in_tokens, token_for

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAGE_TIMEOUT_MS = 300_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(db: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A fresh streamlit server on `db`; yields (base URL, process) when healthy."""
    port = _free_port()
    env = {**os.environ, "MINYI_DB": str(db), "MINYI_DEMO": "0"}
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start")
            time.sleep(0.3)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _settle(page) -> None:
    """Wait until the script run has finished (no running-status widget) and charts have drawn."""
    page.wait_for_selector("[data-testid='stSidebarNav']", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=PAGE_TIMEOUT_MS,
    )


def _titles() -> dict[str, str]:
    try:
        from pages.ui import labels

        return dict(labels.TITLES)
    except Exception:  # noqa: BLE001 - pages still being written: open by URL instead
        return {}


def _open(page, url: str, name: str, title: str | None) -> dict:
    started = time.perf_counter()
    try:
        link = page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True) if title else None
        if link is not None and link.count():
            link.first.click()
            page.wait_for_timeout(200)
        else:
            page.goto(f"{url}/{name}")
        _settle(page)
        seconds = round(time.perf_counter() - started, 2)
        heading = page.get_by_role("heading", level=1)
        return {
            "seconds": seconds,
            "exceptions": page.get_by_test_id("stException").count(),
            "title": heading.first.inner_text() if heading.count() else None,
        }
    except Exception as exc:  # noqa: BLE001 - one page's failure is reported, not fatal
        return {"error": f"{type(exc).__name__}: {exc}"[:300]}


def run_section(db: Path, *, log=print) -> dict:
    """Open every page once from the navigation, signed in as an account that may open it; report
    each page's time and the server's memory afterwards."""
    from playwright.sync_api import sync_playwright

    titles = _titles()
    tokens = sign_in_tokens(db)
    out: dict = {"pages": {}, "titles": titles}
    with server(db) as (url, process), sync_playwright() as playwright:
        out["server_start_rss_mb"] = round(procs.status_mb(process.pid, "VmRSS"), 1)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        sessions: dict[str | None, object] = {}
        for name in page_names():
            token = token_for(tokens, name)
            if token not in sessions:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                if token:
                    from auth.sessions import COOKIE

                    context.add_cookies([{"name": COOKIE, "value": token, "url": url}])
                sessions[token] = context.new_page()
                started = time.perf_counter()
                sessions[token].goto(url)
                _settle(sessions[token])
                out.setdefault("first_load_seconds", round(time.perf_counter() - started, 2))
            log(f"  browser page {name}")
            out["pages"][name] = _open(sessions[token], url, name, titles.get(name))
        out["server_rss_mb"] = round(procs.status_mb(process.pid, "VmRSS"), 1)
        out["server_hwm_mb"] = round(procs.status_mb(process.pid, "VmHWM"), 1)
        out["server_tree_rss_mb"] = round(procs.tree_rss_mb(process.pid), 1)
        browser.close()
    return out
