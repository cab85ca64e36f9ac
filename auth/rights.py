"""The one table of rights: which role may do what, and which right opens each page.

Everything that decides what someone may do reads this module: Account.can (auth/accounts.py),
the navigation and each page's check (app.py through pages/ui/frame.py, pages/ui/gate.py), the
upload page's buttons, downloads and masking. tests/test_rights.py walks the code: every right it
asks for is here, and every page of app.py has its right in PAGES.

A role's unit scope is not a right: staff have `needs_unit` (auth/accounts.py) and every query
takes their unit tree as $scope, so the same right gives them their own tree only.

To add a right: one line in RIGHTS (a name in English, what it allows in Chinese, the roles);
check it with gate.can("<name>") or Account.can("<name>"); list it in docs/pages.md.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLE_NAMES = ("leader", "analyst", "staff", "admin")


@dataclass(frozen=True)
class Right:
    label: str  # what it allows, as the admin page and docs say it
    roles: frozenset[str]


def _right(label: str, *roles: str) -> Right:
    assert set(roles) <= set(ROLE_NAMES), roles
    return Right(label, frozenset(roles))


# Only admin sees personal data unmasked: it fixes rejected rows and unit aliases, where the raw
# value matters, and it can open any account anyway, so hiding pages from it would protect
# nothing (its every change is audited instead). Everyone else reads figures, not people.
RIGHTS: dict[str, Right] = {
    "view": _right("查看分析页面", "leader", "analyst", "staff", "admin"),
    "export": _right("下载表格和明细", "analyst", "staff", "admin"),
    "upload": _right("上传导出文件（内勤只导入本单位及下级单位的记录）", "staff", "admin"),
    "label": _right(
        "确认或改正模型推断（保存为人工标注，内勤只标本单位及下级单位的案件）",
        "analyst",
        "staff",
        "admin",
    ),
    "undo": _right("撤销自己的导入（之后没有导入改过同样的记录时）", "staff", "admin"),
    "undo_any": _right("撤销任何人的导入", "admin"),
    "profile": _right("保存导入配置（列映射）", "admin"),
    "alias": _right("确认单位别名", "admin"),
    "settings": _right("修改目标、口径等设置", "admin"),
    "manage": _right("管理账号、查看审计记录", "admin"),
    "personal_data": _right("查看未遮蔽的个人信息", "admin"),
}

# The right each page of app.py needs (the page's file stem); frame.page() looks it up when app.py
# declares the page, so a page missing here fails at start, not silently open.
PAGES: dict[str, str] = {
    "overview": "view",
    "unit": "view",
    "satisfaction": "view",
    "complaints": "view",
    "rectification": "view",
    "report_burden": "view",
    "survey": "view",
    "keywords": "view",
    "upload": "upload",
    "admin": "manage",
    "routing": "export",  # an analyst's replay of the routing, on the same case lists as downloads
    "review": "label",
    "assessment": "view",  # everyone reads scores; changing the scheme needs "settings"
}


def allows(role: str, right: str) -> bool:
    """May `role` do `right`? An unknown right is a programming error, not a refusal."""
    if right not in RIGHTS:
        raise KeyError(f"unknown right {right!r}: add it to auth/rights.py RIGHTS")
    return role in RIGHTS[right].roles


def page_right(page: str) -> str:
    """The right that opens page `page` (KeyError when the page has none)."""
    return PAGES[page]
