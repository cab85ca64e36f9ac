"""Chinese strings of the briefing offer and the alerts on 总览."""

from __future__ import annotations

BRIEFING = "生成周报"
BRIEFING_CAPTION = (
    "按当前筛选（单位、渠道、警种、类别）生成可带走的周报或月报：总体情况、民意诉求、满意度、重点问题、"
    "整改、需要关注和口径说明；诉求标题按您的权限脱敏。"
)
KIND = "类型"
KINDS = {"week": "周报", "month": "月报"}
WHICH = "期间"
WEEK_OPTION = "第{number}周（{label}）"
MONTH_OPTION = "{year}年{month}月"
DOWNLOAD_DOCX = "下载 Word"
DOWNLOAD_PDF = "下载 PDF"
AUDIT_DETAIL = "{file}；期间 {period}；筛选：{filters}"
ALL = "全部"
FILTER_PARTS = {
    "unit_ids": "单位",
    "channels": "渠道",
    "police_types": "警种",
    "categories": "类别",
}

ALERTS = "预警"
ALERTS_CAPTION = "按预警规则检查至 {end}：连续低于目标、超期积压、诉求异常增多（泊松检验）、整改超期。选中一行查看记录。"
NO_ALERTS = "没有触发预警。"
RULES = {
    "satisfaction_below_target": "满意率持续低于目标",
    "overdue_open": "超期未办结",
    "complaint_surge": "诉求异常增多",
    "rectification_overdue": "整改超期",
    "hot_topic_rising": "热点快速增长",
}
ALERT_COLUMNS = {"rule": "预警", "where": "单位", "what": "情况", "since": "自"}

RULES_TAB = "预警规则"
RULES_CAPTION = (
    "预警在总览「需要关注」、周报「六、需要关注」和 python -m briefing alerts 中使用这些阈值；"
    "保存后下一次打开页面即生效。"
)
RULE_SETTINGS = {
    "enabled": "启用",
    "weeks": "连续周数",
    "min_replies": "每周最少有效回访",
    "max_open": "超期未办结上限（件）",
    "rising_weeks": "连续上升周数",
    "min_open": "上升时最少件数",
    "baseline_weeks": "基线周数",
    "min_cases": "最少件数",
    "p_value": "显著性水平 p",
    "min_items": "最少超期项数",
    "growth": "较上周增长倍数",
}
RULES_SAVE = "保存预警规则"
RULES_UNCHANGED = "没有改动。"
RULES_SAVED = "已保存 {n} 项设置。"
RULES_AUDIT = "修改预警规则：{changes}"
