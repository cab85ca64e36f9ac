"""Named views an account keeps: a page and its sidebar filters, saved under a name, optionally
shared with every account of the bureau. Kept in the configuration store (etl/config_store.py,
table saved_views): a save is one small write, never a copy of the warehouse.

This module validates everything it stores: a name (not empty, at most NAME_MAX characters,
unique per owner), a page that is a url path, and a query of known filter keys only, each a short
list of short strings. Units are stored by id, so a link can be rebuilt for whoever opens it and
a unit outside their tree left out (pages/ui/saved_views.py). Only the owner renames or deletes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

from etl import config_store

NAME_MAX = 40
# The URL keys a view may carry: the sidebar's filters (pages/ui/filters.py) and the unit the
# profile page shows (pages/ui/unit_links.py). A test checks them against those modules.
KNOWN_KEYS = (
    "flt_period",
    "flt_dates",
    "flt_units",
    "flt_channels",
    "flt_police_types",
    "flt_categories",
    "unit",
)
VALUES_MAX = 200
VALUE_CHARS_MAX = 200
_PAGE = re.compile(r"[a-z][a-z0-9_]{0,39}")


class ViewError(ValueError):
    """A view that cannot be saved, renamed or deleted; the message is one Chinese line."""


@dataclass(frozen=True)
class SavedView:
    view_id: int
    owner: str
    name: str
    page: str
    query: dict[str, list[str]]
    shared: bool
    updated_at: dt.datetime


def check_name(name: str) -> str:
    """The name as stored (stripped), or ViewError."""
    name = " ".join((name or "").split())
    if not name:
        raise ViewError("请填写视图名称。")
    if len(name) > NAME_MAX:
        raise ViewError(f"视图名称不能超过 {NAME_MAX} 个字。")
    return name


def check_query(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """The query as stored (empty lists left out, keys in KNOWN_KEYS order), or ViewError."""
    unknown = sorted(set(query) - set(KNOWN_KEYS))
    if unknown:
        raise ViewError(f"视图只能保存筛选条件，不能保存 {', '.join(unknown)}。")
    out: dict[str, list[str]] = {}
    for key in KNOWN_KEYS:
        values = list(query.get(key) or ())
        if len(values) > VALUES_MAX or not all(
            isinstance(v, str) and 0 < len(v) <= VALUE_CHARS_MAX for v in values
        ):
            raise ViewError(f"筛选条件 {key} 的取值不合规，未保存。")
        if values:
            out[key] = values
    return out


def save(
    owner: str,
    name: str,
    page: str,
    query: dict[str, list[str]],
    *,
    shared: bool = False,
    warehouse: Path | None = None,
) -> int:
    """Save the view `name` of `owner` (replacing their view of that name); return its id."""
    if not owner:
        raise ViewError("请先登录再保存视图。")
    name = check_name(name)
    if not _PAGE.fullmatch(page or ""):
        raise ViewError("这个页面不能保存为视图。")
    text = json.dumps(check_query(query), ensure_ascii=False)
    now = dt.datetime.now().replace(microsecond=0)
    with config_store.write(warehouse) as con:
        found = con.execute(
            "select view_id from saved_views where owner = ? and name = ?", [owner, name]
        ).fetchone()
        if found:
            con.execute(
                "update saved_views set page = ?, query = ?, shared = ?, updated_at = ?"
                " where view_id = ?",
                [page, text, shared, now, found[0]],
            )
            return found[0]
        number = con.execute("select coalesce(max(view_id), 0) + 1 from saved_views").fetchone()[0]
        con.execute(
            "insert into saved_views values (?, ?, ?, ?, ?, ?, ?, ?)",
            [number, owner, name, page, text, shared, now, now],
        )
    return number


def visible(user: str, warehouse: Path | None = None) -> list[SavedView]:
    """The views `user` may open: their own, then the others' shared ones, each by name."""
    with config_store.read(warehouse) as con:
        if con is None or not _has_table(con):
            return []
        rows = con.execute(
            "select view_id, owner, name, page, query, shared, updated_at from saved_views"
            " where owner = $user or shared"
            " order by owner <> $user, name, owner, view_id",
            {"user": user},
        ).fetchall()
    return [
        SavedView(view_id, owner, name, page, json.loads(query), shared, at)
        for view_id, owner, name, page, query, shared, at in rows
    ]


def rename(view_id: int, owner: str, name: str, warehouse: Path | None = None) -> None:
    """Give `owner`'s view a new name (unique among their views)."""
    name = check_name(name)
    with config_store.write(warehouse) as con:
        _own(con, view_id, owner)
        taken = con.execute(
            "select count(*) from saved_views where owner = ? and name = ? and view_id <> ?",
            [owner, name, view_id],
        ).fetchone()[0]
        if taken:
            raise ViewError(f"已有名为「{name}」的视图，请换一个名称。")
        con.execute(
            "update saved_views set name = ?, updated_at = ? where view_id = ?",
            [name, dt.datetime.now().replace(microsecond=0), view_id],
        )


def delete(view_id: int, owner: str, warehouse: Path | None = None) -> None:
    """Delete `owner`'s view."""
    with config_store.write(warehouse) as con:
        _own(con, view_id, owner)
        con.execute("delete from saved_views where view_id = ?", [view_id])


def _own(con, view_id: int, owner: str) -> None:
    found = con.execute(
        "select count(*) from saved_views where view_id = ? and owner = ?", [view_id, owner]
    ).fetchone()[0]
    if not found:
        raise ViewError("只能修改或删除自己保存的视图。")


def _has_table(con) -> bool:
    # A store written before this migration has no table until the next write or `etl migrate`.
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = 'saved_views'"
        ).fetchone()[0]
    )
