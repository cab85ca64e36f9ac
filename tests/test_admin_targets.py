"""目标与阈值 on 账号与审计: a target an admin saves is in force on the next page run of any open
session, the warehouse file untouched, audited; bad values are refused with their message; every
reader of `settings` (named queries, warehouse views) sees the override, one rule in queries/db.py."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from auth import audit
from etl import config_store, targets
from pages.ui import escape
from pages.ui import labels as plabels
from pages.ui import labels_admin as labels
from queries import db
from tests.signin import signed_in

ROOT = Path(__file__).resolve().parents[1]
# 总览 on the sample (tests/test_queries.py): 满意率 21/26 = 80.8%, 诉求回访满意率 7/8 = 87.5%, both
# judged against target_satisfaction (98%); badges in card order 满意率 办结率 按期办结率 诉求回访满意率
# 自动分派率 (85.7% against 75%) 整改率 参与率.
BADGES_AT_98 = ["red", "red", "red", "red", "green", "red", "red"]
BADGES_AT_80 = ["green", "red", "red", "green", "green", "red", "red"]


@pytest.fixture
def warehouse(scratch_db, monkeypatch) -> Path:
    """A private warehouse: its configuration store and accounts are this test's alone."""
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    monkeypatch.delenv("MINYI_CONFIG_DB", raising=False)
    monkeypatch.delenv("MINYI_AUTH_DB", raising=False)
    return scratch_db


def fingerprint(path: Path) -> tuple:
    stat = path.stat()
    return (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns)


def open_as(role: str, page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = signed_in(at, role)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def badges(at: AppTest) -> list[str]:
    return [m.value.split("-badge[")[0].lstrip(":") for m in at.markdown if "-badge[" in m.value]


def first_card_caption(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("目标", "未设目标")))


def save(at: AppTest, key: str, value: str) -> AppTest:
    at.selectbox(key="adm_target_key").set_value(key).run()
    at.text_input(key="adm_target_value").input(value)
    return at.button(key="adm_target_save").click().run()


def last_audit(action: str) -> tuple[str, str]:
    row = audit.entries(actions=[action], limit=1).iloc[0]
    return row["username"], row["detail"]


def test_a_target_saved_on_the_page_is_in_force_on_the_next_run_without_a_restart(warehouse):
    before = fingerprint(warehouse)
    leader = open_as("leader", "overview")
    assert first_card_caption(leader).startswith("目标 98.0%")
    assert badges(leader) == BADGES_AT_98

    admin = save(open_as("admin", "admin"), "target_satisfaction", "80%")
    assert not admin.exception
    assert [s.value for s in admin.success] == [
        labels.TARGET_SAVED.format(name="满意率目标", value="80%", before="98%")
    ]
    key = labels.TARGET_COLUMNS["key"]
    table = next(d.value for d in admin.dataframe if key in d.value.columns).set_index(key)
    row = table.loc["target_satisfaction"]
    assert (row["当前值"], row["默认值"], row["修改人"]) == ("80%", "98%", "admin")
    assert row["修改时间"] != ""
    assert table.loc["target_closure", "修改人"] == ""  # never changed: no one, no time
    # What the loader reads while it writes is shown, not offered.
    assert table.loc["repeat_threshold", "在何处修改"] == labels.WHERE_LOAD
    assert "repeat_threshold" not in admin.selectbox(key="adm_target_key").options

    leader.run()  # the leader's session, open all along, on its next run
    assert first_card_caption(leader).startswith("目标 80.0%")
    assert badges(leader) == BADGES_AT_80
    assert fingerprint(warehouse) == before
    assert config_store.path(warehouse).exists()
    assert last_audit("settings") == ("admin", "target_satisfaction（满意率目标）：98% → 80%")

    admin.selectbox(key="adm_target_key").set_value("target_satisfaction").run()
    admin.button(key="adm_target_reset").click().run()
    assert [s.value for s in admin.success] == [
        labels.TARGET_RESET_DONE.format(name="满意率目标", value="98%")
    ]
    assert last_audit("settings") == (
        "admin",
        "target_satisfaction（满意率目标）：80% → 默认值 98%",
    )
    leader.run()
    assert badges(leader) == BADGES_AT_98
    assert fingerprint(warehouse) == before


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("target_satisfaction", "1.5"),
        ("target_satisfaction", "95"),  # a percentage needs its %: 95 is no rate
        ("target_satisfaction", "<b>九成</b>"),
        ("report_burden_line", "150.5"),
        ("report_burden_line", "0"),
        ("satisfaction_formula", "lenient"),
        ("min_respondents", "0"),
        ("min_replies", "2.5"),
        ("min_replies", "-30"),
    ],
)
def test_a_bad_value_is_refused_with_its_message_and_nothing_is_saved(warehouse, key, value):
    with pytest.raises(targets.TargetError) as refused:
        targets.validate(key, value)
    at = save(open_as("admin", "admin"), key, value)
    assert [e.value for e in at.error] == [escape.md(str(refused.value))]
    assert value in str(refused.value)
    assert at.success == []
    assert not config_store.path(warehouse).exists()  # not even an empty store was made
    assert audit.entries(actions=["settings"]).empty


def test_values_are_read_as_people_type_them():
    assert targets.validate("target_satisfaction", "0.95") == "0.95"
    assert targets.validate("target_satisfaction", "95%") == "0.95"
    assert targets.validate("target_satisfaction", "９５．５％") == "0.955"  # full-width input
    assert targets.validate("target_report_hand_share", "0") == "0"
    assert targets.validate("report_burden_line", " 120 ") == "120"
    assert targets.validate("target_report_avg_types", "87.5") == "87.5"
    assert targets.validate("satisfaction_formula", "strict") == "strict"
    messages = {}
    for key, value in [
        ("report_burden_line", "-3"),
        ("repeat_complainant_min_cases", "1"),
        ("target_report_avg_types", "-1"),
        ("repeat_threshold", "0.6"),
        ("no_such_setting", "1"),
    ]:
        with pytest.raises(targets.TargetError) as refused:
            targets.validate(key, value)
        messages[key] = str(refused.value)
    assert messages == {
        "report_burden_line": "「报表负担线」应为不小于 1 的整数，收到「-3」。",
        "repeat_complainant_min_cases": "「重复诉求人最少件数」应为不小于 2 的整数，收到「1」。",
        "target_report_avg_types": "「站均保留报表目标」应为不小于 0 的数，收到「-1」。",
        "repeat_threshold": "设置「repeat_threshold」导入时读取，请在数据库中修改。",
        "no_such_setting": "设置「no_such_setting」不能在页面上修改。",
    }


def test_every_reader_of_settings_sees_the_override_and_the_default_stays_in_the_warehouse(
    warehouse,
):
    # A warehouse view reading `settings`, as reply_flags does for its thresholds.
    con = db.connect_write(warehouse)
    con.execute(
        "create view burden_line as select value from settings where key = 'report_burden_line'"
    )
    con.close()
    targets.save("report_burden_line", "120", "admin")
    with db.read(warehouse) as con:
        assert con.execute("select value from burden_line").fetchone() == ("120",)
        in_force = queries.run(con, "settings").set_index("key")["value"]
        defaults = queries.run(con, "settings_defaults").set_index("key")
    assert in_force["report_burden_line"] == "120"
    assert in_force["target_satisfaction"] == "0.98"
    assert defaults.loc["report_burden_line", ["value", "default_value"]].tolist() == ["120", "150"]
    assert targets.overrides(warehouse)["report_burden_line"].changed_by == "admin"


def test_a_store_written_before_its_migration_leaves_the_defaults_in_force(warehouse):
    targets.save("target_closure", "0.8", "admin")
    # As a store made by a version without 022: no table of overrides.
    con = db.connect_write(config_store.path(warehouse))
    con.execute("drop table setting_overrides")
    con.execute("delete from schema_migrations where name like '022_%'")
    con.close()
    db.close_readers()
    with db.read(warehouse) as con:
        assert queries.run(con, "settings").set_index("key")["value"]["target_closure"] == "0.90"
    assert targets.overrides(warehouse) == {}


def test_a_warehouse_without_settings_is_still_readable_beside_a_store_with_overrides(tmp_path):
    # e.g. a file a migration has not reached yet, read to see what it lacks
    bare = tmp_path / "bare.duckdb"
    con = db.connect_write(bare)
    con.execute("create table schema_migrations (name varchar, applied_at timestamp)")
    con.close()
    targets.save("target_closure", "0.8", "admin", bare)
    with db.read(bare) as con:
        assert con.execute("select count(*) from schema_migrations").fetchone() == (0,)


def test_min_respondents_set_on_the_page_suppresses_and_shows_survey_text_on_the_next_run(
    warehouse,
):
    # The sample's survey (tests/test_pages_topics.py): 法制室 is scored by R01 and R04, and only
    # R09 wrote a suggestion about it (案件审核流程慢); suggestion categories 辅警管理 R01 R02 R07,
    # 经费装备保障 R04 R06, 执法监督 R09, 被装管理 R08.
    def survey(**query: str) -> AppTest:
        at = signed_in(AppTest.from_file(str(ROOT / "app.py"), default_timeout=60), "analyst")
        at.switch_page("pages/survey.py")
        at.query_params.update(query)
        return at.run()

    def offices(at: AppTest) -> list[str]:
        return next(d.value for d in at.dataframe if "平均分" in d.value.columns)[
            "被评部门"
        ].tolist()

    bureau, legal = survey(), survey(flt_units="法制室")
    assert offices(bureau) == ["江城市公安局警务保障室"]
    assert [w.value for w in legal.warning] == [plabels.SURVEY_LIST_SUPPRESSED.format(k=5)]

    admin = save(open_as("admin", "admin"), "min_respondents", "2")
    assert [s.value for s in admin.success] == [
        labels.TARGET_SAVED.format(name="警意调查最少答卷人数", value="2", before="5")
    ]
    assert last_audit("settings") == ("admin", "min_respondents（警意调查最少答卷人数）：5 → 2")
    bureau.run()
    assert offices(bureau) == ["江城市公安局法制室", "江城市公安局警务保障室"]
    captions = [c.value for c in bureau.caption]
    assert plabels.SURVEY_CAPTION.format(k=2) in captions
    assert plabels.SURVEY_SUPPRESSED.format(k=2, names="执法监督、被装管理") in captions
    legal.run()  # R09 alone is still fewer than 2
    assert [w.value for w in legal.warning] == [plabels.SURVEY_LIST_SUPPRESSED.format(k=2)]
    assert "案件审核流程慢" not in " ".join(d.value.to_string() for d in legal.dataframe)

    save(admin, "min_respondents", "1")
    legal.run()
    assert legal.warning == []
    suggestions = next(d.value for d in legal.dataframe if "案件审核流程慢" in d.value.to_string())
    assert len(suggestions) == 1
