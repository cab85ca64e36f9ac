"""Who is signed in during this run, and what they may do: the account the frame checked at the
start of the run (pages/ui/gate.py puts it in the session), its unit scope and its rights
(auth/rights.py). Sign-in (gate) and the cached queries (data) both read it here, so neither needs
the other.
"""

from __future__ import annotations

import streamlit as st

from auth.accounts import Account

ACCOUNT_KEY = "auth_account"
# A unit id no unit has: the scope of a run without an account, so queries return no rows.
NOBODY = "\x00nobody"


def account() -> Account | None:
    """The account the frame checked at the start of this run."""
    return st.session_state.get(ACCOUNT_KEY)


def scope() -> str:
    """$scope of the signed-in account ('*' = whole bureau); without an account, no unit."""
    found = account()
    return found.scope if found else NOBODY


def can(right: str) -> bool:
    """May the signed-in account do `right` (auth/rights.py)? Nobody signed in may do nothing."""
    found = account()
    return found is not None and found.can(right)


def sees_personal_data() -> bool:
    return can("personal_data")


def username() -> str | None:
    found = account()
    return found.username if found else None
