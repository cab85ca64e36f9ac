"""Chinese text of the upload page (数据导入) added after labels.py: reasons and ways forward of a
rejected preview, the changes an update makes, clerks' undo, and the uploader's own words."""

ALL_REJECTED = "全部 {n:,} 行都会被拒绝，没有可以导入的行。请按下面的办法处理后再预览："
SOME_REJECTED = "被拒绝的原因与处理办法："
REASONS = "被拒绝的原因汇总"
REASON_FIELD = "字段"
REASON_ROWS = "行数"
REASON_EXAMPLE = "示例"
ADVICE_UNMAPPED_FIXABLE = (
    "文件中没有对应「{label}」的列（{n:,} 行因此被拒绝）：请在上方「列映射」中把含{label}的列选为"
    "「{label}」，或在上方为整份文件填写或选定统一的{label}。"
)
ADVICE_UNMAPPED = (
    "文件中没有对应「{label}」的列（{n:,} 行因此被拒绝）：请在上方「列映射」中把含{label}的列选为"
    "「{label}」。"
)
ADVICE_MAPPED = (
    "「{label}」取自文件的「{headers}」列，其中 {n:,} 行的值有问题（原因见下表）：请核对这一列是否"
    "对应正确，或改正文件后重新上传。"
)
ADVICE_FIXED = "「{label}」的统一取值「{value}」使 {n:,} 行被拒绝：请改选统一取值。"
ADVICE_ROWS = "{n:,} 行：{example}"
OWNER_FIXED = (
    "文件中没有「{label}」列：本账号只能导入本单位范围内的记录。请在「列映射」中把对应的列选为"
    "「{label}」，或在这里为整份文件选定{label}"
)
UNIT_PLACEHOLDER = "选择单位"
# Streamlit's file uploader has no setting for its own words (its button, the size line): the
# page puts Chinese ones in their place (pages/ui/upload.py uploader_in_chinese; labels_uploader).
UPLOADER_BUTTON = "选择文件"
UPLOADER_LIMIT = "单个文件不超过 {mb} MB"
# A row of a file whose id a later row of the same file has again: loaded as that later row.
SUPERSEDED_LEFT_OUT = "另有 {n:,} 行与文件中后面的行编号相同，已按后面的行导入：不需要改正，也不在被拒绝的行的文件中。"
# The source system of a file (records are keyed by it and their id) and what an update changes.
SOURCE = "来源系统"
SOURCE_HELP = (
    "记录按来源系统和编号识别：同一系统的新导出会更新已有记录，其他系统编号相同的记录不受影响。"
    "同一系统的导出请始终选同一个来源。"
)
SOURCE_DETECTED = "按表头识别的来源系统：{source}。"
SOURCE_CHOSEN = "已选来源系统：{source}（按表头识别为：{detected}）。"
CHANGES = "**将更新的 {records:,} 条记录中改动的字段**（原值 → 新值）："
CHANGES_CAPPED = "只列出前 {n:,} 处改动。"
CHANGE_ROW = "行号"
CHANGE_RECORD = "编号"
CHANGE_FIELD = "字段"
CHANGE_BEFORE = "原值"
CHANGE_AFTER = "新值"
# A clerk's proposal of a unit alias, which an admin confirms on the admin page (账号与审计).
ALIAS_PROPOSE_INTRO = (
    "**{n} 个单位名称无法识别**：可为其选择本单位范围内对应的单位，提交为单位别名申请；"
    "管理员在「账号与审计」页确认后，这些名称在以后的导入中自动识别，届时重新上传本文件即可。"
)
ALIAS_PROPOSE = "提交 {n} 个单位别名申请"
ALIAS_PROPOSED = "已提交 {n} 个单位别名申请，等待管理员确认。"
ALIAS_WAITING = "「{value}」已申请作为「{unit}」的别名，等待管理员确认。"
WARNINGS = "导入前请注意（这些不会拒绝任何行，但会影响看板指标）："
RESULT_SOURCE = "，来源系统：{source}"
# A wide category tree or problem map (etl/mapping.py wide_columns): what its melt reads.
WIDE_LEVEL = "类别（第 {level} 级）"
WIDE_PROBLEM = "共同问题"
WIDE_SIDE = "类别（来源：{side}）"
WIDE_CAPTION = (
    "宽表格式：按{columns}展开导入，每个类别一行（{fills}）；其他列不导入。"
    "列映射由表格格式决定，不能逐列修改。"
)
