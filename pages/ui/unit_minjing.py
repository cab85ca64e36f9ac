"""The unit profile's 民意与警意 section: on the shared problems of the problem_map table, the
unit's complaint cases beside its officers' suggestions (and those about it), with masked
examples; no officer count or text when the unit's suggestions come from too few respondents;
categories no mapping reaches are listed as 未对应."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from etl import masking
from pages.ui import filters, gate, tables
from pages.ui import labels_minjing as L
from pages.ui.data import fetch

# Pixel widths that keep the counts and both examples in view; a cut example shows whole on hover.
WIDTHS = {
    "problem": 180,
    "complaints": 100,
    "suggestions": 100,
    "complaint_examples": 260,
    "suggestion_examples": 260,
}


def _officer_counts(rows: pd.DataFrame, k: int) -> list[object]:
    # A suppressed count is said to be too small, never shown as 0 or left blank.
    return [
        L.SUPPRESSED.format(k=k) if hidden else int(n)
        for n, hidden in zip(rows["suggestions"], rows["is_suppressed"])
    ]


def query(f: filters.Filters) -> tuple[str, dict[str, Any]]:
    """The query section() reads."""
    return "unit_minjing_problems", f.params()


def section(f: filters.Filters) -> None:
    """Draw the side-by-side table for the profile's unit and period."""
    name, params = query(f)
    rows = fetch(name, **params)
    st.subheader(L.TITLE)
    if rows.empty:
        st.info(L.NONE)
        return
    st.caption(L.CAPTION.format(k=f.min_respondents))
    mapped = rows[rows["problem"].notna()]
    unmapped = rows[rows["problem"].isna()]
    if mapped.empty:
        st.info(L.NO_MAP)
    else:
        shown = mapped.assign(suggestions=_officer_counts(mapped, f.min_respondents))
        shown = shown[list(L.COLUMNS)].fillna({"complaint_examples": "", "suggestion_examples": ""})
        if not gate.sees_personal_data():
            shown = masking.mask_frame(shown)  # as tables.show does, whatever the cache held
        st.dataframe(
            shown.rename(columns=L.COLUMNS),
            key="unit_minjing",
            hide_index=True,
            column_config={
                L.COLUMNS[c]: st.column_config.Column(width=w) for c, w in WIDTHS.items()
            },
        )
    if unmapped.empty:
        return
    st.markdown(f"**{L.UNMAPPED}**")
    st.caption(L.UNMAPPED_CAPTION)
    shown = unmapped.assign(
        category=unmapped["category"].fillna(L.NO_CATEGORY),
        suggestions=_officer_counts(unmapped, f.min_respondents),
    )
    tables.show(
        shown[list(L.UNMAPPED_COLUMNS)].rename(columns=L.UNMAPPED_COLUMNS),
        key="unit_minjing_unmapped",
        hide=(),
    )
