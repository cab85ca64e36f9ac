"""目标与阈值 an admin sets on 账号与审计: overrides of the warehouse's `settings` rows, kept in
the configuration store (etl/config_store.py, table setting_overrides), so a change is a small
write that never copies the warehouse. Every warehouse reader takes an override over the default
(queries/db.py SETTINGS_IN_FORCE), so it is in force on the next page run, without a restart.

Only settings read while a page or the briefing runs can be set here. Those the loader reads while
it writes (LOAD_TIME: the repeat linker's window and threshold, the classifier's) decide what a
load stores; they stay in the warehouse, where the next load and `etl rebuild` read them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from etl import config_store

FORMULAS = ("standard", "strict", "weighted")
# Read by the loader while it writes: shown with their names, set in the warehouse only.
LOAD_TIME = {
    "repeat_window_days": "重复诉求时间窗（天）",
    "repeat_threshold": "重复诉求相似度阈值",
    "classify_precision": "模型推断目标精确率",
    "classify_retrain_share": "自动重新训练的标签变化比例",
    "classify_min_rows": "训练模型最少标签数",
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class Setting:
    """How a setting's value is checked: rate (0–1, or a percentage), count (a whole number of
    at least `minimum`), number (at least 0) or formula (one of FORMULAS)."""

    name: str
    kind: str
    minimum: int = 0


SETTINGS: dict[str, Setting] = {
    "satisfaction_formula": Setting("满意率口径", "formula"),
    "target_satisfaction": Setting("满意率目标", "rate"),
    "target_closure": Setting("办结率目标", "rate"),
    "target_on_time": Setting("按期办结率目标", "rate"),
    "target_rectification": Setting("整改率目标", "rate"),
    "target_participation": Setting("参与率目标", "rate"),
    "target_routing": Setting("自动分派率目标", "rate"),
    "min_replies": Setting("单位排名最少样本数", "count", 1),
    "min_respondents": Setting("警意调查最少答卷人数", "count", 1),
    "report_burden_line": Setting("报表负担线", "count", 1),
    "target_report_avg_types": Setting("站均保留报表目标", "number"),
    "target_report_share_at_line": Setting("达到负担线的派出所占比目标", "rate"),
    "target_report_hand_share": Setting("手工填报占比目标", "rate"),
    "target_report_demanding_depts": Setting("要求填报的部门数目标", "count"),
    "reply_deadline_workdays": Setting("答复时限（工作日）", "count", 1),
    "reply_template_min": Setting("模板答复最少相同件数", "count", 1),
    "reply_relevance_min": Setting("答非所问比例下限", "rate"),
    "reply_short_chars": Setting("过短答复字数", "count", 1),
    "rising_min_count": Setting("上升词、特征词最少次数", "count", 1),
    "repeat_complainant_min_cases": Setting("重复诉求人最少件数", "count", 2),
}


class TargetError(ValueError):
    """A setting that cannot be set here, or a value it does not take; nothing saved."""


@dataclass(frozen=True)
class Override:
    value: str
    changed_by: str | None
    changed_at: datetime


def validate(key: str, text: str) -> str:
    """The value as stored (a rate as a fraction: 95% -> 0.95) or TargetError in Chinese."""
    setting = SETTINGS.get(key)
    if setting is None:
        where = "导入时读取，请在数据库中修改" if key in LOAD_TIME else "不能在页面上修改"
        raise TargetError(f"设置「{key}」{where}。")
    # Full-width digits and ％ as typed with a Chinese input method.
    raw = unicodedata.normalize("NFKC", str(text or "")).strip()
    if setting.kind == "formula":
        if raw not in FORMULAS:
            raise TargetError(
                f"「{setting.name}」只能是 standard（标准）、strict（严格）或 weighted（加权），"
                f"收到「{raw}」。"
            )
        return raw
    percent = setting.kind == "rate" and raw.endswith("%")
    digits = raw[:-1].strip() if percent else raw
    if not _NUMBER.fullmatch(digits):
        raise TargetError(_refusal(setting, raw))
    number = float(digits) / (100 if percent else 1)
    if setting.kind == "rate":
        if not 0 <= number <= 1:
            raise TargetError(_refusal(setting, raw))
        return f"{number:.6g}"
    if setting.kind == "count":
        if number != int(number) or number < setting.minimum:
            raise TargetError(_refusal(setting, raw))
        return str(int(number))
    if number < 0:
        raise TargetError(_refusal(setting, raw))
    return f"{number:g}"


def _refusal(setting: Setting, raw: str) -> str:
    wanted = {
        "rate": "0 到 1 之间的比率或 0% 到 100% 的百分数（如 0.95 或 95%）",
        "count": f"不小于 {setting.minimum} 的整数",
        "number": "不小于 0 的数",
    }[setting.kind]
    return f"「{setting.name}」应为{wanted}，收到「{raw}」。"


def overrides(warehouse: Path | None = None) -> dict[str, Override]:
    """The admin's values by key ({} before any is saved)."""
    with config_store.read(warehouse) as con:
        if (
            con is None
            or not con.execute(
                "select count(*) from information_schema.tables where table_name = 'setting_overrides'"
            ).fetchone()[0]
        ):
            return {}
        rows = con.execute("select key, value, changed_by, changed_at from setting_overrides")
        return {key: Override(value, by, at) for key, value, by, at in rows.fetchall()}


def save(key: str, text: str, user: str | None, warehouse: Path | None = None) -> str:
    """Check `text` and store it as the value of `key` in force; return the value as stored."""
    value = validate(key, text)
    with config_store.write(warehouse) as con:
        con.execute(
            "insert or replace into setting_overrides values (?, ?, ?, ?)",
            [key, value, user, datetime.now().replace(microsecond=0)],
        )
    return value


def reset(key: str, warehouse: Path | None = None) -> bool:
    """Put the warehouse's default back in force; False when `key` had no override."""
    if key not in overrides(warehouse):
        return False
    with config_store.write(warehouse) as con:
        con.execute("delete from setting_overrides where key = ?", [key])
    return True
