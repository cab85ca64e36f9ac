"""Markdown and HTML from the data never render (issue 11 point 5): a warehouse whose names,
channels, categories and titles carry links, images and tags is walked page by page; no markdown
element shows an unescaped link, image, tag or URL, and no figure carries a raw tag."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from etl.load import load_manifest
from pages.ui import charts, escape
from tests.test_pages import PAGES, open_page

ROOT = Path(__file__).resolve().parents[1]
LINK = "[钓鱼链接](http://evil.example/phish)"
IMAGE = "![c](http://evil.example/x.png)"
ANCHOR = '<a href="http://evil.example/">点此查看详情</a>'
SPAN = '<span style="font-size:40px;color:red">平安民声</span>'
IMG = "<img src=x onerror=alert(1)>"
DIRECTIVE = ":red[紧急] www.evil.example 举报@evil.example"
PAYLOADS = (LINK, IMAGE, ANCHOR, SPAN, IMG, DIRECTIVE)

# Markdown that renders: a link or image target, an HTML tag or a colour directive not escaped;
# and in the text as parsed (escapes removed), a URL or e-mail address GFM would link.
LIVE_MARKDOWN = re.compile(r"(?<!\\)\]\s*\(|(?<!\\)<[A-Za-z/!]|(?<!\\):red\[")
AUTOLINK = re.compile(r"https?://[-.\w]|(?<![\w])www\.[-\w]|[-.\w+]@[-\w]+\.", re.IGNORECASE)


def live(text: str) -> bool:
    """Whether Streamlit would render markup in this markdown text."""
    return bool(LIVE_MARKDOWN.search(text) or AUTOLINK.search(re.sub(r"\\(.)", r"\1", text)))


RAW_TAG = re.compile(r"<\s*(a|span|img)\b", re.IGNORECASE)


def _rewrite_csv(path: Path, changes: dict[tuple[str, str], str], key: str) -> None:
    """Set cells (row key, column) of a UTF-8 CSV export."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for (row_key, column), value in changes.items():
            if row[key] == row_key:
                row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    """The sample with hostile text in every kind of label a clerk's file can set."""
    data = tmp_path_factory.mktemp("hostile") / "sample"
    shutil.copytree(ROOT / "data" / "sample", data)
    # Full unit names are shown; records still name the short names.
    _rewrite_csv(
        data / "units.csv",
        {
            ("P12", "单位名称"): f"{LINK}南湖派出所",
            ("P21", "单位名称"): ANCHOR,
            ("P22", "单位名称"): SPAN,
        },
        "单位编码",
    )
    _rewrite_csv(
        data / "complaints.csv",
        {
            ("SQ06", "来源渠道"): ANCHOR,
            ("SQ08", "来源渠道"): SPAN,
            ("SQ01", "问题类别"): IMAGE,
            ("SQ02", "问题类别"): DIRECTIVE,
            ("SQ03", "标题"): LINK,
        },
        "工单编号",
    )
    with (data / "survey_responses.csv").open(encoding="utf-8-sig") as f:
        answers = [row["答卷编号"] for row in csv.DictReader(f) if row["意见建议"]]
    _rewrite_csv(
        data / "survey_responses.csv",
        {(answers[0], "问题类别"): IMAGE, (answers[1], "问题类别"): LINK},
        "答卷编号",
    )
    _rewrite_csv(
        data / "rectifications.csv",
        {("ZG06", "问题类别"): IMG, ("ZG08", "问题类别"): ANCHOR},
        "问题编号",
    )
    book = openpyxl.load_workbook(data / "report_ledger.xlsx")
    for sheet in book:
        for row in sheet.iter_rows(min_row=2):
            if row[2].value == "治安支队":
                row[2].value = LINK
    book.save(data / "report_ledger.xlsx")
    out = data.parent / "minyi.duckdb"
    load_manifest(out, data / "manifest.json")
    return out


@pytest.fixture
def hostile(hostile_db, monkeypatch) -> Path:
    monkeypatch.setenv("MINYI_DB", str(hostile_db))
    return hostile_db


def markdown_texts(at) -> list[str]:
    """Every text of the run that Streamlit renders as markdown."""
    texts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "info",
        "warning",
        "error",
        "success",
    ):
        texts += [element.value for element in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    texts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    return texts


def decoded(figure_json: str) -> str:
    """A figure's JSON with plotly's \\u003c-style escapes undone: the strings as the browser
    gets them."""
    return json.dumps(json.loads(figure_json), ensure_ascii=False)


def figures(at) -> list[str]:
    return [decoded(element.proto.spec) for element in at.get("plotly_chart")]


def test_the_hostile_warehouse_holds_the_payloads(hostile):
    from queries import db

    with db.read() as con:
        names = {r[0] for r in con.execute("select name from units").fetchall()}
        channels = {r[0] for r in con.execute("select channel from complaints").fetchall()}
    assert {ANCHOR, SPAN, f"{LINK}南湖派出所"} <= names
    assert {ANCHOR, SPAN} <= channels


@pytest.mark.parametrize("name", [page["name"] for page in PAGES])
def test_no_page_renders_markup_from_the_data(hostile, name):
    at = open_page(name)
    assert not at.exception, [e.value for e in at.exception]
    for text in markdown_texts(at):
        assert not live(text), f"{name}: {text!r}"
    for spec in figures(at):
        assert not RAW_TAG.search(spec), f"{name}: {RAW_TAG.search(spec).group(0)} in a figure"


def test_the_payloads_reach_the_pages_escaped(hostile):
    # The walk above must see the payloads (else it proves nothing): the intake chart names the
    # channels, escaped; the survey page names the suppressed categories, escaped.
    complaints = "".join(figures(open_page("complaints")))
    assert json.dumps(escape.html(ANCHOR), ensure_ascii=False)[1:-1] in complaints
    survey = " ".join(markdown_texts(open_page("survey")))
    assert escape.md(IMAGE) in survey or escape.md(LINK) in survey


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_reads_as_the_value(payload):
    # Markdown drops a backslash before punctuation; plotly decodes entities: both show the value.
    shown = re.sub(r"\\(.)", r"\1", escape.md(payload)).replace(escape.ZERO_WIDTH_SPACE, "")
    assert shown == payload
    assert escape.unhtml(escape.html(payload)) == payload
    assert not live(escape.md(payload)) and live(payload)


def test_every_chart_builder_escapes_what_it_draws():
    frame = pd.DataFrame(
        {
            "name": list(PAYLOADS),
            "key": list(PAYLOADS),
            "rate": [0.5] * 6,
            "n": [3] * 6,
            "kind": [ANCHOR, SPAN] * 3,
            "low": [0.4] * 6,
            "high": [0.6] * 6,
            "small": [False] * 6,
            "change": [0.1] * 6,
        }
    )
    built = [
        charts.rate_bar(
            frame, "name", "rate", low="low", high="high", key="key", flag="small", title=IMG
        ),
        charts.unit_dots(frame, "name", "rate", low="low", high="high", key="key", flag="small"),
        charts.count_bar(frame, "name", "n", color="kind", key="key", horizontal=True),
        charts.count_bar(frame, "name", "n"),
        charts.change_bar(frame, "name", "change", key="key", flag="small"),
        charts.funnel(frame, "name", "n"),
        charts.trend(frame.assign(day=pd.date_range("2024-01-01", periods=6)), "day", "rate"),
    ]
    for fig in built:
        assert not RAW_TAG.search(decoded(fig.to_json())), decoded(fig.to_json())[:300]
