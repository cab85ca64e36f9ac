"""关键词云: the words of complaints, callback notes and survey suggestions for the current filters,
two units or two periods side by side, and the records behind a chosen word."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from etl import masking
from pages.ui import charts, escape, filters, gate, labels, tables, topics, wordcloud
from pages.ui import words as telling
from pages.ui.data import fetch

CLOUD_WORDS = 100  # what the cloud draws; wordcloud.render keeps a 100-word cloud under a second
TABLE_WORDS = 30
FALLBACK_WORDS = 30
WORD_KEY = "kw_word"
LAST_PICK_KEY = "kw_last_pick"


def _dates(value: Any, fallback: tuple[date, date]) -> tuple[date, date]:
    # A range picker returns one date while the second is being chosen: use it as a single day.
    if isinstance(value, (tuple, list)) and value:
        return (min(value), max(value)) if len(value) == 2 else (value[0], value[0])
    return fallback


def _sides(f: filters.Filters, mode: str, sources: list[str]) -> list[tuple[str, dict]]:
    """(title, query parameters) of each cloud to draw; empty when a comparison is incomplete."""
    if mode == labels.KW_TWO_UNITS:
        units = fetch("filter_units", scope=f.scope)
        options = dict(zip(units["unit_id"], units["label"]))
        defaults = units.sort_values("depth", kind="stable")["unit_id"].tolist()[:2]
        if len(defaults) < 2:
            st.info(labels.KW_TOO_FEW_UNITS)
            return []
        chosen = [
            column.selectbox(
                title,
                list(options),
                index=list(options).index(default),
                format_func=options.get,
                key=key,
            )
            for column, title, key, default in zip(
                st.columns(2),
                (labels.KW_UNIT_A, labels.KW_UNIT_B),
                ("kw_unit_a", "kw_unit_b"),
                defaults,
            )
        ]
        return [(options[u], f.params(unit_ids=[u], sources=sources)) for u in chosen]
    if mode == labels.KW_TWO_PERIODS:
        before = f.previous()
        left, right = st.columns(2)
        sides = []
        for column, title, key, default in (
            (left, labels.KW_PERIOD_A, "kw_period_a", (f.start, f.end)),
            (right, labels.KW_PERIOD_B, "kw_period_b", (before.start, before.end)),
        ):
            picked = column.date_input(title, value=default, key=key, format="YYYY-MM-DD")
            start, end = _dates(picked, default)
            label = labels.PERIOD_CAPTION.format(start=start.isoformat(), end=end.isoformat())
            sides.append((label, f.params(start=start, end=end, sources=sources)))
        return sides
    return [(f.period_label(), f.params(sources=sources))]


def _cloud(counts: pd.DataFrame, what: str, *, width: int, height: int, key: str) -> list[str]:
    """Draw the cloud, or the top words as bars without a CJK font; return words clicked there."""
    image = wordcloud.png(dict(zip(counts["token"], counts["n"])), width=width, height=height)
    if image is not None:
        st.image(image, width="stretch", caption=labels.KW_CLOUD_ALT.format(what=escape.md(what)))
        return []
    st.caption(labels.KW_FALLBACK.format(n=FALLBACK_WORDS))
    top = counts.head(FALLBACK_WORDS)
    fig = charts.count_bar(top, "token", "n", horizontal=True, height=24 * len(top) + 80)
    return tables.chart(fig, key=f"{key}_bars")


def _side(title: str, params: dict, *, wide: bool, key: str) -> tuple[list[str], list[str]]:
    """One cloud and its top-word table; return (its top words, words picked in it)."""
    counts = fetch("keyword_counts", **params, top_n=CLOUD_WORDS)
    # The tokenizer keeps numbers and plates out already; a cloud never shows personal data.
    counts = counts[~counts["token"].map(masking.is_personal)]
    if len(counts.index) == 0:
        st.info(labels.KW_NO_WORDS)
        return [], []
    cloud_col, table_col = st.columns([3, 2]) if wide else (st.container(), st.container())
    with cloud_col:
        picked = _cloud(
            counts, title, width=900 if wide else 640, height=450 if wide else 360, key=key
        )
    with table_col:
        st.markdown(f"**{labels.KW_TOP_WORDS}**")
        top = counts.head(TABLE_WORDS)
        chosen = tables.show(top, key=f"{key}_table", select=True, height=420)
        picked = [*picked, *chosen["token"]]
        tables.download_buttons(counts, labels.KW_FILE_WORDS, key=f"{key}_dl")
    return counts["token"].tolist(), picked


def render() -> None:
    """Draw the page."""
    gate.require("keywords")
    f = filters.current()
    st.title(labels.TITLES["keywords"])
    st.caption(labels.KW_CAPTION)
    controls = st.container(horizontal=True, gap="large")
    with controls:
        sources = st.pills(
            labels.KW_SOURCE,
            list(labels.KW_SOURCES),
            format_func=labels.KW_SOURCES.get,
            selection_mode="multi",
            key="kw_sources",
            help=labels.KW_SOURCE_HELP,
            bind="query-params",
        )
        mode = (
            st.segmented_control(
                labels.KW_COMPARE,
                (labels.KW_SINGLE, labels.KW_TWO_UNITS, labels.KW_TWO_PERIODS),
                default=labels.KW_SINGLE,
                key="kw_compare",
                bind="query-params",
            )
            or labels.KW_SINGLE
        )
    if wordcloud.find_cjk_font() is None:
        st.warning(wordcloud.FONT_FIX)
    sides = _sides(f, mode, list(sources or ()))
    if not sides:
        return

    words: list[str] = []
    picked: list[str] = []
    for i, (column, (title, params)) in enumerate(zip(st.columns(len(sides)), sides)):
        with column:
            if len(sides) > 1:
                st.subheader(escape.md(title))
            side_words, side_picked = _side(title, params, wide=len(sides) == 1, key=f"kw_{i}")
            words, picked = [*words, *side_words], [*picked, *side_picked]
    telling_words, telling_picked = telling.section(f, list(sources or ()))
    words, picked = [*words, *telling_words], [*picked, *telling_picked]
    topics.section(f)
    words = list(dict.fromkeys(words))
    if not words:
        return

    # A row or bar clicked since the last run chooses the word; otherwise the box keeps its choice.
    if picked and picked != st.session_state.get(LAST_PICK_KEY):
        st.session_state[WORD_KEY] = picked[0]
    st.session_state[LAST_PICK_KEY] = picked
    word = st.selectbox(
        labels.KW_PICK_WORD,
        words,
        index=None,
        placeholder=labels.KW_PICK_WORD_PLACEHOLDER,
        help=labels.KW_PICK_WORD_HELP,
        key=WORD_KEY,
        width=320,
    )
    if word is None:
        return
    st.subheader(labels.KW_RECORDS_OF.format(word=escape.md(word)))
    tabs = st.tabs([escape.md(title) for title, _ in sides]) if len(sides) > 1 else [st.container()]
    for i, (tab, (_, params)) in enumerate(zip(tabs, sides)):
        with tab:
            first = fetch("keyword_records", **params, token=word, limit=20, offset=0)
            if first["is_suppressed"].any():
                st.caption(labels.KW_SUPPRESSED.format(k=params["min_respondents"]))
            tables.records(
                "keyword_records",
                {**params, "token": word},
                key=f"kw_records_{i}",
                page_size=20,
                file_stem=labels.KW_FILE_RECORDS,
                hide=("source", "is_suppressed"),
            )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
