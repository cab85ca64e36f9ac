"""The upload page's import history and undo: an administrator undoes any import, a clerk their
own, while no later import changed the same rows (etl.undo decides, in a child process)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl import worker
from etl.load import FileRefused
from pages.ui import data, gate, labels
from pages.ui import upload as ui
from queries import db

HISTORY_ROWS = 200


def render() -> None:
    st.subheader(labels.UPLOAD_HISTORY)
    if not data.database_exists():
        st.caption(labels.UPLOAD_NO_HISTORY)
        return
    everyone = ui.allowed("undo_any")
    # Staff see their own loads only: other units' file names are not theirs to read.
    history = data.fetch(
        "import_history", limit=HISTORY_ROWS, uploaded_by=None if everyone else gate.username()
    )
    if history.empty:
        st.caption(labels.UPLOAD_NO_HISTORY)
        return
    st.dataframe(ui.history_frame(history), hide_index=True)
    if ui.allowed("undo"):
        _undo(history[history["status"] == labels.UPLOAD_IN_FORCE], own_only=not everyone)


def _undo(in_force: pd.DataFrame, *, own_only: bool) -> None:
    described = {
        row.import_id: labels.UPLOAD_UNDO_OPTION.format(
            id=row.import_id,
            file=row.file_name,
            when=pd.Timestamp(row.finished_at).strftime("%Y-%m-%d %H:%M"),
        )
        for row in in_force.itertuples()
    }
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        labels.UPLOAD_UNDO_PICK,
        list(described),
        index=None,
        key="upl_pick",
        format_func=described.get,
        placeholder=labels.UPLOAD_UNDO_PLACEHOLDER,
    )
    if right.button(labels.UPLOAD_UNDO, key="upl_undo", disabled=chosen is None):
        st.session_state["upl_undo_pending"] = chosen
    pending = st.session_state.get("upl_undo_pending")
    if pending is None or pending not in described:
        return
    row = in_force[in_force["import_id"] == pending].iloc[0]
    ui.say(
        "warning",
        labels.UPLOAD_UNDO_CONFIRM.format(
            id=pending, file=row["file_name"], new=row["rows_inserted"], updated=row["rows_updated"]
        ),
    )
    yes, no = st.columns(2)
    if yes.button(labels.UPLOAD_UNDO_YES, key="upl_undo_yes", type="primary"):
        st.session_state.pop("upl_undo_pending")
        st.session_state.pop("upl_summary", None)  # it would still say 已导入
        try:
            done = worker.undo_import(
                db.db_path(), int(pending), user=ui.current_user(), own_only=own_only
            )
        except FileRefused as exc:
            st.session_state["upl_flash"] = ("error", str(exc))
        else:
            gate.record("undo", labels.UNDO_AUDIT.format(id=pending, file=row["file_name"], **done))
            st.session_state["upl_flash"] = (
                "success",
                labels.UPLOAD_UNDONE.format(id=pending, file=row["file_name"], **done),
            )
        st.cache_data.clear()
        st.rerun()
    if no.button(labels.UPLOAD_UNDO_NO, key="upl_undo_no"):
        st.session_state.pop("upl_undo_pending")
        st.rerun()
