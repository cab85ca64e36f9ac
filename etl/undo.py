"""Undo an import: remove the rows it inserted and return the rows it updated to their previous values."""

from __future__ import annotations

from pathlib import Path

from etl import derived, store
from etl.derived import refresh_unit_closure
from etl.errors import FileRefused
from etl.sources import KINDS
from etl.tokens import record_id_sql, retokenise
from intel import classify_store, repeats


def undo_import(
    db_path: Path, import_id: int, *, user: str | None = None, own_only: bool = False
) -> dict[str, int]:
    """Undo one import in one transaction; refuse when a later import changed the same rows, and
    with `own_only` (a clerk) when `user` did not load it.

    Returns {"removed": new rows deleted, "restored": updated rows put back to their previous
    version}: the import's own rows_inserted and rows_updated when nothing else changed them.
    """
    with store.write(db_path) as con:
        found = con.execute(
            "select kind, status, file_name, uploaded_by from imports where import_id = $id",
            {"id": import_id},
        ).fetchone()
        if found is None or (own_only and found[3] != user):
            # A clerk learns nothing of other people's imports, not even that the number exists.
            raise FileRefused(f"没有编号为 {import_id} 的导入。")
        kind, status, file_name, _ = found
        if status != "已导入":
            raise FileRefused(f"导入 {import_id}（{file_name}）已撤销，无需再次撤销。")
        spec = KINDS[kind]
        table = spec.table
        # A row this import wrote that a later import replaced: undoing now would lose that later
        # change, so the later import must be undone first.
        later = con.execute(
            f"""
            select h.import_id, count(*) from import_row_history as h
            where h.table_name = '{table}' and h.import_id > $id
                and json_extract(h.previous, '$.import_id')::bigint = $id
            group by h.import_id order by h.import_id
            """,
            {"id": import_id},
        ).fetchall()
        if later:
            blockers = "、".join(f"#{i}（{n} 行）" for i, n in later)
            raise FileRefused(
                f"不能撤销导入 #{import_id}：之后的导入 {blockers} 修改了它写入的记录，"
                "请先撤销这些导入。"
            )
        derived.mark_touched(con, [import_id])  # before its rows are deleted or restored
        if kind == "complaints":
            con.execute(
                "create or replace temp table _undone_cases as"
                " select source_system, case_id from complaints where import_id = $id",
                {"id": import_id},
            )
        if spec.text_columns:
            # A record's words: its source's, under its key (two sources may share an id).
            con.execute(
                f"""
                delete from text_tokens as t using {table} as r
                where r.import_id = $id and t.source = '{spec.token_source}'
                    and t.source_system = r.source_system
                    and t.record_id = {record_id_sql(spec, "r")}
                """,
                {"id": import_id},
            )
        deleted = con.execute(
            f"delete from {table} where import_id = $id", {"id": import_id}
        ).fetchone()[0]
        columns = con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_name = $t and table_schema = 'main' order by ordinal_position",
            {"t": table},
        ).fetchall()
        structure = "{" + ", ".join(f'"{name}": "{dtype}"' for name, dtype in columns) + "}"
        con.execute(
            f"""
            create or replace temp table _restored as
            select unnest(json_transform(previous, $structure))
            from import_row_history where import_id = $id and table_name = '{table}'
            """,
            {"id": import_id, "structure": structure},
        )
        restored = con.execute(f"insert into {table} by name select * from _restored").fetchone()[0]
        if spec.text_columns and restored:
            retokenise(con, spec, "select * from _restored")
        con.execute("drop table _restored")
        con.execute("delete from import_row_history where import_id = $id", {"id": import_id})
        con.execute("update imports set status = '已撤销' where import_id = $id", {"id": import_id})
        if kind == "units":
            refresh_unit_closure(con)
        if kind == "complaints":
            repeats.relink(con, "select source_system, case_id from _undone_cases")
        classify_store.after_undo(con, db_path, import_id)
        derived.refresh(con, [])
    # The rows an update wrote were deleted too, then put back: only the rest were new.
    return {"removed": deleted - restored, "restored": restored}
