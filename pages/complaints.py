"""民意诉求: intake, the 受理 → 评议 workflow, closure and on-time rates, overdue, repeat and
returned or reassigned cases."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.ui import (
    cards,
    charts,
    escape,
    filters,
    gate,
    labels,
    labels_intel,
    labels_leaders,
    repeats,
    replies,
    tables,
)
from pages.ui.data import fetch, one, target

Card = cards.Card
CARDS = (
    Card(labels.KPI_RECEIVED, "received", labels.FORMULA_RECEIVED, kind="count"),
    Card(
        labels.KPI_CLOSURE,
        "closure_rate",
        labels.FORMULA_CLOSURE,
        "closed",
        "received",
        target="target_closure",
    ),
    Card(
        labels.KPI_ON_TIME,
        "on_time_rate",
        labels.FORMULA_ON_TIME,
        "on_time",
        "closed",
        target="target_on_time",
    ),
    Card(
        labels.KPI_OVERDUE, "overdue", labels.FORMULA_OVERDUE, kind="count", higher_is_better=False
    ),
)
QUALITY_CARDS = (
    Card(
        labels.KPI_RETURNED,
        "returned_or_reassigned",
        labels.FORMULA_RETURNED,
        kind="count",
        higher_is_better=False,
    ),
    Card(
        labels.KPI_REPEAT,
        "repeat_rate",
        labels.FORMULA_REPEAT,
        "repeat_cases",
        "received",
        higher_is_better=False,
    ),
    Card(
        labels.KPI_CALLBACK,
        "callback_satisfaction_rate",
        labels.FORMULA_CALLBACK,
        "callback_satisfied",
        "callback_replies",
        target="target_satisfaction",
    ),
    Card(
        labels.KPI_ROUTING,
        "routing_automation_rate",
        labels.FORMULA_ROUTING,
        "routed_by_rule",
        "routed",
        target="target_routing",
    ),
)
# What the case list shows: (query, parameters it adds, download file name) per choice.
SHOW = {
    labels.SHOW_ALL: ("records_complaints", {}, labels.FILE_COMPLAINTS),
    labels.SHOW_OPEN: ("records_complaints", {"open_only": True}, labels.FILE_COMPLAINTS),
    labels.SHOW_REPEAT: ("records_complaints", {"repeat_only": True}, labels.FILE_COMPLAINTS),
    labels.SHOW_RETURNED: ("complaint_returned_cases", {}, labels.FILE_RETURNED),
}


def render() -> None:
    """Draw the page."""
    gate.require("complaints")
    f = filters.current()
    st.title(labels.TITLES["complaints"])
    st.caption(labels.COMPLAINTS_CAPTION)
    now = one("complaint_summary", **f.params())
    if not now.get("received"):
        st.info(labels.NO_DATA)
        return
    before = one("complaint_summary", **f.previous().params())
    year_ago = one("complaint_summary", **f.last_year().params())
    for specs in (CARDS, QUALITY_CARDS):
        cards.row(
            specs,
            now,
            before,
            year_ago,
            period=f.period_label(),
            as_of=now["newest_record_at"],
            formula=labels.FORMULAS[f.formula],
            accuracy=charts.pct(now["routing_accuracy"]),
        )

    # Every chart or table selection narrows the cases listed at the bottom.
    st.caption(labels.DRILL_HINT)
    drill, what, kinds = f, [], []
    intake_col, funnel_col = st.columns(2)
    with intake_col:
        st.subheader(labels.INTAKE)
        intake = fetch("complaint_intake_by_channel_kind", **f.params())
        fig = charts.count_bar(
            intake.fillna({"channel": labels.UNKNOWN, "kind": labels.UNKNOWN}),
            "channel",
            "received",
            color="kind",
            horizontal=True,
        )
        points = tables.chart_points(fig, key="cp_intake")
        channels = [c for c in dict.fromkeys(p[0] for p in points) if c != labels.UNKNOWN]
        kinds = [k for k in dict.fromkeys(p[1] for p in points) if k != labels.UNKNOWN]
        if channels:
            drill = replace(drill, channels=tuple(channels))
        what = [*what, *(f"{c}·{k}" for c, k in points)]
    with funnel_col:
        st.subheader(labels.FUNNEL)
        funnel = fetch("complaint_funnel", **f.params())
        st.plotly_chart(charts.funnel(funnel, "stage", "cases"), key="cp_funnel")
        st.caption(labels.FUNNEL_CAPTION)

    st.subheader(labels.TIME_TO_CLOSE)
    st.caption(labels.TIME_TO_CLOSE_CAPTION)
    time_to_close = fetch("complaint_time_to_close", **f.params())
    st.plotly_chart(
        charts.count_bar(
            time_to_close, "bucket", "cases", color="population_label", barmode="group"
        ),
        key="cp_ttc",
    )

    st.subheader(labels.BY_HANDLING_UNIT)
    st.caption(labels_leaders.UNITS_CAPTION.format(n=f.min_replies))
    # Ranked by closure rate with small units last and unranked (complaint_by_unit), so a unit
    # that closed 2 of 2 cases does not sit above one that closed 950 of 1,000.
    by_unit = fetch("complaint_by_unit", **f.params())
    fig = charts.unit_dots(
        by_unit,
        "unit_name",
        "closure_rate",
        low="wilson_low",
        high="wilson_high",
        key="unit_id",
        flag="is_small",
        target=target("target_closure"),
    )
    picked = tables.chart(fig, key="cp_unit_chart")
    chosen = tables.show(by_unit, key="cp_unit_table", select=True, links=True)
    picked += chosen["unit_id"].tolist()
    if picked:
        names = by_unit.set_index("unit_id")["unit_name"]
        drill = replace(drill, unit_ids=tuple(dict.fromkeys(picked)))
        what = [*what, *(str(names.get(u, u)) for u in dict.fromkeys(picked))]
    tables.download_buttons(by_unit, labels.FILE_COMPLAINT_UNITS, key="cp_unit_dl")

    st.subheader(labels.OVERDUE_CASES)
    tables.records(
        "complaint_overdue_cases",
        f.params(open_only=False),
        key="cp_overdue",
        page_size=20,
        file_stem=labels.FILE_OVERDUE_CASES,
    )

    repeats.section(f)
    replies.section(f)

    st.subheader(labels.DRILL_TITLE.format(what=escape.md(" · ".join(what)) or labels.DRILL_ALL))
    show = st.segmented_control(labels.SHOW, list(SHOW), default=labels.SHOW_ALL, key="cp_show")
    inferred = st.segmented_control(
        labels_intel.INFERRED_FILTER,
        list(labels_intel.INFERRED_CHOICES),
        format_func=labels_intel.INFERRED_CHOICES.get,
        default="include",
        key="cp_inferred",
    )
    st.caption(labels_intel.INFERRED_LEGEND)
    query, extra, file_stem = SHOW[show or labels.SHOW_ALL]
    params = drill.params(
        kinds=kinds, open_only=False, repeat_only=False, inferred=inferred or "include", **extra
    )
    tables.records(query, params, key="cp_records", file_stem=file_stem)


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
