"""警意调查: officers' participation against headcount, scores of the offices under review, their
suggestions by problem category and as a searchable list — small groups suppressed (k-anonymity)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from pages.ui import cards, charts, filters, labels, tables
from pages.ui.data import fetch, target

# Strings and column labels of this page; candidates for pages/ui/labels.py.
CAPTION = (
    "民警、辅警对机关部门的评议和意见建议。为保护答卷人，不足 {k} 人的分组只显示名称、不显示数字和原文。"
)
NO_SURVEY = (
    "所选期间和单位没有警意调查答卷。问卷通常一年一次：请把日期范围改为「自定义」并包含问卷提交的日期，"
    "或减少单位筛选。"
)
KPI_PARTICIPATION = "参与率"
KPI_RESPONDENTS = "参与人数"
KPI_SUGGESTIONS = "意见建议"
SUGGESTIONS_OF = "意见建议：{what}"
CATEGORY_HINT = "点击类别的柱，下方只列出该类别的建议。"
FORMULA_RESPONDENTS = "期间提交问卷的民警、辅警人数（每份答卷计一人）"
FORMULA_SUGGESTIONS = "期间填写了意见建议的题目数"
SURVEY = "问卷"
PARTICIPATION = "各单位参与率"
PARTICIPATION_CAPTION = "参与率 = 参与人数 / 编制人数。"
LOWEST_UNITS = "图中为参与率最低的 {n} 个单位，下表为全部单位。"
SCORES = "被评部门得分"
SCORES_CAPTION = "柱为好评率（4分、5分占比），表中另有平均分（1–5分）。"
SUPPRESSED = "评价人数少于 {k} 人、不予显示：{names}"
ALL_SUPPRESSED = "所有分组的答卷人数都少于 {k} 人，为保护答卷人不予显示。请放宽日期或单位筛选。"
TOP_CATEGORIES = "意见建议的主要问题类别"
SUGGESTIONS = "意见建议"
SUGGESTIONS_OF = "意见建议：{what}"
CATEGORY_HINT = "点击类别的柱，下方只列出该类别的建议。"
SEARCH = "搜索建议内容或类别"
SEARCH_HINT = "例如：执法记录仪"
LIST_SUPPRESSED = "当前筛选范围内提出建议的人数少于 {k} 人，为保护答卷人不显示建议原文。请放宽筛选条件。"
NO_SCORES = "期间没有对部门的评分。"
NO_PARTICIPATION = "所选单位期间没有人参与问卷。"
FILE_PARTICIPATION = "警意调查_参与率"
FILE_SCORES = "警意调查_部门得分"
FILE_SUGGESTIONS = "警意调查_意见建议"
COLUMNS = {
    "survey_id": "问卷编号",
    "headcount": "编制人数",
    "respondents": "参与人数",
    "participation_rate": "参与率",
    "target_unit_name": "被评部门",
    "is_suppressed": "人数不足不显示",
    "answers": "评分题数",
    "avg_score": "平均分",
    "share_high": "好评率",
    "suggestions": "建议条数",
    "submitted_on": "提交日期",
    "suggestion": "意见建议",
}
TOP_N = 10
# The participation chart shows the units furthest behind; the table under it lists them all.
CHART_UNITS = 15


def _participation(f: filters.Filters) -> dict:
    kpis = fetch("overview_kpis", **f.params()).set_index("metric")
    return kpis.loc["participation"].to_dict() if "participation" in kpis.index else {}


def _suggestion_count(f: filters.Filters) -> int | None:
    first = fetch("survey_suggestions", **f.params(search="", limit=1, offset=0))
    return int(first["total_rows"].iloc[0]) if not first.empty else None


def _cards(f: filters.Filters, now: dict) -> None:
    before, year_ago = _participation(f.previous()), _participation(f.last_year())
    rate, people, suggestions = st.columns(3)
    # No respondent in the filters gives NaT, which the card cannot print.
    newest = now["newest_record_at"]
    common = {"as_of": None if pd.isna(newest) else newest, "period": f.period_label()}
    with rate:
        cards.kpi(
            KPI_PARTICIPATION, now["value"], target=target("target_participation"),
            previous=before.get("value"), last_year=year_ago.get("value"),
            numerator=now["numerator"], denominator=now["denominator"],
            formula=labels.KPI_FORMULAS["participation"], **common,
        )
    with people:
        cards.kpi(
            KPI_RESPONDENTS, now["numerator"], previous=before.get("numerator"),
            last_year=year_ago.get("numerator"), kind="count", formula=FORMULA_RESPONDENTS,
            **common,
        )
    with suggestions:
        cards.kpi(
            KPI_SUGGESTIONS, _suggestion_count(f), previous=_suggestion_count(f.previous()),
            last_year=_suggestion_count(f.last_year()), kind="count",
            formula=FORMULA_SUGGESTIONS, **common,
        )


def _scores(scores: pd.DataFrame, k: int) -> None:
    st.subheader(SCORES)
    st.caption(SCORES_CAPTION)
    if scores.empty:
        st.info(NO_SCORES)
        return
    shown = scores[~scores["is_suppressed"]]
    hidden = scores.loc[scores["is_suppressed"], "target_unit_name"].fillna(labels.UNKNOWN)
    if not shown.empty:
        st.plotly_chart(charts.rate_bar(shown, "target_unit_name", "share_high"),
                        key="sv_scores_chart")
        tables.show(shown.assign(share_high=shown["share_high"].map(charts.pct),
                                 avg_score=shown["avg_score"].round(2)),
                    hide=(*tables.HIDDEN, "survey_id", "target_unit_id", "is_suppressed"),
                    key="sv_scores")
        tables.download_buttons(shown, FILE_SCORES, key="sv_scores_dl")
    if not hidden.empty:
        st.caption(SUPPRESSED.format(k=k, names="、".join(hidden)))


def _participation_by_unit(rows: pd.DataFrame) -> None:
    st.subheader(PARTICIPATION)
    st.caption(PARTICIPATION_CAPTION)
    if rows.empty:
        st.info(NO_PARTICIPATION)
        return
    rows = rows.fillna({"unit_name": labels.UNKNOWN})
    st.caption(LOWEST_UNITS.format(n=min(CHART_UNITS, len(rows))))
    st.plotly_chart(charts.rate_bar(rows.head(CHART_UNITS), "unit_name", "participation_rate",
                                    key="unit_id", target=target("target_participation")),
                    key="sv_participation_chart")
    tables.show(rows, hide=(*tables.HIDDEN, "survey_id", "unit_type"), key="sv_participation",
                height=320)
    tables.download_buttons(rows, FILE_PARTICIPATION, key="sv_participation_dl")


def _top_categories(f: filters.Filters) -> list[str]:
    """Draw the top categories; return those clicked."""
    st.subheader(TOP_CATEGORIES)
    top = fetch("survey_top_categories", **f.params(top_n=TOP_N))
    shown = top[~top["is_suppressed"]]
    hidden = top.loc[top["is_suppressed"], "category"]
    picked: list[str] = []
    if shown.empty:
        st.info(ALL_SUPPRESSED.format(k=f.min_respondents))
    else:
        st.caption(CATEGORY_HINT)
        picked = tables.chart(charts.count_bar(shown, "category", "suggestions", horizontal=True,
                                               height=28 * len(shown) + 80),
                              key="sv_categories")
    if not hidden.empty:
        st.caption(SUPPRESSED.format(k=f.min_respondents, names="、".join(hidden)))
    return picked


def _suggestions(f: filters.Filters, categories: list[str]) -> None:
    st.subheader(SUGGESTIONS_OF.format(what="、".join(categories)) if categories else SUGGESTIONS)
    search = st.text_input(SEARCH, placeholder=SEARCH_HINT, key="sv_search").strip()
    scope = replace(f, categories=tuple(categories)) if categories else f
    params = scope.params(search=search)
    first = fetch("survey_suggestions", **params, limit=1, offset=0)
    if not first.empty and bool(first["is_suppressed"].iloc[0]):
        st.warning(LIST_SUPPRESSED.format(k=f.min_respondents))
        return
    tables.records("survey_suggestions", params, key="sv_suggestions", page_size=20,
                   file_stem=FILE_SUGGESTIONS)


def render() -> None:
    """Draw the page."""
    labels.COLUMNS.update(COLUMNS)
    f = filters.current()
    st.title(labels.TITLES["survey"])
    st.caption(CAPTION.format(k=f.min_respondents))
    # The unit filter picks respondents' units for participation and the offices under review for
    # scores and suggestions, so any one of them may be empty while the others are not.
    participation = fetch("survey_participation_by_unit", **f.params())
    scores = fetch("survey_scores_by_target", **f.params())
    if participation.empty and scores.empty and not _suggestion_count(f):
        st.info(NO_SURVEY)
        return
    _cards(f, _participation(f))

    surveys = sorted({*participation["survey_id"], *scores["survey_id"]})
    survey = st.selectbox(SURVEY, surveys, index=len(surveys) - 1, key="sv_survey", width=400)
    part_col, score_col = st.columns(2)
    with part_col:
        _participation_by_unit(participation[participation["survey_id"] == survey])
    with score_col:
        _scores(scores[scores["survey_id"] == survey], f.min_respondents)

    _suggestions(f, _top_categories(f))


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
