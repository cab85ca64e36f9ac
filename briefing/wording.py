"""How figures read in a briefing: percentages, changes in percentage points, counts, and the
one-sentence statement of a headline KPI against its target and the comparison periods."""

from __future__ import annotations

import math
from typing import Any

# How each headline KPI names its denominator in a sentence: 满意率 96.7%（676 条有效回访）.
DENOMINATORS = {
    "satisfaction": "{n} 条有效回访",
    "reply_rate": "{n} 条回访记录",
    "closure": "受理 {n} 件",
    "on_time": "办结 {n} 件",
    "routing_automation": "分派 {n} 件",
    "callback_satisfaction": "{n} 条诉求回访",
    "rectification": "发现问题 {n} 个",
    "participation": "应参与 {n} 人次",
}


def missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct(value: Any, digits: int = 1) -> str:
    """0.96745 -> 96.7%; a missing value -> —."""
    return "—" if missing(value) else f"{float(value) * 100:.{digits}f}%"


def count(value: Any) -> str:
    """1234.0 -> 1,234; a missing value -> 0."""
    return "0" if missing(value) else f"{int(value):,}"


def points(change: Any) -> str:
    """A change of a rate in percentage points with its sign: +0.4 个百分点, −1.2 个百分点."""
    if missing(change):
        return "—"
    value = round(float(change) * 100, 1)
    if value == 0:
        return "持平"
    return f"{value:+.1f} 个百分点".replace("-", "−")


def kpi_sentence(
    metric: str,
    label: str,
    row: dict[str, Any],
    previous: dict[str, Any] | None,
    last_year: dict[str, Any] | None,
    previous_name: str,
) -> str:
    """满意率 96.7%（676 条有效回访），较上周 +0.4 个百分点，较去年同期 −0.2 个百分点，未达目标 98%。"""
    value, denominator = row.get("value"), row.get("denominator")
    if missing(value) or not denominator:
        return f"{label}：本期无数据。"
    where = DENOMINATORS.get(metric, "分母 {n}").format(n=count(denominator))
    parts = [f"{label} {pct(value)}（{where}）"]
    for name, other in ((previous_name, previous), ("去年同期", last_year)):
        if other and not missing(other.get("value")) and other.get("denominator"):
            parts.append(f"较{name} {points(float(value) - float(other['value']))}")
        else:
            parts.append(f"{name}无可比数据")
    target = row.get("target")
    if not missing(target):
        met = float(value) >= float(target)
        parts.append(
            f"{'达到' if met else '未达'}目标 {pct(target, 0 if float(target) * 100 % 1 == 0 else 1)}"
        )
    return "，".join(parts) + "。"


def listing(pairs: list[tuple[str, Any]], unit: str = "件") -> str:
    """[("12345", 10), ("110", 4)] -> 12345 10 件、110 4 件."""
    return "、".join(f"{name} {count(n)} {unit}" for name, n in pairs)
