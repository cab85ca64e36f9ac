"""Labels of 重复诉求 that name a record's source beside its id (a 12345 case 6 and a message
board's 留言编号 6 are two records)."""

from pages.ui import labels

COLUMNS = {
    "group_source": "首件来源",
    "source_system": "来源",
}
labels.COLUMNS.update(COLUMNS)

REPEAT_SPLIT_OPTION = "{case}（{source}）"
REPEAT_MERGE_SOURCE = "该诉求的来源"
REPEAT_MERGE_ANY_SOURCE = "（编号只在一个来源中时可不选）"
