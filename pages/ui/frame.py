"""The page frame around the page app.py's st.navigation chose: page config, the first start
(pages/ui/startup.py), sign-in, the shared sidebar, and the empty state of pages that need data.

Sign-in comes first (pages/ui/gate.py): until someone is signed in, the navigation is hidden and
every url shows the sign-in form, so a deep link on a fresh server (docs/pitfalls.md P1) opens no
page.
The navigation lists only the pages the account's role may open; the others stay reachable by url
(st.Page visibility="hidden") only to be refused and audited.

app.py declares the pages literally: st.Page(frame.page("pages/<name>.py"), title=…, url_path=…).
Streamlit serves its default page at "/" only (its own url path gives a "Page not found" dialog), so
the default page has url_path "" and a hidden twin at /overview for bookmarks and deep links. A page
file run on its own (docs/pitfalls.md P1: a fresh server whose first request is /<file stem> runs
pages/<stem>.py without app.py) calls run_as_entrypoint() from its `if __name__ == "__main__":`
block, which executes app.py itself, so it gets the very same frame; url paths equal the file stems,
so the page the link named is the one that opens.
"""

from __future__ import annotations

import importlib
import logging
import runpy
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Literal

import duckdb
import streamlit as st

from auth import rights
from pages.ui import data, filters, gate, labels, saved_views, startup
from queries import db

APP = Path(__file__).resolve().parents[2] / "app.py"
# A page failure reaches the browser as a Chinese message with an incident number; the server log
# (stderr, where `streamlit run` logs) carries the number with the traceback.
_incidents = logging.getLogger("minyi.incidents")
if not _incidents.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _incidents.addHandler(_handler)


def incident_number() -> str:
    """A number a user can read out and a log search finds: the time and four random hex digits."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


@contextmanager
def guarded(where: str) -> Iterator[None]:
    """Run a part of the page run; an exception becomes the Chinese incident message (no traceback
    in the browser) and a log entry with the traceback. st.stop and reruns are BaseExceptions
    (not Exception) and pass through."""
    try:
        yield
    except Exception:  # noqa: BLE001 - every failure, whatever it is, ends as the message
        number = incident_number()
        _incidents.exception("incident %s on %s (user %s)", number, where, _who())
        st.error(labels.PAGE_FAILED.format(incident=number))


def _who() -> str | None:
    # The failure may lie in the sign-in itself: the log entry must still be written.
    try:
        return gate.username()
    except Exception:  # noqa: BLE001
        return None


def configure() -> None:
    """Page config and who is signed in; app.py calls it before st.navigation."""
    # No page or page_config icons: the browser fetches a material icon's favicon from
    # fonts.gstatic.com, which an intranet cannot reach, and emoji need a colour-emoji font.
    st.set_page_config(page_title=labels.APP_TITLE, layout="wide")
    with guarded("sign-in check"):
        gate.check()


def position() -> Literal["sidebar", "hidden"]:
    """Where st.navigation goes: nowhere until someone is signed in."""
    return "sidebar" if gate.account() else "hidden"


def visibility(name: str) -> Literal["visible", "hidden"]:
    """Whether the navigation lists page `name` for the signed-in account."""
    return "visible" if gate.can(rights.page_right(name)) else "hidden"


def page(path: str, *, needs_data: bool = True) -> Callable[[], None]:
    """What st.Page runs for the page file at `path` (e.g. "pages/overview.py"): its render(), or
    the empty state when it needs data and none is loaded, or a refusal (audited) when the account
    may not open it. The module is imported when chosen, so one page's import error cannot take
    down the others."""
    name = Path(path).stem
    right = rights.page_right(name)  # a page without a right in auth/rights.py fails here

    def run_page() -> None:
        if not gate.can(right):
            gate.refuse(name)
            return
        if needs_data and not data.bounds()["has_data"]:
            st.title(labels.TITLES[name])
            st.info(labels.NO_DATA_LOADED.format(path=db.db_path()))
            return
        importlib.import_module(f"pages.{name}").render()

    run_page.__name__ = name
    return run_page


def run(chosen: st.Page) -> None:
    """Draw the frame around the page st.navigation chose, then run it; the sign-in form instead
    while nobody is signed in. Any failure ends as the incident message (guarded)."""
    with guarded(f"page {chosen.url_path or 'overview'}"):
        _frame_and_page(chosen)


def _frame_and_page(chosen: st.Page) -> None:
    try:
        if not startup.prepare():
            return
        account = gate.account()
        if account is None:
            gate.sign_in_page()
            return
        gate.user_box(account)
        filters.render_sidebar()
        saved_views.render(chosen.url_path)
        data.bounds()
    except duckdb.Error as error:
        st.title(chosen.title)
        st.error(labels.DB_UNREADABLE.format(path=db.db_path(), error=error))
        return
    chosen.run()


def run_as_entrypoint() -> None:
    """Run app.py from a page file that Streamlit started directly (docs/pitfalls.md P1)."""
    runpy.run_path(str(APP), run_name="__main__")
