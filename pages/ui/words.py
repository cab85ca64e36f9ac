"""上升词 and 特征词 beside the keyword cloud: words whose share rose significantly against the
previous period, and words distinctive of the chosen units against the rest of the bureau."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import masking
from pages.ui import filters, tables
from pages.ui import labels_intel as L
from pages.ui.data import fetch

WORDS_SHOWN = 20


def _words(name: str, params: dict) -> pd.DataFrame:
    frame = fetch(name, **params, top_n=WORDS_SHOWN)
    return frame[~frame["token"].map(masking.is_personal)]


def section(f: filters.Filters, sources: list[str]) -> tuple[list[str], list[str]]:
    """Draw both tables; return (their words, the words picked in them)."""
    settings = fetch("settings")
    min_count = int(dict(zip(settings["key"], settings["value"])).get("rising_min_count", "5"))
    before = f.previous()
    params = f.params(
        sources=sources, min_count=min_count, prev_start=before.start, prev_end=before.end
    )
    st.subheader(L.WORDS_TITLE)
    st.caption(L.WORDS_CAPTION.format(n=min_count))
    words: list[str] = []
    picked: list[str] = []
    rising_col, distinctive_col = st.columns(2)
    with rising_col:
        st.markdown(f"**{L.RISING}**")
        st.caption(L.RISING_CAPTION.format(prev=before.period_label()))
        rising = _words("keyword_rising", params)
        if rising.empty:
            st.info(L.RISING_NONE)
        else:
            words += rising["token"].tolist()
            picked += tables.show(rising, key="kw_rising", select=True)["token"].tolist()
    with distinctive_col:
        st.markdown(f"**{L.DISTINCTIVE}**")
        st.caption(L.DISTINCTIVE_CAPTION)
        if not f.unit_ids:
            st.info(L.DISTINCTIVE_NEEDS_UNIT)
        else:
            distinctive = _words("keyword_distinctive", params)
            if distinctive.empty:
                st.info(L.DISTINCTIVE_NONE)
            else:
                words += distinctive["token"].tolist()
                picked += tables.show(distinctive, key="kw_distinctive", select=True)[
                    "token"
                ].tolist()
    return words, picked
