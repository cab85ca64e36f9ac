"""Top-category lists name the level-1 category each one rolls up to (queries' level1 column)."""

from __future__ import annotations

import pandas as pd

from pages.ui import labels_cattree


def with_level1(top: pd.DataFrame) -> pd.DataFrame:
    """`top` with a `label` column: the category, and its level-1 category in brackets where the
    bureau's tree gives one other than itself; the category alone otherwise."""

    def label(row) -> str:
        if pd.isna(row["level1"]) or row["level1"] == row["category"]:
            return row["category"]
        return labels_cattree.CATEGORY_WITH_LEVEL1.format(
            category=row["category"], level1=row["level1"]
        )

    return top.assign(label=[label(row) for _, row in top.iterrows()])
