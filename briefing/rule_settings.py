"""预警规则 as an admin sets them: overrides of briefing/alerts.py's DEFAULT_RULES, kept in the
configuration store (etl/config_store.py, table alert_rules), so a change is a small write that
takes effect on the next page run and the next cron run, without a restart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from briefing.alerts import DEFAULT_RULES
from etl import config_store


class RuleError(ValueError):
    """A setting that is not one of the rules' own, or a value out of its range; nothing saved."""


def overrides(warehouse: Path | None = None) -> dict[str, dict[str, Any]]:
    """The admin's settings by rule ({} when none is saved yet)."""
    with config_store.read(warehouse) as con:
        if con is None:
            return {}
        has_table = con.execute(
            "select count(*) from information_schema.tables where table_name = 'alert_rules'"
        ).fetchone()[0]
        if not has_table:
            return {}
        rows = con.execute("select rule, setting, value from alert_rules").fetchall()
    out: dict[str, dict[str, Any]] = {}
    for rule, setting, value in rows:
        default = DEFAULT_RULES.get(rule, {}).get(setting)
        if default is None:
            continue  # a rule or setting that no longer exists
        out.setdefault(rule, {})[setting] = type(default)(value)
    return out


def save(values: dict[str, dict[str, Any]], user: str | None, warehouse: Path | None = None) -> int:
    """Store `values` (rule -> setting -> value) after checking each; return how many were saved."""
    rows = []
    for rule, settings in values.items():
        if rule not in DEFAULT_RULES:
            raise RuleError(f"没有预警规则「{rule}」")
        for setting, value in settings.items():
            default = DEFAULT_RULES[rule].get(setting)
            if default is None:
                raise RuleError(f"预警规则「{rule}」没有设置项「{setting}」")
            number = float(value)
            if isinstance(default, bool):
                number = 1.0 if value else 0.0
            elif number < 0 or (setting == "p_value" and not 0 < number < 1):
                raise RuleError(f"「{rule}」的「{setting}」取值 {value} 不在允许范围内")
            rows.append((rule, setting, number, user, datetime.now().replace(microsecond=0)))
    with config_store.write(warehouse) as con:
        for row in rows:
            con.execute("insert or replace into alert_rules values (?, ?, ?, ?, ?)", list(row))
    return len(rows)
