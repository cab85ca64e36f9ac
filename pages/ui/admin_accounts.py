"""账号与审计 · accounts: the account list with each one's last sign-in and lock state, a change of
role or unit (in force on the account's next page run) and the lifting of a sign-in lock, each
audited by auth."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from auth import accounts, sessions
from pages.ui import escape, gate, labels, tables
from pages.ui import labels_admin as admin_labels


def lock_text(state: sessions.SignInState | None) -> str:
    """锁定至 … while locked, else the failures that still count, else 未锁定."""
    if state is None or not state.failures:
        return admin_labels.NOT_LOCKED
    if state.locked_until:
        return admin_labels.LOCKED_UNTIL.format(until=state.locked_until)
    return admin_labels.FAILURES.format(n=state.failures)


def table(
    rows: list[accounts.Account],
    units: dict[str, str],
    states: dict[str, sessions.SignInState],
) -> None:
    """Every account with its role, unit, status, last sign-in and lock state."""
    frame = pd.DataFrame(
        {
            "username": [a.username for a in rows],
            "display_name": [a.display_name for a in rows],
            "role": [a.rights.label for a in rows],
            "unit": [
                units.get(a.unit_id, a.unit_id) if a.unit_id else labels.WHOLE_BUREAU for a in rows
            ],
            "status": [
                labels.ACCOUNT_DISABLED if a.disabled else labels.ACCOUNT_ACTIVE for a in rows
            ],
            admin_labels.LAST_SIGN_IN: [
                (states[a.username].last_sign_in if a.username in states else None)
                or admin_labels.NEVER
                for a in rows
            ],
            admin_labels.LOCK_STATE: [lock_text(states.get(a.username)) for a in rows],
            "created_at": [a.created_at for a in rows],
            "changed_at": [a.changed_at for a in rows],
        }
    )
    tables.show(frame, key="adm_accounts")


def change(
    me: accounts.Account,
    target: accounts.Account,
    units: dict[str, str],
    state: sessions.SignInState | None,
    done: Callable[[str], None],
) -> None:
    """Role and unit of `target`, and its sign-in lock when it has failures that count."""
    who = {"actor": me.username, "client": gate.client()}
    if state is not None and state.failures:
        st.caption(lock_text(state))
        if st.button(admin_labels.UNLOCK, key="adm_unlock"):
            sessions.unlock(target.username, **who)
            done(admin_labels.UNLOCKED.format(username=target.username))
    st.markdown(f"**{admin_labels.ROLE_UNIT}**")
    # Keyed by account, so picking another account shows its own role and unit.
    with st.form(f"adm_role_{target.username}", width=520):
        roles = list(accounts.ROLES)
        role = st.selectbox(
            labels.ROLE,
            roles,
            index=roles.index(target.role),
            help=labels.ROLE_HELP,
            format_func=lambda r: accounts.ROLES[r].label,
            key=f"adm_role_pick_{target.username}",
        )
        options = ["", *units]
        unit = st.selectbox(
            labels.ACCOUNT_UNIT,
            options,
            index=options.index(target.unit_id) if target.unit_id in units else 0,
            help=labels.ACCOUNT_UNIT_HELP,
            format_func=lambda u: units.get(u, labels.WHOLE_BUREAU),
            key=f"adm_unit_pick_{target.username}",
        )
        submitted = st.form_submit_button(admin_labels.ROLE_UNIT_SAVE, key="adm_role_save")
    if not submitted:
        return
    if role == target.role and (unit or None) == target.unit_id:
        st.info(admin_labels.ROLE_UNIT_SAME)
        return
    try:
        made = accounts.set_role(target.username, role, unit or None, **who)
    except accounts.AccountError as error:
        st.error(escape.md(str(error)))
        return
    done(
        admin_labels.ROLE_UNIT_SAVED.format(
            username=made.username,
            role=made.rights.label,
            unit=escape.md(units.get(made.unit_id, made.unit_id) if made.unit_id else "")
            or labels.WHOLE_BUREAU,
        )
    )
