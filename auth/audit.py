"""The audit trail: who did what, when and from where. Rows are only ever added, never changed."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from auth import db as auth_db

# action code -> what the audit browser shows.
ACTIONS = {
    "signin": "登录",
    "signin_failed": "登录失败",
    "signin_locked": "登录被暂停（失败次数过多）",
    "signin_disabled": "已停用账号尝试登录",
    "signin_sso_refused": "统一身份认证账号未开通或已停用",
    "signout": "退出登录",
    "session_expired": "登录过期",
    "page_denied": "打开无权访问的页面",
    "scope_violation": "链接中的单位超出本人范围",
    "upload": "导入数据",
    "upload_refused": "导入被拒绝",
    "undo": "撤销导入",
    "label": "人工标注（待复核）",
    "routing_rules": "保存分派规则",
    "export": "导出数据",
    "briefing": "下载周报",
    "alert_rules": "修改预警规则",
    "account_add": "新建账号",
    "account_password": "重设密码",
    "account_disable": "停用账号",
    "account_enable": "启用账号",
    "account_role": "修改角色或单位",
    "account_unlock": "解除登录锁定",
    "settings": "修改设置",
    "case_group": "拆分或合并重复诉求组",
    "alias_propose": "申请单位别名",
    "alias_confirm": "确认单位别名",
    "alias_decline": "不采纳单位别名",
    "round_confirm": "确认问卷轮次",
}
COLUMNS = ("at", "username", "action", "detail", "client")


def record_in(
    con: sqlite3.Connection,
    action: str,
    *,
    username: str | None = None,
    detail: str = "",
    client: str | None = None,
    now: datetime | None = None,
) -> None:
    """Add one row inside the caller's transaction: the change and its record commit together."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    con.execute(
        "insert into audit (at, username, action, detail, client) values (?, ?, ?, ?, ?)",
        (auth_db.now_text(now), username, action, detail, client),
    )


def record(
    action: str,
    *,
    username: str | None = None,
    detail: str = "",
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> None:
    """Add one row to the audit trail. Never pass a password or a session token in detail."""
    with auth_db.connect(db) as con:
        record_in(con, action, username=username, detail=detail, client=client, now=now)


def entries(
    *,
    start: date | None = None,
    end: date | None = None,
    username: str = "",
    actions: tuple[str, ...] | list[str] = (),
    text: str = "",
    limit: int = 1000,
    db: Path | str | None = None,
) -> pd.DataFrame:
    """The newest `limit` rows matching the filters (dates inclusive; text searches detail and
    client), newest first, columns COLUMNS."""
    clauses, args = ["1 = 1"], []
    if start:
        clauses.append("at >= ?")
        args.append(start.isoformat())
    if end:
        clauses.append("at < ?")
        args.append((end + timedelta(days=1)).isoformat())
    if username:
        clauses.append("username = ?")
        args.append(username.strip().lower())
    if actions:
        clauses.append(f"action in ({', '.join('?' * len(actions))})")
        args.extend(actions)
    if text:
        clauses.append("(instr(detail, ?) > 0 or instr(coalesce(client, ''), ?) > 0)")
        args.extend([text, text])
    # Only placeholders and fixed clauses are joined here: values are always bound.
    sql = (
        f"select {', '.join(COLUMNS)} from audit where {' and '.join(clauses)} "
        "order by id desc limit ?"
    )
    with auth_db.connect(db, write=False) as con:
        rows = con.execute(sql, [*args, limit]).fetchall()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(COLUMNS))
