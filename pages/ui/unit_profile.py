"""The unit profile's choice of unit and its headline parts: the unit named by the URL (refused and
audited when it is outside the account's tree), its KPIs against target from overview_kpis, the
monthly trend, its rank among units of its type, and a 分局's children with the same figures."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pandas as pd
import streamlit as st

from pages.ui import cards, charts, escape, filters, gate, labels, tables, unit_links
from pages.ui import labels_unit as L
from pages.ui.data import fetch, target

PICK_KEY = "unit_pick"
REFUSED_KEY = "unit_refused"
# The order of the cards, as on 总览; the complaint summary adds 超期未办结.
METRICS = (
    "satisfaction",
    "reply_rate",
    "closure",
    "on_time",
    "callback_satisfaction",
    "routing_automation",
    "rectification",
    "participation",
)
CARDS_PER_ROW = 5
# The children's table: overview_kpis metric -> the column name that tables.py shows as a rate.
CHILD_COLUMNS = {
    "satisfaction": "satisfaction_rate",
    "reply_rate": "reply_rate",
    "closure": "closure_rate",
    "on_time": "on_time_rate",
    "callback_satisfaction": "callback_satisfaction_rate",
    "rectification": "rectification_rate",
    "participation": "participation_rate",
}


def _follow_pick() -> None:
    st.query_params[unit_links.UNIT_PARAM] = st.session_state[PICK_KEY]


def _refuse(asked: str) -> None:
    """A unit outside the account's tree (or unknown): say so, audit it once per link."""
    st.error(L.REFUSED)
    seen = st.session_state.setdefault(REFUSED_KEY, set())
    if asked not in seen:
        seen.add(asked)
        gate.record("scope_violation", asked)


def chosen(f: filters.Filters) -> dict[str, Any] | None:
    """The unit the URL names, when the account may see it, with its row of unit_profile_units;
    the chooser is drawn either way. None (after the chooser) when no unit is chosen."""
    asked = st.query_params.get(unit_links.UNIT_PARAM)
    unit = None
    if asked:
        rows = fetch("unit_profile_units", **f.params(unit_ids=[asked]))
        found = rows[rows["unit_id"] == asked]
        if found.empty:
            _refuse(asked)
        else:
            unit = found.iloc[0].to_dict()
    units = fetch("filter_units", scope=f.scope)
    options = dict(zip(units["unit_id"], units["label"]))
    if not options and unit is None:
        st.info(L.NO_UNITS)
        return None
    if unit is not None and unit["unit_id"] in options:
        st.session_state[PICK_KEY] = unit["unit_id"]
    st.selectbox(
        L.CHOOSE,
        list(options),
        index=None,
        format_func=options.get,
        key=PICK_KEY,
        placeholder=L.CHOOSE_PLACEHOLDER,
        on_change=_follow_pick,
        width=480,
    )
    if unit is None:
        picked = st.session_state.get(PICK_KEY)
        if picked not in options:
            st.caption(L.CHOOSE_HINT)
            return None
        rows = fetch("unit_profile_units", **f.params(unit_ids=[picked]))
        unit = rows[rows["unit_id"] == picked].iloc[0].to_dict()
    return unit


def heading(unit: dict[str, Any], f: filters.Filters) -> None:
    st.header(escape.md(unit["unit_name"]))
    kind = escape.md(unit["unit_type"]) or L.UNKNOWN_TYPE
    if charts.is_missing(unit["parent_id"]):
        line = L.UNIT_LINE_TOP.format(unit_type=kind, unit_id=escape.md(unit["unit_id"]))
    else:
        # The parent's link is built from its id; its name is only the link's text, escaped.
        parent = f"[{escape.md(unit['parent_name'])}]({unit_links.profile_link(unit['parent_id'])})"
        line = L.UNIT_LINE.format(unit_type=kind, parent=parent, unit_id=escape.md(unit["unit_id"]))
    st.caption(line)
    st.caption(L.CAPTION.format(period=f.period_label()))


Call = tuple[str, dict[str, Any]]


def _kpis_of(f: filters.Filters) -> Call:
    return "overview_kpis", f.params()


def _cases_of(f: filters.Filters) -> Call:
    return "complaint_summary", f.params()


def _read(call: Call) -> pd.DataFrame:
    name, params = call
    return fetch(name, **params)


def _row(call: Call) -> dict[str, Any]:
    frame = _read(call)
    return frame.iloc[0].to_dict() if not frame.empty else {}


def _periods(f: filters.Filters) -> tuple[filters.Filters, ...]:
    # This period, 环比 and 同比.
    return f, f.previous(), f.last_year()


def headline_queries(f: filters.Filters) -> list[Call]:
    """The queries kpis(), trend() and peers() read, in the order they draw them."""
    return [
        *(_kpis_of(g) for g in _periods(f)),
        *(_cases_of(g) for g in _periods(f)),
        _trend_of(f),
        _peers_of(f),
    ]


def children_queries(unit: dict[str, Any], f: filters.Filters) -> list[Call]:
    """The queries children() reads: each child's KPIs and complaint summary."""
    calls: list[Call] = []
    for g in _children(unit, f):
        calls += [_kpis_of(g), _cases_of(g)]
    return calls


def kpis(f: filters.Filters) -> None:
    """Every headline KPI of the unit against its target, 环比 and 同比 (overview_kpis, the one
    definition), and the complaint summary's 超期未办结."""
    st.subheader(L.KPIS)
    st.caption(L.KPIS_CAPTION)
    now, before, year_ago = (_read(_kpis_of(g)).set_index("metric") for g in _periods(f))
    cases = [_row(_cases_of(g)) for g in _periods(f)]
    present = [m for m in METRICS if m in now.index and (now.loc[m, "denominator"] or 0) > 0]
    empty = [str(now.loc[m, "label"]) for m in METRICS if m in now.index and m not in present]
    specs: list[dict[str, Any]] = []
    for metric in present:
        row = now.loc[metric]
        specs.append(
            {
                "label": row["label"],
                "value": row["value"],
                "target": row["target"],
                "previous": before["value"].get(metric),
                "last_year": year_ago["value"].get(metric),
                "numerator": row["numerator"],
                "denominator": row["denominator"],
                "formula": labels.KPI_FORMULAS[metric].format(formula=labels.FORMULAS[f.formula]),
                "as_of": row["newest_record_at"],
            }
        )
    if cases[0].get("received"):
        specs.append(
            {
                "label": labels.KPI_OVERDUE_OPEN,
                "value": cases[0]["overdue_open"],
                "previous": cases[1].get("overdue_open"),
                "last_year": cases[2].get("overdue_open"),
                "kind": "count",
                "higher_is_better": False,
                "formula": labels.FORMULA_OVERDUE_OPEN,
                "as_of": cases[0]["newest_record_at"],
            }
        )
    for start in range(0, len(specs), CARDS_PER_ROW):
        for column, spec in zip(st.columns(CARDS_PER_ROW), specs[start : start + CARDS_PER_ROW]):
            with column:
                cards.kpi(**spec, period=f.period_label())
    if empty:
        st.caption(L.KPIS_EMPTY.format(names="、".join(empty)))


def _trend_of(f: filters.Filters) -> Call:
    return "satisfaction_rate_by_month", f.params()


def trend(f: filters.Filters) -> None:
    st.subheader(L.TREND)
    by_month = _read(_trend_of(f))
    if by_month.empty:
        st.info(L.TREND_EMPTY)
        return
    st.plotly_chart(
        charts.trend(
            by_month,
            "month",
            "satisfaction_rate",
            low="wilson_low",
            high="wilson_high",
            target=target("target_satisfaction"),
            x_format=labels.MONTH_FORMAT,
            x_dtick="M1",
        ),
        key="unit_trend",
    )


def _peers_of(f: filters.Filters) -> Call:
    # Every unit the account may see, to rank the unit among those of its type.
    return "unit_profile_peers", f.params(unit_ids=[])


def peers(unit: dict[str, Any], f: filters.Filters) -> None:
    """The unit's rank among the units of its type the account may see, with the interval; a
    small sample is said to be one and not ranked (unit_profile_peers)."""
    kind = unit["unit_type"] or L.UNKNOWN_TYPE
    st.subheader(L.PEERS.format(unit_type=escape.md(kind)))
    st.caption(L.PEERS_CAPTION.format(n=f.min_replies))
    league = _read(_peers_of(f))
    same = league[league["unit_type"] == unit["unit_type"]]
    mine = same[same["unit_id"] == unit["unit_id"]]
    if mine.empty:
        st.info(L.NO_CALLS)
    else:
        row = mine.iloc[0]
        figures = {
            "rate": charts.pct(row["satisfaction_rate"]),
            "low": charts.pct(row["wilson_low"]),
            "high": charts.pct(row["wilson_high"]),
            "replies": charts.number(row["valid_replies"]),
        }
        if row["is_small"]:
            st.warning(L.SMALL.format(n=f.min_replies, **figures))
        else:
            st.success(
                L.RANKED.format(
                    peers=int(row["peers_ranked"]),
                    unit_type=escape.md(kind),
                    rank=int(row["peer_rank"]),
                    **figures,
                )
            )
    if same.empty:
        return
    chart_col, table_col = st.columns(2)
    with chart_col:
        st.plotly_chart(
            charts.unit_dots(
                same,
                "unit_name",
                "satisfaction_rate",
                low="wilson_low",
                high="wilson_high",
                key="unit_id",
                flag="is_small",
                target=target("target_satisfaction"),
            ),
            key="unit_peers_chart",
        )
    with table_col:
        shown = same.drop(columns=["peers_ranked"]).rename(columns=L.COLUMNS)
        tables.show(shown, key="unit_peers", hide=(*tables.HIDDEN, "unit_type"), links=True)


def _below(unit: dict[str, Any], f: filters.Filters) -> pd.DataFrame:
    below = fetch("unit_profile_units", **f.params())
    return below[below["parent_id"] == unit["unit_id"]]


def _children(unit: dict[str, Any], f: filters.Filters) -> list[filters.Filters]:
    # Each child's filters: the profile's, with the child as the chosen unit.
    return [replace(f, unit_ids=(child,)) for child in _below(unit, f)["unit_id"]]


def children(unit: dict[str, Any], f: filters.Filters) -> None:
    """The units directly below, each with its own tree's figures from the same queries."""
    below = _below(unit, f)
    if below.empty:
        return
    st.subheader(L.CHILDREN)
    st.caption(L.CHILDREN_CAPTION)
    rows = []
    for child, g in zip(below.itertuples(), _children(unit, f)):
        figures = _read(_kpis_of(g)).set_index("metric")["value"]
        overdue = _row(_cases_of(g)).get("overdue_open")
        rows.append(
            {
                "unit_id": child.unit_id,
                "unit_name": child.unit_name,
                "unit_type": child.unit_type,
                **{column: figures.get(metric) for metric, column in CHILD_COLUMNS.items()},
                labels.KPI_OVERDUE_OPEN: overdue,
            }
        )
    frame = pd.DataFrame(rows)
    tables.show(frame, key="unit_children", links=True)
    tables.download_buttons(frame, L.FILE_CHILDREN, key="unit_children_dl")
