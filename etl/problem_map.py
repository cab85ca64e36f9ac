"""The shared problem taxonomy (kind problem_map, 共同问题对应) as people write it: one row per
problem, one column per side listing its categories (共同问题 | 群众诉求类别 | 民警建议类别, several
names in a cell separated by 、 or ；). Such a file is turned into the contract's rows — problem,
side, category: one per name — before it is typed, as a wide category tree is (etl/category_tree.py),
so the rest of the load is the usual one. A file with a 来源 column loads as it is.
"""

from __future__ import annotations

from etl.sources import Kind, normalise_header

# Headers the melted rows are given, onto the contract columns they fill: none a file's own, which
# keep their names beside them.
MELTED = {"共同问题（展开）": "problem", "来源（展开）": "side", "类别（展开）": "category"}
# What separates several categories in one cell.
SEPARATORS = r"[、,，;；/|\n]+"


def side_columns(spec: Kind, headers: list[str]) -> dict[int, str]:
    """Index of each side's column → the side it lists, when this is a wide file (a problem column
    and one side column or more); {} otherwise."""
    if "sides" not in spec.extra or _problem_column(spec, headers) is None:
        return {}
    found = {}
    for side, synonyms in spec.extra["sides"].items():
        names = {normalise_header(s) for s in synonyms}
        hit = next((i for i, h in enumerate(headers) if normalise_header(h) in names), None)
        if hit is not None:
            found[hit] = side
    return found


def roles(spec: Kind, headers: list[str]) -> dict[str, dict]:
    """What the melt reads from each column of a wide file, in the file's order: the problem, or
    one side's categories; {} if not wide."""
    sides = side_columns(spec, headers)
    if not sides:
        return {}
    problem = _problem_column(spec, headers)
    return {
        h: {"column": "problem"} if i == problem else {"column": "category", "side": sides[i]}
        for i, h in enumerate(headers)
        if i == problem or i in sides
    }


def _problem_column(spec: Kind, headers: list[str]) -> int | None:
    wanted = {normalise_header(s) for s in spec.column("problem").synonyms}
    return next((i for i, h in enumerate(headers) if normalise_header(h) in wanted), None)


def melt(con, spec: Kind, headers: list[str], sides: dict[int, str]):
    """_raw (one row per problem) → one row per (problem, side, category), each keeping the row
    number of the line it came from; the file's own columns are left unmapped."""
    n = len(headers)
    problem = _problem_column(spec, headers)
    parts = [
        f"select _row, nullif(trim(c{problem}::varchar), '') as problem, '{side}' as side,"
        f" unnest(regexp_split_to_array(coalesce(c{i}::varchar, ''), '{SEPARATORS}')) as category"
        f" from _raw"
        for i, side in sides.items()
    ]
    con.execute(
        f"""
        create or replace temp table _raw as
        select _row, {", ".join(f"null::varchar as c{i}" for i in range(n))},
            problem as c{n}, side as c{n + 1}, category as c{n + 2}
        from (
            select _row, problem, side, nullif(trim(category), '') as category
            from ({" union all ".join(parts)})
        )
        where category is not null  -- an empty cell: no category of that side
        order by _row, side, category
        """
    )
    return [*headers, *MELTED], {**dict.fromkeys(headers), **MELTED}
