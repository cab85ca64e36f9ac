"""The page frame: page config, navigation, the demo warehouse on first start, the shared sidebar.

app.py calls run(). A page file run on its own (PITFALLS P1: a fresh server whose first request
is /<file stem> runs pages/<stem>.py without app.py) calls run_as_entrypoint() from its
`if __name__ == "__main__":` block, which builds the same frame; url paths equal the file stems,
so the page the link named is the one that opens.
"""

from __future__ import annotations

import functools
import importlib
import os
import threading
from dataclasses import dataclass

import duckdb
import streamlit as st

from pages.ui import data, filters, labels
from queries import db


@dataclass(frozen=True)
class PageSpec:
    """One page: module pages/<name>.py (its render()), also its url path and key in TITLES."""

    name: str
    section: str
    default: bool = False
    needs_data: bool = True


PAGES = (
    PageSpec("overview", "cockpit", default=True),
    PageSpec("satisfaction", "topics"),
    PageSpec("complaints", "topics"),
    PageSpec("rectification", "topics"),
    PageSpec("report_burden", "topics"),
    PageSpec("survey", "topics"),
    PageSpec("keywords", "topics"),
)

_demo_lock = threading.Lock()


def _render(name: str) -> None:
    # Imported when chosen: one page's import error cannot take down the others.
    importlib.import_module(f"pages.{name}").render()


def _navigation() -> dict[str, list[st.Page]]:
    sections: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        page = st.Page(
            functools.partial(_render, spec.name),
            title=labels.TITLES[spec.name],
            url_path=spec.name,
            default=spec.default,
        )
        sections.setdefault(labels.SECTIONS[spec.section], []).append(page)
    return sections


def _ensure_database() -> None:
    """First start on a fresh machine: build the demo warehouse through the real ETL.

    MINYI_DEMO=0 turns this off (tests of the empty state, deployments that must start empty).
    """
    path = db.db_path()
    if path.exists() or os.environ.get("MINYI_DEMO", "1") == "0":
        return
    with _demo_lock:
        if path.exists():
            return
        try:
            with st.spinner(labels.BUILDING_DEMO):
                from etl.demo import build_demo

                build_demo(path)
        except Exception as error:  # noqa: BLE001 - any failure leaves the empty state, explained
            st.error(labels.DEMO_FAILED.format(error=error, path=path))


def run() -> None:
    """Draw the frame and run the page the URL names."""
    # No page or page_config icons: the browser fetches a material icon's favicon from
    # fonts.gstatic.com, which an intranet cannot reach, and emoji need a colour-emoji font.
    st.set_page_config(page_title=labels.APP_TITLE, layout="wide")
    page = st.navigation(_navigation())
    _ensure_database()
    try:
        filters.render_sidebar()
        has_data = data.bounds()["has_data"]
    except duckdb.Error as error:
        st.title(page.title)
        st.error(labels.DB_UNREADABLE.format(path=db.db_path(), error=error))
        return
    spec = next(s for s in PAGES if labels.TITLES[s.name] == page.title)
    if spec.needs_data and not has_data:
        st.title(page.title)
        st.info(labels.NO_DATA_LOADED.format(path=db.db_path()))
        return
    page.run()


def run_as_entrypoint() -> None:
    """Run the whole frame from a page file that Streamlit started directly (PITFALLS P1)."""
    run()
