"""单位画像 (pages/unit.py) on the sample warehouse, beyond tests/test_unit_profile.py: every
table header a user sees is Chinese."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# In a fresh interpreter, as a server that opens the profile first: the test session has imported
# every labels module already, and some add headers to labels.COLUMNS when imported.
PROBE = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.signin import signed_in
headers = {}
for unit in sys.argv[1:]:
    at = signed_in(AppTest.from_file("app.py", default_timeout=120), "analyst")
    at.switch_page("pages/unit.py")
    at.query_params["unit"] = unit
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    headers[unit] = sorted({str(c) for df in at.dataframe for c in df.value.columns})
print(json.dumps(headers, ensure_ascii=False))
"""
RAW = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def test_every_profile_table_has_chinese_headers(sample_db):
    # A station (repeats, overdue cases, items), a 分局 (children, report burden) and an office
    # (survey scores and suggestions): together every table the profile draws.
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "P11", "FJ1", "JG1"],
        check=False,  # the assertion below shows its stderr
        cwd=ROOT,
        env={**os.environ, "MINYI_DB": str(sample_db)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    headers = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(headers) == {"P11", "FJ1", "JG1"}
    raw = {unit: [h for h in shown if RAW.match(h)] for unit, shown in headers.items()}
    assert raw == {"P11": [], "FJ1": [], "JG1": []}
