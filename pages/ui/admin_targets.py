"""账号与审计 · 目标与阈值: an admin sets the targets and thresholds of `settings` (etl/targets.py
keeps them in the configuration store); each change is audited and in force on the next page run."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from etl import targets
from pages.ui import data, escape, gate, tables
from pages.ui import labels_admin as labels


def shown(key: str, value: str | None) -> str:
    """A value as people read it: a rate as a percentage (0.98 -> 98%), the rest as stored."""
    setting = targets.SETTINGS.get(key)
    if value is None or setting is None or setting.kind != "rate":
        return value or ""
    try:
        return f"{float(value) * 100:.4g}%"
    except ValueError:
        return value


def _name(key: str) -> str:
    setting = targets.SETTINGS.get(key)
    return setting.name if setting else targets.LOAD_TIME.get(key, key)


# Rows in the order of etl/targets.py (targets first), then what only the warehouse sets.
_ORDER = {key: n for n, key in enumerate([*targets.SETTINGS, *targets.LOAD_TIME])}
ROW_HEIGHT = 35


def _table(frame: pd.DataFrame, changed: dict[str, targets.Override]) -> None:
    frame = frame.sort_values(
        "key", key=lambda keys: keys.map(lambda k: _ORDER.get(k, len(_ORDER)))
    )
    keys = frame["key"].tolist()
    table = pd.DataFrame(
        {
            "name": [_name(k) for k in keys],
            "value": [shown(k, v) for k, v in zip(keys, frame["value"])],
            "default_value": [shown(k, v) for k, v in zip(keys, frame["default_value"])],
            "changed_by": [changed[k].changed_by or "" if k in changed else "" for k in keys],
            "changed_at": [changed[k].changed_at if k in changed else None for k in keys],
            "note": frame["note"].fillna("").tolist(),
            "where": [
                labels.WHERE_PAGE if k in targets.SETTINGS else labels.WHERE_LOAD for k in keys
            ],
            "key": keys,
        }
    )
    # Every setting at once: the grid's default height would hide most of them.
    height = ROW_HEIGHT * (len(table) + 1) + 3
    tables.show(table.rename(columns=labels.TARGET_COLUMNS), key="adm_targets", height=height)


def section(done: Callable[[str], None]) -> None:
    """The settings with their values in force and defaults, and a change of one; `done` tells
    the admin what was saved and reruns."""
    st.caption(labels.TARGETS_CAPTION)
    frame = data.fetch("settings_defaults")
    changed = targets.overrides()
    _table(frame, changed)
    current = dict(zip(frame["key"], frame["value"]))
    defaults = dict(zip(frame["key"], frame["default_value"]))
    editable = [k for k in targets.SETTINGS if k in current]
    left, right = st.columns(2)
    key = left.selectbox(
        labels.TARGET_PICK,
        editable,
        format_func=lambda k: f"{_name(k)}（{shown(k, current[k])}）",
        key="adm_target_key",
    )
    if key is None:
        return
    text = right.text_input(
        labels.TARGET_VALUE,
        key="adm_target_value",
        help=labels.TARGET_VALUE_HELP[targets.SETTINGS[key].kind],
        placeholder=shown(key, current[key]),
    )
    save, reset = st.columns(2)
    if save.button(labels.TARGET_SAVE, key="adm_target_save", type="primary"):
        try:
            value = targets.save(key, text, gate.username())
        except targets.TargetError as error:
            st.error(escape.md(str(error)))
            return
        before, after = shown(key, current[key]), shown(key, value)
        gate.record(
            "settings",
            labels.TARGET_AUDIT.format(key=key, name=_name(key), before=before, after=after),
        )
        done(labels.TARGET_SAVED.format(name=_name(key), value=after, before=before))
    if reset.button(labels.TARGET_RESET, key="adm_target_reset", disabled=key not in changed):
        targets.reset(key)
        after = shown(key, defaults[key])
        gate.record(
            "settings",
            labels.TARGET_AUDIT_RESET.format(
                key=key, name=_name(key), before=shown(key, current[key]), after=after
            ),
        )
        done(labels.TARGET_RESET_DONE.format(name=_name(key), value=after))
