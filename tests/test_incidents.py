"""No traceback reaches a browser: a failing page shows a Chinese message with an incident number,
and the server log carries that number with the traceback."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

from pages import satisfaction
from pages.ui import labels
from tests.test_pages import open_page

ROOT = Path(__file__).resolve().parents[1]
NUMBER = re.compile(r"\d{8}-\d{6}-[0-9a-f]{4}")


def test_streamlit_is_configured_to_show_no_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_a_failing_page_shows_an_incident_number_and_no_traceback(sample_db, monkeypatch, caplog):
    def broken() -> None:
        raise KeyError("change")  # what issue 10 saw: a bare KeyError with the server's paths

    monkeypatch.setattr(satisfaction, "render", broken)
    with caplog.at_level(logging.ERROR, logger="minyi.incidents"):
        at = open_page("satisfaction")
    assert not at.exception  # no st.exception element: no traceback, no exception text
    [error] = [e.value for e in at.error]
    number = NUMBER.search(error).group(0)
    assert error == labels.PAGE_FAILED.format(incident=number)
    assert "KeyError" not in error and "Traceback" not in error
    [entry] = [r for r in caplog.records if r.name == "minyi.incidents"]
    assert number in entry.getMessage() and "satisfaction" in entry.getMessage()
    assert entry.exc_info[0] is KeyError  # the log has the traceback
    # The frame around the page still stands: the sidebar and its filters.
    assert at.sidebar.multiselect(key="flt_units").options
