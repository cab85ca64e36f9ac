"""数据导入: upload exports, check what Minyi makes of them, preview, load, and undo a load.

Every step calls the same etl functions as `python -m etl inspect|load` (inspect, preview_file,
load_files — in a child process, etl.worker — undo_import), so the browser and the command line
take a file to the same result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from auth.accounts import WHOLE_BUREAU
from etl import readers, safety, saved_mappings, worker
from etl.inspect import inspect
from etl.load import FileRefused, load_files, preview_file, questionnaire_columns
from etl.mapping import MELTED_COLUMNS, mapping_problem
from etl.sources import KINDS, propose_mapping
from etl.undo import undo_import
from pages.ui import data, gate, labels, tables
from pages.ui import upload as ui
from queries import db

ENCODINGS = (None, "utf-8", "gb18030", "utf-16", "big5")
PREVIEW_ROWS = 20
SHOWN_ERRORS = 1000
HISTORY_ROWS = 200
CHANGES = {
    "new": labels.UPLOAD_CHANGE_NEW,
    "changed": labels.UPLOAD_CHANGE_UPDATED,
    "same": labels.UPLOAD_CHANGE_SAME,
}


def render() -> None:
    """Draw the page."""
    gate.require("upload", "upload")
    st.title(labels.TITLES["upload"])
    st.caption(labels.UPLOAD_INTRO.format(mb=ui.max_upload_mb()))
    flash = st.session_state.pop("upl_flash", None)
    if flash:
        _say(*flash)
    _summary()
    scope = _scope()
    if scope:
        st.caption(labels.UPLOAD_SCOPE.format(unit=gate.unit_name()))
    _upload(scope)
    _history()


def _scope() -> dict[str, str]:
    """The loader's scope argument for the signed-in account: {} for the whole bureau; a staff
    account's unit, so the loader rejects rows of any other unit tree."""
    unit = gate.scope()
    return {} if unit == WHOLE_BUREAU else {"scope_unit_id": unit}


def _say(kind: str, text: str) -> None:
    """An alert that may quote a file (names, cell values): shown as typed, not as markdown."""
    getattr(st, kind)(ui.plain(text))


def _upload(scope: dict[str, str]) -> None:
    files = st.file_uploader(
        labels.UPLOAD_FILES,
        accept_multiple_files=True,
        key=f"upl_files_{ui.generation()}",
        help=labels.UPLOAD_FILES_HELP.format(mb=ui.max_upload_mb()),
    )
    staged = ui.stage(files or [])
    if not staged:
        return
    plans = []
    for item in staged:
        with st.container(border=True):
            plans.append(_file(item, scope))
    ready = [p for p in plans if p is not None]
    if len(ready) < len(plans):
        st.warning(labels.UPLOAD_BLOCKED.format(n=len(plans) - len(ready)))
    if st.button(
        labels.UPLOAD_LOAD.format(n=len(plans)),
        type="primary",
        key="upl_load",
        disabled=len(ready) < len(plans),
    ):
        _load(ready, scope)


def _file(item: ui.Staged, scope: dict[str, str]) -> dict[str, Any] | None:
    """One uploaded file from detection to preview; returns its load plan once it may be loaded."""
    st.subheader(ui.plain(item.name))
    if item.refused:
        _say("error", item.refused)
        return None
    slot, path, state = item.slot, item.path, st.session_state
    overrides = {
        "sheet": state.get(f"upl_sheet_{slot}"),
        "encoding": state.get(f"upl_encoding_{slot}"),
        "header_row": state.get(f"upl_header_{slot}"),
    }
    read_key = (str(path), json.dumps(overrides))
    try:
        export, sample = ui.memo(slot, "read", read_key, lambda: _read(path, overrides))
        info = ui.memo(
            slot,
            "inspect",
            (read_key, ui.database_identity()),
            lambda: inspect(path, export=export),
        )
    except readers.ExportError as exc:
        _say("error", str(exc))
        _read_settings(slot, path, None, None)
        return None
    headers = info["headers"]
    st.markdown(_detected(info))
    _read_settings(slot, path, info, sample)
    ui.reset_when_changed(slot, "headers", tuple(headers), ("upl_kind",))
    kinds = list(KINDS)
    kind = st.selectbox(
        labels.UPLOAD_KIND,
        kinds,
        index=kinds.index(info["kind"]) if info["kind"] else None,
        format_func=lambda k: KINDS[k].label,
        placeholder=labels.UPLOAD_KIND_PLACEHOLDER,
        key=f"upl_kind_{slot}",
    )
    if kind is None:
        st.info(labels.UPLOAD_PICK_KIND)
        return None
    ui.reset_when_changed(slot, "mapping", (kind, tuple(headers)), ("upl_map", "upl_fix"))
    proposal = (
        info
        if kind == info["kind"]
        else {"mapping": propose_mapping(KINDS[kind], headers), "fixed": {}}
    )
    mapping, fixed, problem = _mapping(slot, kind, headers, proposal, item.name)
    if ui.allowed("profile"):
        _save_profile(slot, kind, headers, mapping, fixed)
    if problem:
        _say("warning", problem)
        return None
    options = {**overrides, "mapping": mapping, "fixed": fixed}
    try:
        preview = ui.memo(
            slot,
            "preview",
            (str(path), kind, json.dumps(options, ensure_ascii=False), ui.database_identity()),
            lambda: preview_file(
                db.db_path(), path, kind, file_name=item.name, limit=PREVIEW_ROWS, **options,
                **scope,
            ),
        )
    except FileRefused as exc:
        _say("error", str(exc))
        return None
    _preview(slot, kind, preview)
    return {"slot": slot, "name": item.name, "path": path, "kind": kind, "options": options}


def _read(path: Path, overrides: dict[str, Any]) -> tuple[readers.Export, pd.DataFrame]:
    export = readers.read_export(path, **overrides)
    safety.check(path, export)
    return export, export.preview(5).drop(columns="_row")


def _detected(info: dict[str, Any]) -> str:
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
            kind=KINDS[info["kind"]].label, profile=ui.plain(info["profile"])
        )
    elif info["kind"]:
        kind = labels.UPLOAD_KIND_GUESSED.format(
            kind=KINDS[info["kind"]].label, score=f"{info['confidence']:.0%}"
        )
    else:
        kind = labels.UPLOAD_KIND_UNKNOWN
    return f"{line}  \n{kind}"


def _read_settings(
    slot: str, path: Path, info: dict[str, Any] | None, sample: pd.DataFrame | None
) -> None:
    """Sheet, encoding and header row as detected, each of which the person can override; open
    when the file could not be read, so a wrong guess can be corrected."""
    is_csv = info["format"] == "csv" if info else path.suffix.lower() in readers.CSV_SUFFIXES
    with st.expander(labels.UPLOAD_READ_SETTINGS, expanded=info is None):
        left, right = st.columns(2)
        if is_csv:
            detected = info["encoding"] if info else labels.NONE
            left.selectbox(
                labels.UPLOAD_ENCODING,
                ENCODINGS,
                key=f"upl_encoding_{slot}",
                format_func=lambda e: e or labels.UPLOAD_AUTO.format(value=detected),
            )
        else:
            sheets = info["sheets"] if info else _sheets(path)
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


def _sheets(path: Path) -> list[str]:
    try:
        return readers.list_sheets(path)
    except readers.ExportError:
        return []


def _mapping(
    slot: str, kind: str, headers: list[str], proposal: dict[str, Any], file_name: str
) -> tuple[dict[str, str | None], dict[str, str], str | None]:
    """The column mapping and fixed values the person confirms; the problem that stops a preview."""
    spec = KINDS[kind]
    names = [None, *spec.column_names]

    def column_label(column: str | None) -> str:
        if column is None:
            return labels.UPLOAD_IGNORE
        col = spec.column(column)
        return labels.UPLOAD_REQUIRED.format(name=col.display) if col.required else col.display

    def question_label(column: str | None) -> str:
        return labels.UPLOAD_QUESTION if column is None else column_label(column)

    questions = {headers[i] for i in questionnaire_columns(spec, headers, proposal["mapping"], {})}
    current = {
        h: st.session_state.get(f"upl_map_{slot}_{h}", proposal["mapping"].get(h)) for h in headers
    }
    mapped_count = sum(1 for h in headers if current[h] or h in questions)
    mapping: dict[str, str | None] = {}
    with st.expander(
        labels.UPLOAD_MAPPING.format(n=mapped_count, total=len(headers)),
        expanded=not proposal.get("profile"),
    ):
        st.caption(labels.UPLOAD_MAPPING_HELP)
        grid = st.columns(3)
        for i, header in enumerate(headers):
            mapping[header] = grid[i % 3].selectbox(
                ui.plain(header),
                names,
                index=names.index(proposal["mapping"].get(header)),
                format_func=question_label if header in questions else column_label,
                key=f"upl_map_{slot}_{header}",
            )
    melted = bool(questionnaire_columns(spec, headers, mapping, {}))
    covered = {c for c in mapping.values() if c} | (MELTED_COLUMNS if melted else set())
    fixed: dict[str, str] = {}
    needed = [c for c in spec.columns if c.required and c.name not in covered]
    for col in needed:
        fixed[col.name] = st.text_input(
            labels.UPLOAD_FIXED_REQUIRED.format(name=col.display),
            value=proposal["fixed"].get(col.name, ""),
            key=f"upl_fix_{slot}_{col.name}",
        ).strip()
    optional = [c for c in spec.columns if not c.required and c.name not in covered]
    if optional:
        preset = any(proposal["fixed"].get(c.name) for c in optional)
        with st.expander(labels.UPLOAD_FIXED_OPTIONAL, expanded=preset):
            grid = st.columns(3)
            for i, col in enumerate(optional):
                fixed[col.name] = (
                    grid[i % 3]
                    .text_input(
                        col.display,
                        value=proposal["fixed"].get(col.name, ""),
                        key=f"upl_fix_{slot}_{col.name}",
                    )
                    .strip()
                )
    fixed = {k: v for k, v in fixed.items() if v}
    if melted:
        st.caption(
            labels.UPLOAD_QUESTIONNAIRE.format(
                n=len(questionnaire_columns(spec, headers, mapping, fixed)),
                survey=fixed.get("survey_id") or Path(file_name).stem,
            )
        )
    return mapping, fixed, mapping_problem(spec, headers, mapping, fixed)


def _save_profile(slot: str, kind: str, headers: list[str], mapping: dict, fixed: dict) -> None:
    with st.expander(labels.UPLOAD_PROFILE):
        st.caption(labels.UPLOAD_PROFILE_HELP)
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        name = left.text_input(labels.UPLOAD_PROFILE_NAME, key=f"upl_profile_name_{slot}")
        if right.button(labels.UPLOAD_PROFILE_SAVE, key=f"upl_profile_save_{slot}"):
            try:
                saved_mappings.save(
                    db.db_path(), name, kind, headers, mapping, fixed, user=ui.current_user()
                )
            except saved_mappings.ProfileError as exc:
                _say("error", str(exc))
            else:
                st.session_state["upl_flash"] = (
                    "success",
                    labels.UPLOAD_PROFILE_SAVED.format(name=name.strip()),
                )
                st.rerun()


def _preview(slot: str, kind: str, preview) -> None:
    """What the load would do: counts, first rows as stored, every rejected value, unknown units."""
    result = preview.result
    st.markdown(f"**{labels.UPLOAD_PREVIEW}**")
    _counts(result)
    rows = preview.rows.dropna(axis="columns", how="all")
    rows = rows.assign(change=rows["change"].map(CHANGES))
    spec = KINDS[kind]
    names = {c.name: c.display for c in spec.columns}
    st.dataframe(
        ui.shown(rows).rename(
            columns={"row_number": labels.UPLOAD_ROW, "change": labels.UPLOAD_CHANGE_COL, **names}
        ),
        hide_index=True,
    )
    if result.errors:
        st.markdown(labels.UPLOAD_ERRORS.format(n=result.rows_rejected, values=len(result.errors)))
        st.dataframe(ui.errors_frame(result.errors[:SHOWN_ERRORS]), hide_index=True)
        if len(result.errors) > SHOWN_ERRORS:
            st.caption(labels.UPLOAD_ERRORS_CAPPED.format(n=SHOWN_ERRORS))
    if preview.unresolved_units and ui.allowed("alias"):
        _units(slot, preview.unresolved_units)
    elif preview.unresolved_units:
        st.info(labels.UPLOAD_ALIAS_ADMIN_ONLY)


def _counts(result) -> None:
    columns = st.columns(5)
    figures = (
        (labels.UPLOAD_READ, result.rows_read),
        (labels.UPLOAD_NEW, result.rows_inserted),
        (labels.UPLOAD_UPDATED, result.rows_updated),
        (labels.UPLOAD_SAME, result.rows_unchanged),
        (labels.UPLOAD_REJECTED, result.rows_rejected),
    )
    for column, (label, value) in zip(columns, figures):
        column.metric(label, f"{value:,}")


def _units(slot: str, unresolved: list[dict[str, Any]]) -> None:
    """Unit names that do not resolve: map each to a known unit (saved as an alias) or leave it."""
    st.markdown(labels.UPLOAD_UNITS.format(n=len(unresolved)))
    known = data.fetch("filter_units", scope="*")["name"].tolist() if data.database_exists() else []
    aliases: dict[str, str] = {}
    for item in unresolved:
        options = list(dict.fromkeys([*item["nearest"], *known]))
        chosen = st.selectbox(
            labels.UPLOAD_UNIT_PICK.format(value=ui.plain(item["value"]), rows=item["rows"]),
            options,
            index=None,
            placeholder=labels.UPLOAD_UNIT_PLACEHOLDER.format(
                nearest="、".join(item["nearest"]) or labels.NONE
            ),
            key=f"upl_unit_{slot}_{item['value']}",
        )
        if chosen:
            aliases[item["value"]] = chosen
    if st.button(
        labels.UPLOAD_ALIAS_SAVE.format(n=len(aliases)),
        key=f"upl_alias_{slot}",
        disabled=not aliases,
    ):
        path = ui.alias_file(aliases)
        try:
            [result] = load_files(db.db_path(), [path], "unit_aliases", user=ui.current_user())
        except FileRefused as exc:
            _say("error", str(exc))
            return
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        st.cache_data.clear()
        kind, text = (
            "success",
            labels.UPLOAD_ALIAS_SAVED.format(n=result.rows_inserted + result.rows_updated),
        )
        if result.errors:
            kind, text = (
                "warning",
                text
                + " "
                + "；".join(
                    labels.UPLOAD_ERROR_LINE.format(row=e["row"], error=e["error"])
                    for e in result.errors
                ),
            )
        st.session_state["upl_flash"] = (kind, text)
        st.rerun()


def _load(plans: list[dict[str, Any]], scope: dict[str, str]) -> None:
    """Load with a progress bar: one transaction per group of files read and mapped alike."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for plan in plans:
        key = json.dumps([plan["kind"], plan["options"]], ensure_ascii=False, sort_keys=True)
        groups.setdefault(key, []).append(plan)
    bar = st.progress(0.0, text=labels.UPLOAD_LOADING.format(files=""))
    summary, done = [], 0
    for group in groups.values():
        names = "、".join(p["name"] for p in group)
        bar.progress(done / len(plans), text=labels.UPLOAD_LOADING.format(files=ui.plain(names)))
        first = group[0]
        try:
            # In a child process: segmentation would stall every other session (PITFALLS S9).
            results = worker.load_files(
                db.db_path(),
                [p["path"] for p in group],
                first["kind"],
                user=ui.current_user(),
                **first["options"],
                **scope,
            )
        except FileRefused as exc:
            gate.record("upload_refused", f"{names}：{exc}")
            summary.append({"name": names, "refused": str(exc)})
            break
        for plan, result in zip(group, results):
            gate.record("upload", labels.UPLOAD_AUDIT.format(
                id=result.import_id, file=plan["name"], kind=KINDS[result.kind].label,
                new=result.rows_inserted, updated=result.rows_updated,
                rejected=result.rows_rejected,
            ))
            rejected = None
            if result.errors:
                read = {
                    k: v
                    for k, v in plan["options"].items()
                    if k in ("sheet", "encoding", "header_row")
                }
                rejected = ui.rejected_rows(plan["path"], result.errors, **read)
            summary.append({"name": plan["name"], "result": result, "rejected": rejected})
        done += len(group)
        bar.progress(done / len(plans), text=labels.UPLOAD_LOADING.format(files=ui.plain(names)))
    bar.progress(1.0, text=labels.UPLOAD_LOADED)
    st.cache_data.clear()  # every page shows the new figures at once
    st.session_state["upl_summary"] = summary
    ui.start_over()
    st.rerun()


def _summary() -> None:
    summary = st.session_state.get("upl_summary")
    if not summary:
        return
    st.subheader(labels.UPLOAD_SUMMARY)
    results = [s["result"] for s in summary if "result" in s]
    if results:
        _say(
            "success",
            labels.UPLOAD_DONE.format(
                files=len(results),
                new=sum(r.rows_inserted for r in results),
                updated=sum(r.rows_updated for r in results),
                rejected=sum(r.rows_rejected for r in results),
            ),
        )
    for n, item in enumerate(summary):
        with st.container(border=True):
            st.markdown(f"**{ui.plain(item['name'])}**")
            if "refused" in item:
                _say("error", labels.UPLOAD_REFUSED.format(reason=item["refused"]))
                continue
            result = item["result"]
            st.caption(
                labels.UPLOAD_RESULT_CAPTION.format(
                    id=result.import_id, kind=KINDS[result.kind].label
                )
            )
            _counts(result)
            figures = ui.figures_frame(result.figures)
            if figures.empty:
                st.caption(labels.UPLOAD_FIGURES_SAME)
            else:
                st.caption(
                    labels.UPLOAD_FIGURES_MOVED
                    if gate.scope() == WHOLE_BUREAU
                    else labels.UPLOAD_FIGURES_MOVED_UNIT.format(unit=gate.unit_name())
                )
                st.dataframe(figures, hide_index=True)
            if item["rejected"] is not None:
                st.markdown(
                    labels.UPLOAD_ERRORS.format(n=result.rows_rejected, values=len(result.errors))
                )
                st.dataframe(item["rejected"].head(SHOWN_ERRORS), hide_index=True)
                tables.download_buttons(
                    item["rejected"],
                    labels.UPLOAD_REJECTED_FILE.format(stem=Path(item["name"]).stem),
                    key=f"upl_rejected_{n}",
                    csv_label=labels.UPLOAD_REJECTED_CSV,
                    xlsx_label=labels.UPLOAD_REJECTED_XLSX,
                )


def _history() -> None:
    st.subheader(labels.UPLOAD_HISTORY)
    if not data.database_exists():
        st.caption(labels.UPLOAD_NO_HISTORY)
        return
    # Staff see their own loads only: other units' file names are not theirs to read.
    mine = None if ui.allowed("undo") else gate.username()
    history = data.fetch("import_history", limit=HISTORY_ROWS, uploaded_by=mine)
    if history.empty:
        st.caption(labels.UPLOAD_NO_HISTORY)
        return
    st.dataframe(ui.history_frame(history), hide_index=True)
    if not ui.allowed("undo"):
        return
    in_force = history[history["status"] == labels.UPLOAD_IN_FORCE]
    choices = in_force["import_id"].tolist()
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
        choices,
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
    _say(
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
            done = undo_import(db.db_path(), int(pending), user=ui.current_user())
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


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
