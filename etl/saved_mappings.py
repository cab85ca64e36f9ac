"""Import profiles people save in the browser: a named column mapping for a header fingerprint.

They live in the configuration store's table import_profiles (etl/config_store.py: one small
write, never a copy of the warehouse), beside the shipped ones in etl/profiles/*.json, and come
back in the same shape ({"kind", "mapping", "set", …}) so `inspect` treats both alike. `db_path`
is always the warehouse's path: the store beside it is the one used.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from etl import config_store
from etl.load import PROFILE_DIR
from etl.sources import KINDS

NAME_MAX = 40


class ProfileError(ValueError):
    """A profile that cannot be saved; the message is one Chinese line."""


def save(
    db_path: Path,
    name: str,
    kind: str,
    headers: list[str],
    mapping: dict[str, str | None],
    fixed: dict[str, str] | None = None,
    *,
    user: str | None = None,
) -> None:
    """Save (or replace) profile `name`: `mapping` is file header -> contract column or None."""
    name = (name or "").strip()
    if not name:
        raise ProfileError("请填写导入配置的名称。")
    if len(name) > NAME_MAX:
        raise ProfileError(f"导入配置名称不能超过 {NAME_MAX} 个字。")
    if (PROFILE_DIR / f"{name}.json").is_file():
        raise ProfileError(f"「{name}」是系统内置的导入配置名称，请换一个名称。")
    if kind not in KINDS:
        raise ProfileError(f"未知的数据类型 {kind!r}。")
    columns = set(KINDS[kind].column_names)
    unknown = sorted({c for c in mapping.values() if c} - columns | set(fixed or {}) - columns)
    if unknown:
        raise ProfileError(f"{', '.join(unknown)} 不是「{KINDS[kind].label}」的字段。")
    if not any(mapping.values()) and not fixed:
        raise ProfileError("列映射为空：请至少为一列选择对应字段。")
    missing = [h for h in mapping if h not in headers]
    if missing:
        raise ProfileError(f"映射中的列 {', '.join(missing)} 不在文件表头中。")
    with config_store.write(db_path) as con:
        con.execute("delete from import_profiles where name = $name", {"name": name})
        con.execute(
            "insert into import_profiles values ($name, $kind, $headers, $mapping, $fixed, $user,"
            " $at)",
            {
                "name": name,
                "kind": kind,
                "headers": json.dumps(list(headers), ensure_ascii=False),
                "mapping": json.dumps(mapping, ensure_ascii=False),
                "fixed": json.dumps(dict(fixed or {}), ensure_ascii=False),
                "user": user,
                "at": dt.datetime.now().replace(microsecond=0),
            },
        )


def list_profiles(db_path: Path | None = None) -> list[dict[str, Any]]:
    """Every saved profile, newest first: {"name", "kind", "headers", "mapping", "set", …}."""
    with config_store.read(db_path) as con:
        if con is None:
            return []
        rows = con.execute(
            "select name, kind, headers, mapping, fixed, created_by, created_at"
            " from import_profiles order by created_at desc, name"
        ).fetchall()
    return [
        {
            "name": name,
            "kind": kind,
            "headers": json.loads(headers),
            "mapping": json.loads(mapping),
            "set": json.loads(fixed or "{}"),
            "created_by": created_by,
            "created_at": created_at,
        }
        for name, kind, headers, mapping, fixed, created_by, created_at in rows
    ]


def get(db_path: Path | None, name: str) -> dict[str, Any] | None:
    """The saved profile called `name`, or None."""
    return next((p for p in list_profiles(db_path) if p["name"] == name), None)
