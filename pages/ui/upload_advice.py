"""Why rows of an upload are rejected, grouped by field, and what the person can do about it:
map a column, set a value for the whole file, or correct the file; for a clerk's rows of a unit
outside their own tree, which units those are, which tree each belongs to, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from auth.accounts import WHOLE_BUREAU
from etl.sources import Kind
from pages.ui import data, gate
from pages.ui import labels_alias as tree_text
from pages.ui import labels_upload as text

# What the loader's scope check (etl/validate.py scope_errors) says of a unit outside the tree.
OUTSIDE_MARK = "不在本账号范围"


@dataclass(frozen=True)
class Tree:
    """A clerk's unit tree: its unit's name, and for each unit outside it (by name, as a rejected
    row's value gives it) the tree it belongs to, or None for a unit above the clerk's."""

    name: str
    homes: dict[str, str | None]


def tree_of(chains: pd.DataFrame, scope_unit_id: str, scope_name: str) -> Tree:
    """The tree of `scope_unit_id` from the upload_unit_chains query: a unit outside it belongs
    to the highest of its ancestors that is not the clerk's unit or above it."""
    above = set(chains.loc[chains["unit_id"] == scope_unit_id, "ancestor_id"]) - {scope_unit_id}
    homes: dict[str, str | None] = {}
    for unit, rows in chains.groupby("unit_id", sort=False):
        ancestors = rows.sort_values("depth", ascending=False)
        if scope_unit_id in set(ancestors["ancestor_id"]):
            continue  # the clerk's own
        others = ancestors.loc[~ancestors["ancestor_id"].isin(above), "ancestor"]
        homes[rows["name"].iloc[0]] = None if unit in above else others.iloc[0]
    return Tree(scope_name, homes)


def clerk_tree() -> Tree | None:
    """The signed-in account's tree (None for the whole bureau: nothing is outside it)."""
    scope = gate.scope()
    if scope == WHOLE_BUREAU:
        return None
    return tree_of(data.fetch("upload_unit_chains"), scope, gate.unit_name())


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
    tree: Tree | None = None,
) -> list[str]:
    """One sentence per field that rejected rows: which column to map, which value to set for
    the whole file, or which column of the file to correct; with `tree` (a clerk's), a sentence
    per field naming the units outside it that rows give, and the tree of each."""
    outside = [e for e in errors if tree and OUTSIDE_MARK in e["error"]]
    lines = _outside_lines(spec, outside, mapping, tree) if tree else []
    errors = [e for e in errors if not (tree and OUTSIDE_MARK in e["error"])]
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


def _outside_lines(
    spec: Kind, errors: list[dict[str, Any]], mapping: dict[str, str | None], tree: Tree
) -> list[str]:
    """For each field: how many rows name units outside `tree`, each unit with its rows and
    its tree, what the clerk can do."""
    lines = []
    for label, group in pd.DataFrame(errors, columns=["row", "column", "value", "error"]).groupby(
        "column", sort=False
    ):
        by_unit = group.groupby("value", sort=False)["row"].nunique()
        units = [
            tree_text.OUT_OF_TREE_UNIT.format(unit=unit, rows=n, home=tree.homes[unit])
            if tree.homes.get(unit)
            else tree_text.OUT_OF_TREE_ABOVE.format(unit=unit, rows=n)
            for unit, n in by_unit.sort_values(ascending=False, kind="stable").items()
        ]
        headers = [h for h, c in mapping.items() if c in _columns_of(spec, label)]
        fix = (
            tree_text.OUT_OF_TREE_FIX_COLUMN.format(headers="、".join(headers))
            if headers
            else tree_text.OUT_OF_TREE_FIX
        )
        lines.append(
            tree_text.OUT_OF_TREE.format(
                n=group["row"].nunique(),
                label=label,
                scope=tree.name,
                units="、".join(units),
                fix=fix,
            )
        )
    return lines


def _columns_of(spec: Kind, label: str) -> list[str]:
    """The contract columns an error's field label stands for (the owner label: the owner's)."""
    named = [c.name for c in spec.columns if c.display == label]
    if label == spec.owner_label:
        named += [c for c in owner_columns(spec) if c not in named]
    return named
