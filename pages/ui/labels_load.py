"""Labels of the admin's confirmations: unit aliases clerks proposed, survey rounds clerks opened."""

ADMIN_CONFIRM = "别名与问卷确认"
ALIASES_PENDING = "待确认的单位别名"
ALIASES_NONE = "没有待确认的单位别名。"
ALIAS_COLUMNS = {
    "alias": "别名（导出中的写法）",
    "unit": "对应单位",
    "proposed_by": "申请人",
    "proposed_at": "申请时间",
}
ALIASES_PICK = "选择要处理的别名"
ALIASES_CONFIRM = "确认所选别名"
ALIASES_DECLINE = "不采纳所选别名"
ALIASES_CONFIRMED = "已确认 {n} 个单位别名：以后导入时这些名称将识别为对应单位。"
ALIASES_DECLINED = "已不采纳 {n} 个单位别名。"
ROUNDS_PENDING = "内勤导入、待确认的问卷"
ROUNDS_HELP = "内勤导入的新一轮问卷，经管理员确认后才会作为警意调查页面默认显示的问卷。"
ROUNDS_NONE = "没有待确认的问卷。"
ROUND_COLUMNS = {
    "survey_id": "问卷",
    "source_system": "来源",
    "respondents": "答卷人数",
    "first_on": "最早提交",
    "last_on": "最晚提交",
}
ROUNDS_PICK = "选择要确认的问卷"
ROUNDS_CONFIRM = "确认所选问卷"
ROUNDS_CONFIRMED = "已确认 {n} 个问卷。"
SURVEY_PICK_UNCONFIRMED = "请选择问卷（内勤导入的新问卷经管理员确认后才默认显示）"
