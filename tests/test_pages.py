"""The frame and its pages under AppTest on the sample warehouse: every page renders, filters
change the figures to the values data/sample gives by hand, and the URL restores the view."""

from __future__ import annotations

import ast
import re
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pages.ui import filters, labels
from queries import db
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]


def declared_pages() -> list[dict]:
    """Every st.Page(frame.page("pages/<name>.py", …), url_path=…, …) app.py declares, in order:
    name, url_path, default, hidden, needs_data."""
    pages = []
    for node in ast.walk(ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "st.Page":
            source = node.args[0]
            options = {k.arg: ast.literal_eval(k.value) for k in source.keywords}
            keywords = {k.arg: k.value for k in node.keywords}
            # visibility is "hidden" (the overview's twin) or says whether the role may see it.
            flags = {
                k: ast.literal_eval(v) if isinstance(v, ast.Constant) else ast.unparse(v)
                for k, v in keywords.items()
                if k != "title"
            }
            pages.append(
                {
                    "line": node.lineno,
                    "name": Path(ast.literal_eval(source.args[0])).stem,
                    "url_path": flags["url_path"],
                    "default": flags.get("default", False),
                    "hidden": flags.get("visibility") == "hidden",
                    "needs_data": options.get("needs_data", True),
                }
            )
    return sorted(pages, key=lambda page: page["line"])


PAGES = [page for page in declared_pages() if not page["hidden"]]  # the navigation, in order
DEFAULT = next(page["name"] for page in PAGES if page["default"])


# Who opens a page in these tests: an analyst, but the pages for loading and for accounts are not
# an analyst's (tests/test_access.py checks who may open what).
OPENER = {"upload": "admin", "admin": "admin"}


def open_page(
    name: str | None = None, *, role: str | None = None, **query: str | list[str]
) -> AppTest:
    """Run the app signed in as `role` (by default the page's OPENER, else an analyst) on page
    `name` (None = the root URL) with the given URL query parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = signed_in(at, role or OPENER.get(name or "", "analyst"))
    if name:
        at.switch_page(f"pages/{name}.py")
    at.query_params.update(query)
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def sample(sample_db):
    """Every test here that runs the app reads the sample warehouse."""
    return sample_db


def test_every_page_file_is_registered():
    files = {p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__"}
    assert files == {page["name"] for page in PAGES}
    assert set(labels.TITLES) == files


def test_screenshot_tool_finds_every_page_at_an_address_of_its_own():
    # /work/shared/bin/screenshot-pages reads app.py with this pattern and opens /<url_path>, else
    # /<file stem>. Streamlit serves the default page at "/" only, so each address it opens must be
    # the url_path of a non-default page.
    paths = set()
    for match in re.finditer(
        r"st\.Page\(([^)]*)\)", (ROOT / "app.py").read_text("utf-8"), re.DOTALL
    ):
        file = re.search(r"[\"']([^\"']+\.py)[\"']", match.group(1))
        url = re.search(r"url_path\s*=\s*[\"']([^\"']*)[\"']", match.group(1))
        if file:
            paths.add(url.group(1) if url else Path(file.group(1)).stem)
    files = {p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__"}
    assert paths == files
    assert paths <= {page["url_path"] for page in declared_pages() if not page["default"]}


def test_root_url_opens_the_default_page_in_the_frame(sample):
    at = open_page()
    assert not at.exception
    assert [t.value for t in at.title] == [labels.TITLES[DEFAULT]]
    assert at.sidebar.selectbox(key=filters.PERIOD_KEY).value == filters.DEFAULT_PRESET


@pytest.mark.parametrize("name", [page["name"] for page in PAGES])
def test_every_page_renders_with_its_title_and_the_sidebar(sample, name):
    # switch_page before the first run opens pages/<name>.py the way a fresh server does for a
    # deep link (PITFALLS P1): the page file itself must bring up the whole frame.
    at = open_page(name)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == labels.TITLES[name]
    assert at.sidebar.multiselect(key=filters.UNITS_KEY).options


def test_sample_totals_on_the_satisfaction_page(sample):
    # data/sample call records: 30 records, 4 未回访 (CK06 GD06 JQ05 JQ12) → 26 valid replies,
    # 5 不满意 (CK08 GD03 GD10 JQ04 JQ10) → 21 satisfied under the standard formula.
    at = open_page("satisfaction")
    assert metrics(at) == {
        "满意率": "80.8%",
        "有效回访率": "86.7%",
        "不满意件数": "5",
        "回访记录数": "30",
    }


def test_choosing_a_unit_counts_its_stations(sample):
    # 东城分局 = 东风派出所 P11 (GD01 GD08 GD10 JQ01-JQ05: 8 records) + 南湖派出所 P12 (GD02 GD03
    # GD09 JQ06 JQ07: 5). 13 records, JQ05 未回访 → 12 valid; 不满意 GD10 JQ04 GD03 → 9/12.
    expected = {"满意率": "75.0%", "有效回访率": "92.3%", "不满意件数": "3", "回访记录数": "13"}
    at = open_page("satisfaction")
    at.sidebar.multiselect(key=filters.UNITS_KEY).set_value(["FJ1"]).run()
    assert metrics(at) == expected
    assert metrics(open_page("satisfaction", flt_units="东城分局")) == expected


def test_choosing_a_channel_narrows_calls_and_complaints(sample):
    # 110 records JQ01-JQ12: 6 满意, 2 基本满意, 2 不满意, 2 未回访 → 8/10 satisfied, 10/12 replied.
    at = open_page("satisfaction")
    at.sidebar.multiselect(key=filters.CHANNELS_KEY).set_value(["110"]).run()
    assert metrics(at) == {
        "满意率": "80.0%",
        "有效回访率": "83.3%",
        "不满意件数": "2",
        "回访记录数": "12",
    }
    # 12345 cases SQ01 02 05 07 09 10 12 14 15: 9 received, 7 closed (SQ12 SQ14 交办), closed on
    # time 5 (SQ02 and SQ09 closed after their deadline).
    at = open_page("complaints", flt_channels="12345")
    shown = metrics(at)
    assert (shown["受理件数"], shown["办结率"], shown["按期办结率"]) == ("9", "77.8%", "71.4%")


def test_url_parameters_restore_dates_units_and_formula(sample):
    # 东城分局, 1–15 March 2024: P11 GD01 JQ01 JQ02 JQ03 JQ04 JQ05, P12 GD02 GD03 JQ06 JQ07 → 10
    # records, 9 valid (JQ05); strict counts 满意 only: GD01 JQ01 JQ02 GD02 JQ06 → 5/9.
    at = open_page(
        "satisfaction",
        flt_period="自定义",
        flt_dates=["2024-03-01", "2024-03-15"],
        flt_units="东城分局",
        sat_formula="严格",
    )
    assert at.sidebar.selectbox(key=filters.PERIOD_KEY).value == "自定义"
    assert at.sidebar.date_input(key=filters.DATES_KEY).value == (
        date(2024, 3, 1),
        date(2024, 3, 15),
    )
    assert at.sidebar.multiselect(key=filters.UNITS_KEY).value == ["FJ1"]
    assert at.radio(key="sat_formula").value == "strict"
    assert metrics(at) == {
        "满意率": "55.6%",
        "有效回访率": "90.0%",
        "不满意件数": "2",
        "回访记录数": "10",
    }


@pytest.mark.parametrize(
    ("formula", "rate"),
    # 16 满意 and 5 基本满意 of 26 valid replies: strict 16/26, weighted (16 + 2.5)/26.
    [("standard", "80.8%"), ("strict", "61.5%"), ("weighted", "71.2%")],
)
def test_formula_switch_changes_the_rate(sample, formula, rate):
    at = open_page("satisfaction")
    at.radio(key="sat_formula").set_value(formula).run()
    assert metrics(at)["满意率"] == rate
    assert labels.FORMULAS[formula] in at.caption[0].value


def test_overdue_counts_and_their_records(sample):
    # As of the newest record (2024-06-05 14:30): open past deadline SQ04 SQ06 SQ08 SQ11 SQ12 SQ14,
    # closed late SQ02 SQ09 → 8 overdue, 6 of them still open.
    at = open_page("complaints")
    assert metrics(at)["超期件数"] == "8"
    assert labels.PAGE_INFO.format(total="8", page=1, pages=1) in [c.value for c in at.caption]
    assert metrics(open_page("overview"))["超期未办结"] == "6"


def test_filters_matching_nothing_say_so(sample):
    at = open_page("satisfaction", flt_channels="平安民声")  # a complaint channel, no calls
    assert not at.exception
    assert [i.value for i in at.info] == [labels.NO_DATA]


@pytest.mark.parametrize("name", [page["name"] for page in PAGES if page["needs_data"]])
def test_no_database_yet_explains_what_to_do(monkeypatch, tmp_path, name):
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv("MINYI_DB", str(missing))
    monkeypatch.setenv("MINYI_DEMO", "0")
    at = open_page(name)
    assert not at.exception
    assert at.title[0].value == labels.TITLES[name]
    assert [i.value for i in at.info] == [labels.NO_DATA_LOADED.format(path=missing)]


def test_empty_warehouse_explains_what_to_do(monkeypatch, tmp_path):
    from etl.store import migrate

    path = tmp_path / "empty.duckdb"
    con = db.connect_write(path)
    migrate(con)
    con.close()
    monkeypatch.setenv("MINYI_DB", str(path))
    at = open_page("satisfaction")
    assert not at.exception
    assert [i.value for i in at.info] == [labels.NO_DATA_LOADED.format(path=path)]


def test_presets_end_at_the_anchor_day():
    anchor = date(2024, 5, 15)  # a Wednesday
    assert filters.preset_range("本周", anchor) == (date(2024, 5, 13), anchor)
    assert filters.preset_range("本月", anchor) == (date(2024, 5, 1), anchor)
    assert filters.preset_range("本季度", anchor) == (date(2024, 4, 1), anchor)
    assert filters.preset_range("本年", anchor) == (date(2024, 1, 1), anchor)
    assert filters.preset_range("近12个月", anchor) == (date(2023, 6, 1), anchor)


def test_previous_and_last_year_periods():
    month = filters.Filters(start=date(2024, 3, 1), end=date(2024, 3, 31), preset="本月")
    assert (month.previous().start, month.previous().end) == (date(2024, 2, 1), date(2024, 2, 29))
    custom = filters.Filters(start=date(2024, 3, 1), end=date(2024, 3, 10), preset="自定义")
    assert (custom.previous().start, custom.previous().end) == (
        date(2024, 2, 20),
        date(2024, 2, 29),
    )
    leap = filters.Filters(start=date(2024, 2, 29), end=date(2024, 2, 29))
    assert (leap.last_year().start, leap.last_year().end) == (date(2023, 2, 28), date(2023, 2, 28))


def test_params_are_the_standard_query_parameters():
    f = filters.Filters(
        start=date(2024, 3, 1),
        end=date(2024, 3, 31),
        unit_ids=("FJ1",),
        as_of=datetime(2024, 6, 5, 14, 30),
    )
    assert f.params(formula="strict", top_n=5) == {
        "start": date(2024, 3, 1),
        "end": date(2024, 3, 31),
        "unit_ids": ["FJ1"],
        "channels": [],
        "police_types": [],
        "categories": [],
        "scope": "*",
        "formula": "strict",
        "as_of": datetime(2024, 6, 5, 14, 30),
        "min_replies": filters.DEFAULT_MIN_REPLIES,
        "min_respondents": filters.DEFAULT_MIN_RESPONDENTS,
        "exact_unit_id": None,
        "inferred": "include",
        "top_n": 5,
    }


def test_card_explains_a_figure_without_newest_record():
    from pages.ui import cards

    # A filter with no record gives NaT as the newest record: the card says "—", never crashes.
    assert cards.explanation("f", 1, 2, pd.NaT).endswith(f"{labels.AS_OF}：{labels.NONE}")
    assert cards.explanation("f", None, None, date(2024, 6, 5)) == (
        f"f  \n{labels.AS_OF}：2024-06-05"
    )
    assert cards.explanation("", None, None, pd.Timestamp("2024-06-05 14:30:09")) == (
        f"{labels.AS_OF}：2024-06-05 14:30"
    )


def test_tables_show_dates_without_time_and_shares_with_one_decimal():
    from pages.ui import tables

    frame = pd.DataFrame(
        {
            "found_on": pd.to_datetime(["2024-03-01", None]),
            "received_at": pd.to_datetime(["2024-03-01 09:05", "2024-03-02 10:00"]),
            "hand_share": [5 / 9, 1.0],
            "share_high": [2 / 3, None],
            "is_overdue": [True, False],
        }
    )
    shown = tables._readable(frame)
    assert shown["found_on"].tolist() == ["2024-03-01", ""]
    assert shown["received_at"].tolist() == ["2024-03-01 09:05", "2024-03-02 10:00"]
    # whole share columns become percent numbers the grid prints as %.1f%%; gaps become text
    assert [round(v, 2) for v in shown["hand_share"]] == [55.56, 100.0]
    config = tables._column_config(frame)[labels.COLUMNS["hand_share"]]
    assert config["type_config"]["format"] == "%.1f%%"
    assert shown["share_high"].tolist() == ["66.7%", ""]
    assert shown["is_overdue"].tolist() == [labels.YES, labels.NO]
    assert [
        tables.is_rate(c)
        for c in (
            "satisfaction_rate",
            "share_at_line",
            "hand_share",
            "wilson_low",
            "shares",
            "rate",
        )
    ] == [
        True,
        True,
        True,
        True,
        False,
        True,
    ]


def test_distribution_figure_draws_the_chosen_year_in_colour():
    from pages.ui import charts

    frame = pd.DataFrame(
        {
            "year": [2023, 2023, 2024],
            "bucket_low": [0, 2, 0],
            "bucket_high": [1, 3, 1],
            "stations": [1, 3, 2],
        }
    )
    fig = charts.distribution_figure(frame, line=3, width=2, chosen=2024)
    bars = fig.data
    assert [b.name for b in bars] == ["2023年", "2024年"]
    assert [b.marker.color for b in bars] == [charts.GREY, charts.BLUE]
    # a bar sits in the middle of its bucket: 0-1 → 1, 2-3 → 3
    assert list(bars[0].x) == [1, 3] and list(bars[1].y) == [2]
    assert fig.layout.shapes[0].x0 == 3  # the burden line


def test_a_warehouse_built_before_the_newest_migration_is_migrated_on_start(
    monkeypatch, tmp_path, sample_db
):
    import shutil

    path = tmp_path / "older.duckdb"
    shutil.copyfile(sample_db, path)
    con = db.connect_write(path)
    con.execute("drop macro is_return_stage")
    con.execute("delete from settings where key like 'target_report_%'")
    con.execute("delete from schema_migrations where name like '005_%'")
    con.close()
    monkeypatch.setenv("MINYI_DB", str(path))
    at = open_page("complaints")  # its figures use is_return_stage, which 005 defines
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["退回/改派件数"] == "2"  # SQ06 SQ12
    with db.read(path) as con:
        assert con.execute(
            "select count(*) from settings where key like 'target_report_%'"
        ).fetchone() == (4,)
