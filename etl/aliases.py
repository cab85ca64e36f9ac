"""Unit aliases a clerk proposes and an admin confirms (issue 10 point 4).

A clerk who sees 「滨江分局柳湾所」 rejected as "not a known unit" may propose it as a name of a unit
of their own tree (`propose_alias`); the proposal waits in the configuration store (table
unit_alias_proposals, etl/config_store.py: a small write, never a copy of the warehouse). An admin
confirms it (`confirm_aliases`): it is then loaded into the warehouse's unit_aliases by the loader,
in a child process as every page's load, and the next import resolves it. Or turns it down
(`decline_alias`). The pages that call these audit each step (the loader does not import auth).
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from etl import config_store
from etl.errors import FileRefused

PENDING, CONFIRMED, DECLINED = "待确认", "已确认", "未采纳"
ALIAS_MAX = 60


class AliasError(ValueError):
    """A proposal that cannot be made or decided; the message is one Chinese line."""


def propose_alias(
    db_path: Path,
    alias: str,
    unit_id: str,
    *,
    user: str | None,
    scope_unit_id: str | None = None,
) -> None:
    """Propose `alias` as a name of `unit_id`. A staff account (`scope_unit_id`) may propose
    names only for units of its own tree."""
    alias = " ".join((alias or "").split())
    if not alias:
        raise AliasError("请填写要作为别名的单位名称。")
    if len(alias) > ALIAS_MAX:
        raise AliasError(f"别名不能超过 {ALIAS_MAX} 个字。")
    from queries import db

    with db.read(Path(db_path)) as con:
        unit = con.execute(
            "select name from units where unit_id = $unit", {"unit": unit_id}
        ).fetchone()
        if unit is None:
            raise AliasError(f"单位 {unit_id} 不在单位表中。")
        if (
            scope_unit_id
            and not con.execute(
                "select 1 from unit_closure where ancestor_id = $scope and unit_id = $unit",
                {"scope": scope_unit_id, "unit": unit_id},
            ).fetchone()
        ):
            raise AliasError(
                f"「{unit[0]}」不在本账号的单位范围内，只能为本单位及下级单位提出别名。"
            )
        if con.execute(
            "select 1 from unit_aliases where alias = $alias", {"alias": alias}
        ).fetchone():
            raise AliasError(f"「{alias}」已是单位别名。")
    with config_store.write(db_path) as con:
        decided = con.execute(
            "select status from unit_alias_proposals where alias = ?", [alias]
        ).fetchone()
        if decided and decided[0] == PENDING:
            raise AliasError(f"「{alias}」已有待确认的别名申请。")
        con.execute("delete from unit_alias_proposals where alias = ?", [alias])
        con.execute(
            "insert into unit_alias_proposals values (?, ?, ?, ?, ?, null, null)",
            [alias, unit_id, user, _now(), PENDING],
        )


def proposed(db_path: Path, status: str | None = PENDING) -> list[dict[str, Any]]:
    """Proposals (those of `status`, all when None), oldest first."""
    with config_store.read(db_path) as con:
        if con is None or not config_store.has_table(con, "unit_alias_proposals"):
            return []  # nothing proposed yet (or a store the next `etl migrate` brings up to date)
        found = con.execute(
            "select alias, unit_id, proposed_by, proposed_at, status, decided_by, decided_at"
            " from unit_alias_proposals where $status is null or status = $status"
            " order by proposed_at, alias",
            {"status": status},
        ).fetchall()
    names = ("alias", "unit_id", "proposed_by", "proposed_at", "status", "decided_by", "decided_at")
    return [dict(zip(names, row)) for row in found]


def confirm_aliases(db_path: Path, aliases: list[str], *, user: str | None, load=None) -> int:
    """Load the pending proposals `aliases` into unit_aliases (through the loader; `load` is
    etl.worker.load_files by default: a child process) and mark them confirmed. Returns how many
    were loaded; raises FileRefused as the loader does, changing nothing."""
    if load is None:
        from etl import worker

        def load(*args, **kwargs):  # the child's answer wraps each result with its fix-up file
            return [loaded.result for loaded in worker.load_files(*args, **kwargs)]

    chosen = [p for p in proposed(db_path) if p["alias"] in set(aliases)]
    if not chosen:
        raise AliasError("没有选择待确认的别名。")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "单位别名.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["别名", "单位编码"])
            writer.writerows([p["alias"], p["unit_id"]] for p in chosen)
        [result] = load(Path(db_path), [path], "unit_aliases", user=user)
    if result.rows_rejected:
        raise FileRefused("；".join(e["error"] for e in result.errors))
    _decide(db_path, [p["alias"] for p in chosen], CONFIRMED, user)
    return result.rows_inserted + result.rows_updated + result.rows_unchanged


def decline_alias(db_path: Path, alias: str, *, user: str | None) -> None:
    """Turn a pending proposal down; it can be proposed again later."""
    _decide(db_path, [alias], DECLINED, user)


def _decide(db_path: Path, aliases: list[str], status: str, user: str | None) -> None:
    with config_store.write(db_path) as con:
        for alias in aliases:
            con.execute(
                "update unit_alias_proposals set status = ?, decided_by = ?, decided_at = ?"
                " where alias = ? and status = ?",
                [status, user, _now(), alias, PENDING],
            )


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)
