"""Uploads are parsed and previewed in a child process under a memory limit (issue 11, point 1):
an .xlsx whose shared strings inflate far beyond the limit (a zip bomb) is refused in seconds with
the server's own memory unchanged, and the server never opens an upload itself."""

from __future__ import annotations

import io
import time
import zipfile

import psutil

from etl import readers
from tests.test_upload import (
    alerts,
    calls_gbk,
    counts,
    open_upload,
    upload,
    warehouse,  # noqa: F401 - the fixture
)

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        f'<worksheet xmlns="{_NS}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c>'
        '<c r="C2" t="s"><v>5</v></c></row></sheetData></worksheet>'
    ),
}
_STRINGS = ("警情编号", "报警时间", "管辖单位", "X1", "2024-04-01", "东风派出所")


def zip_bomb(inflated_mb: int) -> bytes:
    """A small .xlsx of two rows whose shared-strings table holds `inflated_mb` MB of short
    strings (each a Python object when read: far more memory than its bytes)."""
    out = io.BytesIO()
    entry = b"<si><t>AAAAAAAA</t></si>"
    block = entry * (1 << 16)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _PARTS.items():
            book.writestr(name, text)
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with book.open(info, "w", force_zip64=True) as member:
            member.write(f'<sst xmlns="{_NS}">'.encode())
            member.write("".join(f"<si><t>{s}</t></si>" for s in _STRINGS).encode())
            for _ in range((inflated_mb << 20) // len(block)):
                member.write(block)
            member.write(b"</sst>")
    return out.getvalue()


def test_the_bomb_is_a_readable_workbook_when_small(tmp_path):
    # The same construction at 0 MB of padding is an ordinary two-row export: what the test
    # below refuses is its size, not a broken file.
    path = tmp_path / "ok.xlsx"
    path.write_bytes(zip_bomb(0))
    export = readers.read_export(path)
    assert export.headers == ["警情编号", "报警时间", "管辖单位"]
    assert export.preview(5)["警情编号"].tolist() == ["X1"]


def test_a_zip_bomb_is_refused_in_seconds_and_the_server_does_not_grow(
    warehouse,
    monkeypatch,
):
    # A 1 GB limit for the child, and 512 MB of shared strings (2.5 MB on disk, 200:1): as
    # Python strings those need several times the limit.
    monkeypatch.setenv("MINYI_UPLOAD_MEMORY", "1GB")
    bomb = zip_bomb(512)
    assert len(bomb) < 3 << 20
    at = open_upload()
    server = psutil.Process()
    before = server.memory_info().rss
    started = time.monotonic()
    at = upload(at, ("bomb.xlsx", bomb))
    seconds = time.monotonic() - started
    grown = server.memory_info().rss - before

    assert not at.exception
    [error] = alerts(at, "error")
    # The archive's own sizes refuse it (etl/readers.py), in the child; past them, the child's
    # memory limit would (etl/worker.py): either way one Chinese line naming the file.
    assert error.startswith("文件「bomb.xlsx」")
    assert counts(at) == [] and at.button(key="upl_load").disabled
    assert seconds < 60
    assert grown < 64 << 20, f"the server grew by {grown >> 20} MB"


def test_the_server_process_never_parses_an_upload(warehouse, monkeypatch):
    def in_this_process(*args, **kwargs):
        raise AssertionError("an upload was parsed in the dashboard's process")

    monkeypatch.setattr(readers, "read_export", in_this_process)
    at = upload(open_upload(), ("calls.csv", calls_gbk()))
    at.button(key="upl_load").click().run()

    assert not at.exception
    assert alerts(at, "success") == [
        "已导入 1 个文件：新增 7 行，更新 0 行，拒绝 5 行。各页面已刷新。"
    ]
