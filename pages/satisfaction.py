"""满意度: callback satisfaction by month and week, channel, police type and unit, with its records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import streamlit as st

from pages.ui import cards, charts, escape, filters, gate, labels, tables
from pages.ui.data import fetch, one, target

FORMULA_KEY = "sat_formula"
RESULTS = ("满意", "基本满意", "不满意", "未回访")
CARDS = (
    cards.Card(
        labels.KPI_SATISFACTION,
        "satisfaction_rate",
        "{formula}",
        "satisfied",
        "valid_replies",
        target="target_satisfaction",
    ),
    cards.Card(
        labels.KPI_REPLY_RATE, "reply_rate", labels.FORMULA_REPLY_RATE, "valid_replies", "records"
    ),
    cards.Card(
        labels.KPI_DISSATISFIED,
        "n_dissatisfied",
        labels.FORMULA_DISSATISFIED,
        kind="count",
        higher_is_better=False,
    ),
    cards.Card(labels.KPI_RECORDS, "records", labels.FORMULA_RECORDS, kind="count"),
)


def _month_end(day: date) -> date:
    return filters.shift_months(day.replace(day=1), 1) - timedelta(days=1)


def render() -> None:
    """Draw the page."""
    gate.require("satisfaction")
    f = filters.current()
    st.title(labels.TITLES["satisfaction"])
    formula = st.radio(
        labels.FORMULA,
        filters.FORMULAS,
        index=filters.FORMULAS.index(f.formula),
        format_func=labels.FORMULA_SHORT.get,
        horizontal=True,
        key=FORMULA_KEY,
        bind="query-params",
        help=labels.FORMULA_HELP,
    )
    f = replace(f, formula=formula)
    st.caption(labels.SATISFACTION_CAPTION.format(formula=labels.FORMULAS[formula]))
    now = one("satisfaction_summary", **f.params())
    if not now.get("records"):
        st.info(labels.NO_DATA)
        return
    by_month = fetch("satisfaction_rate_by_month", **f.params())
    cards.row(
        CARDS,
        now,
        one("satisfaction_summary", **f.previous().params()),
        one("satisfaction_summary", **f.last_year().params()),
        period=f.period_label(),
        as_of=now["newest_record_at"],
        formula=labels.FORMULAS[formula],
        trends={"satisfaction_rate": by_month["satisfaction_rate"].dropna().tolist()},
    )

    # Every chart or table selection narrows the records listed at the bottom.
    st.caption(labels.DRILL_HINT)
    drill, what = f, []
    goal = target("target_satisfaction")
    month_tab, week_tab = st.tabs([labels.BY_MONTH, labels.BY_WEEK])
    with month_tab:
        fig = charts.trend(
            by_month,
            "month",
            "satisfaction_rate",
            low="wilson_low",
            high="wilson_high",
            target=goal,
            x_format=labels.MONTH_FORMAT,
            x_dtick="M1",
        )
        for month in tables.chart(fig, key="sat_month"):
            start = date.fromisoformat(month[:10])
            drill, what = drill.narrowed(start, _month_end(start)), [*what, month[:7]]
    with week_tab:
        by_week = fetch("satisfaction_rate_by_week", **f.params())
        fig = charts.trend(
            by_week,
            "week",
            "satisfaction_rate",
            low="wilson_low",
            high="wilson_high",
            target=goal,
            x_format=labels.WEEK_FORMAT,
        )
        for week in tables.chart(fig, key="sat_week"):
            start = date.fromisoformat(week[:10])
            drill = drill.narrowed(start, start + timedelta(days=6))
            what = [*what, labels.WEEK_OF.format(day=week[:10])]

    left, right = st.columns(2)
    with left:
        st.subheader(labels.BY_CHANNEL)
        by_channel = fetch("satisfaction_rate_by_channel", **f.params()).dropna(subset=["channel"])
        fig = charts.rate_bar(
            by_channel, "channel", "satisfaction_rate", low="wilson_low", high="wilson_high"
        )
        if picked := tables.chart(fig, key="sat_ch"):
            drill, what = replace(drill, channels=tuple(picked)), [*what, *picked]
    with right:
        st.subheader(labels.BY_POLICE_TYPE)
        by_type = fetch("satisfaction_rate_by_police_type", **f.params())
        fig = charts.rate_bar(
            by_type.fillna({"police_type": labels.UNKNOWN}),
            "police_type",
            "satisfaction_rate",
            low="wilson_low",
            high="wilson_high",
        )
        if picked := [p for p in tables.chart(fig, key="sat_pt") if p != labels.UNKNOWN]:
            drill, what = replace(drill, police_types=tuple(picked)), [*what, *picked]

    st.subheader(labels.UNIT_LEAGUE)
    st.caption(labels.SMALL_UNITS.format(n=f.min_replies))
    by_unit = fetch("satisfaction_rate_by_unit", **f.params())
    fig = charts.unit_dots(
        by_unit,
        "unit_name",
        "satisfaction_rate",
        low="wilson_low",
        high="wilson_high",
        key="unit_id",
        flag="is_small",
        target=goal,
    )
    picked = tables.chart(fig, key="sat_unit_chart")
    chosen = tables.show(by_unit, key="sat_unit_table", select=True, links=True)
    picked += chosen["unit_id"].tolist()
    if picked:
        names = by_unit.set_index("unit_id")["unit_name"]
        drill = replace(drill, unit_ids=tuple(dict.fromkeys(picked)))
        what = [*what, *(str(names.get(u, u)) for u in dict.fromkeys(picked))]
    tables.download_buttons(by_unit, labels.FILE_UNIT_LEAGUE, key="sat_unit_dl")

    st.subheader(labels.DRILL_TITLE.format(what=escape.md(" · ".join(what)) or labels.DRILL_ALL))
    results = st.pills(
        labels.CALLBACK_RESULT,
        RESULTS,
        selection_mode="multi",
        default=["不满意"],
        key="sat_results",
    )
    tables.records(
        "records_calls",
        drill.params(results=list(results)),
        key="sat_records",
        file_stem=labels.FILE_CALL_RECORDS,
    )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
