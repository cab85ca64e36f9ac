"""The upload page's settings of one file: how it is read (encoding, sheet, header row), what the
columns are (mapping), the values the whole file shares, and saving all that as a profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from etl import readers, saved_mappings
from etl.load import questionnaire_columns
from etl.mapping import MELTED_COLUMNS, WIDE_FILLS, mapping_problem, wide_columns
from etl.sources import KINDS
from pages.ui import data, labels
from pages.ui import labels_upload as text
from pages.ui import upload as ui
from pages.ui import upload_advice as advice
from queries import db

ENCODINGS = (None, "utf-8", "gb18030", "utf-16", "big5")


def detected(info: dict[str, Any]) -> str:
    """What Minyi made of the file, as one markdown paragraph."""
    where = (
        labels.UPLOAD_DETECTED_CSV.format(encoding=info["encoding"])
        if info["format"] == "csv"
        else labels.UPLOAD_DETECTED_SHEET.format(sheet=ui.plain(info["sheet"]))
    )
    line = labels.UPLOAD_DETECTED.format(
        format=info["format"].upper(),
        where=where,
        header_row=info["header_row"],
        columns=len(info["headers"]),
    )
    if info["profile"]:
        kind = labels.UPLOAD_KIND_BY_PROFILE.format(
            kind=KINDS[info["kind"]].label, profile=ui.plain(ui.profile_name(info["profile"]))
        )
    elif info["kind"]:
        kind = labels.UPLOAD_KIND_GUESSED.format(
            kind=KINDS[info["kind"]].label, score=f"{info['confidence']:.0%}"
        )
    else:
        kind = labels.UPLOAD_KIND_UNKNOWN
    return f"{line}  \n{kind}"


def read_settings(
    slot: str,
    path: Path,
    info: dict[str, Any] | None,
    sample: pd.DataFrame | None,
    sheets: list[str] | None = None,
) -> None:
    """Sheet, encoding and header row as detected, each of which the person can override; open
    when the file could not be read, so a wrong guess can be corrected."""
    is_csv = info["format"] == "csv" if info else path.suffix.lower() in readers.CSV_SUFFIXES
    with st.expander(labels.UPLOAD_READ_SETTINGS, expanded=info is None):
        left, right = st.columns(2)
        if is_csv:
            found = info["encoding"] if info else labels.NONE
            left.selectbox(
                labels.UPLOAD_ENCODING,
                ENCODINGS,
                key=f"upl_encoding_{slot}",
                format_func=lambda e: e or labels.UPLOAD_AUTO.format(value=found),
            )
        else:
            sheets = info["sheets"] if info else sheets
            if sheets:
                left.selectbox(
                    labels.UPLOAD_SHEET,
                    sheets,
                    index=None,
                    key=f"upl_sheet_{slot}",
                    placeholder=labels.UPLOAD_AUTO.format(
                        value=info["sheet"] if info else sheets[0]
                    ),
                )
        right.number_input(
            labels.UPLOAD_HEADER_ROW,
            min_value=1,
            value=None,
            step=1,
            key=f"upl_header_{slot}",
            placeholder=labels.UPLOAD_AUTO.format(
                value=labels.UPLOAD_ROW_N.format(n=info["header_row"]) if info else labels.NONE
            ),
        )
        if sample is not None:
            st.caption(labels.UPLOAD_RAW)
            st.dataframe(ui.shown(sample), hide_index=True)


def mapping(
    slot: str,
    kind: str,
    headers: list[str],
    proposal: dict[str, Any],
    file_name: str,
    *,
    scoped: bool,
) -> tuple[dict[str, str | None], dict[str, str], str | None]:
    """The column mapping and fixed values the person confirms; the problem that stops a preview.

    A value for the whole file is asked only for the columns a file may share (never an id or a
    text). For a clerk (`scoped`) whose file names no unit, the unit comes first: without it every
    row would be rejected as outside their tree.
    """
    spec = KINDS[kind]
    names = [None, *spec.column_names]
    shareable = advice.fixable(spec)

    def column_label(column: str | None) -> str:
        if column is None:
            return labels.UPLOAD_IGNORE
        col = spec.column(column)
        return labels.UPLOAD_REQUIRED.format(name=col.display) if col.required else col.display

    def question_label(column: str | None) -> str:
        return labels.UPLOAD_QUESTION if column is None else column_label(column)

    wide = wide_columns(spec, headers)
    if wide:
        return _wide(slot, spec, headers, wide)
    questions = {headers[i] for i in questionnaire_columns(spec, headers, proposal["mapping"], {})}
    current = {
        h: st.session_state.get(f"upl_map_{slot}_{h}", proposal["mapping"].get(h)) for h in headers
    }
    mapped_count = sum(1 for h in headers if current[h] or h in questions)
    chosen: dict[str, str | None] = {}
    with st.expander(
        labels.UPLOAD_MAPPING.format(n=mapped_count, total=len(headers)),
        expanded=not proposal.get("profile"),
    ):
        st.caption(labels.UPLOAD_MAPPING_HELP)
        grid = st.columns(3)
        for i, header in enumerate(headers):
            chosen[header] = grid[i % 3].selectbox(
                ui.plain(header),
                names,
                index=names.index(proposal["mapping"].get(header)),
                format_func=question_label if header in questions else column_label,
                key=f"upl_map_{slot}_{header}",
            )
    melted = bool(questionnaire_columns(spec, headers, chosen, {}))
    covered = {c for c in chosen.values() if c} | (MELTED_COLUMNS if melted else set())
    fixed: dict[str, str] = {}
    needed = [c for c in spec.columns if c.required and c.name not in covered]
    for col in needed:
        if col.name in shareable:
            fixed[col.name] = _fixed_input(
                slot, col, labels.UPLOAD_FIXED_REQUIRED.format(name=col.display), proposal, st
            )
    owners = advice.owner_columns(spec)
    if scoped and owners and not set(owners) & covered:
        # One unit for the whole file, asked up front (the first owner column: 承办单位 …).
        col = spec.column(owners[0])
        fixed[col.name] = _fixed_input(
            slot, col, text.OWNER_FIXED.format(label=spec.owner_label), proposal, st
        )
    optional = [
        c
        for c in spec.columns
        if not c.required and c.name not in covered and c.name not in fixed and c.name in shareable
    ]
    if optional:
        preset = any(proposal["fixed"].get(c.name) for c in optional)
        with st.expander(labels.UPLOAD_FIXED_OPTIONAL, expanded=preset):
            grid = st.columns(3)
            for i, col in enumerate(optional):
                fixed[col.name] = _fixed_input(slot, col, col.display, proposal, grid[i % 3])
    fixed = {k: v for k, v in fixed.items() if v}
    if melted:
        st.caption(
            labels.UPLOAD_QUESTIONNAIRE.format(
                n=len(questionnaire_columns(spec, headers, chosen, fixed)),
                survey=fixed.get("survey_id") or Path(file_name).stem,
            )
        )
    return chosen, fixed, mapping_problem(spec, headers, chosen, fixed)


def _wide(
    slot: str, spec, headers: list[str], wide: dict[str, dict]
) -> tuple[dict[str, str | None], dict[str, str], str | None]:
    """A wide file's columns as the loader melts them: shown, not chosen (the loader maps none of
    its headers by itself, etl/load.py). The melt fills every column a whole file could share."""
    roles = {h: _wide_role(role) for h, role in wide.items()}
    with st.expander(labels.UPLOAD_MAPPING.format(n=len(wide), total=len(headers)), expanded=True):
        grid = st.columns(3)
        for i, header in enumerate(headers):
            grid[i % 3].selectbox(
                ui.plain(header),
                [roles.get(header, labels.UPLOAD_IGNORE)],
                disabled=True,
                key=f"upl_wide_{slot}_{header}",
            )
        st.caption(
            text.WIDE_CAPTION.format(
                columns="、".join(f"「{ui.plain(h)}」" for h in wide),
                fills="、".join(c.display for c in spec.columns if c.name in WIDE_FILLS[spec.name]),
            )
        )
    chosen = dict.fromkeys(headers)
    return chosen, {}, mapping_problem(spec, headers, chosen, {})


def _wide_role(role: dict) -> str:
    if "level" in role:
        return text.WIDE_LEVEL.format(level=role["level"])
    if "side" in role:
        return text.WIDE_SIDE.format(side=role["side"])
    return text.WIDE_PROBLEM


def _fixed_input(slot: str, col, label: str, proposal: dict[str, Any], where) -> str:
    """One value for the whole file: a unit is picked from the units the account may load for,
    anything else is typed."""
    key = f"upl_fix_{slot}_{col.name}"
    preset = proposal["fixed"].get(col.name, "")
    if col.type != "unit" or not data.database_exists():
        return where.text_input(label, value=preset, key=key).strip()
    units = data.fetch("filter_units")
    names = units["name"].tolist()
    shown = dict(zip(units["name"], units["label"]))
    chosen = where.selectbox(
        label,
        names,
        index=names.index(preset) if preset in names else None,
        format_func=lambda name: shown.get(name, name),
        placeholder=text.UNIT_PLACEHOLDER,
        key=key,
    )
    return chosen or ""


def save_profile(slot: str, kind: str, headers: list[str], chosen: dict, fixed: dict) -> None:
    """Save the kind, mapping and fixed values under a name, proposed for the same headers."""
    with st.expander(labels.UPLOAD_PROFILE):
        st.caption(labels.UPLOAD_PROFILE_HELP)
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        name = left.text_input(labels.UPLOAD_PROFILE_NAME, key=f"upl_profile_name_{slot}")
        if right.button(labels.UPLOAD_PROFILE_SAVE, key=f"upl_profile_save_{slot}"):
            try:
                saved_mappings.save(
                    db.db_path(), name, kind, headers, chosen, fixed, user=ui.current_user()
                )
            except saved_mappings.ProfileError as exc:
                ui.say("error", str(exc))
            else:
                st.session_state["upl_flash"] = (
                    "success",
                    labels.UPLOAD_PROFILE_SAVED.format(name=name.strip()),
                )
                st.rerun()
