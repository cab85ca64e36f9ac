"""What the upload page says of a preview before anything is written: the system the file's rows
are keyed under (detected, or chosen), what the file will do to the figures (a column they depend
on is missing, ids already stored under another system), and every field an update changes."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from etl import masking
from etl.load import CHANGES_SHOWN
from etl.mapping import detected_profile
from etl.sources import Kind
from etl.upsert import DEFAULT_SOURCE, sourced
from pages.ui import data, signed_in
from pages.ui import labels_upload as text
from pages.ui import upload as ui
from queries import db


def source(slot: str, spec: Kind, headers: list[str]) -> str | None:
    """The source system the person picks for the file, starting from the one Minyi detects
    (the profile whose headers the file has, else 未注明); None when it is the detected one, so
    the preview and the load take it as `etl load` without --source would."""
    if not sourced(spec):
        return None
    detected = detected_profile(spec, headers, db.db_path()) or DEFAULT_SOURCE
    stored = (
        data.fetch("import_sources", kind=spec.name)["source_id"].tolist()
        if data.database_exists()
        else []
    )
    shipped = ui.shipped_sources(spec.name)
    options = list(dict.fromkeys([detected, *stored, *shipped, DEFAULT_SOURCE]))
    chosen = st.selectbox(
        text.SOURCE,
        options,
        format_func=ui.source_label,
        key=f"upl_source_{slot}",
        help=text.SOURCE_HELP,
    )
    st.caption(
        text.SOURCE_DETECTED.format(source=ui.plain(ui.source_label(detected)))
        if chosen == detected
        else text.SOURCE_CHOSEN.format(
            source=ui.plain(ui.source_label(chosen)), detected=ui.plain(ui.source_label(detected))
        )
    )
    return None if chosen == detected else chosen


def warnings(preview) -> None:
    """The preview's warnings in one box, shipped profile keys named as people know them."""
    lines = []
    for line in preview.warnings:
        for key in ui.shipped_sources():
            line = line.replace(f"「{key}」", f"「{ui.source_label(key)}」")
        lines.append(line)
    if lines:
        ui.say("warning", "\n\n".join([text.WARNINGS, *lines]))


def changes(preview) -> None:
    """Each field an update changes, stored value → the file's, the first CHANGES_SHOWN."""
    found: list[dict[str, Any]] = preview.changes
    if not found:
        return
    records = len({c["record_id"] for c in found})
    st.markdown(text.CHANGES.format(records=records))
    # The stored value left the warehouse: masked as every page masks it for this account.
    mask = (lambda v: v) if signed_in.sees_personal_data() else masking.mask_text
    frame = pd.DataFrame(
        {
            text.CHANGE_ROW: [c["row"] for c in found],
            text.CHANGE_RECORD: [c["record_id"] for c in found],
            text.CHANGE_FIELD: [c["field"] for c in found],
            text.CHANGE_BEFORE: [mask(c["before"]) if c["before"] else "" for c in found],
            text.CHANGE_AFTER: [c["after"] or "" for c in found],
        }
    )
    st.dataframe(frame, hide_index=True)
    if len(found) >= CHANGES_SHOWN:
        st.caption(text.CHANGES_CAPPED.format(n=CHANGES_SHOWN))
