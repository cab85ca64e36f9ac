"""总览: the leaders' cockpit — headline KPIs against targets, biggest movers, what needs attention."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.ui import briefing, cards, charts, escape, filters, gate, labels, tables
from pages.ui.data import fetch, one

# Cards in reading order: first row service quality and case handling, second row the rest.
FIRST_ROW = ("satisfaction", "reply_rate", "closure", "on_time")
SECOND_ROW = ("callback_satisfaction", "routing_automation", "rectification", "participation")
# The callback results a satisfaction rate is computed on (is_valid_reply in 002_derived.sql).
VALID_REPLIES = ["满意", "基本满意", "不满意"]
# What a row of overview_attention drills into: its query and the parameters it adds, so that the
# list holds exactly the records the row counted (overdue cases still open, valid replies).
ATTENTION_RECORDS = {
    "complaint_overdue": ("complaint_overdue_cases", {"open_only": True}),
    "rectification_overdue": ("rectification_overdue_items", {}),
    "satisfaction_below_target": ("records_calls", {"results": VALID_REPLIES}),
}


def _metric_cards(metrics: tuple[str, ...], columns, now, before, year_ago, f) -> None:
    for column, metric in zip(columns, metrics):
        row = now.loc[metric]
        with column:
            cards.kpi(
                row["label"],
                row["value"],
                target=row["target"],
                previous=before["value"].get(metric),
                last_year=year_ago["value"].get(metric),
                numerator=row["numerator"],
                denominator=row["denominator"],
                formula=labels.KPI_FORMULAS[metric].format(formula=labels.FORMULAS[f.formula]),
                as_of=row["newest_record_at"],
                period=f.period_label(),
            )


def attention_drill(kind: str, unit_id: str, f: filters.Filters) -> tuple[str, dict]:
    """The records behind a row of overview_attention (one unit, without its descendants, whose
    rows are their own): its query and parameters."""
    query, extra = ATTENTION_RECORDS[kind]
    return query, replace(f, unit_ids=(unit_id,)).params(exact_unit_id=unit_id, **extra)


def render() -> None:
    """Draw the page."""
    gate.require("overview")
    f = filters.current()
    st.title(labels.TITLES["overview"])
    st.caption(labels.OVERVIEW_CAPTION.format(period=f.period_label()))
    now = fetch("overview_kpis", **f.params()).set_index("metric")
    if not now["denominator"].fillna(0).any():
        st.info(labels.NO_DATA)
        return
    briefing.offer(f)
    before = fetch("overview_kpis", **f.previous().params()).set_index("metric")
    year_ago = fetch("overview_kpis", **f.last_year().params()).set_index("metric")
    cases = [one("complaint_summary", **g.params()) for g in (f, f.previous(), f.last_year())]

    first = st.columns(len(FIRST_ROW) + 1)
    _metric_cards(FIRST_ROW, first, now, before, year_ago, f)
    with first[-1]:
        cards.kpi(
            labels.KPI_OVERDUE_OPEN,
            cases[0]["overdue_open"],
            previous=cases[1].get("overdue_open"),
            last_year=cases[2].get("overdue_open"),
            kind="count",
            higher_is_better=False,
            formula=labels.FORMULA_OVERDUE_OPEN,
            as_of=cases[0]["newest_record_at"],
            period=f.period_label(),
        )
    _metric_cards(SECOND_ROW, st.columns(len(FIRST_ROW) + 1), now, before, year_ago, f)

    drill_query, what = None, ""
    movers_col, attention_col = st.columns(2)
    with movers_col:
        st.subheader(labels.MOVERS)
        previous = f.previous()
        movers = fetch(
            "overview_unit_movers",
            **f.params(prev_start=previous.start, prev_end=previous.end, top_n=10),
        )
        st.caption(labels.MOVERS_CAPTION.format(period=previous.period_label(), n=f.min_replies))
        movers = movers.dropna(subset=["change"])
        picked = []
        if movers.empty:
            st.info(labels.NO_COMPARISON)
        else:
            picked = tables.chart(
                charts.change_bar(movers, "unit_name", "change", key="unit_id", flag="is_small"),
                key="ov_movers",
            )
        if picked:
            drill_query = (
                "records_calls",
                replace(f, unit_ids=tuple(picked)).params(results=["不满意"]),
            )
            names = movers.set_index("unit_id")["unit_name"]
            what = labels.DISSATISFIED_OF.format(units="、".join(names.get(u, u) for u in picked))
    with attention_col:
        st.subheader(labels.ATTENTION)
        st.caption(labels.ATTENTION_CAPTION.format(when=f.params()["as_of"]))
        attention = fetch("overview_attention", **f.params())
        if attention.empty:
            st.success(labels.NOTHING_TO_ATTEND)
        chosen = tables.show(
            attention,
            key="ov_attention",
            select=True,
            hide=(*tables.HIDDEN, "kind"),
            links=True,
        )
        if not chosen.empty:
            row = chosen.iloc[0]
            drill_query = attention_drill(row["kind"], row["unit_id"], f)
            what = f"{row['unit_name']} · {row['kind_label']}"
        alert = briefing.alerts(f)
        if alert:
            drill_query, what = alert[:2], alert[2]

    if drill_query:
        query, params = drill_query
        st.subheader(labels.DRILL_TITLE.format(what=escape.md(what)))
        tables.records(query, params, key="ov_drill", page_size=20)

    # The cases the 超期未办结 card counts, not those closed late too (民意诉求 lists both).
    st.subheader(labels.OVERDUE_OPEN_CASES)
    tables.records(
        "complaint_overdue_cases",
        f.params(open_only=True),
        key="ov_overdue",
        page_size=10,
        file_stem=labels.FILE_OVERDUE_OPEN_CASES,
    )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
