"""Write checked rows: one row per key (`dedupe`), new/changed/same (`classify`), then `apply`.

Rows are keyed on the record's own key (Kind.key); a changed row's previous version goes to
import_row_history so an undo can put it back.
"""

from __future__ import annotations

from etl.sources import Kind


def key_sql(spec: Kind, left: str, right: str) -> str:
    return " and ".join(f"{left}.{k} = {right}.{k}" for k in spec.key)


def dedupe(con, spec: Kind) -> None:
    """_incoming: valid rows, one per key (the file's last row for a key wins, the others are reported)."""
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
            || ' 行是同一条记录（编号相同），已按第 ' || d.kept_row || ' 行导入'
        from _incoming as i join _repeats as d using ({keys})
        where i._rid <> d.kept_rid
        """
    )
    con.execute(
        f"""
        delete from _incoming as i using _repeats as d
        where {key_sql(spec, 'i', 'd')} and i._rid <> d.kept_rid
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
    differs = " or ".join(f"i.{c} is distinct from t.{c}" for c in cols if c not in spec.key)
    con.execute(
        f"""
        create or replace temp table _changes as
        select i._rid,
            case when t.{spec.key[0]} is null then 'new'
                 when {differs or 'false'} then 'changed'
                 else 'same' end as change
        from _incoming as i
        left join {table} as t on {key_sql(spec, 'i', 't')}
        """
    )
    return dict(con.execute("select change, count(*) from _changes group by change").fetchall())


def all_new(con) -> bool:
    """Whether every incoming row is a new key (a first load): then nothing is replaced."""
    return not con.execute("select count(*) from _changes where change <> 'new'").fetchone()[0]


def apply(con, spec: Kind, import_id: int) -> None:
    """Insert new keys, replace changed rows (keeping their previous version), skip unchanged ones."""
    table, cols = spec.table, spec.column_names
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
            on {key_sql(spec, 't', 'i')}
        """,
        {"id": import_id},
    )
    con.execute(f"delete from {table} as t using {changed} as i where {key_sql(spec, 't', 'i')}")
    con.execute(
        f"""
        insert into {table} ({', '.join(cols)}, import_id)
        select {', '.join('i.' + c for c in cols)}, $id
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
