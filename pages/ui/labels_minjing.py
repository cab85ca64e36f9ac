"""Chinese strings of the unit profile's 民意与警意 section (pages/ui/unit_minjing.py)."""

from __future__ import annotations

TITLE = "民意与警意"
CAPTION = (
    "同一批共同问题上，群众反映了什么、民警提出了什么：左边是本单位承办的群众诉求件数，"
    "右边是本单位民警、辅警写的意见建议，以及写给本单位（被评部门）的建议条数。"
    "类别按「共同问题对应」表归入共同问题，上级类别含其下属类别；示例为最新的两条，个人信息已遮蔽。"
    "本单位的建议少于 {k} 人填写时不显示条数和原文，以免认出填写人。"
)
NONE = "本期本单位没有诉求，也没有相关的警意建议。"
NO_MAP = "尚未导入「共同问题对应」表（数据导入 → 共同问题对应），下面的类别都还没有对应到共同问题。"
COLUMNS = {
    "problem": "共同问题",
    "complaints": "群众诉求 件数",
    "suggestions": "民警建议 条数",
    "complaint_examples": "群众诉求示例",
    "suggestion_examples": "民警建议示例",
}
SUPPRESSED = "少于 {k} 人"
UNMAPPED = "未对应"
UNMAPPED_CAPTION = "这些类别还没有对应到任何共同问题；可在「共同问题对应」表中补上。"
UNMAPPED_COLUMNS = {
    "category": "类别",
    "complaints": "群众诉求 件数",
    "suggestions": "民警建议 条数",
}
NO_CATEGORY = "（未分类）"
