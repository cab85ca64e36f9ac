"""Who sees what, under AppTest on the sample warehouse: sign-in before any page, the pages of each
role, the rows of each unit tree, links that reach for another unit or for a page that is not the
role's, no cache shared between scopes, and masked, audited text on screen and in downloads."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from auth import accounts, audit, sessions
from pages.ui import escape, filters, labels
from tests.signin import PASSWORD, TOKEN_KEY, account, signed_in
from tests.test_masking import MOBILE, planted

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
PAGES = (
    "overview",
    "satisfaction",
    "complaints",
    "rectification",
    "report_burden",
    "survey",
    "keywords",
    "upload",
    "admin",
)
# data/sample call records by unit tree (calls_110.csv, calls_12345.xlsx, calls_window.csv):
# 东城分局 FJ1 (东风 P11, 南湖 P12): JQ01-07 and GD01 02 03 08 09 10 = 13 records, JQ05 未接通 →
#   12 valid; 满意 JQ01 JQ02 JQ06 GD01 GD02 GD09, 基本满意 JQ03 JQ07 GD08, 不满意 JQ04 GD03 GD10
#   → 9/12 = 75.0%, 12/13 = 92.3%.
# 西城分局 FJ2 (西山 P21, 北关 P22): JQ08-12 and GD04-07 = 9, JQ12 拒访 and GD06 空号 → 7 valid;
#   满意 JQ08 JQ09 JQ11 GD05 GD07, 基本满意 GD04, 不满意 JQ10 → 6/7 = 85.7%, 7/9 = 77.8%.
# The whole bureau adds the 8 window records that load (CK09's 火星派出所 is rejected): 30.
EAST = {"满意率": "75.0%", "有效回访率": "92.3%", "不满意件数": "3", "回访记录数": "13"}
WEST = {"满意率": "85.7%", "有效回访率": "77.8%", "不满意件数": "1", "回访记录数": "9"}
BUREAU = {"满意率": "80.8%", "有效回访率": "86.7%", "不满意件数": "5", "回访记录数": "30"}


@pytest.fixture(autouse=True)
def sample(sample_db):
    """Every test here reads the sample warehouse (and its own auth database beside it)."""
    return sample_db


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """file name -> the callable a click on its download button runs (the bytes are made then)."""
    made: dict = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


def app(page: str | None = None, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if page:
        at.switch_page(f"pages/{page}.py")
    at.query_params.update(query)
    return at


def open_as(
    role: str | None,
    page: str | None = None,
    username: str | None = None,
    unit: str | None = None,
    **query: str | list[str],
) -> AppTest:
    at = app(page, **query)
    return (signed_in(at, role, username, unit) if role else at).run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def last_audit(action: str) -> tuple[str | None, str]:
    row = audit.entries(actions=[action], limit=1).iloc[0]
    return (row["username"] if isinstance(row["username"], str) else None, row["detail"])


@pytest.mark.parametrize("page", [None, *PAGES])
def test_every_address_shows_only_the_sign_in_until_someone_signs_in(page):
    at = open_as(None, page)
    assert not at.exception
    assert [t.value for t in at.title] == [labels.SIGN_IN_TITLE]
    # No figure, table or filter: not even unit names before sign-in.
    assert (len(at.metric), len(at.dataframe), len(at.sidebar.multiselect)) == (0, 0, 0)


def test_sign_in_form_opens_the_page_the_link_named():
    account("analyst")
    at = app("satisfaction").run()
    at.text_input[0].input("analyst")
    at.text_input[1].input("wrong-password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == [sessions.WRONG]
    assert [t.value for t in at.title] == [labels.SIGN_IN_TITLE]
    at.text_input[0].input("analyst")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == labels.TITLES["satisfaction"]
    assert metrics(at) == BUREAU
    assert at.session_state[TOKEN_KEY]
    assert last_audit("signin") == ("analyst", "分析员")


def test_sign_out_ends_the_session_and_shows_the_sign_in():
    at = open_as("leader", "overview", username="leader2")
    token = at.session_state[TOKEN_KEY]
    at.sidebar.button(key="auth_sign_out").click().run()
    assert [t.value for t in at.title] == [labels.SIGN_IN_TITLE]
    assert sessions.resume(token) is None
    assert last_audit("signout") == ("leader2", "")


def test_a_disabled_account_is_signed_out_at_its_next_click():
    at = open_as("analyst", "satisfaction", username="analyst2")
    accounts.set_disabled("analyst2", actor="admin")
    at.run()
    assert [t.value for t in at.title] == [labels.SIGN_IN_TITLE]


@pytest.mark.parametrize(
    ("role", "page"),
    [
        ("leader", "upload"),
        ("leader", "admin"),
        ("analyst", "upload"),
        ("analyst", "admin"),
        ("staff", "admin"),
    ],
)
def test_a_page_that_is_not_the_roles_is_refused_and_audited(role, page):
    # The navigation does not list it; typed as a url it must still show nothing of its own.
    at = open_as(role, page)
    assert not at.exception
    assert [t.value for t in at.title] == [labels.TITLES[page]]
    label = accounts.ROLES[role].label
    assert [e.value for e in at.error] == [labels.PAGE_DENIED.format(role=label)]
    assert (len(at.dataframe), len(at.get("file_uploader")), len(at.tabs)) == (0, 0, 0)
    assert last_audit("page_denied") == (role, page)


def test_staff_see_their_unit_tree_only():
    at = open_as("staff", "satisfaction")
    assert metrics(at) == EAST
    units = at.sidebar.multiselect(key=filters.UNITS_KEY)
    assert units.options == ["东城分局", "东城分局 / 东风派出所", "东城分局 / 南湖派出所"]
    league = at.dataframe(key="sat_unit_table").value
    assert sorted(league[labels.COLUMNS["unit_name"]]) == [
        "东城分局东风派出所",
        "东城分局南湖派出所",
    ]
    # The filter choices are those of their records too: 窗口 (the bureau's window), 平安民声 and
    # 110短信评警 (西城分局's complaints), 出入境 / 法制 / 警务保障 (bureau offices) are not offered.
    assert at.sidebar.multiselect(key=filters.CHANNELS_KEY).options == ["110", "12345", "市长信箱"]
    assert at.sidebar.multiselect(key=filters.POLICE_TYPES_KEY).options == ["交警", "治安"]
    assert (
        "窗口"
        in open_as("analyst", "satisfaction").sidebar.multiselect(key=filters.CHANNELS_KEY).options
    )


def test_a_link_to_another_unit_is_ignored_and_audited():
    at = open_as("staff", "satisfaction", flt_units="西城分局")
    assert [w.value for w in at.sidebar.warning] == [labels.UNITS_OUTSIDE_SCOPE]
    assert at.sidebar.multiselect(key=filters.UNITS_KEY).value == []
    assert metrics(at) == EAST
    assert last_audit("scope_violation") == ("staff", "西城分局")
    # By its code it is refused the same way; the same link is open to a whole-bureau role.
    assert metrics(open_as("staff", "satisfaction", flt_units="FJ2")) == EAST
    assert last_audit("scope_violation") == ("staff", "FJ2")
    assert metrics(open_as("analyst", "satisfaction", flt_units="西城分局")) == WEST


def test_the_same_query_in_two_unit_trees_never_shares_a_cached_answer():
    # One process, one st.cache_data: every run below asks the very same queries.
    assert metrics(open_as("staff", "satisfaction")) == EAST
    assert metrics(open_as("staff", "satisfaction", username="west", unit="FJ2")) == WEST
    assert metrics(open_as("analyst", "satisfaction")) == BUREAU
    assert metrics(open_as("staff", "satisfaction")) == EAST


def test_downloads_are_for_roles_that_export_and_are_audited(downloads):
    assert open_as("leader", "satisfaction").get("download_button") == []
    at = open_as("analyst", "satisfaction")
    assert len(at.get("download_button")) == 4  # the unit league and the records, CSV and Excel
    content = downloads["回访记录明细.csv"]().decode("utf-8-sig")
    # The records list starts on 不满意: CK08 GD03 GD10 JQ04 JQ10.
    assert sorted(re.findall(r"^(\w\w\d\d),", content, re.MULTILINE)) == [
        "CK08",
        "GD03",
        "GD10",
        "JQ04",
        "JQ10",
    ]
    assert last_audit("export") == ("analyst", "回访记录明细.csv：5 行")


def test_staff_upload_is_for_their_own_tree():
    # What a clerk's upload takes and rejects: tests/test_upload.py (…_of_their_own_unit_tree…).
    at = open_as("staff", "upload")
    assert labels.UPLOAD_SCOPE.format(unit="江城市公安局东城分局") in [c.value for c in at.caption]
    assert len(at.get("file_uploader")) == 1
    assert "upl_pick" not in [s.key for s in at.selectbox]  # undo is the administrator's


@pytest.fixture
def message_board(tmp_path, realdata, monkeypatch) -> Path:
    """The sample units with the real 2019 message board, mobile and landline numbers planted
    where the publisher had starred them out, all handled by 东风派出所 (P11, 东城分局)."""
    from etl.load import load_files, load_manifest

    frame = pd.read_excel(realdata / "群众留言_2019.xlsx", dtype=str)
    frame["留言详情"] = planted(frame["留言详情"].fillna("").tolist())[0]
    board = tmp_path / "board.xlsx"
    frame.to_excel(board, index=False)
    manifest = tmp_path / "manifest.json"
    shutil.copy(SAMPLE / "units.csv", tmp_path / "units.csv")
    manifest.write_text('[{"file": "units.csv", "kind": "units"}]', encoding="utf-8")
    warehouse = tmp_path / "board.duckdb"
    load_manifest(warehouse, manifest)
    load_files(
        warehouse,
        [board],
        "complaints",
        profile="message_board",
        fixed={"channel": "网上留言", "handling_unit_id": "P11"},
    )
    monkeypatch.setenv("MINYI_DB", str(warehouse))
    return warehouse


def shown_text(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def test_staff_never_see_a_mobile_number_of_the_real_messages(message_board, downloads):
    dates = {"flt_period": "自定义", "flt_dates": ["2010-01-01", "2024-12-31"]}
    at = open_as("staff", "keywords", **dates)
    at.selectbox(key="kw_word").set_value("电话").run()
    assert not at.exception
    records = at.dataframe[-1].value  # the records list, under the top-words table
    assert len(records) == 20  # the first page of the 299 messages that use 电话
    assert MOBILE.findall(shown_text(at)) == []
    assert "****" in shown_text(at)
    export = downloads["关键词记录.csv"]().decode("utf-8-sig")
    # 299 messages use 电话: since numbers are blanked out before segmenting, 电话 written straight
    # against the digits is a word of its own too (298 before).
    assert export.count("\r\n") == 299 + 1  # every message that uses the word, and the header
    assert MOBILE.findall(export) == []
    assert last_audit("export") == ("staff", "关键词记录.csv：299 行")
    # The administrator, who fixes data, reads the numbers as they were written.
    at = open_as("admin", "keywords", **dates)
    at.selectbox(key="kw_word").set_value("电话").run()
    assert MOBILE.findall(shown_text(at)) != []


def test_administrator_adds_disables_and_resets_accounts_and_reads_the_audit_trail():
    at = open_as("admin", "admin")
    assert not at.exception
    form = at.get("form")[0]
    username, name, first, again = (form.text_input[i] for i in range(4))
    username.input("clerk2")
    name.input("西城内勤")
    form.selectbox[0].set_value("staff")
    form.selectbox[1].set_value("FJ2")
    first.input("clerk2-password")
    again.input("clerk2-password")
    form.button[0].click()
    at.run()
    assert [s.value for s in at.success] == [
        labels.ACCOUNT_ADDED.format(username="clerk2", role="内勤")
    ]
    clerk = accounts.get("clerk2")
    assert (clerk.role, clerk.scope, clerk.display_name) == ("staff", "FJ2", "西城内勤")
    assert last_audit("account_add") == ("admin", "clerk2：内勤，单位 FJ2")

    at.selectbox(key="adm_chosen").set_value("clerk2").run()
    at.button(key="adm_disable").click().run()
    assert accounts.get("clerk2").disabled
    assert last_audit("account_disable") == ("admin", "clerk2")

    at.selectbox(key="adm_chosen").set_value("clerk2").run()
    form = at.get("form")[1]
    form.text_input[0].input("new-password-1")
    form.text_input[1].input("new-password-1")
    form.button[0].click()
    at.run()
    assert accounts.verify("clerk2", "new-password-1") is not None
    assert last_audit("account_password") == ("admin", "clerk2")

    at.text_input(key="adm_audit_user").input("admin").run()
    trail = at.dataframe[-1].value
    assert trail[labels.COLUMNS["action"]].tolist()[:3] == ["重设密码", "停用账号", "新建账号"]


def test_without_any_account_the_app_and_the_console_say_how_to_make_the_first(
    monkeypatch, tmp_path, capfd
):
    monkeypatch.setenv("MINYI_AUTH_DB", str(tmp_path / "empty.auth.sqlite"))
    at = open_as(None, "satisfaction")
    hint = labels.NO_ACCOUNTS.format(command=accounts.FIRST_ADMIN)
    assert [w.value for w in at.warning] == [hint]
    assert at.get("form") == []
    assert "python -m auth add admin --role admin" in capfd.readouterr().out


# Single sign-on: where .streamlit/secrets.toml has an [auth] section, st.login is offered; the
# provider vouches for an e-mail, and the account of that name decides the role and the unit.
OIDC = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "minyi",
        "client_secret": "s",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
}


def sso_app(page: str, user: dict) -> AppTest:
    at = app(page)
    at.secrets.update(OIDC)
    at.user = user
    return at.run()


def test_single_sign_on_is_offered_only_where_a_provider_is_configured():
    account("analyst")
    assert labels.SSO_SIGN_IN not in [b.label for b in app("satisfaction").run().button]
    at = sso_app("satisfaction", {"is_logged_in": False})
    assert labels.SSO_SIGN_IN in [b.label for b in at.button]
    assert [t.value for t in at.title] == [labels.SIGN_IN_TITLE]


def test_a_provider_identity_signs_in_as_its_account_with_its_role_and_unit():
    account("staff", username="zhang.san@east.example", unit="FJ1")
    at = sso_app("satisfaction", {"is_logged_in": True, "email": "Zhang.San@east.example"})
    assert not at.exception
    assert metrics(at) == EAST  # the account's unit tree, not the whole bureau
    assert last_audit("signin") == ("zhang.san@east.example", "内勤")


def test_a_provider_identity_without_an_account_sees_nothing():
    at = sso_app("satisfaction", {"is_logged_in": True, "email": "stranger@example.com"})
    # The identity is the provider's text: escaped, so an e-mail address is no mailto link.
    assert [e.value for e in at.error] == [
        labels.SSO_NO_ACCOUNT.format(identity=escape.md("stranger@example.com"))
    ]
    assert (len(at.metric), len(at.sidebar.multiselect)) == (0, 0)
    assert last_audit("signin_sso_refused") == ("stranger@example.com", "")
