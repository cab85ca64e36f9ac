"""The unit profile's sections below the headline: complaints by category and channel with repeat
and overdue cases, the rectification ledger, report burden, the officer survey (with the survey
page's minimum-respondents suppression), distinctive words (on request) and 数据截至 per source.
Each reads the named queries of its own page with the unit as the chosen unit."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from etl import masking
from pages.ui import charts, escape, filters, gate, labels, rollup, tables
from pages.ui import labels_unit as L
from pages.ui.data import fetch, one, settings

TOP_N = 10
WORDS_SHOWN = 20
DEFAULT_LINE = 150
DEFAULT_MIN_COUNT = 5
WORDS_KEY = "unit_words_shown"


def _int_setting(key: str, default: int) -> int:
    try:
        return int(settings().get(key, default))
    except ValueError:
        return default


Call = tuple[str, dict[str, Any]]
PAGE_SIZE = 10


def _top_categories(f: filters.Filters) -> Call:
    return "complaint_top_categories", f.params(top_n=TOP_N)


def _intake(f: filters.Filters) -> Call:
    return "complaint_intake_by_channel_kind", f.params()


# The record lists: (query, parameters, pager key), read one page at a time by tables.records.
List = tuple[str, dict[str, Any], str]


def _overdue(f: filters.Filters) -> List:
    return "complaint_overdue_cases", f.params(open_only=False), "unit_overdue"


def _repeats(f: filters.Filters) -> List:
    params = f.params(kinds=[], open_only=False, repeat_only=True)
    return "records_complaints", params, "unit_repeats"


def _items(f: filters.Filters) -> List:
    params = f.params(sources=[], statuses=[], overdue_only=False)
    return "rectification_items", params, "unit_items"


def _page(spec: List) -> Call:
    name, params, key = spec
    return tables.page_call(name, params, key=key, page_size=PAGE_SIZE)


def _records(spec: List, file_stem: str) -> None:
    name, params, key = spec
    tables.records(name, params, key=key, page_size=PAGE_SIZE, file_stem=file_stem)


def _burden(f: filters.Filters) -> Call:
    return "report_burden_by_station", f.params(
        line=_int_setting("report_burden_line", DEFAULT_LINE)
    )


def _scores(f: filters.Filters) -> Call:
    return "survey_scores_by_target", f.params()


def _rectified(f: filters.Filters) -> Call:
    return "rectification_summary", f.params()


def _freshness(f: filters.Filters) -> Call:
    return "unit_profile_data_as_of", f.params()


def _read(call: Call) -> pd.DataFrame:
    name, params = call
    return fetch(name, **params)


def section_queries(f: filters.Filters) -> list[Call]:
    """The queries of the sections here, for data.prefetch; a unit without complaints or items
    reads fewer of them (their lists are a few small queries)."""
    return [
        _top_categories(f),
        _intake(f),
        _page(_overdue(f)),
        _page(_repeats(f)),
        _rectified(f),
        _page(_items(f)),
        _burden(f),
        _scores(f),
        _freshness(f),
    ]


def complaints(f: filters.Filters) -> None:
    st.subheader(L.COMPLAINTS)
    now = one("complaint_summary", **f.params())
    if not now.get("received"):
        st.info(L.NO_COMPLAINTS)
        return
    figures = (
        (labels.KPI_RECEIVED, charts.number(now["received"])),
        (labels.KPI_OVERDUE, charts.number(now["overdue"])),
        (labels.KPI_REPEAT, charts.pct(now["repeat_rate"])),
        (labels.KPI_RETURNED, charts.number(now["returned_or_reassigned"])),
    )
    for column, (label, value) in zip(st.columns(len(figures)), figures):
        column.metric(label, value)
    category_col, channel_col = st.columns(2)
    with category_col:
        st.markdown(f"**{L.BY_CATEGORY}**")
        top = _read(_top_categories(f))
        # labels.COLUMNS names overdue_open for rectification items; here it counts cases.
        top = rollup.with_level1(top.fillna({"category": labels.UNKNOWN}))
        top = (
            top.assign(category=top["label"])
            .drop(columns=["label", "level1"])
            .rename(columns={"overdue_open": labels.KPI_OVERDUE_OPEN})
        )
        tables.show(top, key="unit_categories")
    with channel_col:
        st.markdown(f"**{L.BY_CHANNEL}**")
        intake = _read(_intake(f))
        tables.show(
            intake.fillna({"channel": labels.UNKNOWN, "kind": labels.UNKNOWN}), key="unit_channels"
        )
    st.markdown(f"**{L.OVERDUE_CASES}**")
    _records(_overdue(f), L.FILE_OVERDUE)
    st.markdown(f"**{L.REPEAT_CASES}**")
    _records(_repeats(f), L.FILE_REPEATS)


def rectification(f: filters.Filters) -> None:
    st.subheader(L.RECTIFICATION)
    name, params = _rectified(f)
    now = one(name, **params)
    if not now.get("items"):
        st.info(L.NO_RECTIFICATION)
        return
    figures = (
        (labels.RECT_KPI_FOUND, charts.number(now["items"])),
        (labels.RECT_KPI_RECTIFIED, charts.number(now["rectified"])),
        (labels.RECT_KPI_OVERDUE, charts.number(now["overdue_open"])),
        (labels.RECT_KPI_REVIEWED, charts.number(now["reviewed"])),
    )
    for column, (label, value) in zip(st.columns(len(figures)), figures):
        column.metric(label, value)
    _records(_items(f), L.FILE_RECTIFICATION)


def burden(f: filters.Filters) -> None:
    """The report ledger of the unit's stations, one row per station and year of the period."""
    name, params = _burden(f)
    stations = fetch(name, **params)
    if stations.empty:
        return
    st.subheader(L.BURDEN)
    st.caption(L.BURDEN_CAPTION.format(line=params["line"]))
    tables.show(stations, key="unit_burden", hide=(*tables.HIDDEN, "station_unit_id"))
    tables.download_buttons(stations, L.FILE_BURDEN, key="unit_burden_dl")


def survey(f: filters.Filters) -> None:
    """Scores the unit received as an office under review and what officers wrote, both with the
    survey page's suppression of groups under min_respondents."""
    scores = _read(_scores(f))
    params = f.params(search="", masked=not gate.can("personal_data"))
    first = fetch("survey_suggestions", **params, limit=1, offset=0)
    if scores.empty and first.empty:
        return
    st.subheader(L.SURVEY)
    if not scores.empty:
        st.markdown(f"**{L.SURVEY_SCORES}**")
        shown = scores[~scores["is_suppressed"]]
        if not shown.empty:
            tables.show(
                shown.assign(avg_score=shown["avg_score"].round(2)),
                key="unit_scores",
                hide=(*tables.HIDDEN, "target_unit_id", "is_suppressed"),
            )
        hidden = scores.loc[scores["is_suppressed"], "target_unit_name"].fillna(labels.UNKNOWN)
        if not hidden.empty:
            names = "、".join(dict.fromkeys(hidden))
            st.caption(labels.SURVEY_SUPPRESSED.format(k=f.min_respondents, names=escape.md(names)))
    if first.empty:
        return
    st.markdown(f"**{L.SURVEY_SUGGESTIONS}**")
    st.caption(L.SURVEY_SUGGESTIONS_CAPTION.format(k=f.min_respondents))
    if bool(first["is_suppressed"].iloc[0]):
        st.warning(labels.SURVEY_LIST_SUPPRESSED.format(k=f.min_respondents))
        return
    tables.records(
        "survey_suggestions",
        params,
        key="unit_suggestions",
        page_size=PAGE_SIZE,
        file_stem=L.FILE_SUGGESTIONS,
        hide=("survey_id", "is_suppressed"),
    )


def words_query(f: filters.Filters) -> tuple[str, dict[str, Any]]:
    """The query words() reads."""
    min_count = _int_setting("rising_min_count", DEFAULT_MIN_COUNT)
    return "keyword_distinctive", f.params(sources=[], min_count=min_count, top_n=WORDS_SHOWN)


def words_wanted() -> bool:
    """Whether the account has asked for the distinctive words (the switch of words())."""
    return bool(st.session_state.get(WORDS_KEY))


# A fragment: turning the switch reruns this section alone, not the whole profile.
@st.fragment
def words(f: filters.Filters) -> None:
    """特征词 on request: they compare every word of the whole tree with the unit's, the profile's
    slowest query, so a profile opens without waiting for them."""
    name, params = words_query(f)
    st.subheader(L.WORDS)
    st.caption(L.WORDS_CAPTION.format(n=params["min_count"]))
    if not st.toggle(L.WORDS_SHOW, key=WORDS_KEY, help=L.WORDS_SHOW_HELP):
        return
    found = fetch(name, **params)
    found = found[~found["token"].map(masking.is_personal)]
    if found.empty:
        st.info(L.WORDS_NONE)
        return
    tables.show(found, key="unit_words")


def freshness(f: filters.Filters) -> None:
    st.subheader(L.FRESHNESS)
    st.caption(L.FRESHNESS_CAPTION)
    tables_as_of = _read(_freshness(f))
    shown = tables_as_of.assign(source=tables_as_of["table_name"].map(L.SOURCES))
    shown = shown[list(L.FRESHNESS_COLUMNS)].rename(columns=L.FRESHNESS_COLUMNS)
    tables.show(shown, key="unit_freshness")
