"""What the upload page says before anything is written (issue 10 points 3, 6, 7): the fields an
update changes, before → after; the source system a file's rows are keyed under, detected and
chosen, and ids already stored under another source; columns the figures depend on that the file
lacks, and which figures that moves."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pages.ui import labels
from pages.ui import labels_upload as text
from tests.test_upload import (
    alerts,
    calls_gbk,
    counts,
    open_upload,
    rows,
    table,
    upload,
    warehouse,  # noqa: F401 - the fixture
)

# A message board's export (the shipped profile's headers): SQ01 and SQ02 are also case ids of the
# sample's complaints (data/sample/complaints.csv, loaded under 未注明).
BOARD = (
    "留言编号,留言用户,留言主题,留言时间,留言详情,反对数,点赞数\n"
    "SQ01,A001,路灯不亮,2024/4/1 9:00,东风路路灯坏了一周,0,1\n"
    "SQ02,A002,噪音扰民,2024/4/2 22:00,夜间施工噪音很大,0,3\n"
    "B3,A003,停车难,2024/4/3 8:30,小区门口乱停车,1,0\n"
)


def preview_counts(at: AppTest) -> list[tuple[str, str]]:
    return counts(at)[-5:]


def test_an_update_shows_each_changed_field_before_and_after(warehouse):
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()
    # The same export a week later: N01 called back again (满意 → 不满意, a note added).
    newer = (
        calls_gbk()
        .decode("gbk")
        .replace(
            "N01,2024-04-01 08:00,东风派出所,治安,满意,态度好",
            "N01,2024-04-01 08:00,东风派出所,治安,不满意,复访不满意",
        )
    )
    at = upload(at, ("calls_new.csv", newer.encode("gbk")))
    assert not at.exception
    # 12 data rows: N01 changed, N02..N07 as stored, the same 5 rejected.
    assert preview_counts(at) == [
        ("读取行数", "12"),
        ("新增", "0"),
        ("更新", "1"),
        ("未变", "6"),
        ("拒绝", "5"),
    ]
    assert text.CHANGES.format(records=1) in [m.value for m in at.markdown]
    changes = table(at, text.CHANGE_BEFORE)
    assert changes.values.tolist() == [
        [4, "N01", "回访结果", "满意", "不满意"],
        [4, "N01", "回访记录", "态度好", "复访不满意"],
    ]


def test_a_missing_status_column_is_warned_of_with_the_figures_it_moves(warehouse):
    at = upload(open_upload(), ("board.csv", BOARD.encode()))
    assert not at.exception
    [warned] = alerts(at, "warning")  # one box, a line for each missing column
    lines = warned.split("\n\n")
    assert lines[0] == text.WARNINGS
    assert lines[1].startswith(
        "文件没有「办理状态」列：导入后这些诉求都将算作未办结，办结率和按期办结率会下降"
    )
    assert lines[2].startswith("文件没有「承办单位」或「受理单位」列")
    # status, unit, deadline, closed, callback result; and SQ01 SQ02 stored under 未注明.
    assert len(lines) == 7 and "已有来源「未注明」" in lines[6]


def test_the_source_is_detected_shown_and_may_be_chosen_before_loading(warehouse):
    at = upload(open_upload(), ("board.csv", BOARD.encode()))
    source = at.selectbox(key="upl_source_f1")
    # Detected from the headers: the shipped profile, named as people know it, not message_board.
    assert source.value == "message_board"
    assert source.format_func(source.value) == "政务留言板导出"
    assert "未注明" in source.options
    assert text.SOURCE_DETECTED.format(source="政务留言板导出") in [c.value for c in at.caption]
    # SQ01 and SQ02 are stored under 未注明: said before anything is written.
    assert preview_counts(at)[1:] == [("新增", "3"), ("更新", "0"), ("未变", "0"), ("拒绝", "0")]
    assert (
        "2 行的编号已有来源「未注明」的记录：这些行将作为来源「政务留言板导出」的新记录导入，"
        "来源「未注明」的记录不会被修改。"
    ) in "".join(alerts(at, "warning"))

    # Chosen as the same system: SQ01 and SQ02 become updates of the stored cases.
    at.selectbox(key="upl_source_f1").set_value("未注明").run()
    assert preview_counts(at)[1:] == [("新增", "1"), ("更新", "2"), ("未变", "0"), ("拒绝", "0")]
    assert not any("已有来源" in w for w in alerts(at, "warning"))
    at.button(key="upl_load").click().run()
    assert not at.exception
    # The summary and the history say which source the rows were keyed under.
    assert any(c.value.endswith(text.RESULT_SOURCE.format(source="未注明")) for c in at.caption)
    history = table(at, labels.UPLOAD_IMPORT_ID)
    assert history[text.SOURCE].tolist()[:2] == ["未注明", "未注明"]
    assert rows(
        warehouse,
        "select source_system, case_id, title from complaints where case_id in"
        " ('SQ01', 'SQ02', 'B3') order by 2",
    ) == [
        ("未注明", "B3", "停车难"),
        ("未注明", "SQ01", "路灯不亮"),
        ("未注明", "SQ02", "噪音扰民"),
    ]


def test_the_sources_offered_are_those_records_of_the_kind_were_loaded_under(warehouse):
    import queries
    from queries import db

    with db.read(warehouse) as con:
        assert queries.run(con, "import_sources", kind="complaints")["source_id"].tolist() == [
            "未注明"
        ]
        assert queries.run(con, "import_sources", kind="units").empty  # keyed by id alone


def test_a_board_loaded_as_detected_shows_its_source_by_name(warehouse):
    at = upload(open_upload(), ("board.csv", BOARD.encode()))
    at.button(key="upl_load").click().run()
    assert not at.exception
    assert any(
        c.value.endswith(text.RESULT_SOURCE.format(source="政务留言板导出")) for c in at.caption
    )
    history = table(at, labels.UPLOAD_IMPORT_ID)
    # Newest first: the board, then the sample's manifest (units and aliases have no source).
    assert history[text.SOURCE].tolist()[0] == "政务留言板导出"
    assert labels.NONE in history[text.SOURCE].tolist()
    assert rows(
        warehouse, "select count(*) from complaints where source_system = 'message_board'"
    ) == [(3,)]
