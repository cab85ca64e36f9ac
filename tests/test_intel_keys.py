"""Predictions, labels and reply screening keyed by record (source_system and its id): a 12345
case NW01 and a message board's 留言编号 NW01 are two records, so a proposal, a person's label or
a reply flag of one is not the other's."""

from __future__ import annotations

import shutil

import pytest

import queries
from etl.load import load_files, load_manifest, rebuild
from etl.undo import undo_import
from queries import db
from tests import intel_fixtures as fx
from tests.conftest import SAMPLE
from tests.test_intel_replies import PERIOD, REPLIES

HOTLINE, BOARD = "12345热线", "网上留言板"
NOISE, FRAUD, PASSPORT = fx.STORIES


def board_rows() -> list[list[str]]:
    """The board's NW01-NW06: the same ids as the hotline's, each with another story's text
    (NW01, NW02 fraud; NW03, NW04 passports; NW05, NW06 noise)."""
    hotline = fx.rows("NW", 2, labelled=False)
    return [
        [hotline[n][0], *hotline[(n + 2) % 6][1:2], "网上留言", *hotline[(n + 2) % 6][3:]]
        for n in range(6)
    ]


STORY = {
    HOTLINE: [NOISE, NOISE, FRAUD, FRAUD, PASSPORT, PASSPORT],
    BOARD: [FRAUD, FRAUD, PASSPORT, PASSPORT, NOISE, NOISE],
}


@pytest.fixture(scope="session")
def two_sources_folder(tmp_path_factory):
    """The sample, the hotline's 36 labelled cases and its 6 unlabelled ones (which trains), then
    the board's 6 unlabelled ones under the same ids."""
    folder = tmp_path_factory.mktemp("two_sources")
    path = folder / "data" / "minyi.duckdb"
    load_manifest(path, SAMPLE / "manifest.json")
    for name, data, source in (
        ("labelled.csv", fx.rows("LB", 12, labelled=True), HOTLINE),
        ("hotline.csv", fx.rows("NW", 2, labelled=False), HOTLINE),
        ("board.csv", board_rows(), BOARD),
    ):
        load_files(path, [fx.write(folder / name, data)], "complaints", source=source)
    return path.parent


@pytest.fixture
def two_sources(two_sources_folder, tmp_path):
    shutil.copytree(two_sources_folder, tmp_path / "data")
    return tmp_path / "data" / "minyi.duckdb"


def fetch(path, sql: str, params: dict | None = None) -> list[tuple]:
    with db.read(path) as con:
        return con.execute(sql, params or {}).fetchall()


def nw_categories(path) -> dict[tuple[str, str], tuple]:
    return {
        (s, c): rest
        for s, c, *rest in fetch(
            path,
            "select source_system, case_id, category, category_source from complaints"
            " where case_id like 'NW%' order by all",
        )
    }


def test_each_sources_record_gets_the_proposal_made_from_its_own_text(two_sources):
    newest = fetch(
        two_sources,
        "select source_system, record_id, value from predictions where target = 'category'"
        " qualify row_number() over (partition by source_system, record_id"
        " order by made_at desc, model_id) = 1 order by all",
    )
    assert newest == sorted(
        (source, f"NW{n:02d}", story)
        for source, stories in STORY.items()
        for n, story in enumerate(stories, 1)
    )
    # The model is sure of these texts: every one is filled with its own record's story.
    assert nw_categories(two_sources) == {
        (source, f"NW{n:02d}"): [story, "模型"]
        for source, stories in STORY.items()
        for n, story in enumerate(stories, 1)
    }


def below_threshold(path) -> None:
    """Every proposal below its threshold and nothing filled: all twelve wait for review."""
    from etl import store

    with store.write(path) as con:
        con.execute("update predictions set confidence = 0.4, threshold = 0.9")
        con.execute(
            "update complaints set category = null, category_source = null,"
            " category_confidence = null where case_id like 'NW%'"
        )


def review_queue(path) -> list[tuple]:
    with db.read(path) as con:
        queue = queries.run(
            con, "intel_review_queue", target="category", scope="*", limit=100, offset=0
        )
    return [tuple(r) for r in queue[["source_system", "record_id", "value"]].values.tolist()]


def test_the_review_queue_lists_each_record_once_with_its_own_proposal(two_sources):
    below_threshold(two_sources)
    # Oldest first: the board's NW01 has the hotline's NW03's time (fx.rows: 08:00 + n % 10 h).
    assert sorted(review_queue(two_sources)) == sorted(
        (source, f"NW{n:02d}", story)
        for source, stories in STORY.items()
        for n, story in enumerate(stories, 1)
    )
    assert len(review_queue(two_sources)) == 12


def test_a_confirmed_proposal_labels_only_its_sources_record(two_sources, monkeypatch):
    import streamlit as st

    from pages.ui import labels_intel as L
    from tests.test_intel_classify_pages import open_page

    below_threshold(two_sources)
    monkeypatch.setenv("MINYI_DB", str(two_sources))
    st.cache_data.clear()
    at = open_page("review")
    assert not at.exception, [e.value for e in at.exception]
    queue = review_queue(two_sources)
    row = queue.index((BOARD, "NW01", FRAUD))
    at.session_state["rv_editor_category"] = {
        "edited_rows": {row: {L.REVIEW_CONFIRM: True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="rv_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert fetch(two_sources, "select record_source, record_id, target, value from labels") == [
        (BOARD, "NW01", "category", FRAUD)
    ]
    after = nw_categories(two_sources)
    assert after[(BOARD, "NW01")] == [FRAUD, "人工"]
    assert after[(HOTLINE, "NW01")] == [None, None]
    # The board's NW01 has left the queue; the hotline's is still in it, with its own proposal.
    assert (BOARD, "NW01", FRAUD) not in review_queue(two_sources)
    assert (HOTLINE, "NW01", NOISE) in review_queue(two_sources)


def write_labels(path, rows: str):
    label = path.parent / "labels.csv"
    label.write_text("标注记录编号,标注记录来源,标注目标,标注值\n" + rows, encoding="utf-8")
    return label


def test_a_label_naming_an_id_two_sources_hold_must_say_which(two_sources):
    # Without 标注记录来源 the id NW01 names two records: the row is refused, saying which.
    bare = two_sources.parent / "bare.csv"
    bare.write_text("标注记录编号,标注目标,标注值\nNW01,category,出入境办证\n", encoding="utf-8")
    [refused] = load_files(two_sources, [bare], "labels")
    assert [e["error"] for e in refused.errors] == [
        f"编号 NW01 在多个来源中（{HOTLINE}、{BOARD}），请在「标注记录来源」列指明来源"
    ]
    assert fetch(two_sources, "select count(*) from labels") == [(0,)]
    # An id one source holds needs no source (LB01: the hotline's alone); a source holding no
    # such record is refused.
    [loaded] = load_files(
        two_sources,
        [write_labels(two_sources, f"LB01,{BOARD},category,x\nLB01,,category,电信诈骗\n")],
        "labels",
    )
    assert loaded.rows_inserted == 1
    assert [e["error"] for e in loaded.errors] == [f"来源「{BOARD}」中没有编号为 LB01 的记录"]
    assert fetch(two_sources, "select record_source, record_id, value from labels") == [
        (HOTLINE, "LB01", "电信诈骗")
    ]


def test_undo_and_rebuild_keep_a_label_on_its_sources_record(two_sources):
    before = nw_categories(two_sources)
    [label] = load_files(
        two_sources,
        [write_labels(two_sources, f"NW01,{HOTLINE},category,出入境办证\n")],
        "labels",
        user="analyst",
    )
    labelled = {**before, (HOTLINE, "NW01"): ["出入境办证", "人工"]}
    assert nw_categories(two_sources) == labelled
    rebuild(two_sources)
    assert nw_categories(two_sources) == labelled
    undo_import(two_sources, label.import_id)
    assert nw_categories(two_sources) == before


# The board's A1, A2 and B1 share the hotline's ids; each answers its own message on time, in
# its own words, at length: no flag.
BOARD_REPLIES = (
    "工单编号,受理时间,来源渠道,标题,诉求内容,受理单位,承办单位,办理时限,答复意见,答复时间\n"
    "A1,2024-09-02 09:00:00,网上留言,小区门口路灯不亮,小区门口路灯不亮很久了,市局,南湖派出所,"
    "2024-09-20 23:59:59,您好，您反映的小区门口路灯不亮的问题，我所已联系物业和供电所，"
    "维修人员已于次日更换灯具，路灯现已正常照明。,2024-09-05 10:00:00\n"
    "A2,2024-09-03 09:00:00,网上留言,派出所办证排队太久,派出所办证排队两个小时,市局,南湖派出所,"
    "2024-09-20 23:59:59,您好，关于派出所办证排队太久的问题，我所已增开两个办证窗口并实行预约"
    "办理，排队时间已明显缩短，感谢您的建议。,2024-09-06 10:00:00\n"
    "B1,2024-09-01 09:00:00,网上留言,路口红绿灯坏了,路口红绿灯坏了，请处理,市局,南湖派出所,"
    "2024-09-20 23:59:59,您好，您反映的路口红绿灯坏了的情况，已联系交警部门检修，红绿灯"
    "现已恢复正常运行，请您出行注意安全。,2024-09-04 10:00:00\n"
)


@pytest.fixture
def replies(sample_db, tmp_path):
    from etl import store

    path = tmp_path / "minyi.duckdb"
    shutil.copyfile(sample_db, path)
    shutil.copytree(store.archive_dir(sample_db), store.archive_dir(path))
    for name, text, source in (
        ("hotline.csv", REPLIES, HOTLINE),
        ("board.csv", BOARD_REPLIES, BOARD),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        load_files(path, [tmp_path / name], "complaints", source=source)
    return path


def test_reply_flags_are_each_sources_own(replies):
    flags = fetch(
        replies,
        "select source_system, case_id, is_late, is_template, is_off_topic, is_short,"
        " similar_replies from reply_flags where case_id in ('A1', 'A2', 'B1') order by all",
    )
    assert flags == [
        (HOTLINE, "A1", True, False, False, False, 0),
        (HOTLINE, "A2", False, False, True, True, 0),
        (HOTLINE, "B1", False, True, True, False, 5),
        (BOARD, "A1", False, False, False, False, 0),
        (BOARD, "A2", False, False, False, False, 0),
        (BOARD, "B1", False, False, False, False, 0),
    ]


def test_the_reply_tables_flag_only_the_hotlines_replies(replies):
    with db.read(replies) as con:
        by_unit = queries.run(con, "reply_flags_by_unit", **PERIOD)
        flagged = queries.run(con, "reply_flagged_cases", **PERIOD, flag="", limit=50, offset=0)
    assert by_unit[["unit_name", "replies", "flagged"]].values.tolist() == [
        ["西城分局西山派出所", 6, 6],
        ["东城分局东风派出所", 2, 2],
        ["东城分局南湖派出所", 3, 0],
    ]
    assert sorted(flagged[["source_system", "case_id"]].values.tolist()) == sorted(
        [[HOTLINE, "A1"], [HOTLINE, "A2"]] + [[HOTLINE, f"B{n}"] for n in range(1, 7)]
    )
    assert int(flagged["total_rows"].iloc[0]) == 8


def test_migration_017_carries_what_names_one_record_and_leaves_what_names_two(
    tmp_path, monkeypatch
):
    import duckdb

    from etl import store

    # A warehouse as 016m left it: LB01 is the hotline's alone; NW01 is the hotline's (loaded
    # first) and the board's, both filled by one record's proposal and labelled once by id.
    before = tmp_path / "schema"
    before.mkdir()
    for path in store.SCHEMA_DIR.glob("*.sql"):
        if path.name < "017":
            shutil.copy(path, before)
    real = store.SCHEMA_DIR
    monkeypatch.setattr(store, "SCHEMA_DIR", before)
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    store.migrate(con)
    con.execute(
        f"""
        insert into complaints (case_id, source_system, import_id, received_at, title, category,
            category_source, category_confidence, reply_text) values
        ('LB01', '{HOTLINE}', 1, '2024-05-01', '噪音', '{NOISE}', '模型', 0.97, '已处理'),
        ('NW01', '{HOTLINE}', 1, '2024-05-02', '噪音', '{FRAUD}', '人工', null, '已处理'),
        ('NW01', '{BOARD}', 2, '2024-05-03', '诈骗', '{FRAUD}', '人工', null, '已处理'),
        ('NW02', '{HOTLINE}', 1, '2024-05-02', '护照', '{FRAUD}', '模型', 0.96, null),
        ('NW02', '{BOARD}', 2, '2024-05-03', '诈骗', '{FRAUD}', '模型', 0.96, null);
        insert into complaint_case_facts select * from complaint_case_facts_source;
        insert into predictions values
            ('LB01', 'category', '{NOISE}', 0.97, 0.9, 'm1', '2024-05-01', 1),
            ('NW02', 'category', '{FRAUD}', 0.96, 0.9, 'm1', '2024-05-03', 2);
        insert into labels values ('NW01', 'category', '{FRAUD}', 'analyst', null, 3);
        insert into import_row_history values
            (4, 'labels', json_object('record_id', 'NW01', 'target', 'category',
                'value', '{PASSPORT}', 'import_id', 3));
        insert into reply_screening values ('LB01', 1.0, 3), ('NW01', 0.0, 3);
        insert into reply_bands values ('LB01', 0, 7), ('NW01', 0, 7);
        insert into text_tokens (source, record_id, day, category, token, n, source_system)
        values ('complaint', 'NW02', '2024-05-03', '{FRAUD}', '诈骗', 1, '{BOARD}');
        insert into token_days select * from token_days_source;
        """
    )
    monkeypatch.setattr(store, "SCHEMA_DIR", real)
    assert store.migrate(con)[0] == "017_intel_record_keys.sql"  # later migrations follow it

    def got(sql: str) -> list[tuple]:
        return con.execute(sql).fetchall()

    result = {
        "predictions": got("select source_system, record_id, value from predictions"),
        "labels": got("select record_source, record_id, value from labels"),
        "history": got("select previous ->> 'record_source' from import_row_history"),
        "screening": got("select source_system, case_id from reply_screening"),
        "bands": got("select source_system, case_id from reply_bands"),
        "categories": got(
            "select source_system, case_id, category, category_source from complaints order by all"
        ),
        "facts": got(
            "select source_system, case_id, category from complaint_case_facts order by all"
        ),
        "words": got("select category, token from token_days"),
    }
    con.close()
    assert result == {
        # LB01's proposal and screening are its one source's; NW02's proposal and NW01's
        # screening cannot say which record they were of: left out.
        "predictions": [(HOTLINE, "LB01", NOISE)],
        "labels": [(HOTLINE, "NW01", FRAUD)],
        "history": [(HOTLINE,)],
        "screening": [(HOTLINE, "LB01")],
        "bands": [(HOTLINE, "LB01")],
        # The label stays on the record loaded first; the board's NW01 and both NW02 had another
        # record's value: they wait for a proposal of their own. LB01 keeps its model value.
        "categories": [
            (HOTLINE, "LB01", NOISE, "模型"),
            (HOTLINE, "NW01", FRAUD, "人工"),
            (HOTLINE, "NW02", None, None),
            (BOARD, "NW01", None, None),
            (BOARD, "NW02", None, None),
        ],
        "facts": [
            (HOTLINE, "LB01", NOISE),
            (HOTLINE, "NW01", FRAUD),
            (HOTLINE, "NW02", None),
            (BOARD, "NW01", None),
            (BOARD, "NW02", None),
        ],
        "words": [(None, "诈骗")],
    }
