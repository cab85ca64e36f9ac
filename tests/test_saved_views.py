"""Saved views (保存的视图): a page and its filters kept under a name in the configuration store,
opened again from any page by a link that brings back the page and every filter; shared views
keep the viewer's own scope; names render as text; only the owner renames or deletes."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from auth import audit
from etl import saved_views
from etl.saved_views import SavedView, ViewError
from pages.ui import escape, filters, labels, unit_links
from pages.ui import labels_views as L
from pages.ui import saved_views as ui
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]
# 东城分局, 1–15 March 2024, 110, 治安: JQ01 JQ02 JQ03 JQ04 JQ05 (东风) and JQ06 (南湖); JQ07 is 交警.
# JQ05 未回访 → 5 valid of 6; JQ04 不满意 → 4/5 under the standard formula.
EAST_MARCH = {
    "flt_period": "自定义",
    "flt_dates": ["2024-03-01", "2024-03-15"],
    "flt_units": "东城分局",
    "flt_channels": "110",
    "flt_police_types": "治安",
}
EAST_MARCH_FIGURES = {
    "满意率": "80.0%",
    "有效回访率": "83.3%",
    "不满意件数": "1",
    "回访记录数": "6",
}


@pytest.fixture(autouse=True)
def warehouse(scratch_db, monkeypatch) -> Path:
    """A private warehouse copy, so each test's configuration store starts empty."""
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    return scratch_db


def open_page(name: str, role: str = "analyst", **query: str | list[str]) -> AppTest:
    at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), role)
    at.switch_page(f"pages/{name}.py")
    at.query_params.update(query)
    return at.run()


def open_link(url: str, role: str = "analyst") -> AppTest:
    """What a browser opening the relative link `url` gets: that page with that query string."""
    parts = urlsplit(url)
    return open_page(parts.path, role, **parse_qs(parts.query))


def metrics(at: AppTest) -> dict[str, str]:
    assert not at.exception, [e.value for e in at.exception]
    return {m.label: m.value for m in at.metric}


def save_in_sidebar(at: AppTest, name: str, *, shared: bool = False) -> AppTest:
    at.sidebar.text_input(key=ui.NAME_KEY).input(name)
    if shared:
        at.sidebar.checkbox(key=ui.SHARE_KEY).check()
    return at.sidebar.button(key=ui.SAVE_KEY).click().run()


def view_lines(at: AppTest) -> list[str]:
    """The sidebar's view entries: the markdown lines that hold a link."""
    return [m.value for m in at.sidebar.markdown if "](" in m.value]


def link_of(line: str) -> str:
    return re.search(r"\]\(([^)]*)\)", line).group(1)


def test_a_view_saved_on_one_page_opens_from_another_with_the_page_and_every_filter():
    at = open_page("satisfaction", **EAST_MARCH)
    assert metrics(at) == EAST_MARCH_FIGURES
    at = save_in_sidebar(at, "东城三月上旬")
    assert [s.value for s in at.sidebar.success] == [L.SAVED.format(name="东城三月上旬")]
    assert saved_views.visible("analyst")[0].query == {
        "flt_period": ["自定义"],
        "flt_dates": ["2024-03-01", "2024-03-15"],
        "flt_units": ["FJ1"],  # by id: the link names it as the viewer's widget does
        "flt_channels": ["110"],
        "flt_police_types": ["治安"],
    }

    elsewhere = open_page("complaints")
    [line] = view_lines(elsewhere)
    assert line == L.OWN.format(link=f"[东城三月上旬]({link_of(line)})")
    opened = open_link(link_of(line))
    assert opened.title[0].value == labels.TITLES["satisfaction"]
    side = opened.sidebar
    assert side.selectbox(key=filters.PERIOD_KEY).value == "自定义"
    assert side.date_input(key=filters.DATES_KEY).value == (date(2024, 3, 1), date(2024, 3, 15))
    assert side.multiselect(key=filters.UNITS_KEY).value == ["FJ1"]
    assert side.multiselect(key=filters.CHANNELS_KEY).value == ["110"]
    assert side.multiselect(key=filters.POLICE_TYPES_KEY).value == ["治安"]
    assert metrics(opened) == EAST_MARCH_FIGURES


def test_a_preset_and_a_category_come_back_and_defaults_stay_out_of_the_link():
    at = open_page("rectification", flt_period="本年", flt_categories="接处警")
    save_in_sidebar(at, "今年接处警")
    [view] = saved_views.visible("analyst")
    assert (view.page, view.query) == (
        "rectification",
        {"flt_period": ["本年"], "flt_categories": ["接处警"]},
    )
    [line] = view_lines(open_page("overview"))
    opened = open_link(link_of(line))
    assert opened.title[0].value == labels.TITLES["rectification"]
    assert opened.sidebar.selectbox(key=filters.PERIOD_KEY).value == "本年"
    assert opened.sidebar.multiselect(key=filters.CATEGORIES_KEY).value == ["接处警"]


def test_the_unit_profile_keeps_its_unit():
    at = open_page("unit", unit="P12")
    save_in_sidebar(at, "南湖画像")
    assert saved_views.visible("analyst")[0].query == {"unit": ["P12"]}
    [line] = view_lines(open_page("survey"))
    assert link_of(line) == "unit?unit=P12"
    assert open_link(link_of(line)).header[0].value == "东城分局南湖派出所"


def test_a_shared_view_opened_by_staff_of_another_tree_keeps_their_scope(warehouse):
    # The analyst shares 西城分局 + 110; staff (东城分局, FJ1) see it without 西城分局, on their
    # own tree: FJ1's 110 records JQ01-JQ07 (7), JQ05 未回访 → 6 valid, JQ04 不满意 → 5/6.
    at = open_page("satisfaction", flt_units="西城分局", flt_channels="110")
    save_in_sidebar(at, "西城110", shared=True)
    save_in_sidebar(open_page("satisfaction"), "只给自己")
    staff = open_page("overview", role="staff")
    [line] = view_lines(staff)  # the analyst's own, unshared view is not listed
    assert line == L.SHARED_BY.format(
        link="[西城110](satisfaction?flt_channels=110)", owner="analyst"
    )
    assert L.OUTSIDE_SCOPE.format(count=1) in [c.value for c in staff.sidebar.caption]
    opened = open_link(link_of(line), role="staff")
    assert opened.sidebar.multiselect(key=filters.UNITS_KEY).value == []
    assert metrics(opened) == {
        "满意率": "83.3%",
        "有效回访率": "85.7%",
        "不满意件数": "1",
        "回访记录数": "7",
    }
    # Nothing was refused: the link never named the unit outside their tree.
    assert audit.entries(actions=["scope_violation"]).empty


def test_the_stored_units_outside_the_tree_are_not_honoured_even_in_a_pasted_link():
    view = SavedView(1, "analyst", "x", "satisfaction", {"flt_units": ["FJ2"]}, True, None)
    # Built with the analyst's labels, the link names 西城分局; staff opening it stay in FJ1.
    url, outside = ui.link(view, {"FJ2": "西城分局"})
    assert (url, outside) == ("satisfaction?flt_units=%E8%A5%BF%E5%9F%8E%E5%88%86%E5%B1%80", 0)
    opened = open_link(url, role="staff")
    assert opened.sidebar.multiselect(key=filters.UNITS_KEY).value == []
    assert metrics(opened)["回访记录数"] == "13"  # FJ1's 13 records, not 西城分局's


@pytest.mark.parametrize(
    "name",
    [
        "[点我](http://evil.example)",
        "**粗体** <b>html</b> :red[红]",
        "![图](http://x.example/a.png)",
    ],
)
def test_names_with_markdown_or_html_render_as_text(name):
    at = save_in_sidebar(open_page("satisfaction"), name)
    assert [s.value for s in at.sidebar.success] == [L.SAVED.format(name=escape.md(name))]
    [line] = view_lines(at)
    assert line == f"[{escape.md(name)}](satisfaction)"
    # The stored name is the text as typed, shown in the manage list as plain text.
    assert at.sidebar.selectbox(key=ui.PICK_KEY).options == [name]


def test_an_empty_or_long_name_is_refused_in_chinese():
    at = save_in_sidebar(open_page("satisfaction"), "   ")
    assert [e.value for e in at.sidebar.error] == ["请填写视图名称。"]
    with pytest.raises(ViewError, match="视图名称不能超过 40 个字。"):
        saved_views.save("analyst", "长" * 41, "satisfaction", {})
    assert saved_views.visible("analyst") == []


def test_rename_and_delete_in_the_sidebar():
    save_in_sidebar(open_page("satisfaction", flt_channels="110"), "甲")
    at = save_in_sidebar(open_page("complaints"), "乙")
    ids = {v.name: v.view_id for v in saved_views.visible("analyst")}
    at.sidebar.selectbox(key=ui.PICK_KEY).set_value(ids["甲"])
    at.sidebar.text_input(key=ui.NEW_NAME_KEY).input("乙")
    at = at.sidebar.button(key=ui.RENAME_KEY).click().run()
    assert [e.value for e in at.sidebar.error] == ["已有名为「乙」的视图，请换一个名称。"]
    at.sidebar.text_input(key=ui.NEW_NAME_KEY).input("丙")
    at = at.sidebar.button(key=ui.RENAME_KEY).click().run()
    assert [s.value for s in at.sidebar.success] == [L.RENAMED.format(name="丙")]
    assert [(v.name, v.page) for v in saved_views.visible("analyst")] == [
        ("丙", "satisfaction"),
        ("乙", "complaints"),
    ]
    at.sidebar.selectbox(key=ui.PICK_KEY).set_value(ids["乙"])
    at = at.sidebar.button(key=ui.DELETE_KEY).click().run()
    assert [s.value for s in at.sidebar.success] == [L.DELETED.format(name="乙")]
    assert [v.name for v in saved_views.visible("analyst")] == ["丙"]
    assert view_lines(at) == [L.OWN.format(link="[丙](satisfaction?flt_channels=110)")]


def test_only_the_owner_renames_or_deletes_and_saving_a_name_again_replaces_it():
    first = saved_views.save("analyst", "周报", "overview", {"flt_period": ["本月"]})
    again = saved_views.save("analyst", "周报", "complaints", {}, shared=True)
    assert first == again
    [view] = saved_views.visible("leader")
    assert (view.owner, view.page, view.query, view.shared) == ("analyst", "complaints", {}, True)
    for change in (
        lambda: saved_views.rename(first, "leader", "我的"),
        lambda: saved_views.delete(first, "leader"),
    ):
        with pytest.raises(ViewError, match="只能修改或删除自己保存的视图。"):
            change()
    assert [v.name for v in saved_views.visible("analyst")] == ["周报"]


def test_only_known_filter_keys_and_url_paths_are_stored():
    with pytest.raises(ViewError, match="视图只能保存筛选条件，不能保存 evil。"):
        saved_views.save("analyst", "x", "overview", {"evil": ["1"]})
    with pytest.raises(ViewError, match="这个页面不能保存为视图。"):
        saved_views.save("analyst", "x", "../admin", {})
    with pytest.raises(ViewError, match="取值不合规"):
        saved_views.save("analyst", "x", "overview", {"flt_channels": ["x" * 201]})
    # The known keys are exactly the sidebar's filters and the profile's unit.
    assert saved_views.KNOWN_KEYS == (
        filters.PERIOD_KEY,
        filters.DATES_KEY,
        filters.UNITS_KEY,
        filters.CHANNELS_KEY,
        filters.POLICE_TYPES_KEY,
        filters.CATEGORIES_KEY,
        unit_links.UNIT_PARAM,
    )


def test_a_view_of_a_page_the_viewer_may_not_open_is_not_listed():
    # 路由模拟 needs "export", which a leader lacks.
    saved_views.save("analyst", "路由", "routing", {}, shared=True)
    saved_views.save("analyst", "总览", "overview", {}, shared=True)
    assert [link_of(line) for line in view_lines(open_page("overview", role="leader"))] == [
        "overview"
    ]


def test_saving_a_view_does_not_rewrite_the_warehouse(warehouse):
    before = warehouse.stat().st_mtime_ns, hashlib.sha256(warehouse.read_bytes()).hexdigest()
    saved_views.save("analyst", "x", "overview", {"flt_channels": ["110"]})
    assert (warehouse.stat().st_mtime_ns, hashlib.sha256(warehouse.read_bytes()).hexdigest()) == (
        before
    )
