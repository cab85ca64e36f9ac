"""整改进度: problems found and rectified by unit, source and month, overdue items, 回头看 results."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.ui import cards, charts, filters, labels, tables
from pages.ui.data import fetch, target

# Strings and column labels of this page; candidates for pages/ui/labels.py.
CAPTION = "整改台账中期间发现的问题（按发现日期统计）及其整改、超期和回头看情况。"
KPI_RATE = "整改率"
KPI_FOUND = "发现问题"
KPI_RECTIFIED = "已整改"
KPI_OVERDUE = "超期未整改"
KPI_REVIEWED = "已回头看"
FORMULA_FOUND = "期间发现（按发现日期）并录入整改台账的问题数"
FORMULA_RECTIFIED = "状态为「已整改」的问题数；长期整改、整改中、待整改均不计入"
FORMULA_OVERDUE = "尚未整改且整改时限早于 {as_of} 的问题数（长期整改也计入）"
FORMULA_REVIEWED = "已整改问题中已有回头看（复查）结果的数量"
BY_MONTH = "整改进展（按月）"
BY_MONTH_CAPTION = "每月新发现的问题与当月完成整改的问题（按整改日期，不论何时发现）。"
BY_UNIT = "责任单位"
WORST_UNITS = "整改率最低的 {n} 个单位；右表为全部单位，可点击行查看其超期问题。"
BY_SOURCE = "问题来源"
TOP_CATEGORIES = "问题最多的类别"
REVIEW = "回头看结果"
REVIEW_CAPTION = "已整改问题的复查结论；「未复查」为尚未回头看的问题。"
NOT_REVIEWED = "未复查"
OVERDUE_TITLE = "超期未整改的问题：{what}"
DRILL_HINT = "点击责任单位或类别的柱（或表格中的行），下方超期清单只显示所选部分。"
MEASURE = "口径"
FOUND = "发现"
RECTIFIED = "已整改"
FILE_UNITS = "整改_责任单位"
FILE_SOURCES = "整改_问题来源"
FILE_OVERDUE = "超期未整改问题"
COLUMNS = {
    "found": "发现问题",
    "rectified": "已整改",
    "found_to_date": "累计发现",
    "rectified_to_date": "累计整改",
    "rectification_rate": "整改率",
    "long_term": "长期整改",
    "overdue_open": "超期未整改",
    "review_result": "复查结果",
    "share": "占比",
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
        (KPI_RATE, "rectification_rate", "pct", True, "target_rectification",
         labels.KPI_FORMULAS["rectification"], "rectified", "items"),
        (KPI_FOUND, "items", "count", False, None, FORMULA_FOUND, None, None),
        (KPI_RECTIFIED, "rectified", "count", True, None, FORMULA_RECTIFIED, None, None),
        (KPI_OVERDUE, "overdue_open", "count", False, None, FORMULA_OVERDUE.format(as_of=as_of),
         None, None),
        (KPI_REVIEWED, "reviewed", "count", True, None, FORMULA_REVIEWED, "reviewed", "rectified"),
    )
    for column, spec in zip(st.columns(len(specs)), specs):
        label, key, kind, higher, target_key, formula, numerator, denominator = spec
        with column:
            cards.kpi(
                label, now[key], target=target(target_key) if target_key else None,
                previous=before.get(key), last_year=year_ago.get(key),
                numerator=now[numerator] if numerator else None,
                denominator=now[denominator] if denominator else None,
                formula=formula, as_of=now["newest_record_on"], kind=kind,
                higher_is_better=higher, period=f.period_label(),
            )


def _by_month(f: filters.Filters) -> None:
    st.subheader(BY_MONTH)
    st.caption(BY_MONTH_CAPTION)
    by_month = fetch("rectification_by_month", **f.params())
    long = by_month.melt(id_vars="month", value_vars=["found", "rectified"],
                         var_name="measure", value_name="items")
    long["month"] = long["month"].astype(str).str[:7]
    long["measure"] = long["measure"].map({"found": FOUND, "rectified": RECTIFIED})
    st.plotly_chart(charts.count_bar(long, "month", "items", color="measure", barmode="group"),
                    key="rc_month")


def render() -> None:
    """Draw the page."""
    labels.COLUMNS.update(COLUMNS)
    f = filters.current()
    st.title(labels.TITLES["rectification"])
    st.caption(CAPTION)
    now = _summary(f)
    if not now or not now["items"]:
        st.info(labels.NO_DATA)
        return
    _cards(now, _summary(f.previous()), _summary(f.last_year()), f)
    _by_month(f)

    st.caption(DRILL_HINT)
    drill, what = f, []
    st.subheader(BY_UNIT)
    by_unit = fetch("rectification_by_unit", **f.params()).fillna({"unit_name": labels.UNKNOWN})
    chart_col, table_col = st.columns(2)
    with chart_col:
        st.caption(WORST_UNITS.format(n=min(CHART_UNITS, len(by_unit))))
        picked = tables.chart(
            charts.rate_bar(by_unit.head(CHART_UNITS), "unit_name", "rectification_rate",
                            key="unit_id", target=target("target_rectification")),
            key="rc_unit_chart",
        )
    with table_col:
        chosen = tables.show(by_unit, key="rc_unit_table", select=True, height=420,
                             hide=(*tables.HIDDEN, "unit_type"))
        tables.download_buttons(by_unit, FILE_UNITS, key="rc_unit_dl")
    picked = list(dict.fromkeys([*picked, *chosen["unit_id"]]))
    if picked:
        names = by_unit.set_index("unit_id")["unit_name"]
        drill = replace(drill, unit_ids=tuple(picked))
        what = [*what, *(str(names.get(u, u)) for u in picked)]

    source_col, category_col = st.columns(2)
    with source_col:
        st.subheader(BY_SOURCE)
        by_source = fetch("rectification_by_source", **f.params()).fillna(
            {"source": labels.UNKNOWN})
        st.plotly_chart(charts.rate_bar(by_source, "source", "rectification_rate",
                                        target=target("target_rectification")),
                        key="rc_source_chart")
        tables.show(by_source, key="rc_source_table")
        tables.download_buttons(by_source, FILE_SOURCES, key="rc_source_dl")
    with category_col:
        st.subheader(TOP_CATEGORIES)
        top = fetch("rectification_top_categories", **f.params(top_n=TOP_N)).dropna(
            subset=["category"])
        picked = tables.chart(charts.count_bar(top, "category", "items", horizontal=True,
                                               height=28 * len(top) + 80),
                              key="rc_category_chart")
        if picked:
            drill, what = replace(drill, categories=tuple(picked)), [*what, *picked]

    st.subheader(REVIEW)
    st.caption(REVIEW_CAPTION)
    review = fetch("rectification_review_results", **f.params()).fillna(
        {"review_result": NOT_REVIEWED})
    st.plotly_chart(charts.count_bar(review, "review_result", "items", horizontal=True,
                                     height=28 * len(review) + 80), key="rc_review")

    st.subheader(OVERDUE_TITLE.format(what=" · ".join(what) or labels.DRILL_ALL))
    tables.records("rectification_overdue_items", drill.params(), key="rc_overdue",
                   page_size=20, file_stem=FILE_OVERDUE)


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
