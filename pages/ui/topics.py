"""热点问题 on the keyword page and the unit profile: groups of similar cases ranked by the heat
index the section states, each opened to its cases, and downloadable."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pages.ui import filters, tables
from pages.ui import labels_intel as L
from pages.ui.data import fetch

TOPICS_SHOWN = 20


def query(f: filters.Filters) -> tuple[str, dict[str, Any]]:
    """The query section() reads: the first page of topics, growth against the previous period."""
    before = f.previous()
    params = f.params(prev_start=before.start, prev_end=before.end, limit=TOPICS_SHOWN, offset=0)
    return "hot_topics", params


def section(f: filters.Filters, key: str = "kw_hot") -> None:
    """Draw the section for the page's filters; `key` prefixes its widgets' keys, so that each
    page keeps its own selection."""
    name, params = query(f)
    st.subheader(L.HOT_TITLE)
    st.caption(L.HOT_CAPTION.format(prev=f.previous().period_label()))
    topics = fetch(name, **params)
    if topics.empty:
        st.info(L.HOT_NONE)
        return
    picked = tables.show(topics, key=key, select=True)
    tables.download_buttons(topics.drop(columns=["total_rows"]), L.FILE_HOT, key=f"{key}_dl")
    if len(picked.index):
        tables.records(
            "repeat_group_cases",
            {
                "group_source": str(picked["group_source"].iloc[0]),
                "group_id": str(picked["group_id"].iloc[0]),
                "scope": f.scope,
            },
            key=f"{key}_cases",
            page_size=20,
            file_stem=L.FILE_HOT_CASES,
        )
