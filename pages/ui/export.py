"""CSV and XLSX bytes of a table, safe to open in Excel; pure functions, no Streamlit."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from etl.safety import starts_formula
from pages.ui import labels


def neutralise_text(value: object) -> object:
    """Prefix a string that Excel would treat as a formula with an apostrophe (OWASP "CSV
    injection"): shown, never run. The loader refuses the part of these that would act."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value


def _yes_no(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return labels.YES if value else labels.NO
    return value


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of df whose text cells and column names cannot start a formula, and whose flags
    read 是/否 (pandas would write True/False)."""
    out = df.copy()
    for column in out.columns:
        if pd.api.types.is_bool_dtype(out[column]) or out[column].dtype == object:
            out[column] = out[column].map(_yes_no).astype(object)
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_text).astype(object)
    out.columns = [neutralise_text(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Chinese Excel otherwise guesses GBK) and CRLF line ends (RFC 4180)."""
    text = neutralise(df).to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def to_xlsx_bytes(df: pd.DataFrame, sheet_name: str = "数据") -> bytes:
    """One worksheet, header row frozen; control characters that XLSX forbids are dropped."""
    safe = neutralise(df)
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
        elif isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet_name, freeze_panes=(1, 0))
    return buffer.getvalue()
