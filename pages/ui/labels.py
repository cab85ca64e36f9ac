"""Every Chinese string the dashboard shows, in one place."""

from __future__ import annotations

APP_TITLE = "民意分析看板"

# url_path -> page title; the navigation and each page's heading read it from here.
TITLES = {
    "overview": "总览",
    "satisfaction": "满意度",
    "complaints": "民意诉求",
    "rectification": "整改进度",
    "report_burden": "报表负担",
    "survey": "警意调查",
    "keywords": "关键词云",
    "routing": "路由模拟",  # pages/ui/labels_intel.py holds the rest of its strings
    "review": "待复核",
}
SECTIONS = {"cockpit": "领导驾驶舱", "topics": "专题分析"}

NO_DATA = "当前筛选条件下没有数据。请放宽日期范围，或减少单位、渠道、警种、类别的筛选。"
NO_DATA_LOADED = (
    "尚未导入任何数据。请在「数据导入」页面上传业务系统导出的文件，"
    "或在命令行运行 `python -m demo --db {path}` 生成演示数据后刷新本页。"
)
BUILDING_DEMO = "首次启动：正在生成演示数据库，约需一分钟……"
DEMO_FAILED = (
    "演示数据生成失败：{error}。可在命令行运行 `python -m demo --db {path}` 查看详细原因。"
)
DB_UNREADABLE = "无法读取数据库 {path}：{error}"
PAGE_FAILED = (
    "页面出错，未能显示。已记录为事件 {incident}：请把这个编号告诉系统管理员。"
    "可刷新页面，或换个筛选条件再试。"
)
MIGRATING = "数据库结构已更新：正在升级数据库（只需一次）……"
MIGRATION_FAILED = (
    "数据库升级失败：{error}。可在命令行运行 `python -m etl migrate --db {path}` 查看详细原因。"
)
MIGRATION_PENDING = "数据库 {path} 的结构比程序旧，页面不会自行升级它。请在命令行运行 `python -m etl migrate --db {path}` 后刷新本页。"

# Sidebar
SIDEBAR_HEADER = "筛选条件"
PERIOD = "日期范围"
PRESETS = ("本周", "本月", "本季度", "本年", "近12个月", "自定义")
CUSTOM = "自定义"
DATES = "起止日期"
PERIOD_CAPTION = "{start} 至 {end}"
ANCHOR_HELP = "快捷范围以最新数据日期为准，便于数据按月导入时查看完整周期。"
UNITS = "单位"
UNITS_HELP = "选择分局即包含其下属派出所；不选则为全部单位。"
CHANNELS = "渠道"
POLICE_TYPES = "警种"
CATEGORIES = "类别"
ALL = "全部"
PICK = "请选择"
RESET = "重置筛选"
DATA_AS_OF = "数据截至 {when}"
NO_DATA_AS_OF = "暂无数据"

# Satisfaction formulas (settings.satisfaction_formula); the SQL macro satisfied_weight applies them.
FORMULA = "满意率口径"
FORMULAS = {
    "standard": "标准：(满意+基本满意)/有效回访",
    "strict": "严格：满意/有效回访",
    "weighted": "加权：(满意+0.5×基本满意)/有效回访",
}
FORMULA_HELP = "未回访不计入分母。不同单位口径不同时，请以同一口径比较。"

# KPI cards
TARGET = "目标 {value}"
NO_TARGET = "未设目标"
MOM = "环比"
YOY = "同比"
VS = "{name} {delta}"
NOT_COMPARABLE = "{name} —"
PP = "个百分点"
DAYS = "天"
STATUS = {"green": "达标", "amber": "接近目标", "red": "未达标"}
EXPLAIN = "口径"
NUMERATOR = "分子"
DENOMINATOR = "分母"
PERIOD_LABEL = "统计期间"
AS_OF = "数据截至"
NONE = "—"

# Tables and downloads
PAGE_INFO = "共 {total} 条，第 {page}/{pages} 页"
DOWNLOAD_CSV = "下载 CSV"
DOWNLOAD_XLSX = "下载 Excel"
DOWNLOAD_ALL_CSV = "下载全部 {n} 条（CSV）"
DOWNLOAD_ALL_XLSX = "下载全部 {n} 条（Excel）"
DOWNLOAD_CAPPED = "（仅前 {n} 条）"
SHEET = "数据"
NO_RECORDS = "没有符合条件的记录。"
DRILL_HINT = "点击图中的柱或表格中的行，可查看其下的明细记录。"
DRILL_TITLE = "明细：{what}"
DRILL_ALL = "全部记录"
YES = "是"
NO = "否"

# Column labels for tables and exports (query column -> Chinese).
COLUMNS = {
    "unit_id": "单位编号",
    "unit_name": "单位",
    "unit_type": "单位类型",
    "parent_name": "上级单位",
    "channel": "渠道",
    "kind": "诉求类型",
    "police_type": "警种",
    "category": "类别",
    # Who set a case's category (导入 / 人工 / 模型): shown wherever records_complaints is.
    "category_source": "类别来源",
    "month": "月份",
    "week": "周（周一）",
    "day": "日期",
    "records": "记录数",
    "valid_replies": "有效回访",
    "satisfied": "满意数（按口径）",
    "n_satisfied": "满意",
    "n_basic": "基本满意",
    "n_dissatisfied": "不满意",
    "n_no_reply": "未回访",
    "satisfaction_rate": "满意率",
    "reply_rate": "回访率",
    "wilson_low": "95%区间下限",
    "wilson_high": "95%区间上限",
    "is_small": "样本少",
    "league_rank": "排名",
    "record_id": "记录编号",
    "received_at": "受理时间",
    "callback_at": "回访时间",
    "callback_result": "回访结果",
    "response_minutes": "响应时长（分钟）",
    "note": "备注",
    "case_id": "案件编号",
    "title": "标题",
    "content": "内容",
    "status": "状态",
    "stage": "环节",
    "deadline_at": "办理时限",
    "closed_at": "办结时间",
    "satisfaction": "评议结果",
    "handling_unit_name": "承办单位",
    "receiving_unit_name": "受理单位",
    "routed_by": "分派方式",
    "duplicate_of": "重复件",
    "cases": "件数",
    "closed": "办结件数",
    "closure_rate": "办结率",
    "on_time": "按期办结件数",
    "on_time_rate": "按期办结率",
    "overdue": "超期件数",
    "overdue_working_days": "超期工作日",
    "open_cases": "在办件数",
    "returned": "退回/改派件数",
    "repeat_cases": "重复投诉件数",
    "repeat_rate": "重复投诉率",
    "avg_days_to_close": "平均办结天数",
    "median_days_to_close": "办结天数中位数",
    "days_to_close": "办结天数",
    "age_days": "已办天数",
    "previous_rate": "上期",
    "change": "变化",
    "newest_record_at": "数据截至",
    "item_id": "整改编号",
    "description": "问题描述",
    "found_on": "发现日期",
    "deadline_on": "整改时限",
    "rectified_on": "整改日期",
    "source": "来源",
    "source_ref": "来源编号",
    "review_result": "复查结果",
    "received": "受理件数",
    "returned_or_reassigned": "退回/改派件数",
    "callback_replies": "回访件数",
    "callback_satisfied": "回访满意数（按口径）",
    "callback_satisfaction_rate": "回访满意率",
    "working_days_overdue": "超期工作日",
    "is_closed": "已办结",
    "kind_label": "事项",
    "items": "数量",
    "rate": "满意率",
    "target": "目标",
    "prev_valid_replies": "上期有效回访",
    "prev_rate": "上期满意率",
    "population_label": "统计对象",
    "bucket": "工作日",
    "share_of_received": "占受理比例",
    "label": "指标",
    "value": "数值",
    "numerator": "分子",
    "denominator": "分母",
    # 民意诉求: returned and reassigned cases
    "first_unit_name": "首次分派单位",
    "returns": "退回次数",
    "reassignments": "改派次数",
    "last_return_at": "最近退回/改派时间",
    "last_return_stage": "最近环节",
    "last_return_note": "退回/改派原因",
    # 整改进度
    "found": "发现问题",
    "rectified": "已整改",
    "found_to_date": "累计发现",
    "rectified_to_date": "累计整改",
    "rectification_rate": "整改率",
    "long_term": "长期整改",
    "overdue_open": "超期未整改",
    "first_overdue_deadline": "最早超期时限",
    "is_overdue": "已超期",
    "share": "占比",
    # 报表负担
    "year": "年度",
    "station_name": "派出所",
    "listed_types": "台账报表种类",
    "retained_types": "保留报表种类",
    "hand_filled_types": "手工填报种类",
    "hand_share": "手工填报占比",
    "demanding_depts": "要求部门数",
    "at_or_above_line": "达到负担线",
    "demanding_dept": "要求部门",
    "listed_demands": "台账要求数",
    "retained_demands": "保留要求数",
    "stations": "派出所数",
    "hand_filled_demands": "手工填报要求数",
    "at_zero": "已清零",
    "stations_at_line": "达到负担线的派出所",
    "share_at_line": "达到负担线占比",
    "avg_retained_types": "站均保留报表",
    "max_retained_types": "最多保留报表",
    "depts_listed": "台账列出部门",
    "depts_at_zero": "已清零部门",
    "report_name": "报表名称",
    "frequency": "填报频次",
    "fill_method": "填报方式",
    # 警意调查
    "survey_id": "问卷",
    "headcount": "编制人数",
    "respondents": "参与人数",
    "participation_rate": "参与率",
    "target_unit_name": "被评部门",
    "is_suppressed": "人数不足不显示",
    "answers": "评分题数",
    "avg_score": "平均分",
    "share_high": "好评率",
    "suggestions": "建议条数",
    "submitted_on": "提交日期",
    "suggestion": "意见建议",
    "first_on": "首份提交日期",
    "last_on": "末份提交日期",
    "is_in_period": "在所选期间",
    # 关键词云
    "token": "词语",
    "n": "出现次数",
    "text": "原文",
    "source_label": "来源",
}

# Page texts
OVERVIEW_CAPTION = "统计期间 {period}，与上一周期（环比）和去年同期（同比）比较。"
SATISFACTION_CAPTION = "110、12345、窗口回访的满意情况。{formula}"
COMPLAINTS_CAPTION = "民意诉求从受理到评议的闭环办理情况。"
UNKNOWN = "未填写"
SHOW = "显示"
SHOW_ALL = "全部"
SHOW_OPEN = "仅在办"
SHOW_REPEAT = "仅重复投诉"
SHOW_RETURNED = "仅退回/改派"
WEEK_OF = "{day}当周"
DISSATISFIED_OF = "{units} 的不满意记录"

# File names of downloads (without extension)
FILE_UNIT_LEAGUE = "满意度_单位排名"
FILE_CALL_RECORDS = "回访记录明细"
FILE_OVERDUE_CASES = "超期诉求"
FILE_OVERDUE_OPEN_CASES = "超期未办结诉求"
OVERDUE_OPEN_CASES = "超期未办结诉求"
FILE_COMPLAINT_UNITS = "诉求_承办单位对比"
FILE_COMPLAINTS = "诉求明细"
FILE_RETURNED = "退回改派诉求"

# 满意度
FORMULA_SHORT = {"standard": "标准", "strict": "严格", "weighted": "加权"}
KPI_SATISFACTION = "满意率"
KPI_REPLY_RATE = "有效回访率"
KPI_DISSATISFIED = "不满意件数"
KPI_RECORDS = "回访记录数"
FORMULA_REPLY_RATE = "有效回访率 = 有效回访（满意、基本满意、不满意）/ 全部记录"
FORMULA_DISSATISFIED = "回访结果为「不满意」的记录数"
FORMULA_RECORDS = "期间受理的110、12345、窗口记录数（含未回访）"
BY_MONTH = "按月"
BY_WEEK = "按周"
BY_CHANNEL = "按渠道"
BY_POLICE_TYPE = "按警种"
UNIT_LEAGUE = "单位排名"
SMALL_UNITS = (
    "误差线为95%置信区间（Wilson）。有效回访少于 {n} 条的单位标为灰色、不参与排名："
    "样本太少，满意率的偶然波动很大。"
)
CALLBACK_RESULT = "回访结果"

# 总览
KPI_FORMULAS = {
    "satisfaction": "满意率 = 满意数（按口径）/ 有效回访。口径：{formula}",
    "reply_rate": "有效回访率 = 有效回访 / 全部回访记录",
    "closure": "办结率 = 已办结或已评议的诉求 / 期间受理的诉求",
    "on_time": "按期办结率 = 在时限内办结的诉求 / 已办结的诉求",
    "routing_automation": "自动分派率 = 按规则自动分派的诉求 / 已分派的诉求",
    "callback_satisfaction": "诉求回访满意率 = 满意数（按口径）/ 已办结诉求的有效回访。口径：{formula}",
    "rectification": "整改率 = 已整改问题 / 期间发现的问题（长期整改不计为已整改）",
    "participation": "参与率 = 参与问卷的民警、辅警人数 / 编制人数 × 问卷次数",
}
KPI_OVERDUE_OPEN = "超期未办结"
FORMULA_OVERDUE_OPEN = "期间受理、尚未办结且已过办理时限的诉求件数"
MOVERS = "变化最大的单位"
MOVERS_CAPTION = (
    "满意率与上一周期（{period}）相比的变化（百分点）。灰色为任一周期有效回访少于 {n} 条的单位，"
    "变化可能只是偶然波动。"
)
ATTENTION = "需要关注"
ATTENTION_CAPTION = "截至 {when}：超期未办结的诉求、超期未整改的问题、满意率低于目标的单位。"
NO_COMPARISON = "上一周期没有可比数据，无法计算变化。"
NOTHING_TO_ATTEND = "当前没有超期或低于目标的事项。"
OVERDUE_CASES = "超期诉求"
OVERDUE_OPEN_CASES = "超期未办结诉求"

# 民意诉求
KPI_RECEIVED = "受理件数"
KPI_CLOSURE = "办结率"
KPI_ON_TIME = "按期办结率"
KPI_OVERDUE = "超期件数"
KPI_RETURNED = "退回/改派件数"
KPI_REPEAT = "重复投诉率"
KPI_CALLBACK = "回访满意率"
KPI_ROUTING = "自动分派率"
FORMULA_RECEIVED = "期间受理的诉求件数"
FORMULA_CLOSURE = "办结率 = 已办结或已评议 / 受理。办结不等于解决：请同时看退回/改派与重复投诉。"
FORMULA_ON_TIME = "按期办结率 = 在时限内办结 / 已办结"
FORMULA_OVERDUE = "超期 = 在办且已过时限，或办结晚于时限（时限按工作日计）"
FORMULA_RETURNED = "办理过程中出现过退回或改派的诉求件数"
FORMULA_REPEAT = "重复投诉率 = 关联到此前诉求的重复件 / 受理"
FORMULA_CALLBACK = "回访满意率 = 满意数（按口径）/ 已办结诉求的有效回访。口径：{formula}"
FORMULA_ROUTING = (
    "自动分派率 = 按规则分派 / 已分派。首次分派即为最终承办单位的比例（准确率）：{accuracy}"
)
INTAKE = "受理渠道与诉求类型"
FUNNEL = "办理流程"
FUNNEL_CAPTION = (
    "受理 → 交办 → 转办 → 反馈 → 评议：到达各环节的诉求件数。转办只有部分诉求需要，不一定逐级减少。"
)
TIME_TO_CLOSE = "办理用时（工作日）"
TIME_TO_CLOSE_CAPTION = (
    "已办结诉求按受理至办结的工作日数，未办结诉求按受理至今的工作日数，分开统计。"
)
BY_HANDLING_UNIT = "承办单位对比"
MONTH_FORMAT = "%Y年%m月"
WEEK_FORMAT = "%m月%d日"
LEAGUE_TRIMMED = "前{n}名与后{n}名（共{total}个单位，完整排名见下表）"

# 整改进度
RECT_CAPTION = "整改台账中期间发现的问题（按发现日期统计）及其整改、超期和回头看情况。"
RECT_KPI_RATE = "整改率"
RECT_KPI_FOUND = "发现问题"
RECT_KPI_RECTIFIED = "已整改"
RECT_KPI_OVERDUE = "超期未整改"
RECT_KPI_REVIEWED = "已回头看"
RECT_FORMULA_FOUND = "期间发现（按发现日期）并录入整改台账的问题数"
RECT_FORMULA_RECTIFIED = "状态为「已整改」的问题数；长期整改、整改中、待整改均不计入"
RECT_FORMULA_OVERDUE = "尚未整改且整改时限早于 {as_of} 的问题数（长期整改也计入）"
RECT_FORMULA_REVIEWED = "已整改问题中已有回头看（复查）结果的数量"
RECT_BY_MONTH = "整改进展（按月）"
RECT_BY_MONTH_CAPTION = "每月新发现的问题与当月完成整改的问题（按整改日期，不论何时发现）。"
RECT_BY_UNIT = "责任单位"
RECT_WORST_UNITS = "整改率最低的 {n} 个单位；右表为全部单位。"
RECT_BY_SOURCE = "问题来源"
RECT_TOP_CATEGORIES = "问题最多的类别"
RECT_REVIEW = "回头看结果"
RECT_REVIEW_CAPTION = "已整改问题的复查结论；「未复查」为尚未回头看的问题。"
RECT_NOT_REVIEWED = "未复查"
RECT_DRILL_HINT = (
    "点击责任单位、问题来源或类别的柱（或责任单位表格中的行），下方问题清单只显示所选部分。"
)
RECT_ITEMS_TITLE = "整改问题：{what}"
RECT_FOUND = "发现"
RECT_RECTIFIED = "已整改"
RECT_SHOW_ALL = "全部"
RECT_SHOW_OPEN = "未整改"
RECT_SHOW_OVERDUE = "超期未整改"
RECT_SHOW_DONE = "已整改"
RECT_FILE_UNITS = "整改_责任单位"
RECT_FILE_SOURCES = "整改_问题来源"
RECT_FILE_ITEMS = "整改问题清单"

# 报表负担
BURDEN_CAPTION = (
    "派出所每年需填报的报表（台账按年度导入，日期筛选取其所含年度）。同一报表多个部门要求只计一种；"
    "「保留」之外的合并、取消不计入负担。"
)
BURDEN_YEAR = "年度"
BURDEN_YEAR_VALUE = "{year}年"
BURDEN_NO_YEAR = (
    "所选日期范围和单位没有报表台账（台账按派出所、按年度导入）。请把日期范围放宽到包含已导入台账的年度，"
    "或选择分局、派出所；尚未导入时请在「数据导入」上传报表台账。"
)
BURDEN_KPI_AVG = "站均保留报表"
BURDEN_KPI_AT_LINE = "{line}种以上占比"
BURDEN_KPI_HAND = "手工填报占比"
BURDEN_KPI_DEPTS = "仍有要求的部门"
BURDEN_KPI_ZERO = "已清零的部门"
BURDEN_FORMULA_AVG = (
    "站均保留报表 = 各派出所保留报表种类数之和 / 派出所数。按年度统计，同比为上一年度；无环比。"
)
BURDEN_FORMULA_AT_LINE = (
    "占比 = 保留报表达到 {line} 种及以上的派出所 / 派出所数。按年度统计，同比为上一年度。"
)
BURDEN_FORMULA_HAND = (
    "手工填报占比 = 手工填报的保留报表种类 / 保留报表种类（按派出所计）。同比为上一年度。"
)
BURDEN_FORMULA_DEPTS = "仍要求派出所填报至少一种保留报表的部门数。同比为上一年度。"
BURDEN_FORMULA_ZERO = (
    "台账中列出、但其全部要求已合并或取消的部门数；分母为台账中列出的部门数。同比为上一年度。"
)
BURDEN_AS_OF = "数据截至为最近一次导入报表台账的时间。"
BURDEN_DISTRIBUTION = "保留报表种类的分布"
BURDEN_DISTRIBUTION_CAPTION = (
    "每根柱为一个区间内的派出所数，蓝色为所选年度、灰色为其他年度；红色虚线为负担线"
    "（{line} 种，可在设置 report_burden_line 中调整）。"
)
BURDEN_LINE = "负担线 {line} 种"
BURDEN_STATIONS = "派出所数"
BURDEN_TYPES_RANGE = "保留报表种类"
BURDEN_BY_STATION = "{year}年各派出所"
BURDEN_BY_DEPT = "{year}年仍要求填报的部门"
BURDEN_ZERO_DEPTS = "已清零（全部合并或取消）：{depts}"
BURDEN_NO_ZERO_DEPTS = "尚无部门清零。"
BURDEN_BY_YEAR = "逐年变化"
BURDEN_DRILL_HINT = "点击部门的柱或派出所表格中的行，下方列出其报表明细。"
BURDEN_RECORDS = "{year}年报表明细：{what}"
BURDEN_FILE_STATIONS = "报表负担_派出所"
BURDEN_FILE_DEPTS = "报表负担_部门"
BURDEN_FILE_YEARS = "报表负担_逐年"
BURDEN_FILE_RECORDS = "报表负担_明细"

# 警意调查
SURVEY_CAPTION = "民警、辅警对机关部门的评议和意见建议。为保护答卷人，不足 {k} 人的分组只显示名称、不显示数字和原文。"
SURVEY_NO_ROUND = "所选期间和单位没有警意调查答卷。"
SURVEY_ROUNDS_HINT = (
    "已导入的问卷：{rounds}。问卷通常一年一至两次：请把日期范围改为「自定义」并包含问卷提交的日期，"
    "或减少单位筛选。"
)
SURVEY_NONE_LOADED = "尚未导入警意调查问卷：请在「数据导入」上传问卷平台导出的答卷。"
SURVEY_ROUND = "{survey}（{first} 至 {last}，{respondents} 人答卷）"
SURVEY_KPI_PARTICIPATION = "参与率"
SURVEY_KPI_RESPONDENTS = "参与人数"
SURVEY_KPI_SUGGESTIONS = "意见建议"
SURVEY_FORMULA_RESPONDENTS = "期间提交问卷的民警、辅警人数（每份答卷计一人）"
SURVEY_FORMULA_SUGGESTIONS = "期间填写了意见建议的题目数"
SURVEY_PICK = "问卷"
SURVEY_PARTICIPATION = "各单位参与率"
SURVEY_PARTICIPATION_CAPTION = "参与率 = 参与人数 / 编制人数。"
SURVEY_LOWEST_UNITS = "图中为参与率最低的 {n} 个单位，下表为全部单位。"
SURVEY_SCORES = "被评部门得分"
SURVEY_SCORES_CAPTION = "柱为好评率（4分、5分占比），表中另有平均分（1–5分）。"
SURVEY_SUPPRESSED = "评价人数少于 {k} 人、不予显示：{names}"
SURVEY_ALL_SUPPRESSED = (
    "所有分组的答卷人数都少于 {k} 人，为保护答卷人不予显示。请放宽日期或单位筛选。"
)
SURVEY_TOP_CATEGORIES = "意见建议的主要问题类别"
SURVEY_SUGGESTIONS = "意见建议"
SURVEY_SUGGESTIONS_OF = "意见建议：{what}"
SURVEY_CATEGORY_HINT = "点击类别的柱，下方只列出该类别的建议。"
SURVEY_SEARCH = "搜索建议内容或类别"
SURVEY_SEARCH_HINT = "例如：执法记录仪"
SURVEY_LIST_SUPPRESSED = (
    "当前筛选范围内提出建议的人数少于 {k} 人，为保护答卷人不显示建议原文。请放宽筛选条件。"
)
SURVEY_NO_SCORES = "期间没有对部门的评分。"
SURVEY_NO_PARTICIPATION = "所选单位期间没有人参与问卷。"
SURVEY_FILE_PARTICIPATION = "警意调查_参与率"
SURVEY_FILE_SCORES = "警意调查_部门得分"
SURVEY_FILE_SUGGESTIONS = "警意调查_意见建议"

# 关键词云
KW_CAPTION = "自由文本在导入时已用 jieba 分词（含警务词典、去除停用词），词云按出现次数绘制。"
KW_SOURCES = {"complaint": "民意诉求", "call_note": "回访备注", "survey_suggestion": "警意建议"}
KW_SOURCE = "文本来源"
KW_SOURCE_HELP = "不选则为全部来源。"
KW_COMPARE = "对比"
KW_SINGLE, KW_TWO_UNITS, KW_TWO_PERIODS = "不对比", "两个单位", "两个时期"
KW_UNIT_A, KW_UNIT_B = "单位甲", "单位乙"
KW_PERIOD_A, KW_PERIOD_B = "时期甲", "时期乙"
KW_TOO_FEW_UNITS = "至少需要两个单位才能对比。"
KW_NO_WORDS = "这一范围内没有可统计的词语。请放宽日期范围、单位或来源筛选。"
KW_FALLBACK = "未找到中文字体，改为显示出现次数最多的 {n} 个词。"
KW_TOP_WORDS = "高频词"
KW_PICK_WORD = "查看含该词的记录"
KW_PICK_WORD_HELP = "也可以点击高频词表中的一行。"
KW_PICK_WORD_PLACEHOLDER = "选择一个词"
KW_RECORDS_OF = "含「{word}」的记录"
KW_SUPPRESSED = "警意建议的答卷人少于 {k} 人，为保护答卷人不显示其原文。"
KW_CLOUD_ALT = "{what}的关键词云"
KW_FILE_WORDS = "高频词"
KW_FILE_RECORDS = "关键词记录"

# 数据导入 (pages/upload.py)
TITLES["upload"] = "数据导入"
SECTIONS["data"] = "数据管理"
UPLOAD_INTRO = (
    "上传业务系统导出的 CSV、XLSX 或 XLS 文件（单个文件不超过 {mb} MB，可一次上传多个）。"
    "系统先识别文件、预览将写入的内容，确认后才导入；每次导入都可撤销。"
)
UPLOAD_FILES = "选择或拖入导出文件"
UPLOAD_FILES_HELP = (
    "支持 CSV（UTF-8、GBK/GB18030 等编码）、XLSX、XLS；单个文件不超过 {mb} MB。"
    "启用宏的工作簿、设置了打开密码的文件、含公式或 DDE 命令的单元格会被拒绝，数据库不会有任何改动。"
)
UPLOAD_TOO_LARGE = "文件「{name}」有 {size:.1f} MB，超过单个文件 {mb} MB 的上限，未导入：请按月份或单位拆分后分别上传。"
UPLOAD_EMPTY = "文件「{name}」是空的：请重新导出有数据的文件后上传。"
UPLOAD_DETECTED = "识别结果：{format} 文件，{where}，表头在第 {header_row} 行，共 {columns} 列。"
UPLOAD_DETECTED_CSV = "编码 {encoding}"
UPLOAD_DETECTED_SHEET = "工作表「{sheet}」"
UPLOAD_KIND_BY_PROFILE = "数据类型：**{kind}**（表头与导入配置「{profile}」一致）"
UPLOAD_KIND_GUESSED = "数据类型：**{kind}**（按表头推断，匹配度 {score}，请核对）"
UPLOAD_KIND_UNKNOWN = "无法从表头判断数据类型：请在下方选择，并为各列指定对应字段。"
UPLOAD_READ_SETTINGS = "读取设置：编码、工作表、表头行"
UPLOAD_ENCODING = "文字编码"
UPLOAD_SHEET = "工作表"
UPLOAD_HEADER_ROW = "表头所在行"
UPLOAD_AUTO = "自动识别：{value}"
UPLOAD_ROW_N = "第 {n} 行"
UPLOAD_RAW = "文件原样内容（表头以下前 5 行）"
UPLOAD_KIND = "数据类型"
UPLOAD_KIND_PLACEHOLDER = "请选择数据类型"
UPLOAD_PICK_KIND = "选择数据类型后，将按所选类型对应各列并预览。"
UPLOAD_MAPPING = "列映射：{n}/{total} 列将导入"
UPLOAD_MAPPING_HELP = (
    "每一列对应到哪个字段；选「不导入」的列将被忽略。带（必填）的字段必须有对应列或统一取值。"
)
UPLOAD_IGNORE = "不导入"
UPLOAD_QUESTION = "题目（每题一行导入）"
UPLOAD_REQUIRED = "{name}（必填）"
UPLOAD_FIXED_REQUIRED = "文件中没有「{name}」这一列（必填）：请填写整份文件统一的值"
UPLOAD_FIXED_OPTIONAL = "为文件中没有的其他字段指定统一取值（可选，如整份文件的渠道）"
UPLOAD_QUESTIONNAIRE = (
    "问卷格式：{n} 个题目列将按每人每题一行导入，调查编号为「{survey}」（可在统一取值中修改）。"
)
UPLOAD_PROFILE = "保存为导入配置"
UPLOAD_PROFILE_HELP = "保存当前的数据类型、列映射和统一取值；以后上传表头相同的文件时将自动采用。"
UPLOAD_PROFILE_NAME = "配置名称（如：12345 工单导出）"
UPLOAD_PROFILE_SAVE = "保存配置"
UPLOAD_PROFILE_SAVED = "已保存导入配置「{name}」：以后上传表头相同的文件时将自动采用。"
UPLOAD_PREVIEW = "导入预览（尚未写入）"
UPLOAD_READ = "读取行数"
UPLOAD_NEW = "新增"
UPLOAD_UPDATED = "更新"
UPLOAD_SAME = "未变"
UPLOAD_REJECTED = "拒绝"
UPLOAD_CHANGE_COL = "处理"
UPLOAD_CHANGE_NEW = "新增"
UPLOAD_CHANGE_UPDATED = "更新"
UPLOAD_CHANGE_SAME = "未变"
UPLOAD_ERRORS = "**被拒绝的行：{n} 行（{values} 处问题）**，其余行照常导入："
UPLOAD_ERRORS_CAPPED = "仅显示前 {n} 处；导入后可下载全部被拒绝的行。"
UPLOAD_ROW = "行号"
UPLOAD_COLUMN = "字段"
UPLOAD_VALUE = "原值"
UPLOAD_ERROR = "说明"
UPLOAD_ERROR_LINE = "第 {row} 行 {error}"
UPLOAD_REASON = "错误原因"
UPLOAD_UNITS = "**{n} 个单位名称无法识别**：可为其选择对应的已知单位（保存为单位别名，以后自动识别），保存后重新预览。"
UPLOAD_UNIT_PICK = "「{value}」（{rows} 行）对应单位"
UPLOAD_UNIT_PLACEHOLDER = "最接近：{nearest}"
UPLOAD_ALIAS_SAVE = "保存 {n} 个单位别名并重新预览"
UPLOAD_ALIAS_SAVED = "已保存 {n} 个单位别名，预览已按新别名更新。"
UPLOAD_ALIAS_FILE = "单位别名"
UPLOAD_BLOCKED = "有 {n} 个文件还不能导入：请按上方提示处理，或从上传框中移除它。"
UPLOAD_LOAD = "确认导入（{n} 个文件）"
UPLOAD_LOADING = "正在导入 {files}……"
UPLOAD_LOADED = "导入完成"
UPLOAD_SUMMARY = "导入结果"
UPLOAD_DONE = "已导入 {files} 个文件：新增 {new:,} 行，更新 {updated:,} 行，拒绝 {rejected:,} 行。各页面已刷新。"
UPLOAD_REFUSED = "未导入：{reason}"
UPLOAD_RESULT_CAPTION = "导入编号 #{id}，数据类型：{kind}"
UPLOAD_FIGURES_MOVED = "看板指标的变化（全部数据、全局口径）："
UPLOAD_FIGURES_MOVED_UNIT = "看板指标的变化（全部数据、{unit}范围）："
UPLOAD_FIGURES_SAME = "看板指标未变化"
UPLOAD_FIGURE = "指标"
UPLOAD_BEFORE = "导入前"
UPLOAD_AFTER = "导入后"
UPLOAD_CHANGE = "变化"
UPLOAD_REJECTED_FILE = "{stem}_被拒绝的行"
UPLOAD_REJECTED_CSV = "下载被拒绝的行（CSV，改正后可重新上传）"
UPLOAD_REJECTED_XLSX = "下载被拒绝的行（Excel）"
UPLOAD_HISTORY = "导入记录"
UPLOAD_NO_HISTORY = "尚无导入记录。"
UPLOAD_IMPORT_ID = "编号"
UPLOAD_FILE = "文件"
UPLOAD_WHO = "导入人"
UPLOAD_WHEN = "导入时间"
UPLOAD_STATUS = "状态"
UPLOAD_FIGURES = "看板指标变化"
UPLOAD_IN_FORCE = "已导入"
UPLOAD_UNDO_PICK = "撤销一次导入"
UPLOAD_UNDO_PLACEHOLDER = "选择要撤销的导入"
UPLOAD_UNDO_OPTION = "#{id} {file}（{when}）"
UPLOAD_UNDO = "撤销所选导入"
UPLOAD_UNDO_CONFIRM = (
    "确定撤销导入 #{id}「{file}」吗？它新增的 {new} 行将被删除，它更新的 {updated} 行将恢复为导入前的值，"
    "看板随即更新。"
)
UPLOAD_UNDO_YES = "确认撤销"
UPLOAD_UNDO_NO = "取消"
UPLOAD_UNDONE = "已撤销导入 #{id}「{file}」：删除 {removed} 行，恢复 {restored} 行。各页面已刷新。"

# Sign-in, roles and the admin page (issue 6)
TITLES["admin"] = "账号与审计"
SIGN_IN_TITLE = f"{APP_TITLE} · 登录"
USERNAME = "用户名"
PASSWORD = "密码"
SIGN_IN = "登录"
SIGN_IN_HELP = "账号由管理员开设；忘记密码请联系管理员重设。连续输错多次会暂停登录一段时间。"
SIGN_OUT = "退出登录"
SIGNED_IN_AS = "{name}（{role}，{unit}）"
WHOLE_BUREAU = "全局"
SIGN_IN_FIRST = "请先登录。"
SSO_SIGN_IN = "使用单位统一身份认证登录"
SSO_OR_PASSWORD = "或使用 Minyi 账号和密码登录："
SSO_NO_ACCOUNT = "统一身份认证账号「{identity}」尚未在 Minyi 开通，请联系管理员用该名称开设账号。"
PAGE_DENIED = "{role}账号无权打开本页面，此次访问已记录。请从左侧菜单选择页面。"
NO_ACCOUNTS = (
    "还没有任何账号。请在服务器上运行以下命令新建第一个管理员（按提示输入两次密码），然后刷新本页：\n\n"
    "`{command}`"
)
NO_ACCOUNTS_CONSOLE = "民意分析看板：账号库 {path} 中还没有账号。新建第一个管理员：{command}"
UNITS_OUTSIDE_SCOPE = "链接中的单位不在本账号的查看范围内，已忽略（已记录）。"
UPLOAD_SCOPE = "内勤账号只能导入本单位（{unit}）及下属单位的数据；其他单位的行会被拒绝。"
ADMIN_ACCOUNTS = "账号"
ADMIN_AUDIT = "审计记录"
ADD_ACCOUNT = "新建账号"
DISPLAY_NAME = "姓名或称呼"
ROLE = "角色"
ROLE_HELP = (
    "领导：查看全部分析页面；分析员：查看并导出；内勤：查看、导出、导入本单位及下属单位的数据；"
    "管理员：以上全部，另管账号、撤销导入、单位别名、映射方案，并可看到未遮挡的个人信息。"
)
ACCOUNT_UNIT = "所属单位"
ACCOUNT_UNIT_HELP = "内勤必选：只能查看、导入该单位及下属单位的数据。领导、分析员可不选（全局）。"
PASSWORD_AGAIN = "再输入一次密码"
NEW_PASSWORD = "新密码"
PASSWORDS_DIFFER = "两次输入的密码不一致。"
ACCOUNT_ADDED = "已新建账号 {username}（{role}）。"
ENABLE = "启用账号"
DISABLE = "停用账号"
RESET_PASSWORD = "重设密码"
PASSWORD_RESET = "已重设 {username} 的密码，其已登录的会话全部失效。"
ACCOUNT_DISABLED_NOW = "已停用账号 {username}，其已登录的会话全部失效。"
ACCOUNT_ENABLED_NOW = "已启用账号 {username}。"
NOT_YOURSELF = "不能停用自己的账号。"
ACCOUNT_ACTIVE = "正常"
ACCOUNT_DISABLED = "停用"
DEMO_ACCOUNTS_LIVE = "演示账号 {names} 仍可登录，其密码写在 README 中：正式使用前请停用它们。"
AUDIT_DATES = "日期"
AUDIT_ACTIONS = "操作"
AUDIT_TEXT = "详情或来源地址包含"
EXPORT_DETAIL = "{file}：{rows} 行"
UPLOAD_AUDIT = "#{id} {file}（{kind}）：新增 {new}，更新 {updated}，拒绝 {rejected}"
UNDO_AUDIT = "#{id} {file}：删除 {removed} 行，恢复 {restored} 行"
AUDIT_SHOWN = "显示最近的 {n} 条（最多 {limit} 条），新的在前。"
COLUMNS.update(
    {
        "username": "用户名",
        "display_name": "姓名",
        "role": "角色",
        "unit": "单位",
        "status": "状态",
        "created_at": "创建时间",
        "changed_at": "修改时间",
        "at": "时间",
        "action": "操作",
        "detail": "详情",
        "client": "来源地址",
    }
)
TITLES["assessment"] = "考核评分"
TITLES["unit"] = "单位画像"  # pages/ui/labels_unit.py holds the rest of its strings
