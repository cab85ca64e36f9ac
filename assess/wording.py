"""How an assessment reads: the breakdown sentence of each indicator, the reasons an indicator does
not count, and the admin's errors. Figures are formatted here so the page, the download and the
briefing say the same thing."""

from __future__ import annotations

import math

# 满意率 95.1% → 18.2/25 分：目标 98%，下限 90%
LINEAR_LINE = "{label} {value} → {points}/{weight} 分：目标 {target}，下限 {floor}"
# 整改超期 3 → 0.0/5 分：每件扣 2 分
PER_EVENT_LINE = "{label} {value} → {points}/{weight} 分：{events} {n} 件，每件扣 {per_event} 分"
# 满意率 83.3%（有效回访 6，少于 30）→ 不计分，按同类单位平均 24.0/30 分计
NEUTRAL_LINE = "{label} {value}（{sample_label} {sample}，少于 {minimum}）→ 不计分"
NO_DATA_LINE = "{label}：期间内无数据 → 不计分"
PEER_AVERAGE = "，按同类单位平均 {points}/{weight} 分计"
NO_PEERS = "，同类单位均无可计分数据，本项不计入总分"

SAMPLE_LABELS = {
    "valid_replies": "有效回访",
    "records": "回访记录",
    "received": "受理件",
    "closed": "办结件",
    "items": "发现问题",
    "listed_types": "台账报表种类",
}
EVENT_LABELS = {"overdue": "超期", "repeat_cases": "重复件", "overdue_items": "超期未整改"}

STATUS_SCORED = "计分"
STATUS_SMALL = "样本不足，不计分"
STATUS_NO_DATA = "无数据，不计分"
NOT_RANKED = "可计分指标权重不足一半，不排名"

HIGHER = "高于"
LOWER = "低于"
ERR_NAME = "考核方案需要一个名称"
ERR_EMPTY = "考核方案至少需要一项指标"
ERR_METRIC = "没有指标「{metric}」"
ERR_TWICE = "指标「{label}」出现了两次"
ERR_WEIGHT = "指标「{label}」的权重须大于 0"
ERR_TYPES = "指标「{label}」须至少适用于一类单位"
ERR_SAMPLE = "指标「{label}」的最小样本不能为负数"
ERR_LINEAR = "指标「{label}」按线性计分，须有下限和目标，且两者不同"
ERR_DIRECTION = "指标「{label}」越{way}越好：目标须{way}下限"
ERR_NO_EVENTS = "指标「{label}」不是件数，不能按件扣分"
ERR_PER_EVENT = "指标「{label}」按件扣分，每件扣分须大于 0"
ERR_RULE = "没有计分规则「{rule}」"


def missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _trim(number: float, digits: int) -> str:
    return f"{number:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{number:.0f}"


def figure(value: object, kind: str) -> str:
    """A metric value as it reads: 0.951 → 95.1%, 333.33 per mille → 333.3, a count → 3."""
    if missing(value):
        return "—"
    number = float(value)
    if kind == "pct":
        return f"{number * 100:.1f}%"
    if kind == "per_mille":
        return f"{number:.1f}"
    return f"{number:.0f}"


def bound(value: float, kind: str) -> str:
    """A floor or target as an admin wrote it: 0.98 → 98%, 0.955 → 95.5%, 150 → 150."""
    if kind == "pct":
        return _trim(value * 100, 1) + "%"
    return _trim(value, 1)


def points(value: float) -> str:
    return f"{value:.1f}"


def weight(value: float) -> str:
    return _trim(value, 1)


# 考核评分（默认考核方案，第 0 版）：派出所得分前 3 名 …；倒数 3 名 …（12 个单位排名，另有 2 个…）。
BRIEFING_LINE = (
    "考核评分（{scheme}，第 {version} 版）：{unit_type}得分前 {n} 名 {top}；倒数 {n} 名 {bottom}"
    "（{ranked} 个单位排名{unranked}）。"
)
BRIEFING_UNRANKED = "，另有 {n} 个单位可计分指标不足，未排名"
