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
}
SECTIONS = {"cockpit": "领导驾驶舱", "topics": "专题分析"}

NO_DATA = "当前筛选条件下没有数据。请放宽日期范围，或减少单位、渠道、警种、类别的筛选。"
NO_DATA_LOADED = (
    "尚未导入任何数据。请在「数据导入」页面上传业务系统导出的文件，"
    "或在命令行运行 `python -m etl demo --db {path}` 生成演示数据后刷新本页。"
)
BUILDING_DEMO = "首次启动：正在生成演示数据库，约需一分钟……"
DEMO_FAILED = "演示数据生成失败：{error}。可在命令行运行 `python -m etl demo --db {path}` 查看详细原因。"
DB_UNREADABLE = "无法读取数据库 {path}：{error}"

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
WEEK_OF = "{day}当周"
DISSATISFIED_OF = "{units} 的不满意记录"

# File names of downloads (without extension)
FILE_UNIT_LEAGUE = "满意度_单位排名"
FILE_CALL_RECORDS = "回访记录明细"
FILE_OVERDUE_CASES = "超期诉求"
FILE_COMPLAINT_UNITS = "诉求_承办单位对比"
FILE_COMPLAINTS = "诉求明细"

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
FORMULA_ROUTING = "自动分派率 = 按规则分派 / 已分派。首次分派即为最终承办单位的比例（准确率）：{accuracy}"
INTAKE = "受理渠道与诉求类型"
FUNNEL = "办理流程"
FUNNEL_CAPTION = "受理 → 交办 → 转办 → 反馈 → 评议：到达各环节的诉求件数。转办只有部分诉求需要，不一定逐级减少。"
TIME_TO_CLOSE = "办理用时（工作日）"
TIME_TO_CLOSE_CAPTION = "已办结诉求按受理至办结的工作日数，未办结诉求按受理至今的工作日数，分开统计。"
BY_HANDLING_UNIT = "承办单位对比"
MONTH_FORMAT = "%Y年%m月"
WEEK_FORMAT = "%m月%d日"
LEAGUE_TRIMMED = "前{n}名与后{n}名（共{total}个单位，完整排名见下表）"

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
UPLOAD_NOT_ALLOWED = "当前账号没有导入数据的权限。"
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
UPLOAD_MAPPING_HELP = "每一列对应到哪个字段；选「不导入」的列将被忽略。带（必填）的字段必须有对应列或统一取值。"
UPLOAD_IGNORE = "不导入"
UPLOAD_QUESTION = "题目（每题一行导入）"
UPLOAD_REQUIRED = "{name}（必填）"
UPLOAD_FIXED_REQUIRED = "文件中没有「{name}」这一列（必填）：请填写整份文件统一的值"
UPLOAD_FIXED_OPTIONAL = "为文件中没有的其他字段指定统一取值（可选，如整份文件的渠道）"
UPLOAD_QUESTIONNAIRE = "问卷格式：{n} 个题目列将按每人每题一行导入，调查编号为「{survey}」（可在统一取值中修改）。"
UPLOAD_TWICE = "「{name}」同时对应了多列（{headers}）：请只保留一列。"
UPLOAD_MISSING = "还缺少必填字段：{names}。请为其选择对应列，或填写统一取值后再预览。"
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
UPLOAD_USER = "经办人"
UPLOAD_USER_HELP = "写入导入记录，便于日后查询是谁导入的。"
UPLOAD_BLOCKED = "有 {n} 个文件还不能导入：请按上方提示处理，或从上传框中移除它。"
UPLOAD_LOAD = "确认导入（{n} 个文件）"
UPLOAD_LOADING = "正在导入 {files}……"
UPLOAD_LOADED = "导入完成"
UPLOAD_SUMMARY = "导入结果"
UPLOAD_DONE = "已导入 {files} 个文件：新增 {new:,} 行，更新 {updated:,} 行，拒绝 {rejected:,} 行。各页面已刷新。"
UPLOAD_REFUSED = "未导入：{reason}"
UPLOAD_RESULT_CAPTION = "导入编号 #{id}，数据类型：{kind}"
UPLOAD_FIGURES_MOVED = "看板指标的变化（全部数据、全局口径）："
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
