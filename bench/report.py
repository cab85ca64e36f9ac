"""The benchmark's table: every figure beside its target, and by how much a missed one is missed."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from bench.queries import summary

ROOT = Path(__file__).resolve().parents[1]
# The acceptance figures of issue 5 (province scale, 2 cores).
LOAD_TIME_RATIO = 1.5
LOAD_MEMORY_RATIO = 2.0
SEGMENT_CHARS_PER_SECOND = 2_000_000
QUERY_P95_MS = 200
PANDAS_RATIO = 4.0
PAGE_SECONDS = 1.5
SERVER_MB = 1536
CLOUD_MS = 1000
BRIEFING_SECONDS = 30
LOAD_P95_RATIO = 2.0


@dataclass
class Row:
    """One line of the table."""

    section: str
    figure: str
    measured: str
    target: str
    result: str


def at_most(value: float | None, limit: float) -> str:
    """'ok', or how many times over the limit the value is."""
    if value is None:
        return "not measured"
    return "ok" if value <= limit else f"{value / limit:.2f}× over"


def at_least(value: float | None, floor: float) -> str:
    """'ok', or how many times short of the floor the value is."""
    if value is None:
        return "not measured"
    return "ok" if value >= floor else f"{floor / value:.2f}× short" if value > 0 else "short"


def _joined(*verdicts: str) -> str:
    misses = [v for v in verdicts if v != "ok"]
    return "ok" if not misses else "; ".join(misses)


def machine() -> dict:
    """What the figures were measured on."""
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else ""
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            text=True,
            capture_output=True,
            check=True,
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain"],
                cwd=ROOT,
                text=True,
                capture_output=True,
                check=False,
            ).stdout.strip()
        )
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", None
    return {
        "commit": commit,
        "uncommitted_changes": dirty,
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "cpu": cpu,
        "cpus_available": len(os.sched_getaffinity(0)),
        "cpus": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {
            name: _version(name)
            for name in ("duckdb", "pandas", "pyarrow", "streamlit", "jieba", "rjieba", "wordcloud")
        },
        "load_average": os.getloadavg(),
    }


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _where(trace_line: dict | None) -> str:
    """The step a killed load was in, from the last line of its trace."""
    if not trace_line:
        return "?"
    path = trace_line["step"].split(" > ")
    if trace_line["event"] == "leave":
        path = path[:-1]  # it had left that step: it was in the one around it
    return " > ".join(path[-2:])


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f}"


def _times(value: float | None) -> str:
    if value is None:
        return "—"
    return f"×{value:.1f}" if value < 10 else f"×{value:,.0f}"


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def rows(results: dict) -> list[Row]:
    """The table rows for whatever sections ran."""
    out: list[Row] = []
    load = results.get("load", {}).get("files", {})
    for name, label in (("calls", "call records"), ("complaints", "complaints")):
        entry = load.get(name)
        if not entry or "duckdb_read_csv" not in entry:
            continue
        mine, base = entry["etl_load"], entry["duckdb_read_csv"]
        if mine.get("killed_over_mb"):
            where = _where(mine.get("killed_in"))
            out.append(
                Row(
                    "load",
                    f"{label} time ({entry['rows']:,} rows)",
                    f"stopped after {mine['seconds']:.0f} s in {where} (read_csv "
                    f"{base['seconds']:.1f} s): ≥ {entry['time_ratio']:.2f}×",
                    f"≤ {LOAD_TIME_RATIO}×",
                    "out of reach: ran out of memory",
                )
            )
            out.append(
                Row(
                    "load",
                    f"{label} peak memory",
                    f"> {_mb(mine['killed_over_mb'])} (cap) vs {_mb(base['peak_mb'])} = "
                    f"≥ {entry['memory_ratio']:.2f}×",
                    f"≤ {LOAD_MEMORY_RATIO}×",
                    at_most(entry["memory_ratio"], LOAD_MEMORY_RATIO),
                )
            )
        else:
            out.append(
                Row(
                    "load",
                    f"{label} time ({entry['rows']:,} rows)",
                    f"{mine['seconds']:.1f} s vs read_csv {base['seconds']:.1f} s = "
                    f"{entry['time_ratio']:.2f}× ({mine['rows_per_second']:,} vs "
                    f"{base['rows_per_second']:,} rows/s)",
                    f"≤ {LOAD_TIME_RATIO}×",
                    at_most(entry["time_ratio"], LOAD_TIME_RATIO),
                )
            )
            out.append(
                Row(
                    "load",
                    f"{label} peak memory",
                    f"{_mb(mine['peak_mb'])} vs {_mb(base['peak_mb'])} = "
                    f"{entry['memory_ratio']:.2f}×",
                    f"≤ {LOAD_MEMORY_RATIO}×",
                    at_most(entry["memory_ratio"], LOAD_MEMORY_RATIO),
                )
            )
        segment = entry.get("segmentation")
        if segment:
            rate = segment["chars_per_second"]
            out.append(
                Row(
                    "load",
                    f"{label} segmentation",
                    f"{rate or 0:,} chars/s ({segment['chars']:,} chars, "
                    f"{segment['seconds']:.1f} s)",
                    f"≥ {SEGMENT_CHARS_PER_SECOND:,}/s",
                    at_least(rate, SEGMENT_CHARS_PER_SECOND),
                )
            )
    for name, entry in load.items():
        monthly = entry.get("etl_load_monthly")
        if monthly and "seconds" in monthly:
            out.append(
                Row(
                    "load",
                    f"{name} as {monthly['files']} monthly files",
                    f"{monthly['seconds']:.0f} s in all, peak {_mb(monthly['peak_mb'])}",
                    "—",
                    "info",
                )
            )
        elif monthly:
            out.append(
                Row(
                    "load",
                    f"{name} as {monthly['files']} monthly files",
                    f"stopped in {monthly['file']}",
                    "—",
                    "out of memory",
                )
            )
        mine = entry.get("etl_load_in_process")
        if mine:
            out.append(
                Row(
                    "load",
                    f"{name} ({entry['rows']:,} rows, in process)",
                    f"{mine['seconds']:.1f} s, {entry['rows'] / mine['seconds']:,.0f} rows/s",
                    "—",
                    "info",
                )
            )
    if "queries" in results:
        by_name: dict[str, dict] = {}
        for row in summary(results["queries"]):
            by_name.setdefault(row["name"], {})[row["variant"]] = row
        for name, variants in sorted(by_name.items()):
            d, n = variants.get("default", {}), variants.get("narrow", {})
            p95 = [v.get("duckdb_p95_ms") for v in (d, n) if v.get("duckdb_p95_ms") is not None]
            ratios = [v.get("min_ratio") for v in (d, n) if v.get("min_ratio") is not None]
            errors = [e for v in (d, n) for e in v.get("errors", [])]
            measured = (
                f"p95 {_ms(d.get('duckdb_p95_ms'))}/{_ms(n.get('duckdb_p95_ms'))} ms, "
                f"pandas {_times(d.get('min_ratio'))}/{_times(n.get('min_ratio'))}"
            )
            same = all(v.get("same_rows", True) for v in (d, n))
            verdict = _joined(
                at_most(max(p95) if p95 else None, QUERY_P95_MS),
                at_least(min(ratios) if ratios else None, PANDAS_RATIO),
                "ok" if same else "pandas rows differ",
                "ok" if not errors else f"error: {errors[0][:60]}",
            )
            out.append(
                Row(
                    "queries",
                    name,
                    measured,
                    f"< {QUERY_P95_MS} ms, ≥ {PANDAS_RATIO:.0f}×",
                    verdict,
                )
            )
        process = results["queries"].get("pandas_process", {})
        if process.get("peak_mb"):
            out.append(
                Row(
                    "queries",
                    "pandas route memory (all tables)",
                    f"{_mb(process['peak_mb'])}, {process.get('load_seconds', 0):.0f} s to load",
                    "—",
                    "info",
                )
            )
    for name, page in results.get("pages", {}).get("pages", {}).items():
        cold = page.get("cold_seconds")
        measured = (
            f"cold {cold:.2f} s, warm {page.get('warm_seconds', 0):.2f} s, "
            f"narrow {page.get('narrow_seconds', 0):.2f} s"
            if cold is not None
            else "—"
        )
        verdict = at_most(max(cold or 0, page.get("narrow_seconds") or 0) or None, PAGE_SECONDS)
        if page.get("errors"):
            verdict = _joined(verdict, f"error: {page['errors'][0][:60]}")
        out.append(Row("pages", f"{name} (AppTest)", measured, f"< {PAGE_SECONDS} s", verdict))
    browser = results.get("browser", {})
    titles = browser.get("titles", {})
    if "server_rss_mb" in browser:
        out.append(
            Row(
                "pages",
                "server resident memory after every page",
                f"{_mb(browser['server_rss_mb'])} (peak {_mb(browser['server_hwm_mb'])})",
                f"< {SERVER_MB / 1024:.1f} GB",
                at_most(browser["server_hwm_mb"], SERVER_MB),
            )
        )
        for name, page in browser.get("pages", {}).items():
            shown = f"{page['seconds']:.1f} s" if "seconds" in page else page.get("error", "")[:60]
            verdict = "info"
            if page.get("exceptions") or "error" in page:
                verdict = "exception shown"
            elif page.get("title") != titles.get(name, page.get("title")):
                verdict = f"showed {page.get('title')!r}"
            out.append(Row("pages", f"{name} (browser)", shown, "its page, no exception", verdict))
    elif "error" in browser:
        out.append(Row("pages", "browser", browser["error"][:80], "—", "not measured"))
    for label, cloud in results.get("wordcloud", {}).items():
        if isinstance(cloud, dict):
            out.append(
                Row(
                    "word cloud",
                    label.replace("_", " "),
                    f"p95 {cloud['p95_ms']:,.0f} ms (query {cloud['query_ms']:,.0f}, "
                    f"draw {cloud['draw_ms']:,.0f})",
                    f"< {CLOUD_MS} ms",
                    at_most(cloud["p95_ms"], CLOUD_MS),
                )
            )
    brief = results.get("briefing", {})
    for fmt in ("docx", "pdf"):
        if fmt in brief:
            made = brief[fmt]
            out.append(
                Row(
                    "briefing",
                    f"month {brief['period']} as {fmt}",
                    f"{made['seconds']:.1f} s (queries {made['content_seconds']:.1f}, "
                    f"render {made['render_seconds']:.1f})",
                    f"< {BRIEFING_SECONDS} s",
                    at_most(made["seconds"], BRIEFING_SECONDS),
                )
            )
    conc = results.get("concurrency", {})
    if "idle" in conc:
        errors = conc["idle"]["error_count"] + conc["during_load"]["error_count"]
        loader_ok = conc["loader"]["returncode"] == 0
        out.append(
            Row(
                "concurrency",
                "errors (sessions / loader)",
                f"{errors} / {0 if loader_ok else conc['loader']['returncode']}",
                "0 / 0",
                "ok" if errors == 0 and loader_ok else "errors",
            )
        )
        out.append(
            Row(
                "concurrency",
                "page-query p95 during load vs idle",
                f"{conc['during_load']['p95_ms']:,.0f} vs {conc['idle']['p95_ms']:,.0f} ms"
                f" = {conc['p95_ratio']:.2f}× (load {conc['loader']['seconds']:.0f} s)",
                f"≤ {LOAD_P95_RATIO}×",
                at_most(conc["p95_ratio"], LOAD_P95_RATIO),
            )
        )
    elif "error" in conc:
        out.append(
            Row("concurrency", "load while browsing", conc["error"][:80], "—", "not measured")
        )
    return out


def _width(text: str) -> int:
    # CJK and other wide characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def render(table: list[Row]) -> str:
    """The rows as a Markdown table (readable in a terminal and in RESULTS.md)."""
    header = Row("section", "figure", "measured", "target", "result")
    lines = [header, *table]
    cells = [[r.section, r.figure, r.measured, r.target, r.result] for r in lines]
    widths = [max(_width(c[i]) for c in cells) for i in range(5)]
    text = []
    for n, row in enumerate(cells):
        padded = [c + " " * (w - _width(c)) for c, w in zip(row, widths)]
        text.append("| " + " | ".join(padded) + " |")
        if n == 0:
            text.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(text)
