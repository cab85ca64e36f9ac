"""路由模拟: what the routing rules and the model would have done with a past period's cases,
beside what the period's export says happened (自动分派率 and its accuracy); a rule tried before
it is saved; the rules table, edited by admins.

The figures come from intel.simulate over the rows intel.simulate_store reads month by month
(a month stored by the background job, intel_simulation_replay, while its fingerprint holds; else
replayed live from intel_simulation_cases, intel_simulation_history, intel_simulation_texts,
intel_routing_rules), kept to the user's tree (scope_units); the actual rates from
complaint_summary.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from etl import masking
from intel import route, simulate, simulate_store
from pages.ui import charts, filters, gate, labels, tables
from pages.ui import labels_intel as L
from pages.ui.data import fetch, one
from queries import db


def render() -> None:
    """Draw the page."""
    account = gate.require("routing")
    f = filters.current()
    st.title(labels.TITLES["routing"])
    st.caption(L.ROUTING_CAPTION)
    actual = one("complaint_summary", **f.params())
    left, right = st.columns(2)
    left.metric(
        L.ROUTING_ACTUAL,
        charts.pct(actual.get("routing_automation_rate")),
        help=L.ROUTING_ACTUAL_HELP,
    )
    right.metric(L.ROUTING_ACTUAL_ACCURACY, charts.pct(actual.get("routing_accuracy")))

    key = (
        db.file_identity(db.db_path()),
        f.start,
        f.end,
        gate.scope(),
        not gate.sees_personal_data(),
    )
    if st.button(L.ROUTING_RUN, key="rt_run") or st.session_state.get("rt_key") == key:
        st.session_state["rt_key"] = key
        with st.spinner(L.ROUTING_RUNNING):
            replayed = _replayed(*key)
        _results(replayed)
    _try_rule(f)
    _rules(account.can("manage"))


@st.cache_data(ttl="1h", max_entries=20, show_spinner=False)
def _replayed(
    identity: tuple, start: dt.date, end: dt.date, scope: str, masked: bool
) -> pd.DataFrame:
    # scope is in the key so another tree keeps its own rows; fetch applies the account's scope.
    del scope
    months = simulate_store.month_starts(start, max(start, end))
    replayed = simulate.keep(
        [_month(identity, m) for m in months], start, end, fetch("scope_units")["unit_id"]
    )
    if masked:  # the tables show unit names and categories: masked as fetch masks them
        for column in ("unit_name", "category"):
            values = replayed[column].dropna().unique()
            replayed[column] = replayed[column].map(
                {v: masking.mask_text(v) for v in values}, na_action="ignore"
            )
    return replayed


# A month's replay is bureau-wide and the same for every period, tree and role: kept per warehouse
# file (a newer file is another key) so a quarter after a month, or another analyst, trains no
# model again. The job a load starts stores the recent months (simulate_store.month reads them
# while they hold); an older month replays live, minutes at province scale: no ttl.
@st.cache_data(max_entries=24, show_spinner=False)
def _month(identity: tuple, month: dt.date) -> pd.DataFrame:
    del identity
    with db.read() as con:
        return simulate_store.month(con, month)


def _results(replayed: pd.DataFrame) -> None:
    if replayed.empty:
        st.info(L.ROUTING_NO_CASES)
        return
    threshold = st.slider(L.ROUTING_THRESHOLD, 0.0, 1.0, 0.9, 0.05, key="rt_threshold")
    curve = simulate.curve(replayed)
    at = simulate.curve(replayed, (threshold,)).iloc[0]
    cols = st.columns(3)
    cols[0].metric(L.ROUTING_CASES, charts.number(at["cases"]))
    cols[1].metric(L.ROUTING_SHARE, charts.pct(at["routed_share"]))
    cols[2].metric(L.ROUTING_PRECISION, charts.pct(at["precision_rate"]))
    st.subheader(L.ROUTING_CURVE)
    fig = go.Figure()
    for column in ("routed_share", "precision_rate"):
        fig.add_trace(
            go.Scatter(
                x=curve["threshold"],
                y=curve[column],
                mode="lines+markers",
                name=labels.COLUMNS[column],
                hovertemplate=f"阈值 %{{x:.2f}}<br>{labels.COLUMNS[column]}：%{{y:.1%}}<extra></extra>",
            )
        )
    fig.add_vline(x=threshold, line={"dash": "dash"})
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    fig.update_xaxes(title=L.ROUTING_THRESHOLD)
    fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(fig, key="rt_curve")
    by_unit, by_category = st.columns(2)
    with by_unit:
        st.subheader(L.ROUTING_BY_UNIT)
        tables.show(simulate.breakdown(replayed, threshold, "unit_name"), key="rt_units")
    with by_category:
        st.subheader(L.ROUTING_BY_CATEGORY)
        tables.show(simulate.breakdown(replayed, threshold, "category"), key="rt_categories")


def _try_rule(f: filters.Filters) -> None:
    st.subheader(L.TRY_RULE)
    units = fetch("filter_units")
    channels = fetch("filter_channels")
    phrase_col, channel_col, unit_col = st.columns(3)
    phrase = phrase_col.text_input(L.TRY_PHRASE, key="rt_phrase").strip()
    channel = channel_col.selectbox(
        L.TRY_CHANNEL, [L.ANY, *channels["channel"].dropna()], key="rt_channel"
    )
    names = dict(zip(units["unit_id"], units["label"]))
    unit = unit_col.selectbox(L.TRY_UNIT, list(names), format_func=names.get, key="rt_unit")
    if not phrase or unit is None:
        return
    rule = route.Rule("试用", phrase, unit, channel=None if channel == L.ANY else channel)
    result = simulate.try_rule(fetch("intel_simulation_cases", **f.params()), rule)
    if not result["caught"]:
        st.info(L.TRY_NONE)
        return
    st.success(
        L.TRY_RESULT.format(
            caught=result["caught"],
            right=result["right"],
            precision=charts.pct(result["precision"]),
        )
    )


def _rules(may_edit: bool) -> None:
    st.subheader(L.ROUTING_RULES)
    rules = fetch("intel_routing_rules")
    if not may_edit:
        if rules.empty:
            st.info(L.ROUTING_RULES_EMPTY)
        else:
            tables.show(rules.drop(columns=["handling_unit_id"]), key="rt_rules")
        st.caption(L.ROUTING_RULES_ADMIN)
        return
    edited = st.data_editor(
        rules[list(L.RULE_HEADERS)].rename(columns=L.RULE_HEADERS),
        num_rows="dynamic",
        key="rt_rules_edit",
        hide_index=True,
    )
    if st.button(L.ROUTING_RULES_SAVE, key="rt_rules_save"):
        _save_rules(edited)


def _save_rules(edited: pd.DataFrame) -> None:
    from etl import worker
    from etl.errors import FileRefused

    out = edited.dropna(subset=[L.RULE_HEADERS["rule_id"], L.RULE_HEADERS["phrase"]])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "分派规则.csv"
        out.to_csv(path, index=False, encoding="utf-8-sig")
        try:
            result = worker.load_files(db.db_path(), [path], "routing_rules", user=gate.username())[
                0
            ]
        except FileRefused as exc:
            st.error(str(exc))
            return
    gate.record("routing_rules", L.RULES_AUDIT.format(n=len(out), id=result.import_id))
    st.cache_data.clear()
    st.success(L.ROUTING_RULES_SAVED.format(n=len(out), id=result.import_id))


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
