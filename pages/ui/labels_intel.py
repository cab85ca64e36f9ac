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

HOT_TITLE = "热点问题"
HOT_CAPTION = (
    "同一事项的诉求组（见“民意诉求 · 重复诉求”）按热度排列。热度 = 本期件数 + 不同诉求人数 + 渠道数"
    " + ln(1 + 点赞数) + 比上期（{prev}）增加的件数（减少不扣分）。选中一行查看该组全部诉求。"
)
HOT_NONE = "所选范围内没有成组的诉求。"
FILE_HOT = "热点问题"
FILE_HOT_CASES = "热点问题明细"

WORDS_TITLE = "说明问题的词"
WORDS_CAPTION = (
    "对数似然比检验 G²（自由度 1）：G² ≥ 10.83 即 p < 0.001 才列出，且本期至少出现 {n} 次。"
    "选中一行查看用到该词的记录。"
)
RISING = "上升词"
RISING_CAPTION = "占全部词的比例比上期（{prev}）显著上升的词。"
RISING_NONE = "没有显著上升的词。"
DISTINCTIVE = "特征词"
DISTINCTIVE_CAPTION = "所选单位明显多于本局其他单位的词。"
DISTINCTIVE_NEEDS_UNIT = "在侧栏选择单位后，这里列出它区别于其他单位的特征词。"
DISTINCTIVE_NONE = "所选单位没有显著的特征词。"

REPLY_TITLE = "答复质量"
REPLY_CAPTION = (
    "只标记、不打分。超时：晚于办理时限答复（无时限时超过 {days} 个工作日）；模板：与至少 {template} 件"
    "其他答复几乎相同；答非所问：留言标题的字词在答复中出现的比例低于 {relevance}；过短：除引用外不足 {short} 字。"
)
REPLY_NONE = "所选范围内没有带答复的诉求。"
REPLY_FLAG = "只看"
REPLY_FLAGS = {
    "": "任一标记",
    "late": "超时",
    "template": "模板",
    "off_topic": "答非所问",
    "short": "过短",
}
FILE_REPLY_UNITS = "答复质量_按单位"
FILE_REPLY_CASES = "答复质量_标记明细"

COLUMNS = {
    "group_id": "组编号",
    "first_title": "首件标题",
    "channel_count": "渠道数",
    "channels": "渠道",
    "first_received_at": "首件时间",
    "last_received_at": "最近一件时间",
    "units": "涉及单位",
    "latest_status": "最近一件状态",
    "similarity": "与首件相似度",
    "linked_by": "归组方式",
    "complainant": "诉求人（摘要）",
    "repeat_groups": "所在重复组数",
    "heat": "热度",
    "latest_title": "最近一件标题",
    "previous_cases": "上期件数",
    "complainants": "诉求人数",
    "supporters": "点赞数",
    "places": "地点",
    "previous_n": "上期次数",
    "previous_share": "上期占比",
    "elsewhere_n": "其他单位次数",
    "elsewhere_share": "其他单位占比",
    "g2": "G²",
    "replies": "答复件数",
    "late_replies": "超时",
    "template_replies": "模板",
    "off_topic_replies": "答非所问",
    "short_replies": "过短",
    "flagged": "有标记件数",
    "flagged_share": "有标记占比",
    "replied_at": "答复时间",
    "reply_workdays": "答复用时（工作日）",
    "is_late": "超时",
    "similar_replies": "几乎相同的答复数",
    "is_template": "模板",
    "relevance": "答复切题度",
    "is_off_topic": "答非所问",
    "own_chars": "答复字数",
    "is_short": "过短",
    "reply_excerpt": "答复摘录",
}
labels.COLUMNS.update(COLUMNS)
