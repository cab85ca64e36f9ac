"""Chinese text of the bureau's category tree (分类体系) in the filters and top-category lists."""

from __future__ import annotations

CATEGORIES_HELP = "选择上级类别（如一级分类）即包含其下所有类别；不选则为全部类别。"
# A top-category bar: the category, then the level-1 category it rolls up to.
CATEGORY_WITH_LEVEL1 = "{category}（{level1}）"
