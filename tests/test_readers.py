"""etl.readers: real exports and synthetic messy files read into exact tables of strings."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.readers import ExportError, list_sheets, read_export, sniff_encoding

WHITESPACE = " \t\n\r\x0b\x0c\u00a0\u3000"

# A 110 callback export as a bureau system writes it: two title lines, a blank line, the header on
# line 4, a quoted note spanning two lines, an empty row, then two footer notes.
CALLBACK_CSV = (
    "XX市公安局2024年3月110接警回访情况表,,,,\r\n"
    "制表单位：XX分局指挥中心,,,,\r\n"
    "\r\n"
    "接警编号,身份证号,报警人,回访结果,备注\r\n"
    "000123,110101199003078515,张三,满意,\r\n"
    '000124,11010119900307851X,李四,不满意,"多次报警\n未处理"\r\n'
    " 000125 ,１２３４５６７８９０１２３４５６７８,王五,基本满意,全角数字\r\n"
    ",,,,\r\n"
    "000126,440301198507071234,赵六,满意,  前后有空格  \r\n"
    "注：本表数据截至2024年3月31日。,,,,\r\n"
    "制表人：张三,审核人：李四,,,\r\n"
)
CALLBACK_HEADERS = ["接警编号", "身份证号", "报警人", "回访结果", "备注"]
# Records 5, 6, 7 and 9 (record 6 spans two lines; 8 is empty; 10 and 11 are notes).
CALLBACK_ROWS = [
    ("000123", "110101199003078515", "张三", "满意", None, 5),
    ("000124", "11010119900307851X", "李四", "不满意", "多次报警\n未处理", 6),
    ("000125", "１２３４５６７８９０１２３４５６７８", "王五", "基本满意", "全角数字", 7),
    ("000126", "440301198507071234", "赵六", "满意", "前后有空格", 9),
]


def table_rows(export, table: str = "t") -> list[tuple]:
    con = duckdb.connect()
    count = export.to_duckdb(con, table)
    rows = con.execute(f"SELECT * FROM {table} ORDER BY _row").fetchall()
    assert count == len(rows)
    return rows


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def encrypted_ooxml() -> bytes:
    """A minimal OLE2 compound file with the EncryptionInfo/EncryptedPackage streams of a
    password-protected .xlsx (what Excel writes when a workbook has an open password)."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end, *range(3, 10), end, *range(11, 18), end]
    fat += [free] * (128 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + bytes(16)
        + struct.pack(
            "<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0
        )
        + struct.pack("<109I", 0, *[free] * 108)
    )

    def entry(name, kind, right, child, start, size):
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            none,
            right,
            child,
            bytes(16),
            0,
            0,
            0,
            start,
            size,
        )

    directory = (
        entry("Root Entry", 5, none, 1, end, 0)
        + entry("EncryptionInfo", 2, 2, none, 2, 4096)
        + entry("EncryptedPackage", 2, none, none, 10, 4096)
        + bytes(128)
    )
    return header + struct.pack("<128I", *fat) + directory + bytes(16 * 512)


def xlsx_bytes(fill) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_cached_value(data: bytes, formula: str, value: str) -> bytes:
    """Give a formula cell the cached value Excel stores on save (openpyxl writes none)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            content = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                # openpyxl writes the empty value as <v /> or <v></v>, depending on its version.
                old = re.search(
                    rf"<f>{re.escape(formula)}</f><v ?/>|<f>{re.escape(formula)}</f><v></v>".encode(),
                    content,
                )
                assert old is not None
                content = content.replace(old.group(), f"<f>{formula}</f><v>{value}</v>".encode())
            dst.writestr(item, content)
    return out.getvalue()


# Real exports (../shared/realdata)


def test_nbs_gb18030_csv_skips_title_lines_and_footer_notes(realdata):
    export = read_export(realdata / "nbs_gdp_gb18030.csv")
    assert (export.format, export.encoding, export.delimiter) == ("csv", "gb18030", ",")
    # Lines 1-3 are 数据库/指标/时间, line 4 the header: 地区 + 2024年 … 2006年 (19 years).
    assert export.header_row == 4
    assert export.headers[:3] == ["地区", "2024年", "2023年"]
    assert len(export.headers) == 20
    rows = table_rows(export)
    # 31 provinces on lines 5-35; lines 36-37 (注：…, 数据来源：国家统计局) are dropped.
    assert len(rows) == 31
    assert rows[0][:2] == ("北京市", "49670.2")
    assert (rows[0][-1], rows[-1][0], rows[-1][-1]) == (5, "新疆维吾尔自治区", 35)


def test_message_board_xlsx_strips_padding_and_formats_datetimes(realdata):
    export = read_export(realdata / "群众留言_2019.xlsx")
    assert (export.format, export.sheet, export.sheets, export.header_row) == (
        "xlsx",
        "Sheet1",
        ["Sheet1"],
        1,
    )
    assert export.headers == [
        "留言编号",
        "留言用户",
        "留言主题",
        "留言时间",
        "留言详情",
        "反对数",
        "点赞数",
    ]
    con = duckdb.connect()
    assert export.to_duckdb(con, "messages") == 4326
    first = con.execute(
        "SELECT c0, c1, c3, left(c4, 13), c5, _row FROM messages ORDER BY _row LIMIT 1"
    )
    # The body opens with "\n\t\t\t\t\t\n\t\t\t\t\t" in the file; 188006 is an integer cell.
    assert first.fetchone() == (
        "188006",
        "A000102948",
        "2019/2/28 11:25:05",
        "座落在A市A3区联丰路米兰",
        "0",
        2,
    )
    padded = con.execute(
        "SELECT count(*) FROM messages WHERE c4 <> trim(c4, $ws)", {"ws": WHITESPACE}
    )
    assert padded.fetchone() == (0,)
    # Row 4327 holds 留言时间 as a real Excel datetime, not as text.
    last = con.execute("SELECT c0, c3, _row FROM messages ORDER BY _row DESC LIMIT 1").fetchone()
    assert last == ("360114", "2017-06-08 17:31:20", 4327)


def test_wjx_survey_export_reads_every_answer(realdata):
    export = read_export(realdata / "wjx_survey_export.xlsx")
    assert (export.header_row, len(export.headers)) == (1, 62)
    assert export.headers[:3] == ["序号", "1、您的性别：", "2、您的年龄段："]
    rows = table_rows(export)
    assert len(rows) == 1044
    assert rows[0][:3] == ("1", "男", "20～22")
    assert len(rows[0]) == 63  # 62 columns + _row


def test_legacy_xls_with_numeric_header_and_empty_sheets(realdata):
    export = read_export(realdata / "nbs_budget_legacy.xls")
    # Sheet2 and Sheet3 are empty; row 1 holds only the years 2005-2024 in E1:X1.
    assert (export.format, export.sheets, export.header_row) == ("xls", ["Sheet1"], 1)
    assert export.headers[:6] == ["第1列", "第2列", "第3列", "第4列", "2005", "2006"]
    assert (len(export.headers), export.headers[-1]) == (24, "2024")
    rows = table_rows(export)
    assert len(rows) == 62
    # Row 2: 1.0 (a float cell) then the label in B and the province in D, C empty.
    assert rows[0][:7] == ("1", "一般公共预算支出（亿元）i", None, "北京", None, None, "1649.5")
    assert (rows[-1][0], rows[-1][3], rows[-1][-1]) == ("62", "新疆", 63)


# Synthetic CSV


def test_gbk_and_utf8_bom_csv_read_identically(tmp_path):
    gbk = read_export(write(tmp_path / "gbk.csv", CALLBACK_CSV, "gbk"))
    bom = read_export(write(tmp_path / "bom.csv", CALLBACK_CSV, "utf-8-sig"))
    assert (gbk.encoding, bom.encoding) == ("gb18030", "utf-8-sig")
    for export in (gbk, bom):
        assert (export.header_row, export.headers) == (4, CALLBACK_HEADERS)
        assert table_rows(export) == CALLBACK_ROWS


def test_preview_matches_the_loaded_table(tmp_path):
    export = read_export(write(tmp_path / "gbk.csv", CALLBACK_CSV, "gbk"))
    frame = export.preview(3)
    assert list(frame.columns) == [*CALLBACK_HEADERS, "_row"]
    assert [tuple(r) for r in frame.itertuples(index=False)] == CALLBACK_ROWS[:3]
    # Ten rows asked, four exist: the footer notes stay out of the preview too.
    assert len(export.preview(10)) == 4


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_delimiters(tmp_path, delimiter):
    text = delimiter.join(["编号", "姓名", "诉求"]) + "\n"
    text += delimiter.join(["001", "张三", "路灯坏了,晚上看不见"]) + "\n"
    text += delimiter.join(["002", "李四", "噪音,扰民,夜间施工"]) + "\n"
    export = read_export(write(tmp_path / "export.txt", text))
    assert (export.delimiter, export.headers) == (delimiter, ["编号", "姓名", "诉求"])
    assert table_rows(export) == [
        ("001", "张三", "路灯坏了,晚上看不见", 2),
        ("002", "李四", "噪音,扰民,夜间施工", 3),
    ]


def test_blank_lines_inside_the_data_keep_row_numbers(tmp_path):
    text = "编号,姓名\n001,张三\n\n002,李四\n\n\n003,王五\n"
    export = read_export(write(tmp_path / "gaps.csv", text))
    # Lines 3, 5 and 6 are empty: the rows stay on the lines an editor shows them on.
    expected = [("001", "张三", 2), ("002", "李四", 4), ("003", "王五", 7)]
    assert table_rows(export) == expected
    assert [tuple(r) for r in export.preview().itertuples(index=False)] == expected


def test_excel_unicode_text_export_and_explicit_encoding(tmp_path):
    # Excel's "Unicode 文本" is UTF-16 with a BOM and tabs.
    path = write(tmp_path / "unicode.txt", "编号\t姓名\r\n001\t张三\r\n", "utf-16")
    export = read_export(path)
    assert (export.encoding, export.delimiter) == ("utf-16", "\t")
    assert table_rows(export) == [("001", "张三", 2)]
    gbk = write(tmp_path / "gbk.csv", "编号,姓名\n001,张三\n", "gbk")
    assert read_export(gbk, encoding="GBK").encoding == "gbk"
    assert table_rows(read_export(gbk, encoding="GBK")) == [("001", "张三", 2)]


def test_header_row_override(tmp_path):
    path = write(tmp_path / "export.csv", CALLBACK_CSV, "utf-8")
    export = read_export(path, header_row=2)
    # Row 2 (制表单位：…) as the header: 1 named column, the rest 第N列.
    assert export.headers == ["制表单位：XX分局指挥中心", "第2列", "第3列", "第4列", "第5列"]
    assert table_rows(export)[0] == ("接警编号", "身份证号", "报警人", "回访结果", "备注", 4)


def test_pure_ascii_head_does_not_hide_a_gbk_tail(tmp_path):
    lines = ["id,name"] + [f"{i:06d},user{i}" for i in range(80_000)] + ["080000,张三"]
    path = write(tmp_path / "late.csv", "\n".join(lines) + "\n", "gbk")
    assert path.stat().st_size > 1 << 20  # the first non-ASCII byte lies past the 1 MB sample
    assert sniff_encoding(path) == "gb18030"
    con = duckdb.connect()
    read_export(path).to_duckdb(con, "t")
    assert con.execute("SELECT c0, c1, _row FROM t WHERE _row = 80002").fetchone() == (
        "080000",
        "张三",
        80002,
    )


def test_row_wider_than_the_header_names_its_line(tmp_path):
    lines = ["a,b,c"] + [f"{i},x,y" for i in range(1100)] + ["1,2,3,4"]
    export = read_export(write(tmp_path / "wide.csv", "\n".join(lines) + "\n"))
    with pytest.raises(
        ExportError, match=r"^文件「wide\.csv」第1102行无法按 CSV 读取（列数比表头多）"
    ):
        export.to_duckdb(duckdb.connect(), "t")


# Synthetic Excel


def callback_sheet(book):
    sheet = book.active
    sheet.title = "回访"
    sheet["A1"] = "XX市公安局2024年3月110接警回访情况表"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "统计时间：2024-03-01至2024-03-31"
    sheet.merge_cells("A2:F2")
    sheet.append(["接警编号", "接警时间", "回访日期", "身份证号", "通话时长", "回访结果"])
    sheet.append(
        [
            "000123",
            dt.datetime(2024, 3, 1, 8, 30),
            dt.datetime(2024, 3, 2),
            "110101199003078515",
            12.0,
            "满意",
        ]
    )
    sheet.append(["000124", 45352, dt.date(2024, 3, 3), "11010119900307851X", 0.5, True])
    sheet.append([])
    sheet.append(
        ["000125", " 2024/3/4 9:00 ", None, "\n\t\t440301198507071234\t", "=E4*2", "不满意"]
    )
    sheet["A8"] = "注：回访结果以电话回访为准。"
    sheet.merge_cells("A8:F8")
    sheet["A9"] = "制表人：张三"
    book.create_sheet("空表")


def test_xlsx_with_merged_title_rows_and_footer_notes(tmp_path):
    data = with_cached_value(xlsx_bytes(callback_sheet), "E4*2", "24")
    export = read_export(write(tmp_path / "回访.xlsx", data))
    assert (export.sheet, export.sheets, export.header_row) == ("回访", ["回访"], 3)
    assert export.headers == [
        "接警编号",
        "接警时间",
        "回访日期",
        "身份证号",
        "通话时长",
        "回访结果",
    ]
    # Rows 4, 5, 7 (6 is empty; 8 and 9 are notes). Datetimes as text, 12.0 -> "12", the date
    # serial 45352 kept as typed, the formula's cached value 24, TRUE as Excel shows it.
    assert table_rows(export) == [
        ("000123", "2024-03-01 08:30:00", "2024-03-02", "110101199003078515", "12", "满意", 4),
        ("000124", "45352", "2024-03-03", "11010119900307851X", "0.5", "TRUE", 5),
        ("000125", "2024/3/4 9:00", None, "440301198507071234", "24", "不满意", 7),
    ]


def test_two_row_header_uses_the_lower_row(tmp_path):
    def fill(book):
        sheet = book.active
        sheet["A1"] = "2024年3月窗口回访明细"
        sheet.merge_cells("A1:G1")
        sheet.append(["序号", "单位", "基本信息", None, "联系", "回访", None])
        sheet.append([None, None, "姓名", "身份证号", "电话", "结果", "时间"])
        for cell in ("A2:A3", "B2:B3", "C2:D2", "F2:G2"):
            sheet.merge_cells(cell)
        sheet.append(
            [1, "城关派出所", "张三", "110101199003078515", "13800000000", "满意", "2024-03-01"]
        )
        sheet.append(
            [2, "东城派出所", "李四", "11010119900307851X", "13900000000", "不满意", "2024-03-02"]
        )

    export = read_export(write(tmp_path / "window.xlsx", xlsx_bytes(fill)))
    assert export.header_row == 3
    assert export.headers == ["序号", "单位", "姓名", "身份证号", "电话", "结果", "时间"]
    assert [r[0] for r in table_rows(export)] == ["1", "2"]


def test_sheet_choice_and_duplicate_headers(tmp_path):
    def fill(book):
        book.active.title = "说明"
        book.active["A1"] = "本文件含两张表"
        data = book.create_sheet("明细")
        data.append(["编号", "备注", "备注", None, "备注"])
        data.append(["001", "a", "b", "c", "d"])

    path = write(tmp_path / "two.xlsx", xlsx_bytes(fill))
    assert list_sheets(path) == ["说明", "明细"]
    export = read_export(path, sheet="明细")
    assert export.headers == ["编号", "备注", "备注2", "第4列", "备注3"]
    assert table_rows(export) == [("001", "a", "b", "c", "d", 2)]
    with pytest.raises(ExportError, match="没有有数据的工作表「汇总」"):
        read_export(path, sheet="汇总")


# Refusals: one Chinese line that names the file and says what to do.


def zip_with_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


REFUSED = [
    ("empty.csv", b"", "是空的"),
    ("blank.csv", "\ufeff \r\n\r\n".encode(), "是空的"),
    ("report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "图片"),
    ("bundle.csv", zip_with_text(), "压缩包"),
    ("dump.csv", b"\x01\x02\x00\x00\xfe\xfa" * 100, "二进制"),
    ("locked.xlsx", encrypted_ooxml(), "密码"),
    ("macro.xlsm", b"PK\x03\x04", ".xlsm"),
    ("data.json", b"[]", "不支持"),
    ("page.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "网页"),
    ("zeros.csv", b"0,0,0,0\n" * 5, "找不到表头"),
]


@pytest.mark.parametrize(("name", "data", "reason"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_name_the_file_and_the_fix(tmp_path, name, data, reason):
    with pytest.raises(ExportError) as caught:
        read_export(write(tmp_path / name, data))
    message = str(caught.value)
    assert message.startswith(f"文件「{name}」")
    assert reason in message
    assert "请" in message
    assert "\n" not in message
