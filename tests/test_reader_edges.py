"""etl.readers at its edges: multi-line cells inside the loader's transaction, NUL bytes, cells
beyond the header, header-only files, memory, very wide files. Every failure is one Chinese line."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import duckdb
import pytest

from etl import readers
from etl.load import FileRefused, load_files
from etl.readers import ExportError, read_export
from tests.conftest import ROOT
from tests.test_load import UNITS

# What Excel writes for multi-line notes: the cell quoted, CRLF inside it; row 4 is short (two
# fields fewer than the header), which needs the padding DuckDB's parallel reader refuses then.
# Rows are numbered by record, as Excel shows them: 0003 is row 4 though it is on line 7.
MULTILINE = (
    "警情编号,报警时间,处警单位,回访结果,回访记录\r\n"
    '0001,2024-03-05 09:30,东湖派出所,满意,"民警到场很快\r\n态度很好"\r\n'
    '0002,2024-03-06 10:00,湖滨派出所,不满意,"第一次没人来\r\n第二次才处理\r\n""很慢"""\r\n'
    "0003,2024-03-07 11:00,东湖派出所\r\n"
)
MULTILINE_ROWS = [
    ("0001", "2024-03-05 09:30", "东湖派出所", "满意", "民警到场很快\r\n态度很好", 2),
    (
        "0002",
        "2024-03-06 10:00",
        "湖滨派出所",
        "不满意",
        '第一次没人来\r\n第二次才处理\r\n"很慢"',
        3,
    ),
    ("0003", "2024-03-07 11:00", "东湖派出所", None, None, 4),
]


def write(path, data: str | bytes, encoding: str = "utf-8"):
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def rows_of(export, con=None) -> list[tuple]:
    con = con or duckdb.connect()
    export.to_duckdb(con, "t")
    return con.execute("select * from t order by _row").fetchall()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_multiline_quoted_cells_read_inside_the_loaders_transaction(tmp_path, encoding):
    export = read_export(write(tmp_path / "notes.csv", MULTILINE, encoding))
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")  # as the loader's connection has it
    con.execute("begin transaction")
    assert rows_of(export, con) == MULTILINE_ROWS
    con.execute("commit")
    assert con.execute("select current_setting('preserve_insertion_order')").fetchone() == (False,)


def test_gbk_csv_with_multiline_notes_loads_from_the_command_line(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    calls = write(tmp_path / "回访.csv", MULTILINE, "gbk")
    done = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(calls), "--kind", "call_records", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "MINYI_DB": str(db)},
    )
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(db), read_only=True)
    notes = con.execute("select record_id, note from call_records order by record_id").fetchall()
    # The loader's clean_text turns CRLF into LF and keeps the lines.
    assert notes == [
        ("0001", "民警到场很快\n态度很好"),
        ("0002", '第一次没人来\n第二次才处理\n"很慢"'),
        ("0003", None),
    ]


def test_a_failed_read_inside_a_transaction_is_one_chinese_line(tmp_path):
    # Row 1,102 has a fourth value: DuckDB fails, the transaction is aborted, and restoring the
    # connection's setting afterwards must not bury the message under a TransactionException.
    lines = ["a,b,c"] + [f"{i},x,y" for i in range(1100)] + ["1,2,3,4"]
    export = read_export(write(tmp_path / "bad.csv", "\n".join(lines) + "\n"))
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    con.execute("begin transaction")
    with pytest.raises(
        ExportError, match=r"^文件「bad\.csv」第1102行无法按 CSV 读取（列数比表头多）"
    ):
        export.to_duckdb(con, "t")


def test_nul_bytes_past_the_first_8_kb_are_refused_with_row_and_column(tmp_path):
    lines = ["编号,时间,备注"] + [f"{i},2024-01-01,正常" for i in range(2000)]
    lines.append("9999,2024-01-01,半截\x00内容")
    data = ("\n".join(lines) + "\n").encode()
    assert data.index(b"\x00") > 8192
    export = read_export(write(tmp_path / "nul.csv", data))
    with pytest.raises(ExportError, match=r"^文件「nul\.csv」第2002行「备注」列含有空字符"):
        rows_of(export)


def test_nul_in_a_file_read_row_by_row_is_refused_too(tmp_path):
    # A blank line inside the data sends the file through the csv module (as Excel sheets go):
    # the same check runs on that table.
    text = "编号,备注\n" + "".join(f"{i},正常\n" for i in range(1000)) + "\n2,坏\x00的\n"
    with pytest.raises(ExportError, match=r"^文件「gap\.csv」第1003行「备注」列含有空字符"):
        rows_of(read_export(write(tmp_path / "gap.csv", text)))


def test_a_cell_right_of_the_header_is_reported_not_dropped(tmp_path):
    # Row 3's fourth cell has no header: before, it became a column 第4列 that nothing mapped.
    text = "编号,时间,单位\n1,2024-01-01,东湖\n2,2024-01-02,东湖,多出来的\n3,2024-01-03,东湖\n"
    with pytest.raises(ExportError, match=r"^文件「extra\.csv」第3行第D列有内容，但这一列没有表头"):
        read_export(write(tmp_path / "extra.csv", text))


def test_a_chosen_header_row_keeps_unnamed_columns(tmp_path):
    # The person picked the header row: the columns without a name are theirs to map.
    text = "说明\n编号,时间,单位\n1,2024-01-01,东湖\n"
    export = read_export(write(tmp_path / "pick.csv", text), header_row=1)
    assert export.headers == ["说明", "第2列", "第3列"]


@pytest.mark.parametrize(
    "text",
    [
        "编号,时间,单位\n",
        "编号,时间,单位\r\n,,\r\n",
        "江城市110回访表\n编号,时间,单位\n注：本月无数据\n",
    ],
    ids=["header", "header-and-empty-row", "title-header-note"],
)
def test_a_header_without_data_rows_says_so(tmp_path, text):
    with pytest.raises(ExportError, match=r"^文件「empty\.csv」第\d行是表头，下面没有数据行"):
        read_export(write(tmp_path / "empty.csv", text))


def test_header_only_file_is_refused_by_the_loader_writing_nothing(tmp_path):
    db = tmp_path / "w.duckdb"
    load_files(db, [write(tmp_path / "units.csv", UNITS)], "units")
    before = db.read_bytes()
    with pytest.raises(FileRefused, match="没有数据行"):
        load_files(
            db, [write(tmp_path / "calls.csv", "警情编号,报警时间,处警单位\n")], "call_records"
        )
    assert db.read_bytes() == before


def test_out_of_memory_is_reported_as_such(tmp_path):
    text = "编号,内容\n" + "".join(f"{i},{'很长的内容' * 200}{i}\n" for i in range(3000))
    export = read_export(write(tmp_path / "big.csv", text))
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = false")
    con.execute("set temp_directory = ''")  # nowhere to spill: the limit is the limit
    con.execute("set memory_limit = '2MiB'")
    con.execute("begin transaction")
    with pytest.raises(ExportError, match=r"^文件「big\.csv」读取时内存不足（上限 2\.0 MiB）"):
        export.to_duckdb(con, "t")


@pytest.mark.parametrize("columns", [readers.MAX_COLUMNS + 1, 20_000])
def test_very_wide_files_are_refused_at_once(tmp_path, columns):
    header = ",".join(f"第{i}题" for i in range(columns))
    row = ",".join("1" for _ in range(columns))
    path = write(tmp_path / "wide.csv", header + "\n" + (row + "\n") * 200)
    started = time.perf_counter()
    with pytest.raises(ExportError) as caught:
        read_export(path)
    assert time.perf_counter() - started < 5
    assert str(caught.value) == (
        f"文件「wide.csv」第1行有 {columns:,} 列，超过 {readers.MAX_COLUMNS:,} 列的上限："
        "请只导出需要的列，或按列拆分成几个文件后重新上传"
    )


def test_a_file_at_the_column_cap_still_reads(tmp_path):
    columns = readers.MAX_COLUMNS
    header = ",".join(f"q{i}" for i in range(columns))
    path = write(tmp_path / "wide.csv", header + "\n" + ",".join(map(str, range(columns))) + "\n")
    [row] = rows_of(read_export(path))
    assert (row[0], row[columns - 1], row[columns]) == ("0", str(columns - 1), 2)
