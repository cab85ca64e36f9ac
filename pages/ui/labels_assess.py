"""Chinese strings of 考核评分 (pages/assessment.py and pages/ui/assess_*.py). The breakdown's own
sentences are assess/wording.py's, shared with the download."""

from __future__ import annotations

TITLE = "考核评分"
CAPTION = (
    "按考核方案给每个单位计分，在同类单位中排名；各项得分、失分及其依据见得分明细。"
    "只按所选期间和单位计算，渠道、警种、类别筛选不适用。"
)
SCHEME_LINE = "考核方案：{name}（第 {version} 版{saved}）"
SAVED_BY = "，{by} 于 {at} 保存"
DEFAULT_SCHEME = "，系统默认"
VERSION = "按方案版本计算"
VERSION_OPTION = "第 {version} 版 · {name}{current}"
VERSION_CURRENT = "（现行）"
UNIT_TYPE = "单位类型"
NEUTRAL_NOTE = (
    "样本不足（少于该项最小样本）或无数据的指标不计分：按同类单位该项平均得分计，"
    "同类单位均无数据时不计入总分；实际计分的权重不足一半的单位不排名。"
)
LEAGUE = "{unit_type}得分排名"
LEAGUE_COUNT = "{n} 个单位，{ranked} 个排名"
BREAKDOWN = "得分明细"
BREAKDOWN_UNIT = "单位"
BREAKDOWN_TOTAL = "{unit}：{score} 分（{points}/{weight} 分折算为百分制）{rank}"
RANK_TEXT = "，{unit_type}第 {rank} 名（共 {n} 个排名）"
NO_UNITS = "所选期间和范围内没有此方案考核的单位。"
NO_SCORE = "—"

# Columns of the league, the breakdown and the before → after table.
COLUMNS = {
    "rank": "名次",
    "unit_name": "单位",
    "unit_type": "单位类型",
    "parent_name": "上级单位",
    "score": "得分",
    "points": "得分合计",
    "weight_counted": "计分权重",
    "weight_applicable": "适用权重",
    "neutralised": "不计分项",
    "rank_note": "说明",
    "label": "指标",
    "value": "数值",
    "sample": "样本",
    "weight": "权重",
    "lost": "失分",
    "status": "计分情况",
    "text": "依据",
    "score_before": "原得分",
    "score_after": "新得分",
    "score_change": "得分变化",
    "rank_before": "原名次",
    "rank_after": "新名次",
    "rank_move": "名次变化",
}

INDICATOR_POINTS = "得分"

DOWNLOAD = "下载考核结果（XLSX，含得分明细）"
FILE_STEM = "考核评分"
SHEET_SCORES = "得分排名"
SHEET_BREAKDOWN = "得分明细"
SHEET_CONTEXT = "说明"
CONTEXT_ITEM = "项目"
CONTEXT_VALUE = "内容"
CONTEXT_PERIOD = "期间"
CONTEXT_UNITS = "单位范围"
CONTEXT_SCOPE = "本人可见范围"
CONTEXT_SCHEME = "考核方案"
CONTEXT_FORMULA = "满意率口径"
CONTEXT_BY = "导出人"
CONTEXT_AT = "导出时间"
CONTEXT_RULES = "计分规则"
CONTEXT_NOTE = "不计分项"
ALL_UNITS = "全部单位"
WHOLE_BUREAU = "全局"

VERSIONS = "方案版本"
VERSION_COLUMNS = {
    "version": "版本",
    "name": "方案名称",
    "indicators": "指标",
    "saved_by": "保存人",
    "saved_at": "保存时间",
    "note": "说明",
}

EDIT = "修改考核方案（管理员）"
EDIT_CAPTION = (
    "勾选参与考核的指标，设权重、计分规则和适用的单位类型。百分比指标的下限、目标按 % 填写。"
    "改动后先看排名变化，确认后保存为新版本（留痕，立即生效）。"
)
NAME = "方案名称"
INCLUDE = "计入"
WEIGHT = "权重（分）"
RULE = "计分规则"
RULES = {"linear": "线性", "per_event": "按件扣分"}
FLOOR = "下限（0 分）"
TARGET = "目标（满分）"
PER_EVENT = "每件扣分"
MIN_SAMPLE = "最小样本"
UNIT_TYPES = "适用单位类型"
UNCHANGED = "方案未修改。"
MOVES = "修改后的排名变化"
MOVES_COUNT = "{n} 个单位名次变化，{m} 个单位得分变化。"
NOTE = "修改说明"
SAVE = "保存为新版本"
SAVED = "已保存为第 {version} 版，立即生效。"
AUDIT = "考核方案第 {version} 版：{name}；{indicators}{note}"
AUDIT_NOTE = "；说明：{note}"
