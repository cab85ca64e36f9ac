"""Write checked rows: one row per key (`dedupe`), new/changed/same (`classify`), then `apply`.

Fact rows are keyed on the system they came from and their own key (`record_key`): two systems'
编号 6 are two records. A changed row's previous version goes to import_row_history so an undo can
put it back.
"""

from __future__ import annotations

from etl.sources import Kind
from intel import classify_store

SOURCE_COLUMN = "source_system"
DEFAULT_SOURCE = "未注明"  # an import whose source nobody chose and no profile names
# The bureau's own reference data and what its people decide (routing rules, labels): one of each,
# whichever file brought it.
UNSOURCED_KINDS = (
    "units",
    "unit_aliases",
    "routing_rules",
    "labels",
    "category_tree",
    "problem_map",
)


def sourced(spec: Kind) -> bool:
    """Whether rows of this kind carry the source system they came from."""
    return spec.name not in UNSOURCED_KINDS


def record_key(spec: Kind) -> tuple[str, ...]:
    """The columns that name one stored record: its source system, then the kind's own key."""
    return (SOURCE_COLUMN, *spec.key) if sourced(spec) else spec.key


def stored_columns(spec: Kind) -> list[str]:
    """The columns the loader writes (import_id aside): the contract columns and the source."""
    return [*spec.column_names, SOURCE_COLUMN] if sourced(spec) else spec.column_names


def key_sql(spec: Kind, left: str, right: str, keys: tuple[str, ...] | None = None) -> str:
    """SQL: the rows aliased `left` and `right` are the same record (by `keys`, else record_key)."""
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in keys or record_key(spec))


def dedupe(con, spec: Kind) -> None:
    """_incoming: valid rows, one per key (the file's last row for a key wins, the others are reported).

    One file has one source, so the kind's own key tells its rows apart."""
    keys = ", ".join(spec.key)
    # _typed becomes _incoming in place: copying millions of rows to drop a few costs more.
    if con.execute("select count(*) from _errors").fetchone()[0]:
        con.execute("delete from _typed where _rid in (select _rid from _errors)")
    con.execute("alter table _typed rename to _incoming")
    # Rows with the same key have the same hash: when no hash repeats, no key does. Grouping on a
    # number is far cheaper than on the key's text at millions of rows.
    repeated_hashes = con.execute(
        f"select count(*) from (select 1 from _incoming group by hash({keys}) having count(*) > 1)"
    ).fetchone()[0]
    if not repeated_hashes:
        return
    # Grouping finds the (rare) repeated keys without ranking every row.
    con.execute(
        f"""
        create or replace temp table _repeats as
        select {keys}, arg_max(_rid, _row) as kept_rid, max(_row) as kept_row
        from _incoming group by {keys} having count(*) > 1
        """
    )
    if con.execute("select count(*) from _repeats").fetchone()[0] == 0:
        return
    con.execute(
        f"""
        insert into _errors
        select i._rid, i._row, null, null, '与第 ' || d.kept_row
            || ' 行是同一条记录（编号相同），已按第 ' || d.kept_row || ' 行导入', d.kept_row
        from _incoming as i join _repeats as d using ({keys})
        where i._rid <> d.kept_rid
        """
    )
    con.execute(
        f"""
        delete from _incoming as i using _repeats as d
        where {key_sql(spec, "i", "d", spec.key)} and i._rid <> d.kept_rid
        """
    )


def classify(con, spec: Kind) -> dict[str, int]:
    """_changes: whether each incoming row is new, changes a stored row, or is the same."""
    table, cols = spec.table, spec.column_names
    drop_temp(con, "_changes")  # a view (fast path below) or a table, from an earlier file
    if con.execute(f"select count(*) from (select 1 from {table} limit 1)").fetchone()[0] == 0:
        # Nothing stored yet (a first load): every row is new, no need to join or copy them.
        con.execute("create temp view _changes as select _rid, 'new' as change from _incoming")
        incoming = con.execute("select count(*) from _incoming").fetchone()[0]
        return {"new": incoming} if incoming else {}
    differs = " or ".join(_differs(spec, c) for c in cols if c not in spec.key)
    con.execute(
        f"""
        create or replace temp table _changes as
        select i._rid,
            case when t.{spec.key[0]} is null then 'new'
                 when {differs or "false"} then 'changed'
                 else 'same' end as change
        from _incoming as i
        left join {table} as t on {key_sql(spec, "i", "t")}
        """
    )
    return dict(con.execute("select change, count(*) from _changes group by change").fetchall())


def other_sources(con, spec: Kind, source: str | None) -> list[str]:
    """Warnings for incoming rows whose id is already stored under another source system: they
    become records of their own (nothing of the other source is touched), which the clerk should
    know before loading, in case the two are one system under two names."""
    if source is None:
        return []
    if con.execute(f"select count(*) from (select 1 from {spec.table} limit 1)").fetchone()[0] == 0:
        return []
    found = con.execute(
        f"""
        select s.source_system, count(distinct i._rid) as n
        from _incoming as i
        join {spec.table} as s on {key_sql(spec, "i", "s", spec.key)}
        where s.source_system <> i.source_system
        group by s.source_system order by n desc, s.source_system
        """
    ).fetchall()
    return [
        f"{n:,} 行的编号已有来源「{other}」的记录：这些行将作为来源「{source}」的新记录导入，"
        f"来源「{other}」的记录不会被修改。如果两者本是同一系统的导出，请把来源选为「{other}」。"
        for other, n in found
    ]


def changed_fields(con, spec: Kind, limit: int) -> list[dict]:
    """Each field an update would change, stored value before and incoming after, first `limit`
    by row: {"row", "record_id", "field" (its Chinese name), "before", "after"} (values as text)."""
    if all_new(con):
        return []
    key = " || '|' || ".join(f"i.{k}::varchar" for k in spec.key)
    parts = [
        f"select i._row, {key}, '{col.display}', t.{col.name}::varchar, i.{col.name}::varchar,"
        f" {n} from _incoming as i join _changes as c using (_rid)"
        f" join {spec.table} as t on {key_sql(spec, 'i', 't')}"
        f" where c.change = 'changed' and i.{col.name} is distinct from t.{col.name}"
        for n, col in enumerate(spec.columns)
        if col.name not in spec.key
    ]
    found = con.execute(
        f"select * from ({' union all '.join(parts)}) order by 1, 2, 6 limit $limit",
        {"limit": limit},
    ).fetchall()
    names = ("row", "record_id", "field", "before", "after")
    return [dict(zip(names, row[:5])) for row in found]


def _differs(spec: Kind, column: str) -> str:
    """SQL: the incoming value of `column` is not the stored one. An export that leaves a category
    empty does not change a category a person or a model gave (intel.classify_store)."""
    differs = f"i.{column} is distinct from t.{column}"
    if column == "category" and spec.table in classify_store.TABLES:
        return f"({differs} and not (i.{column} is null and t.category_source in ('人工', '模型')))"
    return differs


def all_new(con) -> bool:
    """Whether every incoming row is a new key (a first load): then nothing is replaced."""
    return not con.execute("select count(*) from _changes where change <> 'new'").fetchone()[0]


def apply(con, spec: Kind, import_id: int) -> None:
    """Insert new keys, replace changed rows (keeping their previous version), skip unchanged ones."""
    table, cols = spec.table, stored_columns(spec)
    if all_new(con):
        con.execute(
            f"insert into {table} ({', '.join(cols)}, import_id)"
            f" select {', '.join(cols)}, $id from _incoming",
            {"id": import_id},
        )
        return
    changed = (
        "(select i.* from _incoming as i join _changes as c using (_rid)"
        " where c.change = 'changed')"
    )
    con.execute(
        f"""
        insert into import_row_history
        select $id, '{table}', to_json(t) from {table} as t semi join {changed} as i
            on {key_sql(spec, "t", "i")}
        """,
        {"id": import_id},
    )
    con.execute(f"delete from {table} as t using {changed} as i where {key_sql(spec, 't', 'i')}")
    con.execute(
        f"""
        insert into {table} ({", ".join(cols)}, import_id)
        select {", ".join("i." + c for c in cols)}, $id
        from _incoming as i join _changes as c using (_rid)
        where c.change in ('new', 'changed')
        """,
        {"id": import_id},
    )


def drop_work_tables(con) -> None:
    for table in ("_raw", "_typed", "_incoming", "_repeats", "_changes", "_errors"):
        drop_temp(con, table)


def drop_temp(con, name: str) -> None:
    """Drop the temp table or view `name`, if there is one."""
    found = con.execute(
        "select 'table' from duckdb_tables() where temporary and table_name = $name"
        " union all select 'view' from duckdb_views() where temporary and view_name = $name",
        {"name": name},
    ).fetchall()
    for (kind,) in found:
        con.execute(f"drop {kind} {name}")
