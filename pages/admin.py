"""账号与审计: accounts (add, change role or unit, disable or enable, reset a password, lift a
sign-in lock), the unit aliases and survey rounds clerks proposed (confirm or turn down), targets
and thresholds, alert rules and the audit trail, for admins."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from auth import accounts, audit, sessions
from etl import aliases, survey_rounds
from etl.errors import FileRefused
from pages.ui import (
    admin_accounts,
    admin_targets,
    alert_rules,
    data,
    gate,
    labels,
    labels_admin,
    labels_briefing,
    labels_load,
    tables,
)
from pages.ui.labels_alias import ALIAS_AUDIT
from queries import db

FLASH = "adm_flash"
AUDIT_DAYS = 7
AUDIT_ROWS = 1000


def _done(text: str) -> None:
    st.session_state[FLASH] = text
    st.rerun()


def _unit_labels() -> dict[str, str]:
    if not data.database_exists():
        return {}
    units = data.fetch("filter_units", scope=accounts.WHOLE_BUREAU)
    return dict(zip(units["unit_id"], units["label"]))


def _add(me: accounts.Account, units: dict[str, str]) -> None:
    st.subheader(labels.ADD_ACCOUNT)
    with st.form("adm_add", clear_on_submit=True, width=520):
        username = st.text_input(labels.USERNAME)
        name = st.text_input(labels.DISPLAY_NAME)
        role = st.selectbox(
            labels.ROLE,
            list(accounts.ROLES),
            help=labels.ROLE_HELP,
            format_func=lambda r: accounts.ROLES[r].label,
        )
        unit = st.selectbox(
            labels.ACCOUNT_UNIT,
            ["", *units],
            help=labels.ACCOUNT_UNIT_HELP,
            format_func=lambda u: units.get(u, labels.WHOLE_BUREAU),
        )
        first = st.text_input(labels.PASSWORD, type="password")
        again = st.text_input(labels.PASSWORD_AGAIN, type="password")
        submitted = st.form_submit_button(labels.ADD_ACCOUNT, type="primary")
    if not submitted:
        return
    if first != again:
        st.error(labels.PASSWORDS_DIFFER)
        return
    try:
        made = accounts.add(
            username,
            first,
            role,
            unit_id=unit or None,
            display_name=name.strip() or None,
            actor=me.username,
            client=gate.client(),
        )
    except accounts.AccountError as error:
        st.error(str(error))
        return
    _done(labels.ACCOUNT_ADDED.format(username=made.username, role=made.rights.label))


def _change(me: accounts.Account, target: accounts.Account) -> None:
    chosen = target.username
    who = {"actor": me.username, "client": gate.client()}
    if target.username == me.username:
        st.caption(labels.NOT_YOURSELF)
    elif target.disabled:
        if st.button(labels.ENABLE, key="adm_enable"):
            accounts.set_disabled(chosen, False, **who)
            _done(labels.ACCOUNT_ENABLED_NOW.format(username=chosen))
    elif st.button(labels.DISABLE, key="adm_disable"):
        accounts.set_disabled(chosen, True, **who)
        _done(labels.ACCOUNT_DISABLED_NOW.format(username=chosen))
    with st.form("adm_passwd", clear_on_submit=True, width=520):
        first = st.text_input(labels.NEW_PASSWORD, type="password")
        again = st.text_input(labels.PASSWORD_AGAIN, type="password")
        submitted = st.form_submit_button(labels.RESET_PASSWORD)
    if not submitted:
        return
    if first != again:
        st.error(labels.PASSWORDS_DIFFER)
        return
    try:
        accounts.set_password(chosen, first, **who)
    except accounts.AccountError as error:
        st.error(str(error))
        return
    _done(labels.PASSWORD_RESET.format(username=chosen))


def _audit() -> None:
    today = date.today()
    left, mid, right = st.columns([2, 2, 3])
    days = left.date_input(
        labels.AUDIT_DATES,
        value=(today - timedelta(days=AUDIT_DAYS), today),
        key="adm_audit_dates",
        format="YYYY-MM-DD",
    )
    who = mid.text_input(labels.USERNAME, key="adm_audit_user")
    what = right.multiselect(
        labels.AUDIT_ACTIONS,
        list(audit.ACTIONS),
        format_func=audit.ACTIONS.get,
        key="adm_audit_actions",
        placeholder=labels.ALL,
        select_all=False,
    )
    text = st.text_input(labels.AUDIT_TEXT, key="adm_audit_text")
    start, end = (days[0], days[-1]) if days else (None, None)
    rows = audit.entries(
        start=start, end=end, username=who, actions=what, text=text.strip(), limit=AUDIT_ROWS
    )
    if rows.empty:
        st.info(labels.NO_RECORDS)
        return
    st.caption(labels.AUDIT_SHOWN.format(n=len(rows), limit=AUDIT_ROWS))
    tables.show(rows.assign(action=rows["action"].map(audit.ACTIONS)), key="adm_audit")


def _aliases(me: accounts.Account, units: dict[str, str]) -> None:
    st.subheader(labels_load.ALIASES_PENDING)
    pending = aliases.proposed(db.db_path())
    if not pending:
        st.info(labels_load.ALIASES_NONE)
        return
    frame = pd.DataFrame(
        {
            "alias": [p["alias"] for p in pending],
            "unit": [units.get(p["unit_id"], p["unit_id"]) for p in pending],
            "proposed_by": [p["proposed_by"] or "" for p in pending],
            "proposed_at": [p["proposed_at"] for p in pending],
        }
    )
    tables.show(frame.rename(columns=labels_load.ALIAS_COLUMNS), key="adm_aliases")
    chosen = st.multiselect(
        labels_load.ALIASES_PICK,
        frame["alias"].tolist(),
        key="adm_alias_pick",
        placeholder=labels.PICK,
        select_all=False,
    )
    confirm, decline = st.columns(2)
    if confirm.button(
        labels_load.ALIASES_CONFIRM, key="adm_alias_confirm", disabled=not chosen, type="primary"
    ):
        try:
            n = aliases.confirm_aliases(db.db_path(), chosen, user=me.username)
        except (aliases.AliasError, FileRefused) as error:
            st.error(str(error))
            return
        _audit_aliases("alias_confirm", pending, chosen, units)
        _done(labels_load.ALIASES_CONFIRMED.format(n=n))
    if decline.button(labels_load.ALIASES_DECLINE, key="adm_alias_decline", disabled=not chosen):
        for alias in chosen:
            aliases.decline_alias(db.db_path(), alias, user=me.username)
        _audit_aliases("alias_decline", pending, chosen, units)
        _done(labels_load.ALIASES_DECLINED.format(n=len(chosen)))


def _audit_aliases(
    action: str, pending: list[dict], chosen: list[str], units: dict[str, str]
) -> None:
    for p in pending:
        if p["alias"] in chosen:
            unit = p["unit_id"]
            gate.record(
                action,
                ALIAS_AUDIT.format(alias=p["alias"], unit=units.get(unit, unit), unit_id=unit),
            )


def _rounds(me: accounts.Account) -> None:
    st.subheader(labels_load.ROUNDS_PENDING)
    st.caption(labels_load.ROUNDS_HELP)
    waiting = survey_rounds.awaiting(db.db_path())
    if not waiting:
        st.info(labels_load.ROUNDS_NONE)
        return
    frame = pd.DataFrame(waiting)
    tables.show(frame.rename(columns=labels_load.ROUND_COLUMNS), key="adm_rounds")
    keys = [f"{r['survey_id']}（{r['source_system']}）" for r in waiting]
    chosen = st.multiselect(
        labels_load.ROUNDS_PICK,
        keys,
        key="adm_round_pick",
        placeholder=labels.PICK,
        select_all=False,
    )
    if st.button(
        labels_load.ROUNDS_CONFIRM, key="adm_round_confirm", disabled=not chosen, type="primary"
    ):
        picked = [
            (r["survey_id"], r["source_system"]) for r, k in zip(waiting, keys) if k in chosen
        ]
        survey_rounds.confirm(db.db_path(), picked, user=me.username)
        for key in chosen:
            gate.record("round_confirm", key)
        _done(labels_load.ROUNDS_CONFIRMED.format(n=len(picked)))


def render() -> None:
    """Draw the page."""
    me = gate.require("admin")
    st.title(labels.TITLES["admin"])
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash)
    accounts_tab, confirm_tab, targets_tab, rules_tab, audit_tab = st.tabs(
        [
            labels.ADMIN_ACCOUNTS,
            labels_load.ADMIN_CONFIRM,
            labels_admin.TARGETS_TAB,
            labels_briefing.RULES_TAB,
            labels.ADMIN_AUDIT,
        ]
    )
    with accounts_tab:
        rows = accounts.listing()
        demo = {username for username, *_ in accounts.DEMO_ACCOUNTS}
        if live := [a.username for a in rows if a.username in demo and not a.disabled]:
            st.warning(labels.DEMO_ACCOUNTS_LIVE.format(names="、".join(live)))
        units = _unit_labels()
        states = sessions.sign_in_states()
        admin_accounts.table(rows, units, states)
        add_column, change_column = st.columns(2, gap="large")
        with add_column:
            _add(me, units)
        with change_column:
            st.subheader(labels_admin.CHANGE_ACCOUNT)
            chosen = st.selectbox(
                labels.USERNAME, [a.username for a in rows], key="adm_chosen", width=360
            )
            target = next((a for a in rows if a.username == chosen), None)
            if target is not None:
                _change(me, target)
                admin_accounts.change(me, target, units, states.get(chosen), _done)
    with confirm_tab:
        _aliases(me, _unit_labels())
        _rounds(me)
    with targets_tab:
        if gate.can("settings"):
            admin_targets.section(_done)
    with rules_tab:
        alert_rules.section()
    with audit_tab:
        _audit()


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
