"""Downloads open safely in Excel: UTF-8 BOM, CRLF, and no cell that Excel would evaluate."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pandas as pd

from pages.ui import export

TABLE = pd.DataFrame(
    {
        "单位": ["=1+2", "+86 138", "-A", "@SUM(A1)", "\tcmd", "东城分局", None],
        "件数": [1, -2, 3, 4, 5, 6, 7],
    }
)


def test_csv_has_bom_crlf_and_neutralised_formulas():
    # Text cells starting with = + - @ or tab get a leading apostrophe; the number -2 stays a
    # number; a missing value is an empty field.
    expected = (
        "\ufeff单位,件数\r\n"
        "'=1+2,1\r\n"
        "'+86 138,-2\r\n"
        "'-A,3\r\n"
        "'@SUM(A1),4\r\n"
        "'\tcmd,5\r\n"
        "东城分局,6\r\n"
        ",7\r\n"
    ).encode("utf-8")
    assert export.to_csv_bytes(TABLE) == expected
    assert export.to_csv_bytes(TABLE)[:3] == b"\xef\xbb\xbf"


def test_csv_quotes_a_carriage_return_after_neutralising_it():
    frame = pd.DataFrame({"备注": ["\r=HYPERLINK()", "a,b"]})
    assert export.to_csv_bytes(frame) == '\ufeff备注\r\n"\'\r=HYPERLINK()"\r\n"a,b"\r\n'.encode()


def test_column_names_are_neutralised_too():
    frame = pd.DataFrame({"=cmd": ["x"]})
    assert export.to_csv_bytes(frame) == "\ufeff'=cmd\r\nx\r\n".encode()


def test_xlsx_has_no_formula_cells_and_keeps_the_text():
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(TABLE))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["单位", "件数"],
        ["'=1+2", 1],
        ["'+86 138", -2],
        ["'-A", 3],
        ["'@SUM(A1)", 4],
        ["'\tcmd", 5],
        ["东城分局", 6],
        [None, 7],
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"


def test_xlsx_drops_control_characters_and_keeps_datetimes():
    frame = pd.DataFrame({"备注": ["响铃\x07两声"], "受理时间": [datetime(2024, 3, 1, 9, 10)]})
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(frame, "明细"))).active
    assert sheet.title == "明细"
    assert [cell.value for cell in sheet[2]] == ["响铃两声", datetime(2024, 3, 1, 9, 10)]


def test_yes_and_no_are_written_in_chinese_not_true_and_false():
    # A flag column (is_closed, is_repeat …) and a flag in a column of text (a cell of a file).
    table = pd.DataFrame({"是否办结": [True, False, None], "备注": [True, "已回访", None]})
    assert export.to_csv_bytes(table).decode("utf-8-sig") == (
        "是否办结,备注\r\n是,是\r\n否,已回访\r\n,\r\n"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx_bytes(table))).active
    assert [c.value for c in sheet["A"]] == ["是否办结", "是", "否", None]
