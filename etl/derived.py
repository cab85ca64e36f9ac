"""Derived tables: facts computed once at load time so page queries read them instead of
re-aggregating the contract tables' rows on every run.

Each derived table is the materialisation of a view defined in etl/schema/006_page_facts.sql (the
one definition of its facts): complaint_case_facts of complaint_case_facts_source (one row per
case), call_record_days of call_record_days_source (call records counted per day); token_days and
bureau_token_days (words counted per day, 013b and 016w) likewise. `refresh`
brings the tables back to their views after a load or an undo, only for the cases and days the
change touched; tests/test_derived.py asserts table and view never differ.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

# Above this share of a table's keys, rebuilding it whole is cheaper than key by key.
_FULL_REBUILD_SHARE = 0.2

# derived table -> (its view, its key column, the temp table of touched keys, storage order)
_TABLES = {
    "complaint_case_facts": (
        "complaint_case_facts_source",
        "case_id",
        "_touched_cases",
        "received_at, case_id",
    ),
    "call_record_days": (
        "call_record_days_source",
        "day",
        "_touched_days",
        "day, unit_id, channel, police_type, callback_result",
    ),
    "token_days": ("token_days_source", "day", "_touched_word_days", "day, token"),
    # after token_days, which its view sums
    "bureau_token_days": ("bureau_token_days_source", "day", "_touched_word_days", "day, token"),
}


def mark_touched(con: duckdb.DuckDBPyConnection, import_ids: Iterable[int]) -> None:
    """Remember the keys of the derived tables the rows of `import_ids` feed, for `refresh`.

    Call it after a load, or before an undo deletes the import's rows. Either way the import's
    rows and the previous versions it replaced (import_row_history) name every case and day it
    changed. Keys accumulate in temp tables until `refresh` uses them.
    """
    ids = sorted({int(i) for i in import_ids})
    con.execute("create temp table if not exists _touched_cases (case_id varchar)")
    con.execute("create temp table if not exists _touched_days (day date)")
    # complaint_events are keyed (case_id, event_at, stage) and complaints by case_id: a row an
    # import wrote or replaced always belongs to the same case as the row before it.
    con.execute(
        """
        insert into _touched_cases
        select case_id from complaints where list_contains($ids, import_id)
        union
        select case_id from complaint_events where list_contains($ids, import_id)
        """,
        {"ids": ids},
    )
    # A newer export may move a call record to another day: the day it left changes too.
    con.execute(
        """
        insert into _touched_days
        select received_at::date from call_records where list_contains($ids, import_id)
        union
        select (previous ->> 'received_at')::timestamp::date from import_row_history
        where list_contains($ids, import_id) and table_name = 'call_records'
        """,
        {"ids": ids},
    )
    # Words are filed under their record's day: the days of every text an import wrote or replaced.
    con.execute("create temp table if not exists _touched_word_days (day date)")
    con.execute(
        """
        insert into _touched_word_days
        select day from _touched_days
        union select received_at::date from complaints where list_contains($ids, import_id)
        union select submitted_at::date from survey_responses where list_contains($ids, import_id)
        union
        select coalesce(previous ->> 'received_at', previous ->> 'submitted_at')::timestamp::date
        from import_row_history
        where list_contains($ids, import_id) and table_name in ('complaints', 'survey_responses')
        """,
        {"ids": ids},
    )


def refresh(con: duckdb.DuckDBPyConnection, import_ids: Iterable[int] | None = None) -> None:
    """Bring every derived table back to its definition: whole (`import_ids` None), or only for
    the keys the given imports wrote plus any marked earlier with `mark_touched`."""
    if import_ids is not None:
        mark_touched(con, import_ids)
    for table, (view, key, touched, order) in _TABLES.items():
        if import_ids is None:
            _rebuild(con, table, view, order)
            continue
        keys = con.execute(f"select count(distinct {key}) from {touched}").fetchone()[0]
        total = con.execute(f"select count(distinct {key}) from {table}").fetchone()[0]
        if keys > _FULL_REBUILD_SHARE * total:
            _rebuild(con, table, view, order)
        elif keys:
            con.execute(f"delete from {table} where {key} in (select {key} from {touched})")
            con.execute(
                f"insert into {table} select * from {view}"
                f" where {key} in (select {key} from {touched}) order by {order}"
            )
    con.execute("drop table if exists _touched_cases")
    con.execute("drop table if exists _touched_days")
    con.execute("drop table if exists _touched_word_days")


def _rebuild(con: duckdb.DuckDBPyConnection, table: str, view: str, order: str) -> None:
    con.execute(f"delete from {table}")
    con.execute(f"insert into {table} select * from {view} order by {order}")


def refresh_unit_closure(con) -> None:
    """Rebuild unit_closure (every unit with itself and each ancestor) from units."""
    con.execute("delete from unit_closure")
    con.execute(
        """
        insert into unit_closure
        with recursive chain(ancestor_id, unit_id, depth) as (
            select unit_id, unit_id, 0 from units
            union all
            select p.parent_id, c.unit_id, c.depth + 1
            from chain as c join units as p on p.unit_id = c.ancestor_id
            where p.parent_id is not null and c.depth < 20
        )
        select distinct ancestor_id, unit_id, depth from chain
        """
    )
