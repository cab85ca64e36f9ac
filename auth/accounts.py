"""Accounts and roles: who may sign in, what each role may do, and which units each account sees."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from auth import audit, rights
from auth import db as auth_db

WHOLE_BUREAU = "*"
MIN_PASSWORD = 8
FIRST_ADMIN = "python -m auth add admin --role admin --name 管理员"
_USERNAME = re.compile(r"[a-z0-9][a-z0-9_.@-]{1,63}")
# argon2id with the library's defaults (RFC 9106 low-memory profile: 64 MiB, 3 passes; about
# 0.4 s a check on 2 cores, which is the point). Tests swap in a cheap one.
hasher = PasswordHasher()


@dataclass(frozen=True)
class Role:
    """A role: its Chinese name and whether its accounts belong to a unit. What it may do is the
    table of rights (auth/rights.py), asked through can()."""

    name: str
    label: str
    needs_unit: bool  # must have a unit: sees and loads only that unit's tree

    def can(self, right: str) -> bool:
        return rights.allows(self.name, right)

    @property
    def sees_personal_data(self) -> bool:
        return self.can("personal_data")


ROLES = {
    "leader": Role("leader", "领导", False),
    "analyst": Role("analyst", "分析员", False),
    "staff": Role("staff", "内勤", True),
    "admin": Role("admin", "管理员", False),
}

# One account per role for the demo warehouse; the passwords are in the README, so a real
# deployment disables these (python -m auth disable leader ...) before anyone else signs in.
DEMO_STAFF_UNIT = "滨江分局"
DEMO_ACCOUNTS = (
    ("leader", "demo-leader", "leader", None, "演示领导"),
    ("analyst", "demo-analyst", "analyst", None, "演示分析员"),
    ("staff", "demo-staff", "staff", DEMO_STAFF_UNIT, "演示内勤"),
    ("admin", "demo-admin", "admin", None, "演示管理员"),
)


class AccountError(ValueError):
    """A refused account change or sign-in; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class Account:
    """One account as stored (without its password hash)."""

    username: str
    display_name: str
    role: str
    unit_id: str | None
    disabled: bool
    created_at: str
    changed_at: str

    @property
    def rights(self) -> Role:
        return ROLES[self.role]

    @property
    def scope(self) -> str:
        """The $scope every named query takes: '*' or the root unit of what this account sees."""
        return self.unit_id or WHOLE_BUREAU

    def can(self, right: str) -> bool:
        """May this account do `right` (a name of auth/rights.py RIGHTS)?"""
        return not self.disabled and self.rights.can(right)


def normalise_username(username: str) -> str:
    return (username or "").strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            f"用户名 {username!r} 不可用：请用 2–64 个英文字母、数字或 _ . @ -，以字母或数字开头。"
        )
    return name


def check_password(password: str, username: str = "") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 位。")
    if normalise_username(password) == normalise_username(username):
        raise AccountError("密码不能与用户名相同。")


def check_role(role: str, unit_id: str | None) -> None:
    if role not in ROLES:
        known = "、".join(f"{r.name}（{r.label}）" for r in ROLES.values())
        raise AccountError(f"没有角色 {role!r}。可用角色：{known}。")
    if ROLES[role].needs_unit and unit_id in (None, "", WHOLE_BUREAU):
        raise AccountError(f"{ROLES[role].label}账号必须指定所属单位（--unit 单位编码或名称）。")
    if role == "admin" and unit_id not in (None, "", WHOLE_BUREAU):
        raise AccountError("管理员账号管理全局，不能指定单位。")


def resolve_unit(text: str, warehouse: Path | str | None = None) -> tuple[str, str] | None:
    """(unit_id, name) of the unit a code, full name, short name or alias names; None when there
    is no warehouse to check against; AccountError when the warehouse does not know it."""
    from queries import db as warehouse_db

    path = Path(warehouse) if warehouse else warehouse_db.db_path()
    if not path.exists():
        return None
    with warehouse_db.read(path) as con:
        row = con.execute(
            """
            select u.unit_id, u.name
            from units as u
            left join unit_aliases as a on a.unit_id = u.unit_id
            where u.unit_id = $t or u.name = $t or u.short_name = $t or a.alias = $t
            order by (u.unit_id = $t) desc, (u.name = $t) desc, u.unit_id
            limit 1
            """,
            {"t": text.strip()},
        ).fetchone()
    if row is None:
        raise AccountError(f"数据库中没有单位 {text!r}：请填写单位编码、全称或简称。")
    return row[0], row[1]


def _account(row: sqlite3.Row) -> Account:
    return Account(
        row["username"],
        row["display_name"],
        row["role"],
        row["unit_id"],
        bool(row["disabled"]),
        row["created_at"],
        row["changed_at"],
    )


_FIELDS = "username, display_name, role, unit_id, disabled, created_at, changed_at"


def get(username: str, *, db: Path | str | None = None) -> Account | None:
    with auth_db.connect(db, write=False) as con:
        row = con.execute(
            f"select {_FIELDS} from accounts where username = ?", (normalise_username(username),)
        ).fetchone()
    return _account(row) if row else None


def listing(*, db: Path | str | None = None) -> list[Account]:
    """Every account, by username."""
    with auth_db.connect(db, write=False) as con:
        rows = con.execute(f"select {_FIELDS} from accounts order by username").fetchall()
    return [_account(r) for r in rows]


def count(*, db: Path | str | None = None) -> int:
    with auth_db.connect(db, write=False) as con:
        return con.execute("select count(*) from accounts").fetchone()[0]


def add(
    username: str,
    password: str,
    role: str,
    *,
    unit_id: str | None = None,
    display_name: str | None = None,
    actor: str | None = None,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> Account:
    """Create an account (unit_id already resolved: see resolve_unit); audited as actor."""
    name = check_username(username)
    check_role(role, unit_id)
    check_password(password, name)
    unit = None if unit_id in (None, "", WHOLE_BUREAU) else unit_id
    stamp = auth_db.now_text(now)
    with auth_db.connect(db) as con:
        try:
            con.execute(
                "insert into accounts (username, display_name, role, unit_id, disabled,"
                " password_hash, created_at, changed_at) values (?, ?, ?, ?, 0, ?, ?, ?)",
                (name, display_name or name, role, unit, hasher.hash(password), stamp, stamp),
            )
        except sqlite3.IntegrityError:
            raise AccountError(f"账号 {name} 已存在。") from None
        detail = f"{name}：{ROLES[role].label}" + (f"，单位 {unit}" if unit else "")
        audit.record_in(con, "account_add", username=actor, detail=detail, client=client, now=now)
    return Account(name, display_name or name, role, unit, False, stamp, stamp)


def _change(con: sqlite3.Connection, username: str, sql: str, args: tuple, stamp: str) -> str:
    name = normalise_username(username)
    changed = con.execute(sql, (*args, stamp, name)).rowcount
    if not changed:
        raise AccountError(f"没有账号 {name}。")
    # A new password or a disabled account ends every session it had.
    con.execute("delete from sessions where username = ?", (name,))
    return name


def set_password(
    username: str,
    password: str,
    *,
    actor: str | None = None,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> None:
    """Replace the password and end the account's sessions; audited as actor."""
    check_password(password, username)
    digest = hasher.hash(password)
    with auth_db.connect(db) as con:
        name = _change(
            con,
            username,
            "update accounts set password_hash = ?, changed_at = ? where username = ?",
            (digest,),
            auth_db.now_text(now),
        )
        audit.record_in(
            con, "account_password", username=actor, detail=name, client=client, now=now
        )


def _keep_an_admin(con: sqlite3.Connection, username: str) -> None:
    """Refuse a change that would leave no enabled admin to manage accounts (the page cannot
    make one; only the server console could)."""
    others = con.execute(
        "select count(*) from accounts where role = 'admin' and disabled = 0 and username <> ?",
        (normalise_username(username),),
    ).fetchone()[0]
    if not others:
        raise AccountError("这是最后一个可用的管理员账号：请先让另一个账号成为管理员。")


def set_role(
    username: str,
    role: str,
    unit_id: str | None = None,
    *,
    actor: str | None = None,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> Account:
    """Give an account another role or unit (unit_id already resolved), in force on its next page
    run; audited as actor with what it was before."""
    check_role(role, unit_id)
    unit = None if unit_id in (None, "", WHOLE_BUREAU) else unit_id
    name = normalise_username(username)
    with auth_db.connect(db) as con:
        row = con.execute(f"select {_FIELDS} from accounts where username = ?", (name,)).fetchone()
        if row is None:
            raise AccountError(f"没有账号 {name}。")
        before = _account(row)
        if before.role == "admin" and role != "admin" and not before.disabled:
            _keep_an_admin(con, name)
        stamp = auth_db.now_text(now)
        con.execute(
            "update accounts set role = ?, unit_id = ?, changed_at = ? where username = ?",
            (role, unit, stamp, name),
        )
        detail = f"{name}：{_role_text(before.role, before.unit_id)} → {_role_text(role, unit)}"
        audit.record_in(con, "account_role", username=actor, detail=detail, client=client, now=now)
    return Account(name, before.display_name, role, unit, before.disabled, before.created_at, stamp)


def _role_text(role: str, unit_id: str | None) -> str:
    return ROLES[role].label + (f"，单位 {unit_id}" if unit_id else "")


def set_disabled(
    username: str,
    disabled: bool = True,
    *,
    actor: str | None = None,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> None:
    """Disable (ending its sessions) or re-enable an account; audited as actor. The last enabled
    admin is not disabled."""
    with auth_db.connect(db) as con:
        if (
            disabled
            and con.execute(
                "select 1 from accounts where username = ? and role = 'admin' and disabled = 0",
                (normalise_username(username),),
            ).fetchone()
        ):
            _keep_an_admin(con, username)
        name = _change(
            con,
            username,
            "update accounts set disabled = ?, changed_at = ? where username = ?",
            (int(disabled),),
            auth_db.now_text(now),
        )
        action = "account_disable" if disabled else "account_enable"
        audit.record_in(con, action, username=actor, detail=name, client=client, now=now)


_dummy_hash: list[str] = []


def verify(username: str, password: str, *, db: Path | str | None = None) -> Account | None:
    """The account when the password is right (disabled ones too: the caller says why it refuses),
    else None. An unknown name costs as long as a wrong password, so timing tells no names."""
    name = normalise_username(username)
    with auth_db.connect(db, write=False) as con:
        row = con.execute(
            f"select {_FIELDS}, password_hash from accounts where username = ?", (name,)
        ).fetchone()
    if row is None:
        if not _dummy_hash:
            _dummy_hash.append(hasher.hash("not a password of anyone"))
        try:
            hasher.verify(_dummy_hash[0], password or "")
        except VerificationError:
            pass
        return None
    try:
        hasher.verify(row["password_hash"], password or "")
    except (VerificationError, InvalidHashError):
        return None
    if hasher.check_needs_rehash(row["password_hash"]):
        with auth_db.connect(db) as con:
            con.execute(
                "update accounts set password_hash = ? where username = ?",
                (hasher.hash(password), name),
            )
    return _account(row)


def create_demo_accounts(db_path: Path | str) -> list[str]:
    """The demo accounts (DEMO_ACCOUNTS) beside the demo warehouse at db_path; accounts that
    already exist are left as they are. Returns the usernames created."""
    store = auth_db.path(db_path)
    created = []
    for username, password, role, unit, display_name in DEMO_ACCOUNTS:
        if get(username, db=store):
            continue
        unit_id = None
        if unit:
            found = resolve_unit(unit, db_path)
            if found is None:
                raise AccountError(f"数据库 {db_path} 不存在：先生成演示数据，再建演示账号。")
            unit_id = found[0]
        add(
            username,
            password,
            role,
            unit_id=unit_id,
            display_name=display_name,
            actor="demo",
            db=store,
        )
        created.append(username)
    return created
