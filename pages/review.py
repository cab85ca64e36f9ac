"""待复核: the model's proposals below their threshold, oldest first, for a person to confirm or
correct. A saved answer is a label (kind labels, through the loader in a child process): the
category becomes 人工, the save is audited, and the next training learns from it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from pages.ui import gate, labels, tables
from pages.ui import labels_intel as L
from pages.ui.data import fetch
from queries import db

PAGE_SIZE = 50


def render() -> None:
    """Draw the page."""
    account = gate.require("review")
    st.title(labels.TITLES["review"])
    st.caption(L.REVIEW_CAPTION)
    target = (
        st.segmented_control(
            L.REVIEW_TARGET,
            list(L.TARGETS),
            format_func=L.TARGETS.get,
            default="category",
            key="rv_target",
        )
        or "category"
    )
    queue = fetch("intel_review_queue", target=target, limit=PAGE_SIZE, offset=0)
    if queue.empty:
        st.info(L.REVIEW_EMPTY)
        return
    st.caption(L.REVIEW_TOTAL.format(n=int(queue["total_rows"].iloc[0])))
    if account.scope != "*":
        st.caption(L.REVIEW_SCOPED)
        tables.show(
            queue.drop(columns=["threshold", "model_id"]).rename(
                columns={"value": L.INFERRED_VALUE}
            ),
            key="rv_queue",
        )
        return
    choices = _choices(queue, target)
    shown = "value_name" if target == "handling_unit" else "value"
    editor = pd.DataFrame(
        {
            L.REVIEW_CONFIRM: False,
            L.REVIEW_LABEL: queue[shown],
            # Two systems may both have a case 6: the source says which record this is.
            labels.COLUMNS["source_system"]: queue["source_system"],
            labels.COLUMNS["received_at"]: queue["received_at"],
            labels.COLUMNS["title"]: queue["title"],
            labels.COLUMNS["content"]: queue["content"],
            labels.COLUMNS["confidence"]: queue["confidence"],
        }
    )
    if not gate.sees_personal_data():
        from etl import masking

        editor = masking.mask_frame(editor)
    edited = st.data_editor(
        editor,
        key=f"rv_editor_{target}",
        hide_index=True,
        disabled=[c for c in editor.columns if c not in (L.REVIEW_CONFIRM, L.REVIEW_LABEL)],
        column_config={
            L.REVIEW_LABEL: st.column_config.SelectboxColumn(options=list(choices)),
            labels.COLUMNS["confidence"]: st.column_config.NumberColumn(format="%.2f"),
        },
    )
    if st.button(L.REVIEW_SAVE, key="rv_save"):
        chosen = edited[edited[L.REVIEW_CONFIRM]]
        if chosen.empty:
            st.warning(L.REVIEW_NOTHING)
            return
        values = [choices.get(v, v) for v in chosen[L.REVIEW_LABEL]]
        records = queue.loc[chosen.index, ["source_system", "record_id"]]
        _save(target, records, values)


def _choices(queue: pd.DataFrame, target: str) -> dict[str, str]:
    """What a person may answer, shown -> stored: unit names for handling units, else the
    categories known (from exports, people and proposals)."""
    if target == "handling_unit":
        units = fetch("filter_units")
        return dict(zip(units["label"], units["unit_id"])) | dict(
            zip(queue["value_name"].dropna(), queue["value"])
        )
    known = fetch("filter_categories")
    names = [*known.iloc[:, 0].dropna().tolist(), *queue["value"].dropna().tolist()]
    return {name: name for name in dict.fromkeys(names)}


def _save(target: str, records: pd.DataFrame, values: list[str]) -> None:
    """Load the answers as a labels file, each naming its record by source and id."""
    from etl import worker
    from etl.errors import FileRefused

    rows = pd.DataFrame(
        {
            "标注记录编号": records["record_id"].tolist(),
            "标注记录来源": records["source_system"].tolist(),
            "标注目标": target,
            "标注值": values,
            "标注人": gate.username(),
            "标注时间": dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "人工标注.csv"
        rows.to_csv(path, index=False, encoding="utf-8-sig")
        try:
            result = worker.load_files(db.db_path(), [path], "labels", user=gate.username())[0]
        except FileRefused as exc:
            st.error(str(exc))
            return
    gate.record(
        "label", L.REVIEW_AUDIT.format(n=len(rows), target=L.TARGETS[target], id=result.import_id)
    )
    st.cache_data.clear()
    st.success(L.REVIEW_SAVED.format(n=len(rows), id=result.import_id))


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
