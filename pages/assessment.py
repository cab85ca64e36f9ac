"""考核评分: every unit's score under the assessment scheme for the sidebar's period, its rank among
units of its type, and the breakdown of each score (which indicator gave and cost how many points,
against which figures). Admins change the scheme here, seeing the ranking before → after first."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from assess import score, store
from assess.values import unit_values
from auth import audit
from pages.ui import assess_editor, assess_export, escape, filters, gate, tables
from pages.ui import labels_assess as labels
from pages.ui.data import fetch, target
from pages.ui.labels import EXPORT_DETAIL, FORMULAS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEFAULT_TYPE = "派出所"


def _values(f: filters.Filters) -> pd.DataFrame:
    line = int(target("report_burden_line") or 150)
    return unit_values(fetch, f.params(line=line))


def _version_line(version: store.Version) -> str:
    saved = (
        labels.SAVED_BY.format(
            by=escape.md(version.saved_by or ""), at=f"{version.saved_at:%Y-%m-%d %H:%M}"
        )
        if version.saved_at
        else labels.DEFAULT_SCHEME
    )
    return labels.SCHEME_LINE.format(
        name=escape.md(version.scheme.name), version=version.version, saved=saved
    )


def _chosen_version(versions: list[store.Version]) -> store.Version:
    """The version to score with: the one in force unless the reader picks an earlier one."""
    numbers = [v.version for v in versions]
    by_number = {v.version: v for v in versions}
    picked = st.selectbox(
        labels.VERSION,
        numbers,
        key="as_version",
        format_func=lambda n: labels.VERSION_OPTION.format(
            version=n,
            name=by_number[n].scheme.name,
            current=labels.VERSION_CURRENT if n == numbers[0] else "",
        ),
    )
    return by_number.get(picked, versions[0])


def _league(scores: pd.DataFrame, unit_type: str) -> None:
    rows = scores[scores["unit_type"] == unit_type]
    st.subheader(labels.LEAGUE.format(unit_type=escape.md(unit_type)))
    st.caption(labels.LEAGUE_COUNT.format(n=len(rows), ranked=int(rows["rank"].notna().sum())))
    tables.show(
        assess_export.league(rows).drop(columns=[labels.COLUMNS["unit_type"]]),
        key="as_league",
        hide=(),
    )


def _breakdown(scores: pd.DataFrame, breakdown: pd.DataFrame, unit_type: str) -> None:
    rows = scores[scores["unit_type"] == unit_type]
    st.subheader(labels.BREAKDOWN)
    names = dict(zip(rows["unit_id"], rows["unit_name"]))
    unit = st.selectbox(
        labels.BREAKDOWN_UNIT,
        list(names),
        key="as_unit",
        format_func=lambda u: str(names.get(u, u)),
    )
    if unit not in names:
        return
    row = rows[rows["unit_id"] == unit].iloc[0]
    has_score = pd.notna(row["score"])
    rank = (
        labels.RANK_TEXT.format(
            unit_type=escape.md(unit_type), rank=int(row["rank"]), n=int(rows["rank"].notna().sum())
        )
        if pd.notna(row["rank"])
        else f"，{row['rank_note']}"
    )
    st.markdown(
        labels.BREAKDOWN_TOTAL.format(
            unit=escape.md(row["unit_name"]),
            score=f"{row['score']:.1f}" if has_score else labels.NO_SCORE,
            points=f"{row['points']:.1f}",
            weight=f"{row['weight_counted']:g}",
            rank=rank,
        )
    )
    lines = breakdown[breakdown["unit_id"] == unit]
    for text in lines["text"]:
        st.markdown(f"- {escape.md(text)}")
    # The sentences above say why; the table beside them holds the figures.
    tables.show(
        assess_export.breakdown_sheet(lines).drop(
            columns=[labels.COLUMNS[c] for c in ("unit_name", "unit_type", "text")]
        ),
        key="as_lines",
        hide=(),
    )


def _context(f: filters.Filters, version: store.Version, values: pd.DataFrame) -> list[tuple]:
    names = dict(zip(values["unit_id"], values["unit_name"]))
    chosen = "、".join(str(names.get(u, u)) for u in f.unit_ids) or labels.ALL_UNITS
    scope = labels.WHOLE_BUREAU if gate.scope() == "*" else gate.unit_name()
    rules = "；".join(
        f"{i.label}（{'、'.join(i.unit_types)}）权重 {i.weight:g}"
        for i in version.scheme.indicators
    )
    return [
        (labels.CONTEXT_PERIOD, f"{f.start:%Y-%m-%d} 至 {f.end:%Y-%m-%d}"),
        (labels.CONTEXT_UNITS, chosen),
        (labels.CONTEXT_SCOPE, scope),
        (labels.CONTEXT_SCHEME, f"{version.scheme.name}（第 {version.version} 版）"),
        (labels.CONTEXT_RULES, rules),
        (labels.CONTEXT_FORMULA, FORMULAS.get(f.formula, f.formula)),
        (labels.CONTEXT_BY, gate.username() or ""),
        (labels.CONTEXT_AT, f"{datetime.now():%Y-%m-%d %H:%M}"),
        (labels.CONTEXT_NOTE, labels.NEUTRAL_NOTE),
    ]


def _download(scores: pd.DataFrame, breakdown: pd.DataFrame, context: list[tuple]) -> None:
    """The whole assessment as XLSX for roles that may export; audited when the file is made."""
    if not gate.can("export"):
        return
    who, client = gate.username(), gate.client()
    name = f"{labels.FILE_STEM}.xlsx"

    def build() -> bytes:
        audit.record(
            "export",
            username=who,
            client=client,
            detail=EXPORT_DETAIL.format(file=name, rows=len(breakdown)),
        )
        return assess_export.workbook(scores, breakdown, context)

    st.download_button(
        labels.DOWNLOAD,
        build,
        file_name=name,
        mime=XLSX_MIME,
        key="as_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def render() -> None:
    """Draw the page."""
    gate.require("assessment")
    f = filters.current()
    st.title(labels.TITLE)
    st.caption(labels.CAPTION)
    values = _values(f)
    if gate.can("settings") and assess_editor.section(values, store.current()):
        st.session_state.pop("as_version", None)  # the new version is the one to show
    versions = store.versions()
    version = _chosen_version(versions)
    st.caption(_version_line(version))
    scores, breakdown = score.score_units(values, version.scheme)
    if scores.empty:
        st.info(labels.NO_UNITS)
        return
    types = list(dict.fromkeys(scores["unit_type"]))
    unit_type = (
        st.segmented_control(
            labels.UNIT_TYPE,
            types,
            default=DEFAULT_TYPE if DEFAULT_TYPE in types else types[0],
            format_func=escape.md,
            key="as_type",
        )
        or types[0]
    )
    st.caption(labels.NEUTRAL_NOTE)
    _league(scores, unit_type)
    _download(scores, breakdown, _context(f, version, values))
    _breakdown(scores, breakdown, unit_type)
    with st.expander(labels.VERSIONS):
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "version": v.version,
                        "name": v.scheme.name,
                        "indicators": "、".join(i.label for i in v.scheme.indicators),
                        "saved_by": v.saved_by or "",
                        "saved_at": f"{v.saved_at:%Y-%m-%d %H:%M}" if v.saved_at else "",
                        "note": v.note,
                    }
                    for v in versions
                ]
            ).rename(columns=labels.VERSION_COLUMNS),
            hide_index=True,
        )


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
