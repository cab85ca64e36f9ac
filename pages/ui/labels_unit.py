"""Chinese strings of the unit profile (单位画像, pages/unit.py) and of the links to it."""

from __future__ import annotations

CAPTION = (
    "一个单位在所选期间（{period}）的全部情况：各项指标对照目标、月度走势、在同类单位中的位次、"
    "诉求、整改、报表负担、警意调查和数据截至时间。侧栏的单位筛选在本页不起作用，"
    "其他筛选（日期、渠道、警种、类别）照常生效。"
)
CHOOSE = "选择单位"
CHOOSE_PLACEHOLDER = "输入单位名称查找"
CHOOSE_HINT = (
    "选择一个分局、派出所、机关部门或窗口，查看它的画像。其他页面表格中的「画像」链接也会打开这里。"
)
REFUSED = "链接中的单位不存在，或不在本账号的查看范围内（已记录）。请从下面选择本账号可查看的单位。"
NO_UNITS = "本账号可查看的范围内没有单位。"
HEADING = "{name}"
UNIT_LINE = "{unit_type} · 上级：{parent} · 单位编码 {unit_id}"
UNIT_LINE_TOP = "{unit_type} · 单位编码 {unit_id}"
UNKNOWN_TYPE = "未标明类型"

KPIS = "指标与目标"
KPIS_CAPTION = (
    "与总览的指标口径相同，只统计本单位及其下属单位的记录；"
    "环比、同比为同一单位的上一周期和去年同期。"
)
KPIS_EMPTY = "本期没有数据的指标：{names}。"
TREND = "满意率月度走势"
TREND_EMPTY = "本期没有回访记录。"

PEERS = "同类单位排名（{unit_type}）"
PEERS_CAPTION = (
    "按满意率在本账号可查看的同类单位中排名，各单位含其下属单位的回访记录。误差线为95%置信区间（Wilson）；"
    "有效回访少于 {n} 条的单位标为灰色、不参与排名。"
)
RANKED = (
    "在 {peers} 个{unit_type}中排第 {rank} 位：满意率 {rate}"
    "（95%置信区间 {low}–{high}，有效回访 {replies} 条）。"
)
SMALL = (
    "有效回访只有 {replies} 条（少于 {n} 条），样本太少，不参与排名：满意率 {rate}，"
    "95%置信区间 {low}–{high}。"
)
NO_CALLS = "本期没有本单位的回访记录，无法排名。"

COMPLAINTS = "民意诉求"
BY_CATEGORY = "按问题类别"
BY_CHANNEL = "按来源渠道"
OVERDUE_CASES = "超期诉求（含超期后办结）"
REPEAT_CASES = "重复诉求"
NO_COMPLAINTS = "本期没有本单位承办的诉求。"
FILE_OVERDUE = "单位画像_超期诉求"
FILE_REPEATS = "单位画像_重复诉求"

RECTIFICATION = "整改台账"
NO_RECTIFICATION = "本期没有本单位的整改问题。"
FILE_RECTIFICATION = "单位画像_整改台账"

BURDEN = "报表负担"
BURDEN_CAPTION = (
    "期间所含年度的报表台账，每个派出所每年一行；保留报表数达到 {line} 种即为超过负担线。"
)
FILE_BURDEN = "单位画像_报表负担"

SURVEY = "警意调查"
SURVEY_SCORES = "本单位作为被评部门得到的评分"
SURVEY_SUGGESTIONS = "民警、辅警的意见建议"
SURVEY_SUGGESTIONS_CAPTION = (
    "写给本单位的建议，以及本单位民警、辅警未指明部门的建议。个人信息已遮蔽；"
    "人数少于 {k} 人时不显示，以免认出填写人。"
)
SURVEY_NONE = "本期没有与本单位有关的警意调查评分或建议。"
FILE_SUGGESTIONS = "单位画像_警意建议"

WORDS = "特征词"
WORDS_CAPTION = (
    "本单位的诉求、回访备注和警意建议中，比本账号可查看的其他单位明显更常出现的词"
    "（至少出现 {n} 次，p < 0.001）。"
)
WORDS_NONE = "本期没有明显的特征词。"
WORDS_SHOW = "显示特征词"
WORDS_SHOW_HELP = (
    "特征词要把本单位的每个词与本账号可查看的其他单位逐一比较，计算较慢，需要时再打开。"
)

FRESHNESS = "数据截至"
FRESHNESS_CAPTION = (
    "本单位（含下属单位）每类数据的条数、最新一条记录的日期，以及该类文件最近一次导入的时间。"
)
SOURCES = {
    "call_records": "回访记录（110、12345、窗口）",
    "complaints": "民意诉求",
    "survey_responses": "警意调查答卷",
    "rectifications": "整改台账",
    "report_ledger": "报表台账",
}

CHILDREN = "下属单位"
CHILDREN_CAPTION = "每个下属单位（含其下属单位）的同一组指标，口径与上面的卡片相同。"
FILE_CHILDREN = "单位画像_下属单位"

# Column headers of frames the profile assembles, beside labels.COLUMNS.
COLUMNS = {"peer_rank": "同类排名"}
FRESHNESS_COLUMNS = {
    "source": "数据类别",
    "rows": "条数",
    "newest_record_at": "最新记录",
    "last_loaded_at": "最近导入",
}

# The link to a unit's profile in other pages' tables (pages/ui/tables.py).
PROFILE_COLUMN = "画像"
PROFILE_LINK = "查看画像"
PROFILE_LINK_HELP = "打开该单位的单位画像（新标签页）"
