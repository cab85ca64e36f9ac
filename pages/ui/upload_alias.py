"""A clerk's way forward for a unit name that does not resolve: propose it as the name of a unit of
their own tree (etl.aliases, kept in the configuration store); an admin confirms it on the admin
page, and from then on every import resolves it. Each proposal made is audited."""

from __future__ import annotations

from typing import Any

import streamlit as st

from auth.accounts import WHOLE_BUREAU
from etl import aliases
from pages.ui import data, gate, labels
from pages.ui import labels_alias as alias_text
from pages.ui import labels_upload as text
from pages.ui import upload as ui
from queries import db


def propose(slot: str, unresolved: list[dict[str, Any]]) -> None:
    """For each unresolved name: its pending proposal, or a unit of the clerk's tree to propose."""
    st.markdown(text.ALIAS_PROPOSE_INTRO.format(n=len(unresolved)))
    units = data.fetch("filter_units")  # the signed-in account's own tree ($scope)
    named = dict(zip(units["unit_id"], units["label"]))
    pending = {p["alias"]: p for p in aliases.proposed(db.db_path())}
    chosen: dict[str, str] = {}
    for item in unresolved:
        value = item["value"]
        if value in pending:
            unit = pending[value]["unit_id"]
            st.caption(text.ALIAS_WAITING.format(value=ui.plain(value), unit=named.get(unit, unit)))
            continue
        unit = st.selectbox(
            labels.UPLOAD_UNIT_PICK.format(value=ui.plain(value), rows=item["rows"]),
            list(named),
            index=None,
            format_func=named.get,
            placeholder=labels.UPLOAD_UNIT_PLACEHOLDER.format(
                nearest="、".join(item["nearest"]) or labels.NONE
            ),
            key=f"upl_propose_{slot}_{value}",
        )
        if unit:
            chosen[value] = unit
    if len(pending.keys() & {i["value"] for i in unresolved}) == len(unresolved):
        return
    if st.button(
        text.ALIAS_PROPOSE.format(n=len(chosen)), key=f"upl_propose_{slot}", disabled=not chosen
    ):
        scope = gate.scope()
        refused = []
        for alias, unit in chosen.items():
            try:
                aliases.propose_alias(
                    db.db_path(),
                    alias,
                    unit,
                    user=ui.current_user(),
                    scope_unit_id=None if scope == WHOLE_BUREAU else scope,
                )
            except aliases.AliasError as exc:
                refused.append(str(exc))
                continue
            gate.record(
                "alias_propose",
                alias_text.ALIAS_AUDIT.format(alias=alias, unit=named[unit], unit_id=unit),
            )
        done = len(chosen) - len(refused)
        line = text.ALIAS_PROPOSED.format(n=done)
        st.session_state["upl_flash"] = (
            ("warning", " ".join([line, *refused])) if refused else ("success", line)
        )
        st.rerun()
