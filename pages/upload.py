"""数据导入: upload exports, check what Minyi makes of them, preview, load, and undo a load.

Every step calls the same etl functions as `python -m etl inspect|load` (inspect, preview_file,
load_files, undo_import), each in a child process (etl.worker): the dashboard's own process never
parses an upload, so a hostile or huge file cannot swell it, and the browser and the command line
take a file to the same result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st

from auth.accounts import WHOLE_BUREAU
from etl import worker
from etl.load import FileRefused
from etl.sources import KINDS, propose_mapping
from pages.ui import data, gate, labels, tables
from pages.ui import labels_intel as intel_text
from pages.ui import labels_upload as text
from pages.ui import upload as ui
from pages.ui import upload_advice as advice
from pages.ui import upload_alias as alias_proposal
from pages.ui import upload_history as history
from pages.ui import upload_mapping as settings
from pages.ui import upload_preview as notes
from queries import db

PREVIEW_ROWS = 20
SHOWN_ERRORS = 1000
CHANGES = {
    "new": labels.UPLOAD_CHANGE_NEW,
    "changed": labels.UPLOAD_CHANGE_UPDATED,
    "same": labels.UPLOAD_CHANGE_SAME,
}


def render() -> None:
    """Draw the page."""
    gate.require("upload")
    st.title(labels.TITLES["upload"])
    st.caption(labels.UPLOAD_INTRO.format(mb=ui.max_upload_mb()))
    flash = st.session_state.pop("upl_flash", None)
    if flash:
        ui.say(*flash)
    _summary()
    scope = _scope()
    if scope:
        st.caption(labels.UPLOAD_SCOPE.format(unit=gate.unit_name()))
    _upload(scope)
    history.render()


def _scope() -> dict[str, str]:
    """The loader's scope argument for the signed-in account: {} for the whole bureau; a staff
    account's unit, so the loader rejects rows of any other unit tree."""
    unit = gate.scope()
    return {} if unit == WHOLE_BUREAU else {"scope_unit_id": unit}


def _upload(scope: dict[str, str]) -> None:
    ui.uploader_in_chinese()
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


def _examine(item: ui.Staged, read: dict, scope: dict, kind=None, options=None):
    return worker.examine(
        db.db_path(),
        item.path,
        file_name=item.name,
        read=read,
        kind=kind,
        options=options,
        limit=PREVIEW_ROWS,
        **scope,
    )


def _file(item: ui.Staged, scope: dict[str, str]) -> dict[str, Any] | None:
    """One uploaded file from detection to preview; returns its load plan once it may be loaded."""
    st.subheader(ui.plain(item.name))
    if item.refused:
        ui.say("error", item.refused)
        return None
    slot, path, state = item.slot, item.path, st.session_state
    read = {
        "sheet": state.get(f"upl_sheet_{slot}"),
        "encoding": state.get(f"upl_encoding_{slot}"),
        "header_row": state.get(f"upl_header_{slot}"),
    }
    read_key = (str(path), json.dumps(read), ui.database_identity())
    try:
        first = ui.memo(slot, "examine", read_key, lambda: _examine(item, read, scope))
    except FileRefused as exc:  # the child ran out of memory or died
        ui.say("error", str(exc))
        return None
    if first.refused:
        ui.say("error", first.refused)
        settings.read_settings(slot, path, None, None, first.sheets)
        return None
    info = first.info
    headers = info["headers"]
    st.markdown(settings.detected(info))
    settings.read_settings(slot, path, info, first.sample)
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
    mapping, fixed, problem = settings.mapping(
        slot, kind, headers, proposal, item.name, scoped=bool(scope)
    )
    if ui.allowed("profile"):
        settings.save_profile(slot, kind, headers, mapping, fixed)
    if problem:
        ui.say("warning", problem)
        return None
    options = {"mapping": mapping, "fixed": fixed}
    source = notes.source(slot, KINDS[kind], headers)
    if source is not None:
        options["source"] = source
    examined = first
    if (kind, options) != (first.kind, first.options):
        key = (read_key, kind, json.dumps(options, ensure_ascii=False, sort_keys=True))
        try:
            examined = ui.memo(
                slot, "preview", key, lambda: _examine(item, read, scope, kind, options)
            )
        except FileRefused as exc:
            ui.say("error", str(exc))
            return None
    refused = examined.refused or examined.preview_refused
    if refused:
        ui.say("error", refused)
        return None
    _preview(slot, kind, examined.preview, mapping, fixed)
    return {
        "slot": slot,
        "name": item.name,
        "path": path,
        "kind": kind,
        "options": {**read, **options},
    }


def _preview(slot: str, kind: str, preview, mapping: dict, fixed: dict) -> None:
    """What the load would do: counts, first rows as stored, why rows are rejected and what to do
    about it, every rejected value, unknown units."""
    result = preview.result
    spec = KINDS[kind]
    st.markdown(f"**{labels.UPLOAD_PREVIEW}**")
    _counts(result)
    notes.warnings(preview)
    notes.changes(preview)
    taken = result.rows_inserted + result.rows_updated + result.rows_unchanged
    if not preview.rows.empty:
        rows = preview.rows.dropna(axis="columns", how="all")
        rows = rows.assign(change=rows["change"].map(CHANGES))
        names = {c.name: c.display for c in spec.columns}
        st.dataframe(
            ui.shown(rows).rename(
                columns={
                    "row_number": labels.UPLOAD_ROW,
                    "change": labels.UPLOAD_CHANGE_COL,
                    **names,
                }
            ),
            hide_index=True,
        )
    if result.errors:
        lines = advice.way_forward(spec, result.errors, mapping, fixed, advice.clerk_tree())
        head = (
            text.ALL_REJECTED.format(n=result.rows_rejected) if not taken else (text.SOME_REJECTED)
        )
        ui.say("error" if not taken else "info", "\n\n".join([head, *lines]))
        st.caption(text.REASONS)
        st.dataframe(advice.reasons_frame(result.errors), hide_index=True)
        st.markdown(labels.UPLOAD_ERRORS.format(n=result.rows_rejected, values=len(result.errors)))
        st.dataframe(ui.errors_frame(result.errors[:SHOWN_ERRORS]), hide_index=True)
        if len(result.errors) > SHOWN_ERRORS:
            st.caption(labels.UPLOAD_ERRORS_CAPPED.format(n=SHOWN_ERRORS))
    if preview.unresolved_units and ui.allowed("alias"):
        _units(slot, preview.unresolved_units)
    elif preview.unresolved_units:
        alias_proposal.propose(slot, preview.unresolved_units)


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
    known = data.fetch("filter_units")["name"].tolist() if data.database_exists() else []
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
            [loaded] = worker.load_files(
                db.db_path(), [path], "unit_aliases", user=ui.current_user()
            )
        except FileRefused as exc:
            ui.say("error", str(exc))
            return
        finally:
            path.unlink(missing_ok=True)
            path.parent.rmdir()
        st.cache_data.clear()
        result = loaded.result
        kind, line = (
            "success",
            labels.UPLOAD_ALIAS_SAVED.format(n=result.rows_inserted + result.rows_updated),
        )
        if result.errors:
            kind, line = (
                "warning",
                line
                + " "
                + "；".join(
                    labels.UPLOAD_ERROR_LINE.format(row=e["row"], error=e["error"])
                    for e in result.errors
                ),
            )
        st.session_state["upl_flash"] = (kind, line)
        st.rerun()


def _load(plans: list[dict[str, Any]], scope: dict[str, str]) -> None:
    """Load with a progress bar: one transaction per group of files read and mapped alike. The
    summary is kept before anything else is done with a result, so a load that wrote is always
    reported."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for plan in plans:
        key = json.dumps([plan["kind"], plan["options"]], ensure_ascii=False, sort_keys=True)
        groups.setdefault(key, []).append(plan)
    bar = st.progress(0.0, text=labels.UPLOAD_LOADING.format(files=""))
    summary: list[dict[str, Any]] = []
    st.session_state["upl_summary"] = summary
    done = 0
    for group in groups.values():
        names = "、".join(p["name"] for p in group)
        bar.progress(done / len(plans), text=labels.UPLOAD_LOADING.format(files=ui.plain(names)))
        first = group[0]
        try:
            loaded = worker.load_files(
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
        for plan, item in zip(group, loaded):
            summary.append({"name": plan["name"], "loaded": item})
        for plan, item in zip(group, loaded):
            result = item.result
            gate.record(
                "upload",
                labels.UPLOAD_AUDIT.format(
                    id=result.import_id,
                    file=plan["name"],
                    kind=KINDS[result.kind].label,
                    new=result.rows_inserted,
                    updated=result.rows_updated,
                    rejected=result.rows_rejected,
                ),
            )
        done += len(group)
        bar.progress(done / len(plans), text=labels.UPLOAD_LOADING.format(files=ui.plain(names)))
    bar.progress(1.0, text=labels.UPLOAD_LOADED)
    st.cache_data.clear()  # every page shows the new figures at once
    ui.start_over()
    st.rerun()


def _summary() -> None:
    summary = st.session_state.get("upl_summary")
    if not summary:
        return
    st.subheader(labels.UPLOAD_SUMMARY)
    results = [s["loaded"].result for s in summary if "loaded" in s]
    if results:
        ui.say(
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
                ui.say("error", labels.UPLOAD_REFUSED.format(reason=item["refused"]))
                continue
            _loaded(n, item["name"], item["loaded"])


def _loaded(n: int, name: str, loaded: worker.Loaded) -> None:
    result = loaded.result
    caption = labels.UPLOAD_RESULT_CAPTION.format(
        id=result.import_id, kind=KINDS[result.kind].label
    )
    if result.source_system:
        caption += text.RESULT_SOURCE.format(source=ui.source_label(result.source_system))
    st.caption(ui.plain(caption))
    _counts(result)
    if result.training:
        st.info(
            intel_text.TRAINING_IN_BACKGROUND.format(
                targets="、".join(intel_text.TARGETS[t] for t in result.training)
            )
        )
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
    if loaded.rejected_failed:
        ui.say("warning", loaded.rejected_failed)
    superseded = {e["row"] for e in result.errors if e.get("superseded_by") is not None}
    if superseded:
        st.caption(text.SUPERSEDED_LEFT_OUT.format(n=len(superseded)))
    if loaded.rejected is not None:
        to_fix = worker.to_fix(result.errors)
        st.markdown(labels.UPLOAD_ERRORS.format(n=len(loaded.rejected), values=len(to_fix)))
        st.dataframe(loaded.rejected.head(SHOWN_ERRORS), hide_index=True)
        tables.download_buttons(
            loaded.rejected,
            labels.UPLOAD_REJECTED_FILE.format(stem=Path(name).stem),
            key=f"upl_rejected_{n}",
            csv_label=labels.UPLOAD_REJECTED_CSV,
            xlsx_label=labels.UPLOAD_REJECTED_XLSX,
        )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
