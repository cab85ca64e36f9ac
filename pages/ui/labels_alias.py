"""Chinese text of the unit alias proposals (pages/ui/upload_alias.py, the alias section of
pages/admin.py) and of the advice on rows of another unit's tree (pages/ui/upload_advice.py)."""

# The audit row's detail: the alias and the unit it names (who and when are the row's own columns).
ALIAS_AUDIT = "「{alias}」→ {unit}（{unit_id}）"

# Rows whose unit is a known one outside the clerk's tree: each unit found, the tree it belongs to,
# and what to do (the rest of the file loads; these rows are for that tree's own account).
OUT_OF_TREE = (
    "{n:,} 行的{label}属于其他单位，不在本账号范围（{scope}）内：{units}。本账号只能导入本单位及"
    "下级单位的记录：其余的行可以照常导入；这些行请在导入后用「下载被拒绝的行」下载，交所属单位的"
    "账号或管理员导入。{fix}"
)
OUT_OF_TREE_UNIT = "「{unit}」（{rows:,} 行，属于{home}）"
OUT_OF_TREE_ABOVE = "「{unit}」（{rows:,} 行，是本单位的上级单位）"
OUT_OF_TREE_FIX_COLUMN = (
    "如果这些记录其实属于本单位，请改正文件中「{headers}」列的单位名称后重新上传。"
)
OUT_OF_TREE_FIX = "如果这些记录其实属于本单位，请改正单位名称后重新上传。"
