"""Refuse exports that carry a payload: formula or DDE text in cells, macros, DDE links, formulas.

A cell such as =cmd|' /C calc'!A0 is harmless in the warehouse but runs when someone later opens an
export of it in Excel (OWASP "CSV injection"); a workbook with a VBA project or an Excel 4.0 macro
sheet is not a data export. Negative numbers (-5) and phone numbers (+86 …) are data and pass.
The same rule serves the downloads (pages/ui/export.py): one place decides what a spreadsheet runs.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import duckdb
from xlrd import compdoc

from etl import readers

# What a spreadsheet takes as the start of a formula (tab and CR hide one from a quick look).
# Downloads put an apostrophe before every text that starts so: shown, never run.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# The subset that does something when evaluated, refused on load: = then a name, a call, a
# reference or an expression; + - @ then a function call anywhere, or a cell reference; any of
# = + - @ then a DDE target (an application name before a pipe). What stays data: -3, +86 138 …,
# "-", @张三 已回复, ==== 分隔 ==== (an export of them still gets the apostrophe).
# One pattern for Python and for DuckDB (RE2): no look-arounds, no backreferences.
FORMULA = (
    r"^(=\s*[A-Za-z0-9_$(+\-\"'@#]"
    r"|[+\-@].*[A-Za-z_][A-Za-z0-9_.]*\s*\("
    r"|[+\-@]\s*\$?[A-Za-z]{1,3}\$?[0-9]+\s*([-+*/^&=<>:,]|$)"
    r"|[=+\-@].*[A-Za-z]\s*\|)"
)
_FORMULA = re.compile(FORMULA)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_REFERENCE = re.compile(r"\$?[A-Za-z]{1,3}\$?[0-9]+")
_DDE = re.compile(r"[A-Za-z]\s*\|")
# Functions of a stored formula that reach outside the workbook; SUM and friends are left alone.
_RISKY_FUNCTION = re.compile(
    r"(?i)\b(HYPERLINK|WEBSERVICE|FILTERXML|CALL|REGISTER|REGISTER\.ID|EXEC|RTD|DDE|DDEAUTO"
    r"|FOPEN|FWRITE|FWRITELN)\s*\("
)
_EXTERNAL_REF = re.compile(r"\[\d+\]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MACRO_PARTS = ("vbaproject.bin", "xl/macrosheets/", "xl/activex/")
_OLE_MACRO_ENTRIES = {"_VBA_PROJECT_CUR", "_VBA_PROJECT", "VBA", "Macros", "PROJECT"}
_CHUNK = 1 << 20
_SHOWN = 40


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet would read this text as a formula (downloads neutralise it)."""
    return text.startswith(FORMULA_START)


def is_formula(text: str) -> bool:
    """Whether this text, opened in a spreadsheet, would run a formula or DDE command."""
    return bool(_FORMULA.match(text))


def formula_reason(text: str) -> str | None:
    """What the text would do in a spreadsheet, in the words of a refusal; None for data."""
    if not is_formula(text):
        return None
    if _DDE.search(text):
        return "DDE 命令"
    call = _CALL.search(text)
    if call:
        return f"调用 {call.group(1).upper()} 的公式"
    if text[0] != "=" and _REFERENCE.search(text):
        return "引用单元格的公式"
    return "公式"


def check(path: str | Path, export: readers.Export) -> None:
    """Raise readers.ExportError (Chinese: file, row, column) if the file carries a payload."""
    check_container(path, export.file_name)
    con = duckdb.connect(":memory:")
    try:
        con.execute("set enable_progress_bar = false")
        export.to_duckdb(con, "_safety")
        scan(con, "_safety", export)
    finally:
        con.close()


def check_container(path: str | Path, file_name: str | None = None) -> None:
    """The file itself: macro workbooks, VBA projects, DDE links, stored formulas that call out."""
    path = Path(path)
    name = file_name or path.name
    suffix = Path(name).suffix.lower()
    if suffix in readers.MACRO_SUFFIXES:
        raise _macro(name, f"启用宏的工作簿（{suffix}）")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        _check_zip(path, name)
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _check_ole(path, name)


def scan(con: duckdb.DuckDBPyConnection, table: str, export: readers.Export) -> None:
    """The cells of a table that Export.to_duckdb filled (c0..cN, _row), and the header texts."""
    for index, header in enumerate(export.headers):
        if is_formula(header):
            raise _payload(export.file_name, export.header_row, header, header)
    columns = [f"c{i}" for i in range(len(export.headers))]
    if not columns:
        return
    # Only values that start with one of = + - @ reach the regular expression.
    test = " or ".join(
        f"(left({c}, 1) in ('=', '+', '-', '@') and regexp_matches({c}, $pattern))" for c in columns
    )
    # Column names are generated above and the table name is the caller's own; values are bound.
    hit = con.execute(
        f'select _row, {", ".join(columns)} from "{table}" where {test} order by _row limit 1',
        {"pattern": FORMULA},
    ).fetchone()
    if hit is None:
        return
    row, cells = hit[0], hit[1:]
    index = next(i for i, v in enumerate(cells) if v is not None and is_formula(v))
    raise _payload(export.file_name, row, export.headers[index], cells[index])


def _check_zip(path: Path, name: str) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        return  # readers explains a damaged file
    with archive:
        readers.check_archive(archive, name)  # before any member is read
        members = archive.namelist()
        lowered = [m.lower() for m in members]
        for part in _MACRO_PARTS:
            if any(part in m for m in lowered):
                what = "Excel 4.0 宏表" if "macrosheets" in part else "VBA 宏或控件"
                raise _macro(name, f"含有{what}的工作簿")
        for member in members:
            if member.lower().startswith("xl/externallinks/") and member.lower().endswith(".xml"):
                text = archive.read(member)
                if b"ddeLink" in text or b"oleLink" in text:
                    raise _dde_link(name)
        sheets = _sheet_names(archive)
        for member in members:
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                _check_sheet_formulas(archive, member, name, sheets.get(member, member))


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name as Excel shows it."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {
        r.get("Id"): "xl/" + r.get("Target", "").removeprefix("/xl/").removeprefix("xl/")
        for r in rels
    }
    names = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                names[targets[rid]] = sheet.get("name", "")
    return names


def _has_formula_tag(archive: zipfile.ZipFile, member: str) -> bool:
    with archive.open(member) as stream:
        tail = b""
        while chunk := stream.read(_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _check_sheet_formulas(archive: zipfile.ZipFile, member: str, name: str, sheet: str) -> None:
    """Stored formulas (openpyxl reads their cached values) that call out of the workbook."""
    if not _has_formula_tag(archive, member):
        return
    cell = None
    with archive.open(member) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start" and tag == "c":
                cell = element.get("r")
            elif event == "end" and tag == "f":
                text = element.text or ""
                if _DDE.search(text) or _RISKY_FUNCTION.search(text) or _EXTERNAL_REF.search(text):
                    column, row = _split_ref(cell)
                    raise readers.ExportError(
                        f"文件「{name}」工作表「{sheet}」第{row}行第{column}列是会调用外部程序或链接的公式"
                        f"（={_short(text)}），为防止打开时被执行，整个文件未导入：请把该单元格改为数值"
                        "（复制后“选择性粘贴→数值”）后重新上传"
                    )
            elif event == "end" and tag == "row":
                element.clear()


def _split_ref(ref: str | None) -> tuple[str, str]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref or "")
    return (match.group(1), match.group(2)) if match else ("?", "?")


def _check_ole(path: Path, name: str) -> None:
    try:
        entries = {
            d.name for d in compdoc.CompDoc(path.read_bytes(), logfile=io.StringIO()).dirlist
        }
    except compdoc.CompDocError:
        return  # readers explains a damaged file
    if entries & _OLE_MACRO_ENTRIES:
        raise _macro(name, "含有 VBA 宏的工作簿")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def _payload(name: str, row: int, header: str, value: str) -> readers.ExportError:
    return readers.ExportError(
        f"文件「{name}」第{row}行「{header}」列的内容“{_short(value)}”是{formula_reason(value)}，"
        "为防止在 Excel 中打开时被执行，整个文件未导入：请删除该单元格开头的 = + - @ 符号"
        "（或在前面加一个单引号）后重新上传"
    )


def _macro(name: str, what: str) -> readers.ExportError:
    return readers.ExportError(
        f"文件「{name}」是{what}，不是数据导出，整个文件未导入："
        "请在 Excel 中另存为“Excel 工作簿（.xlsx）”或 CSV 后重新上传"
    )


def _dde_link(name: str) -> readers.ExportError:
    return readers.ExportError(
        f"文件「{name}」含有 DDE/OLE 外部链接（打开时会启动外部程序），整个文件未导入："
        "请在 Excel 中“数据→编辑链接→断开链接”后另存为 .xlsx 重新上传"
    )
