"""Signed-in sessions for the app's tests: an account per role in the auth database beside the
warehouse MINYI_DB names, and a session token to give to AppTest or to a browser as its cookie."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher

from auth import accounts, sessions
from auth import db as auth_db

PASSWORD = "test-password"
# A test account's password guards nothing: hash it at argon2's cheapest.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
# Staff see 东城分局 (FJ1) of data/sample: its stations P11 and P12, not 西城分局 (FJ2).
UNITS = {"staff": "FJ1"}
TOKEN_KEY = "auth_token"  # pages.ui.gate.TOKEN_KEY, without importing Streamlit code here
_tokens: dict[tuple[str, str], str] = {}


def account(
    role: str, username: str | None = None, unit: str | None = None, warehouse: Path | None = None
) -> accounts.Account:
    """The account `username` (default: the role's name) beside the warehouse (default: the one
    MINYI_DB names), made on first use."""
    name = username or role
    store = auth_db.path(warehouse)
    found = accounts.get(name, db=store)
    if found is None:
        hasher, accounts.hasher = accounts.hasher, _CHEAP
        try:
            found = accounts.add(
                name,
                PASSWORD,
                role,
                unit_id=unit or UNITS.get(role),
                display_name=f"测试{accounts.ROLES[role].label}",
                db=store,
            )
        finally:
            accounts.hasher = hasher
    return found


def token(
    role: str = "analyst",
    username: str | None = None,
    unit: str | None = None,
    warehouse: Path | None = None,
) -> str:
    """A session token of that account, one per warehouse and account for the whole test run."""
    store = auth_db.path(warehouse)
    key = (str(store), username or role)
    if key not in _tokens:
        _tokens[key] = sessions.open_session(account(role, username, unit, warehouse), db=store)
    return _tokens[key]


def cookie(url: str, warehouse: Path, role: str = "analyst", username: str | None = None) -> dict:
    """The session cookie a browser signed in as that account sends to the app at `url`."""
    value = token(role, username, warehouse=warehouse)
    return {"name": sessions.COOKIE, "value": value, "url": url}


def signed_in(at, role: str = "analyst", username: str | None = None, unit: str | None = None):
    """The AppTest `at` with a signed-in session, as the sign-in form leaves it."""
    at.session_state[TOKEN_KEY] = token(role, username, unit)
    return at
