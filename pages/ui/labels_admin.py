"""Chinese strings of 账号与审计's 目标与阈值 tab and the account changes (role, unit, lock)."""

from __future__ import annotations

# -- 目标与阈值 ---------------------------------------------------------------------------------
TARGETS_TAB = "目标与阈值"
TARGETS_CAPTION = (
    "各页面的目标和判定阈值。保存后下次打开页面即生效，不需重启，也不改动数据库文件；"
    "默认值来自数据库，恢复默认即删除页面上的修改。每次修改记入审计。"
)
TARGET_COLUMNS = {
    "name": "设置",
    "key": "键",
    "value": "当前值",
    "default_value": "默认值",
    "note": "说明",
    "changed_by": "修改人",
    "changed_at": "修改时间",
    "where": "在何处修改",
}
WHERE_PAGE = "本页"
WHERE_LOAD = "导入时读取，在数据库中修改"
TARGET_PICK = "要修改的设置"
TARGET_VALUE = "新值"
TARGET_VALUE_HELP = {
    "rate": "比率：0 到 1 之间的小数，或百分数，如 0.95 或 95%。",
    "count": "整数。",
    "number": "不小于 0 的数。",
    "formula": "standard（标准）、strict（严格）或 weighted（加权）。",
}
TARGET_SAVE = "保存设置"
TARGET_RESET = "恢复默认值"
TARGET_SAVED = "已将「{name}」设为 {value}（原为 {before}）。"
TARGET_RESET_DONE = "「{name}」已恢复默认值 {value}。"
TARGET_AUDIT = "{key}（{name}）：{before} → {after}"
TARGET_AUDIT_RESET = "{key}（{name}）：{before} → 默认值 {after}"

# -- accounts -----------------------------------------------------------------------------------
CHANGE_ACCOUNT = "修改账号"
LAST_SIGN_IN = "最近登录"
LOCK_STATE = "登录锁定"
NOT_LOCKED = "未锁定"
LOCKED_UNTIL = "锁定至 {until}"
FAILURES = "连续失败 {n} 次"
NEVER = "从未登录"
ROLE_UNIT = "修改角色或单位"
ROLE_UNIT_SAVE = "保存角色和单位"
ROLE_UNIT_SAME = "角色和单位没有变化。"
ROLE_UNIT_SAVED = "{username} 现为{role}（{unit}），下次打开页面时生效。"
UNLOCK = "解除登录锁定"
UNLOCKED = "已解除 {username} 的登录锁定。"
