"""Helpers of the upload page (数据导入): uploads staged on disk, per-session memos of the slow
steps, figures and history as tables, and the one place that decides who may write."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from etl import readers
from etl.load import PROFILE_DIR, FileRefused
from etl.sources import KINDS
from pages.ui import charts, gate, labels, labels_upload, labels_uploader
from queries import db

STATE = "upl_state"
# Labels and markdown render links and images: text from a file must not fetch or link anything.
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>~$:"})


@dataclass(frozen=True)
class Staged:
    """An uploaded file as the page knows it."""

    slot: str  # f1, f2, … in order of arrival: the stable part of the file's widget keys
    name: str  # the name the person's file had
    path: Path | None  # its bytes on disk under that name (None when refused before writing)
    size: int
    refused: str | None = None


def allowed(right: str) -> bool:
    """May the signed-in account do `right` ("upload" | "undo" | "undo_any" | "profile" |
    "alias"; the table is auth/rights.py)?"""
    return gate.can(right)


def plain(text: object) -> str:
    """Text from a file (names, headers, sheets) made safe to show where markdown is rendered."""
    return str(text).translate(_MARKDOWN)


def say(kind: str, text: str) -> None:
    """An alert that may quote a file (names, cell values): shown as typed, not as markdown."""
    getattr(st, kind)(plain(text))


def profile_name(name: str) -> str:
    """A profile as people know it: a shipped one by its description (政务留言板导出), not by its
    file name (message_board); a saved one by the name it was saved under."""
    shipped = PROFILE_DIR / f"{name}.json"
    if not shipped.is_file():
        return name
    note = json.loads(shipped.read_text(encoding="utf-8")).get("note", "")
    return re.split(r"[（(：:]", note, maxsplit=1)[0].strip() or name


def shipped_sources(kind: str | None = None) -> list[str]:
    """The shipped profiles' keys (of `kind`'s profiles only, when given): each is the source
    system of the files it recognises."""
    return sorted(
        p.stem
        for p in PROFILE_DIR.glob("*.json")
        if kind is None or json.loads(p.read_text(encoding="utf-8")).get("kind") == kind
    )


def source_label(source: str | None) -> str:
    """A source system as people know it: a shipped profile's key (message_board) by its
    description, any other (未注明, 12345热线, a saved profile) as it is; — for none (units)."""
    if source is None or pd.isna(source):
        return labels.NONE
    return profile_name(source) if source in shipped_sources() else source


def uploader_in_chinese() -> None:
    """Chinese words in place of the file uploader's English ones, which Streamlit offers no
    setting for: its text (the button, the size line, the line shown while a file is dragged
    over it, a failed chip's) and its aria-labels and titles, which screen readers read out. A
    static script of the page's own (no user text), installed once per browser tab; it watches
    the page, since Streamlit writes its words again whenever it redraws the uploader."""
    words = json.dumps(
        {
            "button": labels_upload.UPLOADER_BUTTON,
            "limit": labels_upload.UPLOADER_LIMIT.format(mb=max_upload_mb()),
            **labels_uploader.WORDS,
        },
        ensure_ascii=False,
    )
    st.html(
        "<script>(() => {"
        "if (window.minyiUploaderWords) return; window.minyiUploaderWords = true;"
        f"const W = {words};"
        # Each rule: Streamlit 1.67's English (static/js FileUploader, utils) -> the Chinese.
        "const TEXT = [[/^Upload$/, () => W.button], [/^Drag and drop .* here$/, () => W.drop],"
        " [/^\\S+ per file$/, () => W.limit], [/^Error: $/, () => W.error],"
        " [/^Upload failed$/, () => W.failed]];"
        "const NAMES = [[/^Add files$/, () => W.add], [/^Remove (.*)$/, (m) => W.remove + m[1]],"
        " [/^Cancel upload of (.*)$/, (m) => W.cancel + m[1]],"
        " [/^Help for (.*)$/, (m) => m[1] + W.help], [/^file upload$/, () => W.input],"
        " [/^Click to retry upload$/, () => W.retry]];"
        "const fix = (v, rules) => { for (const [re, to] of rules) { const m = v.match(re);"
        " if (m) return to(m); } return v; };"
        "const translate = () => document.querySelectorAll("
        "'[data-testid=\"stFileUploader\"]').forEach((area) => {"
        " const walk = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);"
        " for (let n = walk.nextNode(); n; n = walk.nextNode()) {"
        "  const t = fix(n.nodeValue, TEXT); if (t !== n.nodeValue) n.nodeValue = t; }"
        " for (const e of [area, ...area.querySelectorAll('[aria-label], [title]')]) {"
        "  for (const a of ['aria-label', 'title']) { const v = e.getAttribute(a);"
        "   if (v && fix(v, NAMES) !== v) e.setAttribute(a, fix(v, NAMES)); } } });"
        "translate();"
        "new MutationObserver(translate).observe(document.body, {subtree: true, childList: true,"
        " characterData: true, attributes: true, attributeFilter: ['aria-label', 'title']});"
        "})();</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def current_user() -> str | None:
    """Who writes, for the import log: the signed-in account."""
    return gate.username()


def max_upload_mb() -> int:
    """The upload limit per file, from server.maxUploadSize (.streamlit/config.toml)."""
    return int(st.get_option("server.maxUploadSize"))


def database_identity() -> tuple | None:
    """Changes whenever a write swaps in a new warehouse file (None when there is none yet)."""
    path = db.db_path()
    return db.file_identity(path) if path.exists() else None


def _state() -> dict[str, Any]:
    if STATE not in st.session_state:
        st.session_state[STATE] = {
            "staged": {},
            "next": 1,
            "memo": {},
            "bases": {},
            "generation": 0,
        }
    return st.session_state[STATE]


def generation() -> int:
    """Bumped after each load so the file uploader starts empty."""
    return _state()["generation"]


def stage(files: list) -> list[Staged]:
    """Write each new upload to disk under its own name (docs/pitfalls.md D3); forget removed
    ones."""
    state = _state()
    present = {f.file_id for f in files}
    for file_id in [k for k in state["staged"] if k not in present]:
        _drop(state["staged"].pop(file_id))
    limit = max_upload_mb() * 1024 * 1024
    out = []
    for upload in files:
        staged = state["staged"].get(upload.file_id)
        if staged is None:
            slot = f"f{state['next']}"
            state["next"] += 1
            name = Path(upload.name.replace("\\", "/")).name.strip() or "upload"
            if upload.size > limit:
                staged = Staged(
                    slot,
                    name,
                    None,
                    upload.size,
                    labels.UPLOAD_TOO_LARGE.format(
                        name=name, size=upload.size / 1024 / 1024, mb=max_upload_mb()
                    ),
                )
            elif upload.size == 0:
                staged = Staged(slot, name, None, 0, labels.UPLOAD_EMPTY.format(name=name))
            else:
                folder = Path(tempfile.mkdtemp(prefix="minyi-upload-"))
                path = folder / name
                upload.seek(0)
                with path.open("wb") as out_file:
                    shutil.copyfileobj(upload, out_file, 1 << 20)
                staged = Staged(slot, name, path, upload.size)
            state["staged"][upload.file_id] = staged
        out.append(staged)
    return out


def _drop(staged: Staged) -> None:
    if staged.path is not None:
        shutil.rmtree(staged.path.parent, ignore_errors=True)
    state = _state()
    state["memo"].pop(staged.slot, None)
    state["bases"].pop(staged.slot, None)
    for key in [k for k in st.session_state if _belongs(str(k), staged.slot)]:
        del st.session_state[key]


def _belongs(key: str, slot: str, prefixes: tuple[str, ...] = ("upl_",)) -> bool:
    return key.startswith(prefixes) and (key.endswith(f"_{slot}") or f"_{slot}_" in key)


def start_over() -> None:
    """After a load: forget every staged file and widget, and give the uploader a new key."""
    state = _state()
    for staged in state["staged"].values():
        _drop(staged)
    state.update(staged={}, next=1, memo={}, bases={}, generation=state["generation"] + 1)


def memo(slot: str, step: str, key: Any, compute: Callable[[], Any]) -> Any:
    """compute() once per key for this file in this session: reading and previewing take seconds.

    A refusal (ExportError, FileRefused) is remembered too and raised again.
    """
    box = _state()["memo"].setdefault(slot, {})
    hit = box.get(step)
    if hit is None or hit[0] != key:
        try:
            hit = (key, compute(), None)
        except (readers.ExportError, FileRefused) as exc:
            hit = (key, None, exc)
        box[step] = hit
    if hit[2] is not None:
        raise hit[2]
    return hit[1]


def reset_when_changed(slot: str, name: str, basis: Any, prefixes: tuple[str, ...]) -> None:
    """Forget the file's widgets under `prefixes` when `basis` (e.g. its headers) changed, so they
    start again from the new proposal instead of keeping choices made for other columns."""
    bases = _state()["bases"].setdefault(slot, {})
    if name in bases and bases[name] != basis:
        for key in [k for k in st.session_state if _belongs(str(k), slot, prefixes)]:
            del st.session_state[key]
    bases[name] = basis


def shown(frame: pd.DataFrame) -> pd.DataFrame:
    """Blank, not "None", where a value is missing (a column with gaps becomes text throughout,
    which the grid needs: one type per column); 是/否, not True/False."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_bool_dtype(values) or (
            values.isna().any() and not pd.api.types.is_datetime64_any_dtype(values)
        ):
            out[column] = [_text(v) for v in values]
    return out


def _text(value: object) -> str:
    if pd.isna(value):
        return ""
    if pd.api.types.is_bool(value):
        return labels.YES if value else labels.NO
    if pd.api.types.is_number(value):
        return charts.number(value)
    return str(value)


def errors_frame(errors: list[dict[str, Any]]) -> pd.DataFrame:
    """Every rejected value: row, column, value and the reason as one Chinese sentence."""
    return pd.DataFrame(
        {
            labels.UPLOAD_ROW: [e["row"] for e in errors],
            labels.UPLOAD_COLUMN: [e["column"] or "" for e in errors],
            labels.UPLOAD_VALUE: [e["value"] or "" for e in errors],
            labels.UPLOAD_ERROR: [
                labels.UPLOAD_ERROR_LINE.format(row=e["row"], error=e["error"]) for e in errors
            ],
        }
    )


def moved(figures: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The headline figures a load or undo changed (every figure is a 0-1 rate)."""
    return [
        f
        for f in figures or []
        if (f.get("before") is None) != (f.get("after") is None)
        or (f.get("before") is not None and abs(f["after"] - f["before"]) > 1e-12)
    ]


def figures_frame(figures: list[dict[str, Any]] | None) -> pd.DataFrame:
    """The figures that moved: before, after and the change in percentage points."""
    rows = []
    for f in moved(figures):
        before, after = f.get("before"), f.get("after")
        change = (
            labels.NONE
            if before is None or after is None
            else f"{(after - before) * 100:+.1f} {labels.PP}"
        )
        rows.append(
            {
                labels.UPLOAD_FIGURE: f["label"],
                labels.UPLOAD_BEFORE: charts.pct(before),
                labels.UPLOAD_AFTER: charts.pct(after),
                labels.UPLOAD_CHANGE: change,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            labels.UPLOAD_FIGURE,
            labels.UPLOAD_BEFORE,
            labels.UPLOAD_AFTER,
            labels.UPLOAD_CHANGE,
        ],
    )


def figures_text(figures: object) -> str:
    """One line for the history table: 满意率 80.8%→81.0%；… ("—" before figures were kept)."""
    if not isinstance(figures, (list, tuple, np.ndarray)) or len(figures) == 0:
        return labels.NONE
    changed = moved(list(figures))
    if not changed:
        return labels.UPLOAD_FIGURES_SAME
    return "；".join(
        f"{f['label']} {charts.pct(f.get('before'))}→{charts.pct(f.get('after'))}" for f in changed
    )


def history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """The import_history query as the page shows it."""
    return pd.DataFrame(
        {
            labels.UPLOAD_IMPORT_ID: history["import_id"],
            labels.UPLOAD_KIND: [KINDS[k].label if k in KINDS else k for k in history["kind"]],
            labels_upload.SOURCE: [source_label(s) for s in history["source_id"]],
            labels.UPLOAD_FILE: history["file_name"],
            labels.UPLOAD_WHO: history["uploaded_by"].fillna(labels.NONE),
            labels.UPLOAD_WHEN: pd.to_datetime(history["finished_at"]).dt.strftime(
                "%Y-%m-%d %H:%M"
            ),
            labels.UPLOAD_READ: history["rows_read"],
            labels.UPLOAD_NEW: history["rows_inserted"],
            labels.UPLOAD_UPDATED: history["rows_updated"],
            labels.UPLOAD_REJECTED: history["rows_rejected"],
            labels.UPLOAD_STATUS: history["status"],
            labels.UPLOAD_FIGURES: [figures_text(f) for f in history["figures"]],
        }
    )


def alias_file(aliases: dict[str, str]) -> Path:
    """A unit_aliases export (别名, 对应单位) of the names the person mapped, to load like any file."""
    folder = Path(tempfile.mkdtemp(prefix="minyi-alias-"))
    path = folder / f"{labels.UPLOAD_ALIAS_FILE}_{dt.datetime.now():%Y%m%d%H%M%S}.csv"
    frame = pd.DataFrame({"别名": list(aliases), "对应单位": list(aliases.values())})
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path
