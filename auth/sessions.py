"""Sign-in sessions: a random token in a browser cookie, only its hash stored, idle and absolute
expiry, and a growing lockout after repeated failures per username and per client address, with
a bureau-wide limit on guesses spread over many names.

An attempt counts as a failure before its password is checked (and is forgiven when it was
right), in the same transaction that checked the lock: attempts made in parallel cannot all pass
a lock that their failures would have set."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from auth import accounts, audit
from auth import db as auth_db
from auth.accounts import Account

COOKIE = "minyi_session"
# "1" when the app is served over https: the cookie is then always Secure, also for a page that
# was reached over plain http by mistake. (Over https the browser adds Secure in any case.)
SECURE_COOKIE_ENV = "MINYI_SECURE_COOKIE"
IDLE = timedelta(hours=2)
ABSOLUTE = timedelta(hours=12)
# last_seen_at is written at most this often, so reruns do not each write to the database.
TOUCH_EVERY = timedelta(minutes=1)
# After this many failures in a row the key is locked, first for FIRST_LOCK, doubling with every
# further failure up to LONGEST_LOCK. A client address gets more tries: colleagues behind one
# proxy share it. Failures older than FORGET_FAILURES no longer count.
USER_LOCK_AFTER = 5
CLIENT_LOCK_AFTER = 20
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
FORGET_FAILURES = timedelta(hours=1)
# Guesses spread over many names and addresses: past SPRAY_LIMIT failures bureau-wide within
# SPRAY_WINDOW, an address (or the lack of one) that failed within the window waits until its
# last failure is SPRAY_WINDOW old. An address without failures still signs in at once.
SPRAY_LIMIT = 25
SPRAY_WINDOW = timedelta(minutes=10)

WRONG = "用户名或密码错误。"
DISABLED = "该账号已停用，请联系管理员。"
LOCKED = "登录失败次数过多，请 {seconds} 秒后再试。"


@dataclass(frozen=True)
class SignIn:
    """What a sign-in attempt gave: the account and its new session token, or a Chinese error."""

    account: Account | None = None
    token: str | None = None
    error: str | None = None
    retry_after: int = 0


def cookie(token: str) -> str:
    """The session cookie as document.cookie takes it: for this site only (SameSite=Strict), as
    long as a session can live, Secure where the setting says the app is served over https. It
    cannot be HttpOnly: Streamlit sets no cookies, so a script does."""
    text = f"{COOKIE}={token}; path=/; max-age={int(ABSOLUTE.total_seconds())}; samesite=strict"
    if os.environ.get(SECURE_COOKIE_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        text += "; secure"
    return text


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# A name that is no account may be a password typed into the wrong field: its counter is kept
# under a hash keyed by a secret that lives only in this process, never under the name itself.
_PROCESS_KEY = secrets.token_bytes(32)


def _keys(username: str, known: bool, client: str | None) -> list[tuple[str, int]]:
    if known:
        user = f"user:{username}"
    else:
        user = "unknown:" + hmac.new(_PROCESS_KEY, username.encode(), "sha256").hexdigest()
    keys = [(user, USER_LOCK_AFTER)]
    if client:
        keys.append((f"client:{client}", CLIENT_LOCK_AFTER))
    return keys


def _seconds_locked(con: sqlite3.Connection, keys: list[tuple[str, int]], now: datetime) -> int:
    wait = 0
    for key, _ in keys:
        row = con.execute("select locked_until from throttle where key = ?", (key,)).fetchone()
        if row and row["locked_until"]:
            left = (datetime.fromisoformat(row["locked_until"]) - now).total_seconds()
            wait = max(wait, int(left + 0.999))
    return wait


def _seconds_spraying(con: sqlite3.Connection, client: str | None, now: datetime) -> int:
    """How long this address waits because guesses are being sprayed (0 when they are not, or
    when it has not failed within the window)."""
    since = auth_db.now_text(now - SPRAY_WINDOW)
    failed = "action = 'signin_failed' and at >= ?"
    if (
        con.execute(f"select count(*) from audit where {failed}", (since,)).fetchone()[0]
        < SPRAY_LIMIT
    ):
        return 0
    last = con.execute(
        f"select max(at) from audit where {failed} and client is ?", (since, client)
    ).fetchone()[0]
    if last is None:
        return 0
    return max(0, int((datetime.fromisoformat(last) + SPRAY_WINDOW - now).total_seconds() + 0.999))


def _lock_length(failures: int, threshold: int) -> timedelta:
    if failures < threshold:
        return timedelta(0)
    return min(FIRST_LOCK * 2 ** (failures - threshold), LONGEST_LOCK)


def _count(con: sqlite3.Connection, keys: list[tuple[str, int]], now: datetime, step: int) -> None:
    """Add `step` (1 or -1) to each key's failures and set its lock accordingly."""
    con.execute(
        "delete from throttle where last_failed_at < ?", (auth_db.now_text(now - FORGET_FAILURES),)
    )
    for key, threshold in keys:
        row = con.execute("select failures from throttle where key = ?", (key,)).fetchone()
        failures = max(0, (row["failures"] if row else 0) + step)
        if not failures:
            con.execute("delete from throttle where key = ?", (key,))
            continue
        lock = _lock_length(failures, threshold)
        con.execute(
            "insert or replace into throttle (key, failures, last_failed_at, locked_until)"
            " values (?, ?, ?, ?)",
            (key, failures, auth_db.now_text(now), auth_db.now_text(now + lock) if lock else None),
        )


def sign_in(
    username: str,
    password: str,
    *,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> SignIn:
    """Check a username and password; on success open a session. Every attempt is audited; the
    password never is, and a name that is no account is not either (it may be a mistyped
    password)."""
    now = now or datetime.now()
    name = accounts.normalise_username(username)
    with auth_db.connect(db) as con:
        known = con.execute("select 1 from accounts where username = ?", (name,)).fetchone()
        who = name if known else None
        keys = _keys(name, bool(known), client)
        wait = max(_seconds_locked(con, keys, now), _seconds_spraying(con, client, now))
        if wait:
            audit.record_in(
                con,
                "signin_locked",
                username=who,
                client=client,
                now=now,
                detail="" if known else "未知用户名",
            )
            return SignIn(error=LOCKED.format(seconds=wait), retry_after=wait)
        _count(con, keys, now, +1)
    account = accounts.verify(name, password, db=db)
    with auth_db.connect(db) as con:
        if account is None:
            audit.record_in(
                con,
                "signin_failed",
                username=who,
                client=client,
                now=now,
                detail="密码错误" if known else "未知用户名",
            )
            wait = _seconds_locked(con, keys, now)
            locked = LOCKED.format(seconds=wait) if wait else ""
            return SignIn(error=WRONG + locked, retry_after=wait)
        # The right password: this attempt was no failure, and the name's count starts afresh.
        _count(con, keys[1:], now, -1)
        con.execute("delete from throttle where key = ?", (keys[0][0],))
        if account.disabled:
            audit.record_in(con, "signin_disabled", username=name, client=client, now=now)
            return SignIn(error=DISABLED)
        token = _open(con, account, client, now)
    return SignIn(account=account, token=token)


def _open(con: sqlite3.Connection, account: Account, client: str | None, now: datetime) -> str:
    con.execute(
        "delete from sessions where last_seen_at < ? or created_at < ?",
        (auth_db.now_text(now - IDLE), auth_db.now_text(now - ABSOLUTE)),
    )
    token = secrets.token_urlsafe(32)
    stamp = auth_db.now_text(now)
    con.execute(
        "insert into sessions (token_hash, username, created_at, last_seen_at, client)"
        " values (?, ?, ?, ?, ?)",
        (hash_token(token), account.username, stamp, stamp, client),
    )
    audit.record_in(
        con,
        "signin",
        username=account.username,
        client=client,
        now=now,
        detail=accounts.ROLES[account.role].label,
    )
    return token


def open_session(
    account: Account,
    *,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> str:
    """A session for an account whose identity was checked elsewhere (a single sign-on provider,
    a test); returns its token. Audited as a sign-in."""
    if account.disabled:
        raise accounts.AccountError(DISABLED)
    with auth_db.connect(db) as con:
        return _open(con, account, client, now or datetime.now())


def resume(
    token: str | None,
    *,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> Account | None:
    """The signed-in account of a session token (from the cookie), or None when the token is
    unknown, idle too long, too old, or its account is disabled."""
    if not token:
        return None
    now = now or datetime.now()
    with auth_db.connect(db) as con:
        row = con.execute(
            "select s.username, s.created_at, s.last_seen_at, a.disabled from sessions as s"
            " left join accounts as a on a.username = s.username where s.token_hash = ?",
            (hash_token(token),),
        ).fetchone()
        if row is None:
            return None
        last_seen = datetime.fromisoformat(row["last_seen_at"])
        expired = (
            now - last_seen > IDLE or now - datetime.fromisoformat(row["created_at"]) > ABSOLUTE
        )
        if expired or row["disabled"] is None or row["disabled"]:
            con.execute("delete from sessions where token_hash = ?", (hash_token(token),))
            if expired:
                audit.record_in(
                    con, "session_expired", username=row["username"], client=client, now=now
                )
            return None
        if now - last_seen >= TOUCH_EVERY:
            con.execute(
                "update sessions set last_seen_at = ? where token_hash = ?",
                (auth_db.now_text(now), hash_token(token)),
            )
    return accounts.get(row["username"], db=db)


def sign_out(
    token: str | None,
    *,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> None:
    """End the session of a token (audited when it was one)."""
    if not token:
        return
    with auth_db.connect(db) as con:
        row = con.execute(
            "select username from sessions where token_hash = ?", (hash_token(token),)
        ).fetchone()
        if row is None:
            return
        con.execute("delete from sessions where token_hash = ?", (hash_token(token),))
        audit.record_in(con, "signout", username=row["username"], client=client, now=now)


@dataclass(frozen=True)
class SignInState:
    """What 账号与审计 shows of an account's sign-ins: its last successful one, the failures that
    still count towards a lock, and until when it is locked (None when it is not)."""

    last_sign_in: str | None = None
    failures: int = 0
    locked_until: str | None = None


def sign_in_states(
    *, db: Path | str | None = None, now: datetime | None = None
) -> dict[str, SignInState]:
    """SignInState by username, for accounts that signed in or failed to (others have none)."""
    now = now or datetime.now()
    with auth_db.connect(db, write=False) as con:
        last = dict(
            con.execute(
                "select username, max(at) from audit where action = 'signin'"
                " and username is not null group by username"
            ).fetchall()
        )
        # Failures older than FORGET_FAILURES no longer count, though _count drops them lazily.
        counting = con.execute(
            "select substr(key, 6), failures, locked_until from throttle"
            " where key like 'user:%' and last_failed_at >= ?",
            (auth_db.now_text(now - FORGET_FAILURES),),
        ).fetchall()
    states = {name: SignInState(last_sign_in=at) for name, at in last.items()}
    for name, failures, until in counting:
        locked = until if until and until > auth_db.now_text(now) else None
        states[name] = SignInState(states.get(name, SignInState()).last_sign_in, failures, locked)
    return states


def unlock(
    username: str,
    *,
    actor: str | None = None,
    client: str | None = None,
    db: Path | str | None = None,
    now: datetime | None = None,
) -> bool:
    """Forget an account's failed sign-ins, lifting its lock (its addresses' counters stay);
    audited as actor. False when it had none."""
    name = accounts.normalise_username(username)
    with auth_db.connect(db) as con:
        gone = con.execute("delete from throttle where key = ?", (f"user:{name}",)).rowcount
        if gone:
            audit.record_in(
                con, "account_unlock", username=actor, detail=name, client=client, now=now
            )
    return bool(gone)
