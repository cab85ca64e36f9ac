"""答复质量 on the complaints page: per handling unit, the replied cases each flag marks and the
share flagged, and the flagged cases themselves. Flags, not a score (view reply_flags)."""

from __future__ import annotations

import streamlit as st

from pages.ui import filters, tables
from pages.ui import labels_intel as L
from pages.ui.data import fetch


def section(f: filters.Filters) -> None:
    """Draw the section for the page's filters (nothing but a note when no case has a reply)."""
    by_unit = fetch("reply_flags_by_unit", **f.params())
    settings = fetch("settings")
    values = dict(zip(settings["key"], settings["value"]))
    st.subheader(L.REPLY_TITLE)
    st.caption(
        L.REPLY_CAPTION.format(
            days=values.get("reply_deadline_workdays"),
            template=values.get("reply_template_min"),
            relevance=values.get("reply_relevance_min"),
            short=values.get("reply_short_chars"),
        )
    )
    if by_unit.empty:
        st.info(L.REPLY_NONE)
        return
    tables.show(by_unit, key="rq_units")
    tables.download_buttons(by_unit, L.FILE_REPLY_UNITS, key="rq_units_dl")
    flag = (
        st.segmented_control(
            L.REPLY_FLAG,
            list(L.REPLY_FLAGS),
            format_func=L.REPLY_FLAGS.get,
            default="",
            key="rq_flag",
        )
        or ""
    )
    tables.records(
        "reply_flagged_cases",
        f.params(flag=flag),
        key="rq_cases",
        page_size=20,
        file_stem=L.FILE_REPLY_CASES,
    )
