"""Pages section: render each page in AppTest on the benchmark warehouse and record its queries.

The recorded (query, parameters) pairs are the plan the query section times: exactly what the pages
ask for with the default filters and with a narrow one (one 派出所, the latest month). Queries a
page runs only after a click (drill-downs) are found in the page sources and given the same filters.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import queries
from bench.generate import YEAR

ROOT = Path(__file__).resolve().parents[1]
NARROW_PRESET = "本月"
# Values for the parameters a drill-down adds to the page's filters.
EXTRA_DEFAULTS = {
    "limit": 20,
    "offset": 0,
    "top_n": 100,
    "results": ["不满意"],
    "kinds": [],
    "open_only": False,
    "repeat_only": False,
    "search": "",
    "bucket_width": 10,
    "line": 150,
    "sources": [],
    "statuses": [],
    "overdue_only": False,
    "depts": [],
    "min_replies": 30,
    "min_respondents": 5,
    "exact_unit_id": None,
    "inferred": "include",
}
_QUERY_NAME = re.compile(r"""["']([a-z][a-z0-9_]+)["']""")


def sign_in_tokens(db: Path) -> dict[str, str]:
    """Session tokens of benchmark accounts, by the right a page needs ("view" pages: an analyst
    of the whole bureau; upload and admin pages: an admin). Empty when the app has no sign-in."""
    try:
        from auth import accounts, sessions
        from auth import db as auth_db
    except ImportError:
        return {}
    where = auth_db.path(db)
    tokens = {}
    for right, role in (("view", "analyst"), ("manage", "admin")):
        name = f"bench-{role}"
        account = accounts.get(name, db=where) or accounts.add(
            name, f"{name}-{os.getpid()}-Passw0rd!", role, actor="bench", db=where
        )
        tokens[right] = sessions.open_session(account, db=where)
    return tokens


def token_for(tokens: dict[str, str], page: str) -> str | None:
    """The token of an account that may open `page`."""
    from auth.rights import PAGES

    return tokens.get("view" if PAGES.get(page, "view") == "view" else "manage")


def page_names() -> list[str]:
    """The app's pages in navigation order: the pages/<name>.py files app.py declares, in order
    (every pages/*.py file when app.py names none)."""
    declared = re.findall(r"pages/(\w+)\.py", (ROOT / "app.py").read_text(encoding="utf-8"))
    if declared:
        return list(dict.fromkeys(declared))
    return sorted(p.stem for p in (ROOT / "pages").glob("*.py") if p.stem != "__init__")


@contextmanager
def recording(calls: list) -> Iterator[None]:
    """Record every named query run while inside, as (name, params, seconds)."""
    original = queries.run

    @functools.wraps(original)
    def run(con, name, **params):
        started = time.perf_counter()
        try:
            return original(con, name, **params)
        finally:
            calls.append((name, params, time.perf_counter() - started))

    queries.run = run
    try:
        yield
    finally:
        queries.run = original


def profile_unit(db: Path, station_id: str) -> str:
    """The unit the profile page (单位画像) opens: the station's 分局, whose children's figures
    make it the heaviest profile."""
    from queries import db as warehouse

    with warehouse.read(db) as con:
        units = queries.run(con, "unit_profile_units", unit_ids=[station_id], scope="*")
    return str(units["parent_id"].iloc[0])


def _apptest(name: str, token: str | None, query: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.switch_page(f"pages/{name}.py")
    at.query_params.update(query or {})
    if token:
        from pages.ui import gate

        at.session_state[gate.TOKEN_KEY] = token
    return at


def _narrow(at, station_id: str) -> bool:
    """Pick one station, latest month; False when the page has no filters."""
    units = [w for w in at.sidebar.multiselect if w.key == "flt_units"]
    periods = [w for w in at.sidebar.selectbox if w.key == "flt_period"]
    if not units or not periods:
        return False
    units[0].set_value([station_id])
    periods[0].set_value(NARROW_PRESET)
    return True


def _errors(at) -> list[str]:
    return [str(e.value)[:300] for e in at.exception]


def _timed_run(at, calls: list) -> tuple[float, list]:
    before = len(calls)
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, calls[before:]


def render_pages(db: Path, station_id: str, *, log=print) -> dict:
    """Time every page in AppTest (cold cache, warm rerun, narrow filter); record their queries."""
    import streamlit as st
    from streamlit import logger

    logger.set_log_level("error")  # AppTest's "No runtime found" warnings, once per page
    os.environ["MINYI_DB"] = str(db)
    os.environ["MINYI_DEMO"] = "0"
    out: dict = {"pages": {}, "plan": []}
    tokens = sign_in_tokens(db)
    profile = {"unit": profile_unit(db, station_id)}
    for name in page_names():
        log(f"  page {name}")
        entry: dict = {}
        calls: list = []
        cold: list = []
        narrow: list = []
        try:
            with recording(calls):
                st.cache_data.clear()
                at = _apptest(name, token_for(tokens, name), profile if name == "unit" else None)
                entry["cold_seconds"], cold = _timed_run(at, calls)
                entry["errors"] = _errors(at)
                entry["warm_seconds"], _ = _timed_run(at, calls)
                if _narrow(at, station_id):
                    st.cache_data.clear()
                    entry["narrow_seconds"], narrow = _timed_run(at, calls)
                    entry["errors"] += _errors(at)
        except Exception as exc:  # noqa: BLE001 - an unfinished page is reported, not fatal
            entry["errors"] = [
                *entry.get("errors", []),
                f"{type(exc).__name__}: {exc}"[:300],
                traceback.format_exc()[-500:],
            ]
        entry["queries"] = len({c[0] for c in cold})
        entry["query_seconds_cold"] = round(sum(c[2] for c in cold), 3)
        for variant, recorded in (("default", cold), ("narrow", narrow)):
            out["plan"] += [
                {"page": name, "variant": variant, "name": n, "params": p} for n, p, _ in recorded
            ]
        out["pages"][name] = {
            k: round(v, 3) if isinstance(v, float) else v for k, v in entry.items()
        }
    out["plan"] = complete_plan(out["plan"], station_id, db)
    return out


def _mentioned(page: str) -> set[str]:
    """Query names written in a page's source (drill-downs run only after a click)."""
    text = (ROOT / "pages" / f"{page}.py").read_text(encoding="utf-8")
    known = set(queries.names())
    return {m for m in _QUERY_NAME.findall(text) if m in known}


def _standard(plan: list, page: str, variant: str, station_id: str) -> dict:
    """The page's filter parameters: those its recorded queries used, else the standard ones."""
    narrow = variant == "narrow"
    merged: dict = {
        "start": dt.date(YEAR, 12 if narrow else 1, 1),
        "end": dt.date(YEAR, 12, 31),
        "unit_ids": [station_id] if narrow else [],
        "channels": [],
        "police_types": [],
        "categories": [],
        "scope": "*",
        "formula": "standard",
        "as_of": dt.datetime(YEAR, 12, 31, 23, 59),
    }
    for entry in plan:
        if entry["page"] == page and entry["variant"] == variant:
            merged.update({k: v for k, v in entry["params"].items() if k in merged})
    return merged


def complete_plan(plan: list, station_id: str, db: Path) -> list:
    """Add the queries a page names but did not run, with its own filters.

    Parameters beyond the filters come from the same query in the other variant when it ran there
    (a previous period is moved to just before this variant's period), else from EXTRA_DEFAULTS.
    """
    from queries import db as warehouse

    pages = {entry["page"] for entry in plan} | set(page_names())
    for page in sorted(pages):
        for variant in ("default", "narrow"):
            ran = {e["name"] for e in plan if e["page"] == page and e["variant"] == variant}
            for name in sorted(_mentioned(page) - ran):
                standard = _standard(plan, page, variant, station_id)
                other = next(
                    (
                        e["params"]
                        for e in plan
                        if e["name"] == name
                        and e["variant"] != variant
                        and not e.get("synthesised")
                    ),
                    {},
                )
                params = {**EXTRA_DEFAULTS, **other, **standard}
                if "prev_start" in params:
                    length = params["end"] - params["start"] + dt.timedelta(days=1)
                    params["prev_start"] = params["start"] - length
                    params["prev_end"] = params["start"] - dt.timedelta(days=1)
                if name == "keyword_records":
                    # The word a user clicks: the most frequent one for these filters.
                    with warehouse.read(db) as con:
                        top = queries.run(con, "keyword_counts", **{**params, "top_n": 1})
                    params["token"] = top["token"].iloc[0] if len(top.index) else "民警"
                plan.append(
                    {
                        "page": page,
                        "variant": variant,
                        "name": name,
                        "params": params,
                        "synthesised": True,
                    }
                )
    return plan
