"""考核评分 · 修改考核方案: an admin edits the scheme in force, sees who moves in the ranking and by
how much before anything is saved, and saves it as a new version (assess/store.py; audited)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assess import score, store
from assess.scheme import LINEAR, METRICS, PER_EVENT, Indicator, Scheme, SchemeError, validate
from pages.ui import gate, tables
from pages.ui import labels_assess as labels
from pages.ui.labels import PICK

# Unit types an admin may assess; a type the scheme already names is offered too.
UNIT_TYPES = ("派出所", "分局", "支队大队", "窗口", "机关")


def _percent(metric: str) -> float:
    # Rates are edited in percent (98, not 0.98): how people write targets.
    return 100.0 if METRICS[metric].kind == "pct" else 1.0


def _indicator_widgets(
    metric: str, current: Indicator | None, types: list[str]
) -> Indicator | None:
    """One metric's row of widgets; the indicator it describes, or None when not included."""
    spec = METRICS[metric]
    scale = _percent(metric)
    base = current or Indicator(metric, 10, LINEAR, floor=None, target=None, unit_types=("派出所",))
    row = st.columns([1.4, 1, 1.4, 1, 1, 1, 1, 2.2], vertical_alignment="bottom")
    included = row[0].checkbox(spec.label, value=current is not None, key=f"as_inc_{metric}")
    weight = row[1].number_input(
        labels.WEIGHT, min_value=0.0, value=float(base.weight), step=1.0, key=f"as_w_{metric}"
    )
    rules = [LINEAR, PER_EVENT] if spec.events else [LINEAR]
    rule = row[2].selectbox(
        labels.RULE,
        rules,
        index=rules.index(base.rule),
        format_func=labels.RULES.get,
        key=f"as_rule_{metric}",
    )
    floor = row[3].number_input(
        labels.FLOOR,
        value=None if base.floor is None else base.floor * scale,
        key=f"as_floor_{metric}",
    )
    target = row[4].number_input(
        labels.TARGET,
        value=None if base.target is None else base.target * scale,
        key=f"as_target_{metric}",
    )
    per_event = row[5].number_input(
        labels.PER_EVENT,
        min_value=0.0,
        value=float(base.per_event) if base.per_event is not None else None,
        key=f"as_per_{metric}",
    )
    minimum = row[6].number_input(
        labels.MIN_SAMPLE, min_value=0, value=int(base.min_sample), step=1, key=f"as_min_{metric}"
    )
    chosen = row[7].multiselect(
        labels.UNIT_TYPES,
        types,
        default=list(base.unit_types),
        key=f"as_types_{metric}",
        placeholder=PICK,
        select_all=False,
    )
    if not included:
        return None
    linear = rule == LINEAR
    return Indicator(
        metric,
        float(weight),
        rule,
        floor=round(floor / scale, 9) if linear and floor is not None else None,
        target=round(target / scale, 9) if linear and target is not None else None,
        per_event=None if linear else per_event,
        min_sample=int(minimum),
        unit_types=tuple(chosen),
    )


def proposed(current: Scheme) -> Scheme:
    """The scheme the widgets describe (the current one until the admin changes a widget)."""
    by_metric = {i.metric: i for i in current.indicators}
    types = list(dict.fromkeys([*UNIT_TYPES, *current.unit_types()]))
    name = st.text_input(labels.NAME, value=current.name, key="as_name")
    indicators = [
        found
        for metric in METRICS
        if (found := _indicator_widgets(metric, by_metric.get(metric), types)) is not None
    ]
    # Kept in the order of the current scheme, new indicators after, so an unchanged scheme
    # compares equal to the one in force.
    order = {m: i for i, m in enumerate([*by_metric, *METRICS])}
    return Scheme(name.strip(), tuple(sorted(indicators, key=lambda i: order[i.metric])))


def _moves_table(moves: pd.DataFrame) -> pd.DataFrame:
    out = moves.drop(columns=["unit_id"]).copy()
    for column in ("score_before", "score_after", "score_change"):
        out[column] = out[column].astype(float).round(1)
    return out.rename(columns=labels.COLUMNS)


def section(values: pd.DataFrame, current: store.Version) -> bool:
    """The editor, the ranking before → after, and the save; True when a version was saved."""
    with st.expander(labels.EDIT):
        st.caption(labels.EDIT_CAPTION)
        scheme = proposed(current.scheme)
        if scheme == current.scheme:
            st.caption(labels.UNCHANGED)
            return False
        try:
            validate(scheme)
        except SchemeError as exc:
            st.error(str(exc))
            return False
        before, _ = score.score_units(values, current.scheme)
        after, _ = score.score_units(values, scheme)
        moves = score.compare(before, after)
        st.subheader(labels.MOVES)
        moved = int(
            (moves["rank_move"].fillna(0) != 0).sum()
            + (moves["rank_before"].isna() != moves["rank_after"].isna()).sum()
        )
        changed = int((moves["score_change"].abs() > 1e-9).sum())
        st.caption(labels.MOVES_COUNT.format(n=moved, m=changed))
        tables.show(_moves_table(moves), key="as_moves", hide=())
        note = st.text_input(labels.NOTE, key="as_note")
        if not st.button(labels.SAVE, key="as_save", type="primary"):
            return False
        try:
            version = store.save(scheme, gate.username(), note)
        except SchemeError as exc:
            st.error(str(exc))
            return False
        gate.record(
            "settings",
            labels.AUDIT.format(
                version=version,
                name=scheme.name,
                indicators="，".join(f"{i.label}{i.weight:g}" for i in scheme.indicators),
                note=labels.AUDIT_NOTE.format(note=note.strip()) if note.strip() else "",
            ),
        )
        st.success(labels.SAVED.format(version=version))
        return True
