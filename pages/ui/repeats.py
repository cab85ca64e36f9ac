"""重复诉求 on the complaints page: groups of repeated complaints, every case of a chosen group
across channels, split/merge for the roles that may (written through etl.case_groups), and
complainants with many cases."""

from __future__ import annotations

import streamlit as st

from etl import case_groups
from pages.ui import escape, filters, gate, tables
from pages.ui import labels_intel as L
from pages.ui import labels_repeat_keys as K
from pages.ui.data import fetch
from pages.ui.labels import PICK
from queries import db

GROUPS_SHOWN = 50
EDITORS = ("analyst", "admin")  # people who judge whether two cases are one matter


def _settings() -> dict[str, str]:
    frame = fetch("settings")
    return dict(zip(frame["key"], frame["value"]))


def may_edit() -> bool:
    found = gate.account()
    return found is not None and found.role in EDITORS


def section(f: filters.Filters) -> None:
    """Draw the section for the page's filters."""
    settings = _settings()
    st.subheader(L.REPEAT_TITLE)
    st.caption(
        L.REPEAT_CAPTION.format(
            window=settings.get("repeat_window_days", "90"),
            threshold=settings.get("repeat_threshold", "0.5"),
        )
    )
    groups = fetch("repeat_groups", **f.params(), limit=GROUPS_SHOWN, offset=0)
    if groups.empty:
        st.info(L.REPEAT_NONE)
    else:
        st.caption(L.REPEAT_GROUPS_SHOWN.format(total=f"{int(groups['total_rows'].iloc[0]):,}"))
        picked = tables.show(groups, key="rp_groups", select=True)
        tables.download_buttons(
            groups.drop(columns=["total_rows"]), L.FILE_REPEAT_GROUPS, key="rp_groups_dl"
        )
        if len(picked.index):
            _group((str(picked["group_source"].iloc[0]), str(picked["group_id"].iloc[0])), f)
    _people(f, int(settings.get("repeat_complainant_min_cases", "3")))


def _group(group: tuple[str, str], f: filters.Filters) -> None:
    """Cases of the group named by its first record (source, id), and its split and merge."""
    named = {"group_source": group[0], "group_id": group[1], "scope": f.scope}
    st.markdown(f"**{L.REPEAT_CASES_OF}**")
    tables.records(
        "repeat_group_cases",
        named,
        key="rp_cases",
        page_size=20,
        file_stem=L.FILE_REPEAT_CASES,
    )
    if not may_edit():
        return
    cases = fetch("repeat_group_cases", **named, limit=500, offset=0)
    records = list(zip(cases["source_system"], cases["case_id"]))
    split_col, merge_col = st.columns(2)
    with split_col:
        chosen = st.multiselect(
            L.REPEAT_SPLIT_PICK,
            records,
            format_func=lambda r: K.REPEAT_SPLIT_OPTION.format(source=r[0], case=r[1]),
            key="rp_split",
            placeholder=PICK,
            select_all=False,
        )
        if st.button(L.REPEAT_SPLIT, key="rp_split_go", disabled=not chosen):
            _decide("split", chosen)
    with merge_col:
        other = st.text_input(L.REPEAT_MERGE_PICK, key="rp_merge_case", max_chars=64).strip()
        # A bare id is enough where one source holds it; else the person says whose it is.
        sources = fetch("import_sources", kind="complaints")["source_id"].tolist()
        source = st.selectbox(
            K.REPEAT_MERGE_SOURCE,
            ["", *sources],
            format_func=lambda s: s or K.REPEAT_MERGE_ANY_SOURCE,
            key="rp_merge_source",
        )
        if st.button(L.REPEAT_MERGE, key="rp_merge_go", disabled=not other):
            _decide("merge", [group, (source, other) if source else other])


def _decide(action: str, cases: list) -> None:
    write = case_groups.split if action == "split" else case_groups.merge
    try:
        decision = write(db.db_path(), cases, user=gate.username())
    except case_groups.DecisionRefused as exc:
        st.error(escape.md(exc))
        return
    gate.record(
        "case_group",
        L.REPEAT_AUDIT.format(
            id=decision, action=L.REPEAT_ACTIONS[action], cases="、".join(map(_named, cases))
        ),
    )
    done = (
        L.REPEAT_DONE_SPLIT.format(n=len(cases), id=decision)
        if action == "split"
        else (L.REPEAT_DONE_MERGE.format(id=decision))
    )
    st.success(escape.md(done))


def _named(record: str | tuple[str, str]) -> str:
    return (
        record
        if isinstance(record, str)
        else K.REPEAT_SPLIT_OPTION.format(source=record[0], case=record[1])
    )


def _people(f: filters.Filters, min_cases: int) -> None:
    st.markdown(f"**{L.REPEAT_PEOPLE}**")
    st.caption(L.REPEAT_PEOPLE_CAPTION.format(n=min_cases))
    tables.records(
        "repeat_complainants",
        f.params(min_cases=min_cases),
        key="rp_people",
        page_size=20,
        file_stem=L.FILE_REPEAT_PEOPLE,
    )
