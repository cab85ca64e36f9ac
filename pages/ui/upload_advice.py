"""Why rows of an upload are rejected, grouped by field, and what the person can do about it:
map a column, set a value for the whole file, or correct the file."""

from __future__ import annotations

from typing import Any

import pandas as pd

from etl.sources import Kind
from pages.ui import labels_upload as text


def fixable(spec: Kind) -> set[str]:
    """Columns a whole file may share one value of: never an id or a text (a wrong guess would
    otherwise ask for one 编号 or one 内容 for every row). Kind.fixable_columns when the registry
    has it."""
    declared = getattr(spec, "fixable_columns", None)
    if declared is not None:
        return set(declared)
    # A questionnaire names its survey once for the whole file.
    return {
        c.name
        for c in spec.columns
        if (c.type != "id" and c.name not in spec.text_columns) or c.name == "survey_id"
    }


def owner_columns(spec: Kind) -> list[str]:
    """The kind's own columns that say which unit a row belongs to (a clerk's scope), the one
    that counts first (承办单位 before 受理单位)."""
    found = [
        (spec.owner.index(f"{{a}}.{c.name}"), c.name)
        for c in spec.columns
        if c.type == "unit" and f"{{a}}.{c.name}" in spec.owner
    ]
    return [name for _, name in sorted(found)]


def reasons_frame(errors: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per field: how many rows it rejected and the first reason, most rows first."""
    groups: dict[str, dict[str, Any]] = {}
    for error in errors:
        group = groups.setdefault(error["column"] or "", {"rows": set(), "example": error})
        group["rows"].add(error["row"])
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]["rows"]))
    return pd.DataFrame(
        {
            text.REASON_FIELD: [field for field, _ in ordered],
            text.REASON_ROWS: [len(g["rows"]) for _, g in ordered],
            text.REASON_EXAMPLE: [
                f"第 {g['example']['row']} 行 {g['example']['error']}" for _, g in ordered
            ],
        }
    )


def way_forward(
    spec: Kind,
    errors: list[dict[str, Any]],
    mapping: dict[str, str | None],
    fixed: dict[str, str],
) -> list[str]:
    """One sentence per field that rejected rows: which column to map, which value to set for
    the whole file, or which column of the file to correct."""
    lines = []
    for _, row in reasons_frame(errors).iterrows():
        label, n = row[text.REASON_FIELD], int(row[text.REASON_ROWS])
        columns = _columns_of(spec, label)
        headers = [h for h, c in mapping.items() if c in columns]
        values = [fixed[c] for c in columns if c in fixed]
        if not columns:
            lines.append(text.ADVICE_ROWS.format(n=n, example=row[text.REASON_EXAMPLE]))
        elif headers:
            lines.append(text.ADVICE_MAPPED.format(label=label, headers="、".join(headers), n=n))
        elif values:
            lines.append(text.ADVICE_FIXED.format(label=label, value=values[0], n=n))
        elif set(columns) & fixable(spec):
            lines.append(text.ADVICE_UNMAPPED_FIXABLE.format(label=label, n=n))
        else:
            lines.append(text.ADVICE_UNMAPPED.format(label=label, n=n))
    return lines


def _columns_of(spec: Kind, label: str) -> list[str]:
    """The contract columns an error's field label stands for (the owner label: the owner's)."""
    named = [c.name for c in spec.columns if c.display == label]
    if label == spec.owner_label:
        named += [c for c in owner_columns(spec) if c not in named]
    return named
