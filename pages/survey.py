"""警意调查: officers' participation against headcount, scores of the offices under review, their
suggestions by problem category and as a searchable list — small groups suppressed (k-anonymity)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from etl import survey_rounds
from pages.ui import cards, charts, escape, filters, gate, labels, labels_load, rollup, tables
from pages.ui.data import fetch, target

TOP_N = 10
# The participation chart shows the units furthest behind; the table under it lists them all.
CHART_UNITS = 15


def _round_label(row: pd.Series) -> str:
    return labels.SURVEY_ROUND.format(
        survey=row["survey_id"],
        first=row["first_on"].date().isoformat(),
        last=row["last_on"].date().isoformat(),
        respondents=charts.number(row["respondents"]),
    )


def _participation(f: filters.Filters) -> dict:
    kpis = fetch("overview_kpis", **f.params()).set_index("metric")
    return kpis.loc["participation"].to_dict() if "participation" in kpis.index else {}


def _suggestion_count(f: filters.Filters) -> int | None:
    first = fetch("survey_suggestions", **f.params(search="", masked=True, limit=1, offset=0))
    return int(first["total_rows"].iloc[0]) if not first.empty else None


def _cards(f: filters.Filters, now: dict) -> None:
    before, year_ago = _participation(f.previous()), _participation(f.last_year())
    rate, people, suggestions = st.columns(3)
    common = {"as_of": now.get("newest_record_at"), "period": f.period_label()}
    with rate:
        cards.kpi(
            labels.SURVEY_KPI_PARTICIPATION,
            now.get("value"),
            target=target("target_participation"),
            previous=before.get("value"),
            last_year=year_ago.get("value"),
            numerator=now.get("numerator"),
            denominator=now.get("denominator"),
            formula=labels.KPI_FORMULAS["participation"],
            **common,
        )
    with people:
        cards.kpi(
            labels.SURVEY_KPI_RESPONDENTS,
            now.get("numerator"),
            previous=before.get("numerator"),
            last_year=year_ago.get("numerator"),
            kind="count",
            formula=labels.SURVEY_FORMULA_RESPONDENTS,
            **common,
        )
    with suggestions:
        cards.kpi(
            labels.SURVEY_KPI_SUGGESTIONS,
            _suggestion_count(f),
            previous=_suggestion_count(f.previous()),
            last_year=_suggestion_count(f.last_year()),
            kind="count",
            formula=labels.SURVEY_FORMULA_SUGGESTIONS,
            **common,
        )


def _scores(scores: pd.DataFrame, k: int) -> None:
    st.subheader(labels.SURVEY_SCORES)
    st.caption(labels.SURVEY_SCORES_CAPTION)
    if scores.empty:
        st.info(labels.SURVEY_NO_SCORES)
        return
    shown = scores[~scores["is_suppressed"]]
    hidden = scores.loc[scores["is_suppressed"], "target_unit_name"].fillna(labels.UNKNOWN)
    if not shown.empty:
        st.plotly_chart(
            charts.rate_bar(shown, "target_unit_name", "share_high"), key="sv_scores_chart"
        )
        tables.show(
            shown.assign(avg_score=shown["avg_score"].round(2)),
            hide=(*tables.HIDDEN, "survey_id", "target_unit_id", "is_suppressed"),
            key="sv_scores",
            links=True,
        )
        tables.download_buttons(shown, labels.SURVEY_FILE_SCORES, key="sv_scores_dl")
    if not hidden.empty:
        st.caption(labels.SURVEY_SUPPRESSED.format(k=k, names=escape.md("、".join(hidden))))


def _participation_by_unit(rows: pd.DataFrame) -> None:
    st.subheader(labels.SURVEY_PARTICIPATION)
    st.caption(labels.SURVEY_PARTICIPATION_CAPTION)
    if rows.empty:
        st.info(labels.SURVEY_NO_PARTICIPATION)
        return
    rows = rows.fillna({"unit_name": labels.UNKNOWN})
    st.caption(labels.SURVEY_LOWEST_UNITS.format(n=min(CHART_UNITS, len(rows))))
    st.plotly_chart(
        charts.rate_bar(
            rows.head(CHART_UNITS),
            "unit_name",
            "participation_rate",
            key="unit_id",
            target=target("target_participation"),
        ),
        key="sv_participation_chart",
    )
    tables.show(
        rows,
        hide=(*tables.HIDDEN, "survey_id", "unit_type"),
        key="sv_participation",
        height=320,
        links=True,
    )
    tables.download_buttons(rows, labels.SURVEY_FILE_PARTICIPATION, key="sv_participation_dl")


def _top_categories(f: filters.Filters) -> list[str]:
    """Draw the top categories; return those clicked."""
    st.subheader(labels.SURVEY_TOP_CATEGORIES)
    top = fetch("survey_top_categories", **f.params(top_n=TOP_N))
    shown = rollup.with_level1(top[~top["is_suppressed"]])
    hidden = top.loc[top["is_suppressed"], "category"]
    picked: list[str] = []
    if shown.empty:
        st.info(labels.SURVEY_ALL_SUPPRESSED.format(k=f.min_respondents))
    else:
        st.caption(labels.SURVEY_CATEGORY_HINT)
        picked = tables.chart(
            charts.count_bar(
                shown,
                "label",
                "suggestions",
                key="category",
                horizontal=True,
                height=28 * len(shown) + 80,
            ),
            key="sv_categories",
        )
    if not hidden.empty:
        st.caption(
            labels.SURVEY_SUPPRESSED.format(k=f.min_respondents, names=escape.md("、".join(hidden)))
        )
    return picked


def _suggestions(f: filters.Filters, categories: list[str]) -> None:
    st.subheader(
        labels.SURVEY_SUGGESTIONS_OF.format(what=escape.md("、".join(categories)))
        if categories
        else labels.SURVEY_SUGGESTIONS
    )
    search = st.text_input(
        labels.SURVEY_SEARCH, placeholder=labels.SURVEY_SEARCH_HINT, key="sv_search"
    ).strip()
    scope = replace(f, categories=tuple(categories)) if categories else f
    # Searched as shown: a reader who sees personal data starred searches the starred text.
    params = scope.params(search=search, masked=not gate.can("personal_data"))
    first = fetch("survey_suggestions", **params, limit=1, offset=0)
    if not first.empty and bool(first["is_suppressed"].iloc[0]):
        st.warning(labels.SURVEY_LIST_SUPPRESSED.format(k=f.min_respondents))
        return
    tables.records(
        "survey_suggestions",
        params,
        key="sv_suggestions",
        page_size=20,
        file_stem=labels.SURVEY_FILE_SUGGESTIONS,
        hide=("survey_id", "is_suppressed"),
    )


def render() -> None:
    """Draw the page."""
    gate.require("survey")
    f = filters.current()
    st.title(labels.TITLES["survey"])
    st.caption(labels.SURVEY_CAPTION.format(k=f.min_respondents))
    rounds = fetch("survey_summary", **f.params())
    if rounds.empty:
        st.info(labels.SURVEY_NONE_LOADED)
        return
    # The unit filter picks respondents' units for participation and the offices under review for
    # scores and suggestions, so any one of them may be empty while the others are not.
    participation = fetch("survey_participation_by_unit", **f.params())
    scores = fetch("survey_scores_by_target", **f.params())
    in_period = rounds[rounds["is_in_period"]]
    if in_period.empty or (participation.empty and scores.empty and not _suggestion_count(f)):
        st.info(labels.SURVEY_NO_ROUND)
        st.caption(
            labels.SURVEY_ROUNDS_HINT.format(
                rounds=escape.md("；".join(_round_label(row) for _, row in rounds.iterrows()))
            )
        )
        return
    _cards(f, _participation(f))

    names = dict(zip(in_period["survey_id"], in_period.apply(_round_label, axis=1)))
    # A round only clerks loaded is not the default until an admin confirms it.
    opened = fetch("survey_rounds_opened", **f.params())
    defaults = set(
        opened.loc[survey_rounds.may_be_default(opened, survey_rounds.confirmed()), "survey_id"]
    )
    eligible = [i for i, survey_id in enumerate(names) if survey_id in defaults]
    survey = st.selectbox(
        labels.SURVEY_PICK,
        list(names),
        index=eligible[-1] if eligible else None,
        placeholder=labels_load.SURVEY_PICK_UNCONFIRMED,
        format_func=names.get,
        key="sv_survey",
        width=560,
    )
    part_col, score_col = st.columns(2)
    with part_col:
        _participation_by_unit(participation[participation["survey_id"] == survey])
    with score_col:
        _scores(scores[scores["survey_id"] == survey], f.min_respondents)

    _suggestions(f, _top_categories(f))


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
