"""`python -m etl inspect`: what Minyi makes of a file before anything is loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from etl.inspect import inspect
from tests.conftest import ROOT
from tests.test_load import CALLS, write


def test_call_record_export_is_recognised_with_its_title_row(tmp_path):
    report = inspect(write(tmp_path / "calls.csv", CALLS, encoding="gb18030"))

    assert (report["encoding"], report["header_row"], report["kind"]) == (
        "gb18030",
        2,
        "call_records",
    )
    assert report["mapping"] == {
        "警情编号": "record_id",
        "报警时间": "received_at",
        "处警单位": "unit_id",
        "回访结果": "callback_result",
        "响应时长(分钟)": "response_minutes",
        "回访记录": "note",
    }
    assert report["missing"] == []
    # 9 of 13 weights: record_id, received_at, unit_id (required, 2 each) + 3 of the 7 optional.
    assert report["confidence"] == round((2 + 2 + 2 + 1 + 1 + 1) / (2 * 3 + 7), 3)


def test_message_board_matches_its_saved_profile(realdata):
    report = inspect(realdata / "群众留言_2019.xlsx")

    assert (report["kind"], report["profile"], report["confidence"]) == (
        "complaints",
        "message_board",
        1.0,
    )
    assert report["fixed"] == {"channel": "网上留言"}
    assert report["missing"] == []


def test_statistics_file_is_a_table_of_no_known_kind(realdata):
    report = inspect(realdata / "nbs_gdp_gb18030.csv")

    assert (report["encoding"], report["header_row"], report["kind"]) == ("gb18030", 4, None)
    assert report["headers"][:3] == ["地区", "2024年", "2023年"]


def test_cli_inspect_json_and_refusal(tmp_path):
    calls = write(tmp_path / "calls.csv", CALLS)
    done = subprocess.run(
        [sys.executable, "-m", "etl", "inspect", str(calls), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(done.stdout)["kind"] == "call_records"

    pdf = tmp_path / "report.csv"
    pdf.write_bytes(b"%PDF-1.4 not a table")
    refused = subprocess.run(
        [sys.executable, "-m", "etl", "inspect", str(pdf)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "report.csv" in refused.stderr
