"""The bureau's category tree (kind category_tree) as it arrives wide: one row per leaf, one column
per level (一级分类 | 二级分类 | 三级分类). Such a file is turned into the tree's rows — category,
parent, level: one per distinct edge — before it is typed, as a wide questionnaire is melted
(etl/mapping.py), so the rest of the load is the usual one.
"""

from __future__ import annotations

from etl.sources import Kind, normalise_header

# Headers the melted rows are given, onto the contract columns they fill.
MELTED = {"类别": "category", "上级类别": "parent", "层级": "level"}


def level_columns(spec: Kind, headers: list[str]) -> list[int]:
    """Indexes of the level columns, level 1 first, when this is a wide tree (two levels or more)."""
    found = []
    for synonyms in spec.extra.get("levels", ()):
        wanted = {normalise_header(s) for s in synonyms}
        hit = next((i for i, h in enumerate(headers) if normalise_header(h) in wanted), None)
        if hit is None:
            break  # levels are nested: a third level without a second is no tree
        found.append(hit)
    return found if len(found) >= 2 else []


def roles(spec: Kind, headers: list[str]) -> dict[str, dict]:
    """What the melt reads from each level column of a wide tree (its level); {} if not wide."""
    return {headers[i]: {"level": n} for n, i in enumerate(level_columns(spec, headers), 1)}


def melt(con, headers: list[str], levels: list[int]) -> tuple[list[str], dict[str, str | None]]:
    """_raw (one row per leaf) → one row per distinct (category, parent): each level's name under
    the nearest filled level above it. An edge met again (every leaf repeats its parents) keeps
    its first row number and, if the file gives it at two levels, the higher one (the smaller
    number); the file's own columns are left unmapped."""
    n = len(headers)
    cell = [f"nullif(trim(c{i}::varchar), '')" for i in levels]
    edges = [
        f"select _row, {cell[depth]} as category,"
        f" coalesce({', '.join(reversed(cell[:depth]))}) as parent, {depth + 1} as level from _raw"
        for depth in range(1, len(levels))
    ]
    con.execute(
        f"""
        create or replace temp table _raw as
        select min(_row) as _row, {", ".join(f"null::varchar as c{i}" for i in range(n))},
            category as c{n}, parent as c{n + 1}, min(level)::varchar as c{n + 2}
        from ({" union all ".join(edges)})
        where category is not null and parent is not null
        group by category, parent
        order by 1, c{n + 2}
        """
    )
    return [*headers, *MELTED], {**dict.fromkeys(headers), **MELTED}
