"""整改进度: problems found and rectified by unit, source and month, 回头看 results, and the items
behind any of them (all, open, overdue or rectified)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.ui import cards, charts, escape, filters, gate, labels, rollup, tables
from pages.ui.data import fetch, target

# What the item list shows: each choice adds query parameters of rectification_items.
SHOW = {
    labels.RECT_SHOW_ALL: {},
    labels.RECT_SHOW_OPEN: {"statuses": ["待整改", "整改中", "长期整改"]},
    labels.RECT_SHOW_OVERDUE: {"overdue_only": True},
    labels.RECT_SHOW_DONE: {"statuses": ["已整改"]},
}
TOP_N = 10
# The unit chart shows the units furthest behind; the table beside it lists them all.
CHART_UNITS = 15


def _summary(f: filters.Filters) -> dict:
    frame = fetch("rectification_summary", **f.params())
    return frame.iloc[0].to_dict() if not frame.empty else {}


def _cards(now: dict, before: dict, year_ago: dict, f: filters.Filters) -> None:
    as_of = f.params()["as_of"].strftime("%Y-%m-%d")
    # (label, value column, kind, higher is better, target key, formula, numerator, denominator)
    specs = (
        (
            labels.RECT_KPI_RATE,
            "rectification_rate",
            "pct",
            True,
            "target_rectification",
            labels.KPI_FORMULAS["rectification"],
            "rectified",
            "items",
        ),
        (
            labels.RECT_KPI_FOUND,
            "items",
            "count",
            False,
            None,
            labels.RECT_FORMULA_FOUND,
            None,
            None,
        ),
        (
            labels.RECT_KPI_RECTIFIED,
            "rectified",
            "count",
            True,
            None,
            labels.RECT_FORMULA_RECTIFIED,
            None,
            None,
        ),
        (
            labels.RECT_KPI_OVERDUE,
            "overdue_open",
            "count",
            False,
            None,
            labels.RECT_FORMULA_OVERDUE.format(as_of=as_of),
            None,
            None,
        ),
        (
            labels.RECT_KPI_REVIEWED,
            "reviewed",
            "count",
            True,
            None,
            labels.RECT_FORMULA_REVIEWED,
            "reviewed",
            "rectified",
        ),
    )
    for column, spec in zip(st.columns(len(specs)), specs):
        label, key, kind, higher, target_key, formula, numerator, denominator = spec
        with column:
            cards.kpi(
                label,
                now[key],
                target=target(target_key) if target_key else None,
                previous=before.get(key),
                last_year=year_ago.get(key),
                numerator=now[numerator] if numerator else None,
                denominator=now[denominator] if denominator else None,
                formula=formula,
                as_of=now["newest_record_on"],
                kind=kind,
                higher_is_better=higher,
                period=f.period_label(),
            )


def _by_month(f: filters.Filters) -> None:
    st.subheader(labels.RECT_BY_MONTH)
    st.caption(labels.RECT_BY_MONTH_CAPTION)
    by_month = fetch("rectification_by_month", **f.params())
    long = by_month.melt(
        id_vars="month", value_vars=["found", "rectified"], var_name="measure", value_name="items"
    )
    long["month"] = long["month"].astype(str).str[:7]
    long["measure"] = long["measure"].map(
        {"found": labels.RECT_FOUND, "rectified": labels.RECT_RECTIFIED}
    )
    st.plotly_chart(
        charts.count_bar(long, "month", "items", color="measure", barmode="group"), key="rc_month"
    )


def _by_unit(f: filters.Filters) -> tuple[list[str], list[str]]:
    """The unit chart and table; return the unit ids picked in either and their names."""
    st.subheader(labels.RECT_BY_UNIT)
    by_unit = fetch("rectification_by_unit", **f.params()).fillna({"unit_name": labels.UNKNOWN})
    chart_col, table_col = st.columns(2)
    with chart_col:
        st.caption(labels.RECT_WORST_UNITS.format(n=min(CHART_UNITS, len(by_unit))))
        picked = tables.chart(
            charts.rate_bar(
                by_unit.head(CHART_UNITS),
                "unit_name",
                "rectification_rate",
                key="unit_id",
                target=target("target_rectification"),
            ),
            key="rc_unit_chart",
        )
    with table_col:
        chosen = tables.show(
            by_unit,
            key="rc_unit_table",
            select=True,
            height=420,
            hide=(*tables.HIDDEN, "unit_type"),
            links=True,
        )
        tables.download_buttons(by_unit, labels.RECT_FILE_UNITS, key="rc_unit_dl")
    picked = list(dict.fromkeys([*picked, *chosen["unit_id"]]))
    names = by_unit.set_index("unit_id")["unit_name"]
    return picked, [str(names.get(u, u)) for u in picked]


def render() -> None:
    """Draw the page."""
    gate.require("rectification")
    f = filters.current()
    st.title(labels.TITLES["rectification"])
    st.caption(labels.RECT_CAPTION)
    now = _summary(f)
    if not now or not now["items"]:
        st.info(labels.NO_DATA)
        return
    _cards(now, _summary(f.previous()), _summary(f.last_year()), f)
    _by_month(f)

    # Every chart or table selection narrows the item list at the bottom.
    st.caption(labels.RECT_DRILL_HINT)
    drill, sources = f, []
    units, what = _by_unit(f)
    if units:
        drill = replace(drill, unit_ids=tuple(units))

    source_col, category_col = st.columns(2)
    with source_col:
        st.subheader(labels.RECT_BY_SOURCE)
        by_source = fetch("rectification_by_source", **f.params()).fillna(
            {"source": labels.UNKNOWN}
        )
        picked = tables.chart(
            charts.rate_bar(
                by_source, "source", "rectification_rate", target=target("target_rectification")
            ),
            key="rc_source_chart",
        )
        sources = [s for s in picked if s != labels.UNKNOWN]
        what = [*what, *sources]
        tables.show(by_source, key="rc_source_table")
        tables.download_buttons(by_source, labels.RECT_FILE_SOURCES, key="rc_source_dl")
    with category_col:
        st.subheader(labels.RECT_TOP_CATEGORIES)
        top = rollup.with_level1(
            fetch("rectification_top_categories", **f.params(top_n=TOP_N)).dropna(
                subset=["category"]
            )
        )
        picked = tables.chart(
            charts.count_bar(
                top, "label", "items", key="category", horizontal=True, height=28 * len(top) + 80
            ),
            key="rc_category_chart",
        )
        if picked:
            drill, what = replace(drill, categories=tuple(picked)), [*what, *picked]

    st.subheader(labels.RECT_REVIEW)
    st.caption(labels.RECT_REVIEW_CAPTION)
    review = fetch("rectification_review_results", **f.params()).fillna(
        {"review_result": labels.RECT_NOT_REVIEWED}
    )
    st.plotly_chart(
        charts.count_bar(
            review, "review_result", "items", horizontal=True, height=28 * len(review) + 80
        ),
        key="rc_review",
    )

    st.subheader(
        labels.RECT_ITEMS_TITLE.format(what=escape.md(" · ".join(what)) or labels.DRILL_ALL)
    )
    show = st.segmented_control(
        labels.SHOW, list(SHOW), default=labels.RECT_SHOW_ALL, key="rc_show"
    )
    extra = {
        "sources": sources,
        "statuses": [],
        "overdue_only": False,
        **SHOW.get(show or labels.RECT_SHOW_ALL, {}),
    }
    tables.records(
        "rectification_items",
        drill.params(**extra),
        key="rc_items",
        page_size=20,
        file_stem=labels.RECT_FILE_ITEMS,
    )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
