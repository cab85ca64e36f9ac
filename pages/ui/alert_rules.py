"""账号与审计 · 预警规则: an admin sets the alert rules' thresholds (briefing/rule_settings.py keeps
them in the configuration store); the change is audited and takes effect on the next page run."""

from __future__ import annotations

import streamlit as st

from briefing import rule_settings
from briefing.alerts import rules
from pages.ui import gate
from pages.ui import labels_briefing as labels


def section() -> None:
    """The rules in force, one form; saving writes only what an admin changed."""
    st.caption(labels.RULES_CAPTION)
    current = rules(rule_settings.overrides())
    with st.form("adm_alert_rules"):
        chosen: dict[str, dict] = {}
        for rule, settings in current.items():
            st.markdown(f"**{labels.RULES[rule]}**")
            columns = st.columns(len(settings))
            for column, (setting, value) in zip(columns, settings.items()):
                name = labels.RULE_SETTINGS.get(setting, setting)
                key = f"adm_rule_{rule}_{setting}"
                with column:
                    if isinstance(value, bool):
                        picked = st.checkbox(name, value=value, key=key)
                    elif isinstance(value, int):
                        picked = st.number_input(name, min_value=0, value=value, step=1, key=key)
                    else:
                        picked = st.number_input(
                            name, min_value=0.0, value=float(value), format="%.3f", key=key
                        )
                if picked != value:
                    chosen.setdefault(rule, {})[setting] = picked
        if st.form_submit_button(labels.RULES_SAVE):
            if not chosen:
                st.info(labels.RULES_UNCHANGED)
                return
            try:
                saved = rule_settings.save(chosen, gate.username())
            except rule_settings.RuleError as exc:
                st.error(str(exc))
                return
            gate.record(
                "alert_rules",
                labels.RULES_AUDIT.format(
                    changes="；".join(
                        f"{labels.RULES[r]} {labels.RULE_SETTINGS.get(k, k)}={v}"
                        for r, values in chosen.items()
                        for k, v in values.items()
                    )
                ),
            )
            st.success(labels.RULES_SAVED.format(n=saved))
