"""Read a bureau's export (CSV in any common encoding, .xlsx, .xls) as a table of strings."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import math
import re
import statistics
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path

import charset_normalizer
import duckdb
import openpyxl
import pandas as pd
import pyarrow as pa
import xlrd
from xlrd import compdoc

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
EXCEL_SUFFIXES = (".xlsx", ".xls")
MACRO_SUFFIXES = (".xlsm", ".xlsb", ".xltm")
# Stripped around every value, in Python (Excel) and in SQL (CSV) alike.
WHITESPACE = " \t\n\r\x0b\x0c\u00a0\u3000"
HEADER_SCAN_ROWS = 30
WIDTH_SCAN_ROWS = 1000
FOOTER_SCAN_ROWS = 50
FOOTER_TAIL_BYTES = 1 << 16
SAMPLE_BYTES = 1 << 20
CHUNK_BYTES = 1 << 22
BATCH_ROWS = 20_000
DELIMITERS = (",", "\t", ";", "|")
MAX_COLUMNS = 1000
# Zip-based files (.xlsx) are checked before anything inflates: what their members declare they
# inflate to (Python's zipfile never yields more than a member declares). Real exports inflate
# about 8:1 and a sheet of a million rows to well under a gigabyte.
MAX_UNZIPPED_MB = 1024
MAX_ZIP_RATIO = 100
ZIP_RATIO_FROM_BYTES = 10 << 20  # small members may compress better: they cannot do harm

Row = tuple[int, list]  # (row number as Excel shows it, cleaned cells: str or None)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_TABLES = (
    (b"%PDF", "PDF 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"{\\rtf", "RTF 文档"),
)
# A plain number, percentage, date or time: a data value, not a column name ("2024年" stays text).
_VALUE = re.compile(
    r"[-+]?(\d[\d,]*(\.\d+)?|\.\d+)([eE][-+]?\d+|%)?"
    r"|\d{2,4}[-/.年]\d{1,2}([-/.月]\d{1,2}日?)?([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?"
    r"|\d{1,2}:\d{2}(:\d{2})?"
)
_FOOTER = re.compile(
    r"(注|备注|说明|附注)\s*\d*\s*[：:.、]|(数据|资料)?来源\s*[：:]|[合总小]\s*计"
    r"|制表|填表|填报|审核人|负责人|统计人|(打印|导出)(时间|日期|人)"
)
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Most values need no trim, and trim(x, characters) on every value costs more than the read, so
# test the ends first: x < '!' compares bytes (empty, or a leading space or control character), and
# RE2 runs an end-anchored pattern backwards from the last character.
_CLEAN_SQL = (
    "CASE WHEN {c} < '!' OR prefix({c}, chr(160)) OR prefix({c}, chr(12288))"
    " OR regexp_matches({c}, $ws_end) THEN nullif(trim({c}, $ws), '') ELSE {c} END AS {c}"
)


class ExportError(Exception):
    """An export that cannot be read: one Chinese line naming the file and what to do."""


@dataclass
class Export:
    """An opened export: where its header is and how to read its rows."""

    path: Path
    file_name: str
    format: str  # "csv" | "xlsx" | "xls"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_row: int = 0
    headers: list[str] = field(default_factory=list)
    # The first rows, read once to find the header: a sample of each column without a second read.
    head: list[Row] = field(default_factory=list, repr=False)

    def to_duckdb(self, con: duckdb.DuckDBPyConnection, table: str) -> int:
        """Load the data rows into TEMP TABLE `table` (c0..cN VARCHAR, _row); return the count."""
        if not _TABLE_NAME.fullmatch(table):
            raise ValueError(f"not a plain table name: {table!r}")
        # Asked before reading: a failed statement aborts the caller's transaction, after which
        # the connection answers nothing.
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        try:
            if self.format == "csv":
                self._csv_to_duckdb(con, table)
            else:
                _rows_to_duckdb(con, table, self._data_rows(), len(self.headers))
            _drop_footers(con, table, len(self.headers))
            self._refuse_nul(con, table)
            count = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        except (duckdb.OutOfMemoryException, MemoryError):
            raise self._error(
                f"读取时内存不足（上限 {limit}）：请把文件按月份或单位拆分成几个较小的文件"
                "分别上传，或请管理员调高 MINYI_LOAD_MEMORY"
            ) from None
        except duckdb.Error as exc:
            raise self._error(
                "读取时出错，无法作为表格读取：请用 Excel 打开后另存为 .xlsx 或“CSV UTF-8”后重新上传"
            ) from exc
        if count == 0:
            raise self._no_data()
        return count

    def preview(self, n: int = 20) -> pd.DataFrame:
        """The first n data rows, header texts as columns, plus _row."""
        rows = list(islice(self._data_rows(), n + FOOTER_SCAN_ROWS))
        if len(rows) < n + FOOTER_SCAN_ROWS:
            tail = [cells for _, cells in reversed(rows)]
            rows = rows[: len(rows) - _footer_count(tail, len(self.headers))]
        rows = rows[:n]
        frame = pd.DataFrame([cells for _, cells in rows], columns=self.headers, dtype=object)
        frame["_row"] = [number for number, _ in rows]
        return frame

    def sample(self, n: int = 50) -> dict[str, list[str]]:
        """Up to n non-empty values of each column, from the first data rows."""
        ncols = len(self.headers)
        rows = [c for number, c in self.head if number > self.header_row and _filled(c)]
        values: dict[str, list[str]] = {h: [] for h in self.headers}
        for cells in rows[:n]:
            for header, cell in zip(self.headers, cells[:ncols], strict=False):
                if cell is not None:
                    values[header].append(cell)
        return values

    def _rows(self) -> Iterator[Row]:
        if self.format == "csv":
            return _csv_rows(self)
        if self.format == "xlsx":
            return _xlsx_rows(self)
        return _xls_rows(self)

    def _data_rows(self) -> Iterator[Row]:
        ncols = len(self.headers)
        for number, cells in self._rows():
            if number <= self.header_row or all(c is None for c in cells):
                continue
            if len(cells) > ncols:
                extra = next((i for i in range(ncols, len(cells)) if cells[i] is not None), None)
                if extra is not None:
                    raise self._error(
                        f"第{number}行第{_column_letter(extra)}列有内容，但这一列没有表头："
                        "请补上表头或删除多余内容后重新上传"
                    )
                cells = cells[:ncols]
            yield number, cells + [None] * (ncols - len(cells))

    def _locate_header(self, header_row: int | None) -> None:
        limit = (header_row or HEADER_SCAN_ROWS) + WIDTH_SCAN_ROWS
        rows: list[Row] = []
        for number, cells in islice(self._rows(), limit):
            # Refused on the first wide row: reading thousands of columns takes minutes later on.
            if _span(cells) > MAX_COLUMNS:
                raise self._error(
                    f"第{number}行有 {_span(cells):,} 列，超过 {MAX_COLUMNS:,} 列的上限："
                    "请只导出需要的列，或按列拆分成几个文件后重新上传"
                )
            rows.append((number, cells))
        whole_file = len(rows) < limit
        self.head = rows
        if header_row is None:
            # A header with only notes under it is still a header (of a file without data).
            index = _detect_header(_without_trailing_notes(rows) if whole_file else rows)
            if index is None:
                raise self._error(
                    f"前{HEADER_SCAN_ROWS}行里找不到表头（列名）行："
                    "请确认第一行数据上方有一行列名，或手动指定表头所在行后重新上传"
                )
        else:
            index = header_row - 1
            if index < 0 or index >= len(rows):
                raise self._error(f"没有第{header_row}行：请重新指定表头所在行")
            if all(c is None for c in rows[index][1]):
                raise self._error(f"第{header_row}行是空行，不能作为表头：请重新指定表头所在行")
        width = max(_span(cells) for _, cells in rows[index:])
        cells = list(rows[index][1]) + [None] * width
        if index > 0 and _is_group_row(rows[index - 1][1], cells, width):
            # Merged group titles above: a vertically merged title sits in the upper row only.
            upper = rows[index - 1][1]
            cells = [
                c if c is not None or i >= len(upper) else upper[i] for i, c in enumerate(cells)
            ]
        self.header_row = rows[index][0]
        named = _span(cells[:width])
        if header_row is None and width > named:
            # A value right of the last header would become a nameless column nobody maps.
            number, row = next((n, c) for n, c in rows[index:] if _span(c) > named)
            extra = next(i for i in range(named, len(row)) if row[i] is not None)
            raise self._error(
                f"第{number}行第{_column_letter(extra)}列有内容，但这一列没有表头："
                "请补上表头或删除多余内容后重新上传（也可以手动指定表头所在行）"
            )
        self.headers = _header_texts(cells[:width])
        data = [c for _, c in rows[index + 1 :] if _filled(c)]
        if whole_file and len(data) == _footer_count(data[::-1], len(self.headers)):
            raise self._no_data()

    def _csv_to_duckdb(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        with tempfile.TemporaryDirectory(prefix="minyi-csv-") as tmp:
            source = self.path
            if self.encoding not in ("utf-8", "utf-8-sig", "ascii"):
                # Without its downloadable encodings extension DuckDB reads only UTF-8/16, Latin-1.
                source = Path(tmp) / "utf8.csv"
                _transcode(self, source)
            if self._has_blank_line(source):
                # DuckDB's reader drops empty lines, which would shift every later _row; the csv
                # module keeps them. Slow, but only for files with a blank line inside the data.
                _rows_to_duckdb(con, table, self._data_rows(), len(self.headers))
            else:
                self._read_csv(con, table, source, parallel=not self._has_quote(source))

    def _has_blank_line(self, source: Path) -> bool:
        """Whether an empty line follows the header, other than among the notes at the end."""
        start = self._data_offset(source)
        if start >= source.stat().st_size:
            return False
        with source.open("rb") as f:
            # Read in chunks, not through mmap: the mapped pages of a multi-gigabyte export would
            # count as this process's memory.
            f.seek(max(start - 2, 0))
            # A CRLF file's blank line is \r\n\r\n; a bare \n\n there sits inside a quoted text.
            blank = b"\n\r\n" if f.read(min(start, 2)) == b"\r\n" else b"\n\n"
            at = _find(f, blank, start - 1)  # from the header's own line end
            if at < 0:
                return False
            at += 1
            if source.stat().st_size - at > FOOTER_TAIL_BYTES:
                return True
            f.seek(at)
            tail = f.read().decode("utf-8", "replace")
        ncols = len(self.headers)
        for cells in csv.reader(io.StringIO(tail, newline=""), delimiter=self.delimiter):
            cleaned = [_clean(c) for c in cells]
            if any(cleaned) and not _is_footer(cleaned, ncols):
                return True
        return False

    def _has_quote(self, source: Path) -> bool:
        """Whether a quote character follows the header: only then can a field hold a newline,
        which DuckDB's parallel reader refuses (and a refused statement would abort the caller's
        transaction). Telling quoted newlines apart exactly costs more than the parallel reader
        saves on a small server."""
        with source.open("rb") as f:
            return _find(f, b'"', self._data_offset(source)) >= 0

    def _data_offset(self, source: Path) -> int:
        """Byte offset in `source` where the record after the header starts."""
        with source.open("rb") as f:
            reader = csv.reader(_counted_lines(f), delimiter=self.delimiter)
            for _ in range(self.header_row):
                next(reader, None)
            return f.tell()

    def _read_csv(
        self, con: duckdb.DuckDBPyConnection, table: str, source: Path, *, parallel: bool
    ) -> None:
        ncols = len(self.headers)
        names = [f"c{i}" for i in range(ncols)]
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in names) + "}"
        cleaned = ", ".join(_CLEAN_SQL.format(c=c) for c in names)
        nonempty = " OR ".join(f"{c} IS NOT NULL" for c in names)
        # Identifiers are generated above or checked by _TABLE_NAME; values are bound.
        sql = f"""
            CREATE OR REPLACE TEMP TABLE "{table}" AS
            SELECT * FROM (
                SELECT {cleaned}, (row_number() OVER () + $first)::INTEGER AS _row
                FROM read_csv($path, delim = $delim, quote = '"', escape = '"',
                              header = false, skip = $skip, auto_detect = false,
                              null_padding = true, parallel = $parallel, columns = {columns})
            ) WHERE {nonempty}
        """
        params = {
            "path": str(source),
            "delim": self.delimiter,
            "skip": self.header_row,
            "first": self.header_row,
            "ws": WHITESPACE,
            "ws_end": f"[{WHITESPACE}]$",
            "parallel": parallel,
        }
        # row_number() OVER () follows the file only while DuckDB preserves insertion order.
        ordered = con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
        con.execute("SET preserve_insertion_order = true")
        try:
            con.execute(sql, params)
        except duckdb.OutOfMemoryException:
            raise
        except duckdb.Error as exc:
            raise self._csv_error(exc) from exc
        finally:
            if not ordered:
                # After a failure inside a transaction nothing runs until the owner rolls back
                # (and drops this connection): the failure is what must reach the person.
                with contextlib.suppress(duckdb.TransactionException):
                    con.execute("SET preserve_insertion_order = false")

    def _csv_error(self, exc: duckdb.Error) -> ExportError:
        text = str(exc)
        line = re.search(r"CSV Error on Line: (\d+)", text)
        where = f"第{line.group(1)}行" if line else ""
        if "Invalid unicode" in text:
            return self._error(
                f"{where}的文字编码和前面不一致（不是 UTF-8）："
                "请用 Excel 或记事本把整个文件另存为 UTF-8 编码后重新上传"
            )
        reasons = {
            "Expected Number of Columns": "列数比表头多",
            "unterminated quote": "引号没有成对",
            "line size": "这一行太长",
        }
        reason = next((r for key, r in reasons.items() if key in text), "格式不正确")
        return self._error(
            f"{where}无法按 CSV 读取（{reason}）：请用 Excel 打开检查这一行，"
            "另存为 .xlsx 或“CSV UTF-8”后重新上传"
        )

    def _error(self, message: str) -> ExportError:
        return ExportError(f"文件「{self.file_name}」{message}")

    def _no_data(self) -> ExportError:
        return self._error(
            f"第{self.header_row}行是表头，下面没有数据行：请确认导出时选中了要导出的记录后重新上传"
        )

    def _refuse_nul(self, con: duckdb.DuckDBPyConnection, table: str) -> None:
        """A NUL character anywhere: a damaged file or binary content, never an export's text."""
        names = [f"c{i}" for i in range(len(self.headers))]
        if not names:
            return
        test = " OR ".join(f"contains({c}, chr(0))" for c in names)
        # Identifiers are generated here or checked by _TABLE_NAME.
        hit = con.execute(
            f'SELECT _row, {", ".join(names)} FROM "{table}" WHERE {test} ORDER BY _row LIMIT 1'
        ).fetchone()
        if hit is None:
            return
        column = next(i for i, v in enumerate(hit[1:]) if v is not None and "\x00" in v)
        raise self._error(
            f"第{hit[0]}行「{self.headers[column]}」列含有空字符（NUL），文件可能已损坏或混入了二进制内容"
            "，整个文件未导入：请用 Excel 打开后另存为 .xlsx 或“CSV UTF-8”后重新上传"
        )


def read_export(
    path: str | Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
) -> Export:
    """Open an export: detect format, encoding, delimiter, sheet and header row (1-based)."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ExportError(f"找不到文件「{name}」：请确认文件已上传完整后重试")
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        raise ExportError(
            f"文件「{name}」是启用宏或二进制格式的工作簿（{suffix}），不能直接读取："
            "请在 Excel 中另存为 .xlsx 或 CSV 后重新上传"
        )
    if suffix not in CSV_SUFFIXES + EXCEL_SUFFIXES:
        raise ExportError(
            f"文件「{name}」的类型（{suffix or '无扩展名'}）不支持："
            "请另存为 .xlsx 或 CSV 后重新上传"
        )
    fmt = _content_format(path)
    export = Export(path=path, file_name=name, format=fmt)
    if fmt == "csv":
        export.encoding = _encoding_name(encoding, name) if encoding else sniff_encoding(path)
        with path.open("rb") as f:
            if export.encoding == "utf-8" and f.read(3) == codecs.BOM_UTF8:
                export.encoding = "utf-8-sig"  # else the BOM would stick to the first header
        export.delimiter = _sniff_delimiter(export)
    else:
        export.sheets = list_sheets(path)
        if not export.sheets:
            raise export._error("里的工作表都是空的：请确认导出的是有数据的工作表后重新上传")
        if sheet is not None and sheet not in export.sheets:
            raise export._error(
                f"里没有有数据的工作表「{sheet}」（有数据的：{'、'.join(export.sheets)}）："
                "请从中选择一个工作表"
            )
        export.sheet = sheet or export.sheets[0]
    export._locate_header(header_row)
    return export


def sniff_encoding(path: str | Path) -> str:
    """The text encoding of a CSV: utf-8-sig, utf-8, gb18030, else charset-normalizer's guess."""
    path = Path(path)
    with path.open("rb") as f:
        probe = f.read(SAMPLE_BYTES)
        at_end = len(probe) < SAMPLE_BYTES
        if probe.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if probe.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        # A head of pure ASCII says nothing: judge by the first non-ASCII bytes, wherever they are.
        while probe.isascii() and not at_end:
            probe = f.read(SAMPLE_BYTES)
            at_end = len(probe) < SAMPLE_BYTES
        if probe.isascii():
            return "utf-8"
        probe = probe[re.search(rb"[\x80-\xff]", probe).start() :]
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(probe, final=at_end)
            return encoding
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(probe).best()
    if best is None:
        raise ExportError(
            f"文件「{path.name}」的文字编码无法识别："
            "请用 Excel 打开后另存为“CSV UTF-8（逗号分隔）”后重新上传"
        )
    return _encoding_name(best.encoding, path.name)


def list_sheets(path: str | Path) -> list[str]:
    """Names of the worksheets that hold at least one value, in workbook order ([] for CSV)."""
    path = Path(path)
    fmt = _content_format(path)
    if fmt == "xlsx":
        with _open_xlsx(path) as book:
            for ws in book.worksheets:
                ws.reset_dimensions()
            return [ws.title for ws in book.worksheets if _sheet_has_values(ws.iter_rows())]
    if fmt == "xls":
        with _open_xls(path) as book:
            return [
                s.name
                for s in (book.sheet_by_index(i) for i in range(book.nsheets))
                if _sheet_has_values(s.get_rows())
            ]
    return []


def _content_format(path: Path) -> str:
    """csv, xlsx or xls by content (not by name); refuse what is not a readable table."""
    name = path.name
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
    if not head.removeprefix(codecs.BOM_UTF8).strip():
        raise ExportError(f"文件「{name}」是空的：请重新导出有数据的文件后上传")
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(path)
    if head.startswith(_OLE2):
        return _ole_format(path)
    for magic, what in _NOT_TABLES:
        if head.startswith(magic):
            raise _not_a_table(name, what)
    text_head = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
    if text_head[:1] == b"<":
        raise ExportError(
            f"文件「{name}」实际是网页（HTML/XML）格式，不是真正的 Excel 或 CSV："
            "请用 Excel 打开后另存为 .xlsx 或 CSV 后重新上传"
        )
    if b"\x00" in head[:8192] and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _not_a_table(name, "二进制文件")
    return "csv"


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, path.name)
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise _not_a_table(path.name, "损坏的压缩文件") from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise ExportError(
            f"文件「{path.name}」是二进制工作簿（.xlsb），不能直接读取："
            "请在 Excel 中另存为 .xlsx 后重新上传"
        )
    what = "Word 文档" if "word/document.xml" in names else "压缩包"
    raise _not_a_table(path.name, what)


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a zip bomb from its directory alone: total inflated size and each member's ratio."""
    members = archive.infolist()
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_MB << 20:
        raise ExportError(
            f"文件「{name}」解压后超过 {MAX_UNZIPPED_MB:,} MB（共 {total >> 20:,} MB），为保护服务器"
            "未读取：请按月份或单位拆分成几个文件，或另存为 CSV 后重新上传"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > ZIP_RATIO_FROM_BYTES and ratio > MAX_ZIP_RATIO:
            raise ExportError(
                f"文件「{name}」中的「{member.filename}」压缩比 {ratio:,.0f}:1（解压后 "
                f"{member.file_size >> 20:,} MB），超过 {MAX_ZIP_RATIO}:1 的上限，"
                "不像正常的 Excel 导出，为保护服务器未读取：请在 Excel 中打开检查后另存为 .xlsx 或 CSV 重新上传"
            )


def _ole_format(path: Path) -> str:
    try:
        entries = {
            d.name for d in compdoc.CompDoc(path.read_bytes(), logfile=io.StringIO()).dirlist
        }
    except compdoc.CompDocError:
        raise _not_a_table(path.name, "损坏的 Office 文件") from None
    if "EncryptedPackage" in entries:
        raise _encrypted(path.name)
    if entries & {"Workbook", "Book"}:
        return "xls"
    raise _not_a_table(path.name, "Word 或其他 Office 文档" if "WordDocument" in entries else "")


def _not_a_table(name: str, what: str) -> ExportError:
    kind = f"（看起来是{what}）" if what else ""
    return ExportError(
        f"文件「{name}」不是表格文件{kind}：请上传从系统导出的 .xlsx、.xls 或 CSV 文件"
    )


def _encrypted(name: str) -> ExportError:
    return ExportError(
        f"文件「{name}」设置了打开密码，无法读取：请在 Excel 中取消密码后另存为 .xlsx 重新上传"
    )


def _encoding_name(encoding: str, name: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise ExportError(
            f"文件「{name}」指定的编码“{encoding}”不认识：请改用 utf-8 或 gb18030"
        ) from None


def _clean(text: str) -> str | None:
    return text.strip(WHITESPACE) or None


def _sniff_delimiter(export: Export) -> str:
    """The delimiter that splits most sample records into the same number (>1) of fields."""
    try:
        with export.path.open(encoding=export.encoding, newline="") as f:
            sample = f.read(SAMPLE_BYTES // 4)
    except UnicodeDecodeError:
        raise _decode_error(export) from None
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(r) for r in islice(csv.reader(io.StringIO(sample), delimiter=delimiter), 60)
            ]
        except csv.Error:
            continue
        wide = [c for c in counts if c > 1]
        score = wide.count(statistics.mode(wide)) if wide else 0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _decode_error(export: Export) -> ExportError:
    return export._error(
        f"有无法按 {export.encoding} 解码的内容（编码前后不一致）："
        "请用 Excel 或记事本把整个文件另存为 UTF-8 编码后重新上传"
    )


def _csv_rows(export: Export) -> Iterator[Row]:
    # Long complaint texts exceed the csv module's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))
    with export.path.open(encoding=export.encoding, newline="") as f:
        reader = csv.reader(f, delimiter=export.delimiter)
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, [_clean(c) for c in cells]
        except UnicodeDecodeError:
            raise _decode_error(export) from None
        except csv.Error:
            raise export._error(
                f"第{reader.line_num}行无法按 CSV 读取：请用 Excel 打开检查这一行，"
                "另存为 .xlsx 或“CSV UTF-8”后重新上传"
            ) from None


def _find(f, needle: bytes, start: int) -> int:
    """Offset of the first `needle` at or after `start` in binary file f, or -1; reads in chunks."""
    f.seek(start)
    base, carry = start, b""
    while chunk := f.read(CHUNK_BYTES):
        data = carry + chunk
        at = data.find(needle)
        if at >= 0:
            return base + at
        keep = min(len(needle) - 1, len(data))
        base += len(data) - keep
        carry = data[len(data) - keep :]
    return -1


def _counted_lines(f) -> Iterator[str]:
    """Lines of a binary file for csv.reader, leaving f.tell() just past the last line read."""
    while line := f.readline():
        yield line.decode("utf-8", "replace")


def _transcode(export: Export, target: Path) -> None:
    """Copy the CSV to `target` as UTF-8, in chunks (exports can be gigabytes)."""
    decoder = codecs.getincrementaldecoder(export.encoding)()
    with export.path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        try:
            while chunk := source.read(CHUNK_BYTES):
                out.write(decoder.decode(chunk))
            out.write(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise _decode_error(export) from None


class _open_xlsx:
    """Context manager: an .xlsx read-only (memory, docs/pitfalls.md D5), formulas as cached
    values."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # style and extension warnings mean nothing here
                self.book = openpyxl.load_workbook(
                    self.path, read_only=True, data_only=True, keep_links=False
                )
        except Exception as exc:
            raise _damaged(self.path.name) from exc
        return self.book

    def __exit__(self, *exc):
        self.book.close()


class _open_xls:
    """Context manager: a legacy .xls opened with xlrd, sheets loaded on demand."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        try:
            self.book = xlrd.open_workbook(str(self.path), on_demand=True, logfile=io.StringIO())
        except xlrd.XLRDError as exc:
            if "encrypted" in str(exc).lower():
                raise _encrypted(self.path.name) from exc
            raise _damaged(self.path.name) from exc
        except Exception as exc:
            raise _damaged(self.path.name) from exc
        return self.book

    def __exit__(self, *exc):
        self.book.release_resources()


def _damaged(name: str) -> ExportError:
    return ExportError(
        f"文件「{name}」无法作为 Excel 工作簿打开（可能已损坏）："
        "请用 Excel 打开后另存为 .xlsx 重新上传"
    )


def _sheet_has_values(rows) -> bool:
    for row in rows:
        for cell in row:
            value = cell.value
            if value is not None and (not isinstance(value, str) or value.strip(WHITESPACE)):
                return True
    return False


def _xlsx_rows(export: Export) -> Iterator[Row]:
    with _open_xlsx(export.path) as book:
        sheet = book[export.sheet]
        sheet.reset_dimensions()  # some exporters write a wrong <dimension>, which truncates rows
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]


def _xls_rows(export: Export) -> Iterator[Row]:
    with _open_xls(export.path) as book:
        sheet = book.sheet_by_name(export.sheet)
        for r in range(sheet.nrows):
            yield r + 1, [_xls_text(c, book.datemode) for c in sheet.row(r)]


def _cell_text(value) -> str | None:
    """An openpyxl cell value as the text a person sees in Excel."""
    if value is None:
        return None
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        value = (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        seconds = round(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if isinstance(value, float):
        return _number_text(value)
    return _clean(str(value))


def _xls_text(cell: xlrd.sheet.Cell, datemode: int) -> str | None:
    kind, value = cell.ctype, cell.value
    if kind == xlrd.XL_CELL_TEXT:
        return _clean(value)
    if kind == xlrd.XL_CELL_NUMBER:
        return _number_text(value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            moment = xlrd.xldate.xldate_as_datetime(value, datemode)
        except xlrd.xldate.XLDateError:
            return _number_text(value)
        return _cell_text(moment.time() if value < 1 else moment)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if value else "FALSE"
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERROR")
    return None


def _number_text(value: float) -> str:
    """123.0 -> "123", 1e-05 -> "0.00001": never scientific, never a trailing .0."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    number = Decimal(repr(value))
    if number == number.to_integral_value():
        return str(int(number))
    return format(number, "f")


def _span(cells: list) -> int:
    """Number of columns up to the last non-empty cell."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i] is not None:
            return i + 1
    return 0


def _filled(cells: list) -> int:
    return sum(c is not None for c in cells)


def _detect_header(rows: list[Row]) -> int | None:
    """Index of the header: the first early row with many distinct, mostly text cells that is
    followed by rows of similar width (a numbers-only row if no text row qualifies)."""
    filled = [_filled(cells) for _, cells in rows]
    table_width = max(filled, default=0)
    fallback = None
    for i, (number, cells) in enumerate(rows):
        if number > HEADER_SCAN_ROWS:
            break
        n = filled[i]
        if n == 0 or n < max(min(2, table_width), table_width / 2):
            continue
        values = [c for c in cells if c is not None]
        if len(set(values)) < 0.5 * n:
            continue
        after = [w for w in filled[i + 1 :] if w][:10]
        if after and not 0.4 * n <= statistics.median(after) <= 1.5 * n:
            continue
        if sum(not _VALUE.fullmatch(v) for v in values) * 2 >= n:
            if i + 1 < len(rows) and _is_group_row(cells, rows[i + 1][1], table_width, strict=True):
                return i + 1
            return i
        if fallback is None:
            fallback = i
    return fallback


def _is_group_row(upper: list, lower: list, width: int, *, strict: bool = False) -> bool:
    """Whether `upper` holds merged group titles over `lower`: it fills each gap of the lower row.

    strict also asks that the lower row fills each gap of the upper row with distinct text, so a
    data row is not mistaken for sub-headers.
    """

    def at(cells: list, i: int):
        return cells[i] if i < len(cells) else None

    lower_gaps = [i for i in range(width) if at(lower, i) is None]
    if _filled(upper) < 2 or not lower_gaps or any(at(upper, i) is None for i in lower_gaps):
        return False
    if not strict:
        return True
    upper_gaps = [i for i in range(width) if at(upper, i) is None]
    values = [c for c in lower if c is not None]
    return (
        bool(upper_gaps)
        and all(at(lower, i) is not None for i in upper_gaps)
        and len(set(values)) == len(values)
        and not any(_VALUE.fullmatch(v) for v in values)
    )


def _header_texts(cells: list) -> list[str]:
    """Cleaned, unique header texts; an empty header becomes 第N列, a repeated one gets 2, 3…"""
    headers: list[str] = []
    for i, cell in enumerate(cells):
        text = re.sub(r"\s+", " ", cell) if cell is not None else f"第{i + 1}列"
        unique, k = text, 2
        while unique in headers:
            unique, k = f"{text}{k}", k + 1
        headers.append(unique)
    return headers


def _is_footer(cells: list, ncols: int) -> bool:
    """A note under the table ("注：…", "数据来源：…", "合计", "制表人…") in the first two cells."""
    if _span(cells) > 2 or not _filled(cells):
        return False
    first = next(c for c in cells if c is not None)
    if _FOOTER.match(first):
        return True
    return ncols >= 4 and not _VALUE.fullmatch(first)


def _without_trailing_notes(rows: list[Row]) -> list[Row]:
    """The rows without the empty rows and notes at the end of the file."""
    width = max((_filled(cells) for _, cells in rows), default=0)
    end = len(rows)
    while end and (not _filled(rows[end - 1][1]) or _is_footer(rows[end - 1][1], width)):
        end -= 1
    return rows[:end]


def _footer_count(tail: list[list], ncols: int) -> int:
    """How many of the last rows (given last first) are footer notes."""
    count = 0
    for cells in tail:
        if not _is_footer(cells, ncols):
            break
        count += 1
    return count


def _drop_footers(con: duckdb.DuckDBPyConnection, table: str, ncols: int) -> None:
    tail = con.execute(
        f'SELECT * FROM "{table}" ORDER BY _row DESC LIMIT {FOOTER_SCAN_ROWS}'
    ).fetchall()
    count = _footer_count([list(r[:ncols]) for r in tail], ncols)
    if count:
        con.execute(f'DELETE FROM "{table}" WHERE _row >= $row', {"row": tail[count - 1][ncols]})


def _rows_to_duckdb(
    con: duckdb.DuckDBPyConnection, table: str, rows: Iterator[Row], ncols: int
) -> None:
    """Insert Python rows through Arrow in batches (an Excel sheet can hold a million rows)."""
    names = [f"c{i}" for i in range(ncols)]
    schema = pa.schema([(c, pa.string()) for c in names] + [("_row", pa.int32())])
    columns = ", ".join(f"{c} VARCHAR" for c in names)
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{table}" ({columns}, _row INTEGER)')
    view = f"_minyi_batch_{table}"
    while batch := list(islice(rows, BATCH_ROWS)):
        numbers = [number for number, _ in batch]
        values = list(zip(*(cells for _, cells in batch), strict=True)) if ncols else []
        arrow = pa.Table.from_arrays(
            [pa.array(v, pa.string()) for v in values] + [pa.array(numbers, pa.int32())],
            schema=schema,
        )
        con.register(view, arrow)
        try:
            con.execute(f'INSERT INTO "{table}" SELECT * FROM "{view}"')
        finally:
            con.unregister(view)


def _column_letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)
