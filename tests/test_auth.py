"""Accounts, sessions, lockout and the audit trail on a private auth database per test."""

from __future__ import annotations

import contextlib
import hashlib
import io
import sqlite3
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from auth import __main__ as cli
from auth import accounts, audit, client, sessions
from auth import db as auth_db

T0 = datetime(2025, 3, 3, 9, 0, 0)
PASSWORD = "correct-horse"


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    """A fresh auth database, and argon2 at its cheapest so a test can fail many sign-ins."""
    path = tmp_path / "auth.sqlite"
    monkeypatch.setenv("MINYI_AUTH_DB", str(path))
    monkeypatch.setattr(
        accounts, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return path


def actions(store: Path) -> list[tuple[str | None, str, str]]:
    """(username, action, detail) of the audit trail, oldest first."""
    rows = audit.entries(db=store)
    users = [u if isinstance(u, str) else None for u in rows["username"]]
    return list(zip(users, rows["action"], rows["detail"]))[::-1]


def test_auth_database_sits_beside_the_warehouse_unless_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("MINYI_AUTH_DB", raising=False)
    monkeypatch.setenv("MINYI_DB", str(tmp_path / "w" / "minyi.duckdb"))
    assert auth_db.path() == tmp_path / "w" / "minyi.auth.sqlite"
    assert auth_db.path(tmp_path / "other.duckdb") == tmp_path / "other.auth.sqlite"
    monkeypatch.setenv("MINYI_AUTH_DB", str(tmp_path / "a.sqlite"))
    assert auth_db.path() == tmp_path / "a.sqlite"


def test_database_is_in_wal_mode_with_its_tables(store):
    accounts.count()
    con = sqlite3.connect(store)
    assert con.execute("pragma journal_mode").fetchone() == ("wal",)
    tables = {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")}
    assert {"accounts", "sessions", "throttle", "audit"} <= tables


def test_password_is_stored_as_argon2id_only(store):
    accounts.add("Zhang.San", PASSWORD, "analyst", display_name="张三")
    row = sqlite3.connect(store).execute("select username, password_hash from accounts").fetchone()
    assert row[0] == "zhang.san"  # usernames are case-insensitive, kept in lower case
    assert row[1].startswith("$argon2id$")
    assert PASSWORD.encode() not in store.read_bytes()
    assert accounts.verify("ZHANG.SAN", PASSWORD).display_name == "张三"
    assert accounts.verify("zhang.san", "wrong-horse") is None
    assert accounts.verify("nobody", PASSWORD) is None


@pytest.mark.parametrize(
    ("username", "password", "role", "unit", "message"),
    [
        ("x", PASSWORD, "analyst", None, "用户名 'x' 不可用"),
        ("王五", PASSWORD, "analyst", None, "用户名 '王五' 不可用"),
        ("lisi", "short", "analyst", None, "密码至少 8 位"),
        ("lisi12345", "LISI12345", "analyst", None, "密码不能与用户名相同"),
        ("lisi", PASSWORD, "boss", None, "没有角色 'boss'"),
        ("lisi", PASSWORD, "staff", None, "内勤账号必须指定所属单位"),
        ("lisi", PASSWORD, "staff", "*", "内勤账号必须指定所属单位"),
        ("lisi", PASSWORD, "admin", "P11", "管理员账号管理全局"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(store, username, password, role, unit, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add(username, password, role, unit_id=unit)
    assert accounts.count() == 0


def test_a_username_is_taken_once(store):
    accounts.add("lisi", PASSWORD, "leader")
    with pytest.raises(accounts.AccountError, match="账号 lisi 已存在"):
        accounts.add("LiSi", PASSWORD, "analyst")


def test_roles_grant_exactly_their_rights_and_scope(store):
    staff = accounts.add("clerk", PASSWORD, "staff", unit_id="FJ1")
    leader = accounts.add("chief", PASSWORD, "leader")
    admin = accounts.add("root1", PASSWORD, "admin")
    analyst = accounts.add("ana", PASSWORD, "analyst")
    grid = {
        a.role: tuple(a.can(x) for x in ("view", "export", "upload", "manage"))
        for a in (staff, leader, admin, analyst)
    }
    assert grid == {
        "leader": (True, False, False, False),
        "analyst": (True, True, False, False),
        "staff": (True, True, True, False),
        "admin": (True, True, True, True),
    }
    assert (staff.scope, leader.scope, admin.scope) == ("FJ1", "*", "*")
    assert [r.name for r in accounts.ROLES.values() if r.sees_personal_data] == ["admin"]


def test_sign_in_opens_a_session_that_a_refresh_resumes(store):
    accounts.add("clerk", PASSWORD, "staff", unit_id="FJ1")
    result = sessions.sign_in("Clerk", PASSWORD, client="10.0.0.7", now=T0)
    assert result.error is None and result.account.username == "clerk"
    # Only the token's hash is stored: the file alone signs no one in.
    stored = sqlite3.connect(store).execute("select token_hash from sessions").fetchall()
    assert stored == [(hashlib.sha256(result.token.encode()).hexdigest(),)]
    assert result.token.encode() not in store.read_bytes()
    resumed = sessions.resume(result.token, now=T0 + timedelta(minutes=30))
    assert (resumed.username, resumed.scope) == ("clerk", "FJ1")
    assert sessions.resume("forged-token", now=T0) is None
    assert sessions.resume(None, now=T0) is None


def test_a_session_ends_after_two_idle_hours(store):
    accounts.add("chief", PASSWORD, "leader")
    token = sessions.sign_in("chief", PASSWORD, now=T0).token
    assert sessions.resume(token, now=T0 + timedelta(hours=1, minutes=59)) is not None
    # Idle time counts from the last use (1:59), not from the sign-in.
    assert sessions.resume(token, now=T0 + timedelta(hours=3, minutes=58)) is not None
    assert sessions.resume(token, now=T0 + timedelta(hours=6)) is None
    assert sessions.resume(token, now=T0 + timedelta(hours=6, minutes=1)) is None
    assert actions(store)[-1] == ("chief", "session_expired", "")


def test_a_session_ends_after_twelve_hours_however_busy(store):
    accounts.add("chief", PASSWORD, "leader")
    token = sessions.sign_in("chief", PASSWORD, now=T0).token
    for hour in range(1, 12):
        assert sessions.resume(token, now=T0 + timedelta(hours=hour)) is not None
    assert sessions.resume(token, now=T0 + timedelta(hours=12, seconds=1)) is None


def test_last_use_is_written_at_most_once_a_minute(store):
    accounts.add("chief", PASSWORD, "leader")
    token = sessions.sign_in("chief", PASSWORD, now=T0).token

    def last_seen() -> str:
        return sqlite3.connect(store).execute("select last_seen_at from sessions").fetchone()[0]

    sessions.resume(token, now=T0 + timedelta(seconds=59))
    assert last_seen() == "2025-03-03 09:00:00"
    sessions.resume(token, now=T0 + timedelta(seconds=61))
    assert last_seen() == "2025-03-03 09:01:01"


def test_sign_out_ends_the_session(store):
    accounts.add("chief", PASSWORD, "leader")
    token = sessions.sign_in("chief", PASSWORD, now=T0).token
    sessions.sign_out(token, client="10.0.0.7", now=T0)
    assert sessions.resume(token, now=T0) is None
    assert actions(store)[-1] == ("chief", "signout", "")


def test_five_failures_lock_a_username_for_30_seconds_then_doubling(store):
    accounts.add("chief", PASSWORD, "leader")
    for second in range(4):
        result = sessions.sign_in("chief", "guess", now=T0 + timedelta(seconds=second))
        assert (result.error, result.retry_after) == (sessions.WRONG, 0)
    fifth = sessions.sign_in("chief", "guess", now=T0 + timedelta(seconds=4))
    assert fifth.retry_after == 30
    assert fifth.error == sessions.WRONG + sessions.LOCKED.format(seconds=30)
    # While locked even the right password is refused, without checking it.
    locked = sessions.sign_in("chief", PASSWORD, now=T0 + timedelta(seconds=20))
    assert (locked.account, locked.error) == (None, sessions.LOCKED.format(seconds=14))
    sixth = sessions.sign_in("chief", "guess", now=T0 + timedelta(seconds=35))
    assert sixth.retry_after == 60  # 30 s doubled
    assert sessions.sign_in("chief", PASSWORD, now=T0 + timedelta(seconds=96)).account
    # A success clears the count: the next failure is the first again.
    assert sessions.sign_in("chief", "guess", now=T0 + timedelta(seconds=97)).retry_after == 0


def test_names_that_are_no_account_lock_alike_so_lockout_tells_no_names(store):
    for second in range(4):
        assert (
            sessions.sign_in("ghost", "guess", now=T0 + timedelta(seconds=second)).retry_after == 0
        )
    assert sessions.sign_in("ghost", "guess", now=T0 + timedelta(seconds=4)).retry_after == 30
    keys = [r[0] for r in sqlite3.connect(store).execute("select key from throttle")]
    assert len(keys) == 1 and keys[0].startswith("unknown:") and "ghost" not in keys[0]


def test_lock_grows_to_at_most_fifteen_minutes():
    lengths = [sessions._lock_length(n, 5).total_seconds() for n in (4, 5, 6, 9, 10, 20)]
    assert lengths == [0, 30, 60, 480, 900, 900]


def test_twenty_failures_from_one_client_lock_that_client_only(store):
    accounts.add("chief", PASSWORD, "leader")
    # Spraying guesses over many names (none reaches the per-name limit) still locks the client.
    for n in range(20):
        sessions.sign_in(f"user{n}", "guess", client="10.0.0.9", now=T0 + timedelta(seconds=n))
    blocked = sessions.sign_in("chief", PASSWORD, client="10.0.0.9", now=T0 + timedelta(seconds=21))
    # Locked for 30 s from the 20th failure at 0:19, asked at 0:21: 28 s to go.
    assert blocked.account is None and blocked.retry_after == 28
    other = sessions.sign_in("chief", PASSWORD, client="10.0.0.8", now=T0 + timedelta(seconds=21))
    assert other.account.username == "chief"


def test_failures_are_forgotten_after_an_hour(store):
    accounts.add("chief", PASSWORD, "leader")
    for n in range(4):
        sessions.sign_in("chief", "guess", now=T0 + timedelta(seconds=n))
    later = sessions.sign_in("chief", "guess", now=T0 + timedelta(hours=1, seconds=10))
    assert later.retry_after == 0


def test_disabled_account_cannot_sign_in_and_loses_its_sessions(store):
    accounts.add("clerk", PASSWORD, "staff", unit_id="FJ1")
    token = sessions.sign_in("clerk", PASSWORD, now=T0).token
    accounts.set_disabled("clerk", actor="root1")
    assert sessions.resume(token, now=T0) is None
    assert sessions.sign_in("clerk", PASSWORD, now=T0).error == sessions.DISABLED
    assert not accounts.get("clerk").can("view")
    accounts.set_disabled("clerk", False, actor="root1")
    assert sessions.sign_in("clerk", PASSWORD, now=T0).account is not None


def test_new_password_ends_sessions_and_replaces_the_old_one(store):
    accounts.add("clerk", PASSWORD, "staff", unit_id="FJ1")
    token = sessions.sign_in("clerk", PASSWORD, now=T0).token
    accounts.set_password("clerk", "battery-staple", actor="root1")
    assert sessions.resume(token, now=T0) is None
    assert sessions.sign_in("clerk", PASSWORD, now=T0).account is None
    assert sessions.sign_in("clerk", "battery-staple", now=T0).account is not None
    with pytest.raises(accounts.AccountError, match="没有账号 ghost"):
        accounts.set_password("ghost", "battery-staple")


def test_every_attempt_is_audited_without_passwords_or_unknown_names(store):
    accounts.add("chief", PASSWORD, "leader", actor="root1", client="10.0.0.1")
    sessions.sign_in("chief", "wrong-guess-1", client="10.0.0.7", now=T0)
    # Someone types a password into the username field: it must not land in the audit trail.
    sessions.sign_in("hunter2-secret", PASSWORD, client="10.0.0.7", now=T0)
    token = sessions.sign_in("chief", PASSWORD, client="10.0.0.7", now=T0).token
    sessions.sign_out(token, client="10.0.0.7", now=T0)
    assert actions(store) == [
        ("root1", "account_add", "chief：领导"),
        ("chief", "signin_failed", "密码错误"),
        (None, "signin_failed", "未知用户名"),
        ("chief", "signin", "领导"),
        ("chief", "signout", ""),
    ]
    assert set(audit.entries(db=store)["client"]) == {"10.0.0.1", "10.0.0.7"}
    raw = b"".join(f.read_bytes() for f in store.parent.glob("auth.sqlite*"))
    for secret in (PASSWORD, "wrong-guess-1", "hunter2-secret", token):
        assert secret.encode() not in raw


def test_audit_filters(store):
    for n, action in enumerate(("signin", "export", "signin", "upload")):
        audit.record(
            action, username=f"u{n % 2}", detail=f"文件{n}.csv", now=T0 + timedelta(days=n)
        )
    assert len(audit.entries()) == 4
    assert audit.entries(username="U1")["detail"].tolist() == ["文件3.csv", "文件1.csv"]
    assert audit.entries(actions=["signin"])["detail"].tolist() == ["文件2.csv", "文件0.csv"]
    days = audit.entries(start=T0.date() + timedelta(days=1), end=T0.date() + timedelta(days=2))
    assert days["detail"].tolist() == ["文件2.csv", "文件1.csv"]
    assert audit.entries(text="文件3")["action"].tolist() == ["upload"]
    assert len(audit.entries(limit=1)) == 1
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.record("hack")


def run_cli(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(args)
    return code, out.getvalue(), err.getvalue()


def test_command_line_manages_accounts(store, sample_db):
    assert run_cli(["list"])[1].startswith("还没有账号。新建第一个管理员：python -m auth add admin")
    code, out, _ = run_cli(["add", "root1", "--role", "admin", "--password-stdin"], f"{PASSWORD}\n")
    assert (code, out) == (0, "已新建账号 root1（管理员）。\n")
    # --unit takes a name; the sample warehouse resolves 东城分局 to its code FJ1.
    code, out, _ = run_cli(
        [
            "add",
            "clerk",
            "--role",
            "staff",
            "--unit",
            "东城分局",
            "--name",
            "东城内勤",
            "--password-stdin",
        ],
        f"{PASSWORD}\n",
    )
    assert out.splitlines() == ["单位：江城市公安局东城分局（FJ1）", "已新建账号 clerk（内勤）。"]
    code, _, err = run_cli(
        ["add", "x2", "--role", "staff", "--unit", "火星分局", "--password-stdin"], f"{PASSWORD}\n"
    )
    assert (code, err) == (1, "错误：数据库中没有单位 '火星分局'：请填写单位编码、全称或简称。\n")
    assert run_cli(["disable", "clerk"])[1] == "已停用账号 clerk。\n"
    assert run_cli(["passwd", "root1", "--password-stdin"], "another-pass\n")[0] == 0
    assert accounts.verify("root1", "another-pass") is not None
    assert run_cli(["list"])[1].splitlines() == [
        "用户名              角色    单位            状态  姓名",
        "clerk               内勤    FJ1             停用  东城内勤",
        "root1               管理员  全局            正常  root1",
    ]
    assert [a for _, a, _ in actions(store)] == [
        "account_add",
        "account_add",
        "account_disable",
        "account_password",
    ]
    assert {u for u, _, _ in actions(store)} == {f"命令行:{cli.getpass.getuser()}"}


def test_command_line_asks_for_the_password_twice(store, monkeypatch):
    answers = iter(["first-password", "other-password"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt: next(answers))
    code, _, err = run_cli(["add", "root1", "--role", "admin"])
    assert (code, err) == (1, "错误：两次输入的密码不一致。\n")
    assert accounts.count() == 0


def test_demo_accounts_one_per_role_with_the_staff_in_its_district(store, tmp_path):
    from etl.load import load_files

    units = tmp_path / "units.csv"
    units.write_text(
        "单位编码,单位名称,单位简称,上级单位编码,单位类型\n"
        "990100000000,江城市公安局,市局,,市局\n"
        "990101000000,江城市公安局滨江分局,滨江分局,990100000000,分局\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "demo.duckdb"
    load_files(warehouse, [units], "units")
    assert accounts.create_demo_accounts(warehouse) == ["leader", "analyst", "staff", "admin"]
    made = {a.username: (a.role, a.scope) for a in accounts.listing()}
    assert made == {
        "admin": ("admin", "*"),
        "analyst": ("analyst", "*"),
        "leader": ("leader", "*"),
        "staff": ("staff", "990101000000"),
    }
    assert all(accounts.verify(u, p) for u, p, *_ in accounts.DEMO_ACCOUNTS)
    # Building the demo again keeps accounts (and any password changed since) as they are.
    accounts.set_password("leader", "changed-by-leader")
    assert accounts.create_demo_accounts(warehouse) == []
    assert accounts.verify("leader", "changed-by-leader") is not None


def test_a_session_can_be_opened_for_an_account_checked_elsewhere(store):
    clerk = accounts.add("clerk", PASSWORD, "staff", unit_id="FJ1")
    token = sessions.open_session(clerk, client="10.0.0.7", now=T0)
    assert sessions.resume(token, now=T0).scope == "FJ1"
    assert actions(store)[-1] == ("clerk", "signin", "内勤")
    accounts.set_disabled("clerk")
    with pytest.raises(accounts.AccountError, match="已停用"):
        sessions.open_session(accounts.get("clerk"), now=T0)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("10.0.0.7", None, "", "10.0.0.7"),
        # A header from an untrusted peer is anyone's to write: ignored.
        ("10.0.0.7", "1.2.3.4", "", "10.0.0.7"),
        ("10.0.0.7", "1.2.3.4", "127.0.0.1", "10.0.0.7"),
        # Streamlit gives no address for a peer on the same host: that is the loopback proxy.
        (None, "10.0.0.9", "", "127.0.0.1"),
        (None, "10.0.0.9", "127.0.0.1", "10.0.0.9"),
        (None, "10.0.0.9", "127.0.0.1/8, ::1", "10.0.0.9"),
        # Read from the right: what the client wrote itself (6.6.6.6) is left of the last hop.
        ("10.1.0.5", "6.6.6.6, 10.0.0.9", "10.1.0.0/24", "10.0.0.9"),
        ("10.1.0.5", "6.6.6.6, 10.0.0.9, 10.1.0.4", "10.1.0.0/24", "10.0.0.9"),
        ("10.1.0.5", "10.1.0.3", "10.1.0.0/24", "10.1.0.3"),  # every hop a proxy: the first
        (None, "", "127.0.0.1", "127.0.0.1"),
    ],
)
def test_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(
    peer, forwarded, trusted, expected
):
    assert client.address(peer, forwarded, client.trusted_proxies(trusted)) == expected


def test_trusted_proxies_are_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.setenv(client.TRUSTED_PROXIES_ENV, "127.0.0.1, 10.1.0.0/24")
    assert client.address(None, "10.0.0.9") == "10.0.0.9"
    assert [str(n) for n in client.trusted_proxies()] == ["127.0.0.1/32", "10.1.0.0/24"]
    with pytest.raises(ValueError, match="'proxy' 不是 IP 地址或网段"):
        client.trusted_proxies("127.0.0.1 proxy")


def test_behind_a_trusted_proxy_a_locked_client_blocks_no_one_else(store, monkeypatch):
    monkeypatch.setenv(client.TRUSTED_PROXIES_ENV, "127.0.0.1")
    accounts.add("chief", PASSWORD, "leader")
    guesser = client.address(None, "10.0.0.9")
    for n in range(20):
        sessions.sign_in(f"user{n}", "guess", client=guesser, now=T0 + timedelta(seconds=n))
    later = T0 + timedelta(seconds=21)
    assert sessions.sign_in("chief", PASSWORD, client=guesser, now=later).account is None
    colleague = client.address(None, "10.0.0.8")
    assert sessions.sign_in("chief", PASSWORD, client=colleague, now=later).account
    # Every failure and the sign-in carry the forwarded address, not the proxy's.
    assert set(audit.entries(db=store)["client"].dropna()) == {"10.0.0.9", "10.0.0.8"}


def test_guesses_sprayed_over_many_names_without_an_address_are_stopped(store):
    accounts.add("chief", PASSWORD, "leader")
    # One wrong password for each of 30 names, no address known (a proxy nobody configured): no
    # name and no address reaches its own limit, but after 25 failures in 10 minutes the rest wait.
    results = [
        sessions.sign_in(f"user{n}", "guess", now=T0 + timedelta(seconds=n)) for n in range(30)
    ]
    assert [r.error == sessions.WRONG for r in results] == [True] * 25 + [False] * 5
    # The 25th failure was at 0:24; asked at 0:30 the wait is until 10:24.
    assert results[25].retry_after == 600 - 1
    assert results[29].retry_after == 600 - 5
    # An address that has not failed signs in; the one that failed waits out the window.
    at = T0 + timedelta(seconds=40)
    assert sessions.sign_in("chief", PASSWORD, client="10.0.0.8", now=at).account
    assert sessions.sign_in("chief", PASSWORD, now=at).account is None
    assert sessions.sign_in("chief", PASSWORD, now=T0 + timedelta(minutes=10, seconds=25)).account


def test_parallel_attempts_check_no_more_passwords_than_the_limit(store, monkeypatch):
    accounts.add("chief", PASSWORD, "leader")
    checked = []
    verify = accounts.verify

    def slow_verify(*args, **kwargs):
        checked.append(1)
        time.sleep(0.2)  # as long as argon2 takes: every attempt starts before any ends
        return verify(*args, **kwargs)

    monkeypatch.setattr(accounts, "verify", slow_verify)
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: sessions.sign_in("chief", "guess", now=T0), range(16)))
    assert len(checked) == sessions.USER_LOCK_AFTER
    assert sum(r.error == sessions.LOCKED.format(seconds=30) for r in results) == 16 - 5


def test_the_cookie_is_secure_where_the_setting_says_https(monkeypatch):
    monkeypatch.delenv(sessions.SECURE_COOKIE_ENV, raising=False)
    plain = "minyi_session=t0k; path=/; max-age=43200; samesite=strict"
    assert sessions.cookie("t0k") == plain
    monkeypatch.setenv(sessions.SECURE_COOKIE_ENV, "1")
    assert sessions.cookie("t0k") == plain + "; secure"
