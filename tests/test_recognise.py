"""Header recognition: synonyms, then the header's parts, then the column's values, each match
with its confidence; the columns a file may fix to one value."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from etl.inspect import inspect
from etl.recognise import PART, SYNONYM, VALUES, Match, propose_matches
from etl.sources import KINDS
from tests.conftest import ROOT


def test_plain_chinese_headers_are_recognised_by_synonym_or_by_their_parts():
    headers = [
        "编号",
        "主题",
        "投诉件内容",
        "信息来源",
        "性质",
        "时间",
        "一级分类",
        "二级分类",
        "状态",
    ]
    matches = propose_matches(KINDS["complaints"], headers)
    assert matches == {
        "编号": Match("case_id", 1.0, SYNONYM),
        "主题": Match("title", 1.0, SYNONYM),
        # 内容 covers 2 of the header's 5 characters, at its end: 0.6 + 0.25 × 2/5.
        "投诉件内容": Match("content", 0.7, PART),
        "信息来源": Match("channel", 1.0, SYNONYM),
        "性质": Match("kind", 1.0, SYNONYM),
        "时间": Match("received_at", 1.0, SYNONYM),
        "一级分类": Match("category", 1.0, SYNONYM),
        "二级分类": None,  # 分类 is taken by 一级分类: each column once
        "状态": Match("status", 1.0, SYNONYM),
    }


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("created_at", "received_at"),
        ("Created At", "received_at"),
        ("createdAt", "received_at"),
        ("subject", "title"),
        ("body", "content"),
        ("status", "status"),
        ("ticket_id", "case_id"),
        ("source", "channel"),
        ("category", "category"),
        ("date", "received_at"),
    ],
)
def test_english_field_names_of_web_systems(header, column):
    assert propose_matches(KINDS["complaints"], [header])[header] == Match(column, 1.0, SYNONYM)


def test_an_english_header_part_names_the_field():
    # normalised "tickettitle" ends with "title": 0.6 + 0.25 × 5/11 = 0.71.
    matches = propose_matches(KINDS["complaints"], ["ticket_title"])
    assert matches["ticket_title"] == Match("title", 0.71, PART)


def test_columns_nobody_named_are_recognised_by_their_values():
    headers = ["单号", "A", "B", "C", "D"]
    sample = {
        "单号": ["Q1001", "Q1002", "Q1003", "Q1004"],
        "A": ["2024-03-01 09:00", "2024/3/2", "2024年3月3日", "20240304"],
        "B": ["东湖派出所", "湖滨派出所", "东湖分局", "东湖派出所"],
        "C": ["已办结", "办理中", "已办结", "已受理"],
        "D": [
            "楼下烧烤店夜间噪音扰民，多次反映一直没有解决，希望尽快处理" + str(i) for i in range(4)
        ],
    }
    matches = propose_matches(KINDS["complaints"], headers, sample)
    assert matches == {
        "单号": Match("case_id", 0.3, VALUES),  # unique ids with digits
        "A": Match("received_at", 0.6, VALUES),  # 4 of 4 values are dates: 0.6 × 1
        "B": Match("handling_unit_id", 0.6, VALUES),  # the first unit column of the kind
        "C": Match("status", 0.6, VALUES),
        "D": Match("content", 0.4, VALUES),
    }


def test_numbered_questions_are_never_guessed_as_fields():
    # "问题" is a synonym of question: a question header that holds it is still a question.
    headers = ["序号", "8、您认为派出所存在的问题", "9、您对民警的意见建议"]
    matches = propose_matches(KINDS["survey_responses"], headers, {h: ["是"] for h in headers})
    assert matches == {
        "序号": Match("response_id", 1.0, SYNONYM),
        "8、您认为派出所存在的问题": None,
        "9、您对民警的意见建议": None,
    }


def test_inspect_json_shows_each_match_and_its_confidence(tmp_path):
    path = tmp_path / "web.csv"
    path.write_text(
        "id,title,body,created_at,status,department\n"
        "7,路灯不亮,小区门口路灯坏了一个月了,2024-03-01 09:00,已办结,东湖派出所\n"
        "8,噪音,夜间施工噪音很大影响休息,2024-03-02 22:00,办理中,湖滨派出所\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "etl", "inspect", str(path), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["kind"] == "complaints"
    assert report["matches"]["body"] == {"column": "content", "confidence": 1.0, "by": SYNONYM}
    assert report["matches"]["department"]["column"] == "handling_unit_id"
    assert report["missing"] == ["channel"]
    assert report == {**inspect(path), "file": report["file"]}


def test_fixable_columns_are_never_ids_texts_or_dates():
    for kind in KINDS.values():
        assert kind.fixable_columns, kind.name
        for name in kind.fixable_columns:
            column = kind.column(name)  # raises for a name that is no column
            assert name not in kind.text_columns, (kind.name, name)
            assert column.type not in ("timestamp", "date", "text") or name in (
                "channel",
                "police_type",
                "category",
                "demanding_dept",
            ), (kind.name, name)
            # A survey's id names the whole file's round; every other id names one record.
            assert column.type != "id" or name == "survey_id", (kind.name, name)


def test_the_fixable_columns_of_a_complaint_export():
    assert KINDS["complaints"].fixable_columns == (
        "channel",
        "kind",
        "receiving_unit_id",
        "handling_unit_id",
        "status",
        "category",
        "routed_by",
    )
