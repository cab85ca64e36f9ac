"""Chinese text of the text-intelligence sections: 重复诉求, 热点问题, 上升词/特征词, 答复质量, and of the
classifier pages (路由模拟, 待复核) and inferred values elsewhere."""

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
    # A group is named by its first case: that case's source system and id.
    "group_source": "首件来源",
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

# 路由模拟, 待复核 and inferred values

INFERRED_FILTER = "模型推断的类别"
INFERRED_CHOICES = {"include": "含模型推断", "exclude": "不含模型推断", "only": "仅模型推断"}
INFERRED_LEGEND = (
    "标有「模型推断」的类别由模型根据文本推断（置信度达到阈值才写入），不是导出或人工给出的。"
)
TARGETS = {"category": "诉求类别", "handling_unit": "承办单位", "suggestion_category": "建议类别"}
# After an upload whose load left the fit to the background job (intel.jobs).
TRAINING_IN_BACKGROUND = (
    "{targets}模型正在后台训练（无需等待，可以继续操作）：训练完成前，尚无模型的记录暂不推断；"
    "完成后这些记录自动补上推断值，刷新页面即可看到。"
)

ROUTING_CAPTION = (
    "按所选时段的案件到达顺序回放「分派规则 + 模型」：每个月的案件只用该月之前已知的案件"
    "（受理时间早于月初、已有最终承办单位，全局）训练的模型来推断；规则为当前规则表，命中即按规则分派。"
    "某一置信度阈值下「自动分派」= 规则命中或模型置信度达到阈值；「正确」= 推断单位即最终承办单位。"
)
ROUTING_RUN = "开始模拟"
ROUTING_RUNNING = "正在按月训练模型并回放本时段案件……"
ROUTING_NO_CASES = "所选时段没有带最终承办单位的案件，无法模拟。"
ROUTING_THRESHOLD = "置信度阈值"
ROUTING_CASES = "案件数"
ROUTING_SHARE = "模拟自动分派率"
ROUTING_PRECISION = "模拟分派准确率"
ROUTING_ACTUAL = "实际自动分派率"
ROUTING_ACTUAL_ACCURACY = "实际分派准确率"
ROUTING_ACTUAL_HELP = (
    "本时段导出的分派方式为「规则」的案件占已分派案件之比；准确率为首次分派即最终承办单位的比例。"
)
ROUTING_CURVE = "自动分派率与准确率随阈值的变化"
ROUTING_BY_UNIT = "按承办单位"
ROUTING_BY_CATEGORY = "按诉求类别"
ROUTING_RULES = "分派规则"
ROUTING_RULES_EMPTY = "尚无分派规则。可在下方新增，或以「分派规则」类型导入 CSV。"
ROUTING_RULES_SAVE = "保存规则"
ROUTING_RULES_SAVED = "已保存 {n} 条规则（导入编号 {id}），新规则已用于未分类的案件。"
ROUTING_RULES_ADMIN = "仅管理员可修改规则。"
TRY_RULE = "试用一条规则"
TRY_PHRASE = "关键词"
TRY_CHANNEL = "适用渠道（可选）"
TRY_UNIT = "分派单位"
TRY_RESULT = "这条规则在本时段会命中 {caught} 件，其中 {right} 件（{precision}）分派正确。"
TRY_NONE = "这条规则在本时段不会命中任何案件。"
ANY = "（不限）"

REVIEW_CAPTION = (
    "置信度未达阈值的模型推断，按受理时间从早到晚排列。确认或改正后保存为人工标注"
    "（类别来源「人工」），写入审计记录，并用于下一次训练。"
)
REVIEW_TARGET = "复核对象"
REVIEW_EMPTY = "没有待复核的推断。"
REVIEW_CONFIRM = "确认"
REVIEW_LABEL = "标注为"
REVIEW_SAVE = "保存标注"
REVIEW_SAVED = "已保存 {n} 条人工标注（导入编号 {id}）。"
REVIEW_NOTHING = "请先勾选要确认的行。"
REVIEW_SCOPED = "人工标注对全局生效，由分析员或管理员保存；本账号可查看待复核的推断。"
REVIEW_AUDIT = "标注 {n} 条 {target}（导入 {id}）"
RULES_AUDIT = "保存分派规则 {n} 条（导入 {id}）"
REVIEW_TOTAL = "共 {n} 条待复核"

# Only new keys: a page's headers must not depend on which labels modules were imported before.
INFERRED_VALUE = "推断值"
labels.COLUMNS.update(
    {
        "record_id": "记录编号",
        "source_system": "来源",
        "value_name": "推断单位",
        "confidence": "置信度",
        "threshold": "阈值",
        "model_id": "模型",
        "rule_id": "规则编号",
        "phrase": "关键词",
        "set_category": "归入类别",
        "deadline_days": "办理时限（工作日）",
        "routed": "自动分派",
        "right": "正确",
        "routed_share": "自动分派率",
        "precision_rate": "准确率",
    }
)

# The routing rules editor's columns: the headers the routing_rules kind reads (etl/sources.py).
RULE_HEADERS = {
    "rule_id": "规则编号",
    "phrase": "关键词",
    "channel": "适用渠道",
    "category": "适用类别",
    "handling_unit_id": "分派单位",
    "set_category": "归入类别",
    "deadline_days": "办理时限（工作日）",
}
