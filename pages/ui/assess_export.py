"""The assessment as one XLSX: the league, every indicator's points and reasons, and the view it was
computed for (period, units, scheme version, who and when), so a printed sheet says what it is.
Cells are neutralised as every download is (pages/ui/export.py); pure, no Streamlit."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from assess import wording
from assess.scheme import METRICS
from assess.score import SCORE_COLUMNS
from pages.ui import export
from pages.ui import labels_assess as labels

SCORE_SHEET = [c for c in SCORE_COLUMNS if c != "unit_id"]
BREAKDOWN_SHEET = [
    "unit_name",
    "unit_type",
    "label",
    "value",
    "sample",
    "weight",
    "points",
    "lost",
    "status",
    "text",
]


def league(scores: pd.DataFrame) -> pd.DataFrame:
    """The league as it reads: Chinese headers, scores to one decimal."""
    out = scores[SCORE_SHEET].copy()
    for column in ("score", "points"):
        out[column] = out[column].round(1)
    return out.rename(columns=labels.COLUMNS)


def breakdown_sheet(breakdown: pd.DataFrame) -> pd.DataFrame:
    """One row per unit and indicator: the figure as it reads (95.1%, 333.3, 3), its sample, the
    points given and lost, whether it counted and the sentence saying why."""
    out = breakdown[BREAKDOWN_SHEET].copy()
    out["value"] = [
        wording.figure(v, METRICS[m].kind) for v, m in zip(breakdown["value"], breakdown["metric"])
    ]
    for column in ("points", "lost"):
        out[column] = out[column].astype(float).round(1)
    return out.rename(columns={**labels.COLUMNS, "points": labels.INDICATOR_POINTS})


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    safe = export.neutralise(df)
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
    return safe


def workbook(
    scores: pd.DataFrame, breakdown: pd.DataFrame, context: list[tuple[str, str]]
) -> bytes:
    """Three sheets: 得分排名, 得分明细, 说明 (context: item, value pairs)."""
    sheets = {
        labels.SHEET_SCORES: league(scores),
        labels.SHEET_BREAKDOWN: breakdown_sheet(breakdown),
        labels.SHEET_CONTEXT: pd.DataFrame(
            context, columns=[labels.CONTEXT_ITEM, labels.CONTEXT_VALUE]
        ),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _clean(frame).to_excel(writer, index=False, sheet_name=name, freeze_panes=(1, 0))
    return buffer.getvalue()
