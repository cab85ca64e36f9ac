"""Chinese text of the text-intelligence sections: 重复诉求, 热点问题, 上升词/特征词, 答复质量."""

from __future__ import annotations

from pages.ui import labels

REPEAT_TITLE = "重复诉求"
REPEAT_CAPTION = (
    "同一事项跨渠道反复反映的诉求归为一组。判定：与组内相邻一件相隔不超过 {window} 天，"
    "标题和内容的文字相似度（字符 2–3 元组 TF-IDF 余弦）加上同承办单位 +0.05、同一诉求人 +0.2、"
    "地点相同 +0.1、地点不同 −0.3，达到 {threshold} 即为同一事项；导出中的“重复件”直接成组。"
    "人工拆分、合并的结果在重新导入、撤销和重建后保持不变。"
)
REPEAT_NONE = "所选范围内没有重复诉求组。"
REPEAT_GROUPS_SHOWN = "共 {total} 组，按件数排列；选中一行查看该组全部诉求。"
REPEAT_CASES_OF = "该组全部诉求（跨渠道）"
REPEAT_SPLIT = "拆出所选诉求"
REPEAT_SPLIT_PICK = "要拆出的诉求（拆出的诉求单独成组，模型不再把它们并回）"
REPEAT_MERGE = "并入另一组"
REPEAT_MERGE_PICK = "另一组中任一诉求的编号"
REPEAT_DONE_SPLIT = "已拆出 {n} 件诉求（决定 #{id}）。"
REPEAT_DONE_MERGE = "已合并（决定 #{id}）。"
REPEAT_AUDIT = "#{id} {action}：{cases}"
REPEAT_ACTIONS = {"split": "拆分重复诉求组", "merge": "合并重复诉求组"}
REPEAT_PEOPLE = "重复诉求人"
REPEAT_PEOPLE_CAPTION = (
    "本期至少 {n} 件诉求的诉求人。诉求人只以加密摘要的前 6 位显示：号码、用户名本身不入库，"
    "任何人都看不到。"
)
FILE_REPEAT_GROUPS = "重复诉求组"
FILE_REPEAT_CASES = "重复诉求组明细"
FILE_REPEAT_PEOPLE = "重复诉求人"

COLUMNS = {
    "group_id": "组编号",
    "first_title": "首件标题",
    "channel_count": "渠道数",
    "channels": "渠道",
    "first_received_at": "首件时间",
    "last_received_at": "最近一件时间",
    "units": "涉及单位",
    "open_cases": "未办结件数",
    "latest_status": "最近一件状态",
    "similarity": "与首件相似度",
    "linked_by": "归组方式",
    "complainant": "诉求人（摘要）",
    "repeat_groups": "所在重复组数",
}
labels.COLUMNS.update(COLUMNS)
