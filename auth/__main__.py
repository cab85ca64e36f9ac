"""`python -m auth add|passwd|disable|enable|list`: sign-in accounts from the server console."""

from __future__ import annotations

import argparse
import getpass
import sys
import unicodedata
from collections.abc import Sequence

from auth import accounts
from auth import db as auth_db


def _actor() -> str:
    try:
        return f"命令行:{getpass.getuser()}"
    except (KeyError, OSError):
        return "命令行"


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise accounts.AccountError("两次输入的密码不一致。")
    return first


def _add(args: argparse.Namespace) -> str:
    unit_id = None
    if args.unit:
        found = accounts.resolve_unit(args.unit, args.db)
        if found is None:
            print(f"注意：数据库不存在，无法核对单位，按编码 {args.unit} 保存。", file=sys.stderr)
            unit_id = args.unit
        else:
            unit_id = found[0]
            print(f"单位：{found[1]}（{found[0]}）")
    # Check everything but the password before asking for it.
    accounts.check_username(args.username)
    accounts.check_role(args.role, unit_id)
    account = accounts.add(
        args.username,
        _password(args),
        args.role,
        unit_id=unit_id,
        display_name=args.name,
        actor=_actor(),
        db=args.auth_db,
    )
    return f"已新建账号 {account.username}（{accounts.ROLES[account.role].label}）。"


def _passwd(args: argparse.Namespace) -> str:
    if accounts.get(args.username, db=args.auth_db) is None:
        raise accounts.AccountError(f"没有账号 {args.username}。")
    accounts.set_password(args.username, _password(args), actor=_actor(), db=args.auth_db)
    return f"已重设 {args.username} 的密码，其已登录的会话全部失效。"


def _disable(args: argparse.Namespace) -> str:
    accounts.set_disabled(args.username, True, actor=_actor(), db=args.auth_db)
    return f"已停用账号 {args.username}。"


def _enable(args: argparse.Namespace) -> str:
    accounts.set_disabled(args.username, False, actor=_actor(), db=args.auth_db)
    return f"已启用账号 {args.username}。"


def _pad(text: str, width: int) -> str:
    # A Chinese character takes two columns of a terminal.
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(1, width - used)


def _list(args: argparse.Namespace) -> str:
    rows = accounts.listing(db=args.auth_db)
    if not rows:
        return f"还没有账号。新建第一个管理员：{accounts.FIRST_ADMIN}"
    table = [("用户名", "角色", "单位", "状态", "姓名")]
    table += [
        (
            a.username,
            a.rights.label,
            a.unit_id or "全局",
            "停用" if a.disabled else "正常",
            a.display_name,
        )
        for a in rows
    ]
    return "\n".join(
        "".join(_pad(cell, width) for cell, width in zip(row, (20, 8, 16, 6))) + row[-1]
        for row in table
    )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m auth", description="管理民意分析看板的登录账号。")
    p.add_argument("--db", help="数据库文件（默认 $MINYI_DB 或 data/minyi.duckdb），用于核对单位")
    p.add_argument(
        "--auth-db", help="账号库（默认 $MINYI_AUTH_DB，或数据库同目录的 <名称>.auth.sqlite）"
    )
    sub = p.add_subparsers(dest="command", required=True)
    roles = ", ".join(f"{r.name}={r.label}" for r in accounts.ROLES.values())

    add = sub.add_parser("add", help="新建账号")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=list(accounts.ROLES), help=roles)
    add.add_argument(
        "--unit", help="所属单位的编码、全称或简称（内勤必填：只能看、只能导入本单位及下属单位）"
    )
    add.add_argument("--name", help="显示的姓名或称呼")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    add.set_defaults(run=_add)

    passwd = sub.add_parser("passwd", help="重设密码")
    passwd.add_argument("username")
    passwd.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码")
    passwd.set_defaults(run=_passwd)

    for name, run, text in (("disable", _disable, "停用账号"), ("enable", _enable, "重新启用账号")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("username")
        cmd.set_defaults(run=run)

    sub.add_parser("list", help="列出账号").set_defaults(run=_list)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.auth_db = args.auth_db or auth_db.path(args.db)
    try:
        print(args.run(args))
    except accounts.AccountError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
