"""Charts of the briefing as PNG images, drawn with matplotlib (no browser): the satisfaction
trend against its target and the units' satisfaction as bars. Chinese needs a CJK font: the
one the keyword clouds use (MINYI_CJK_FONT, else the first known font)."""

from __future__ import annotations

import io
import os

import matplotlib

matplotlib.use("Agg")  # no display on a server or in cron

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib import font_manager
from matplotlib.ticker import PercentFormatter

from pages.ui.fonts import find_cjk_font

BLUE, RED, GREY = "#1f4e9a", "#c0392b", "#888888"


def _font() -> font_manager.FontProperties:
    path = find_cjk_font()
    if path is None:
        raise RuntimeError("没有可用的中文字体：安装 fonts-noto-cjk，或设置 MINYI_CJK_FONT。")
    return font_manager.FontProperties(fname=str(path))


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def trend(frame: pd.DataFrame) -> bytes:
    """Satisfaction rate over time (column `at`), with the target (frame.attrs['target'])."""
    font = _font()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    if not frame.empty:
        ax.plot(
            pd.to_datetime(frame["at"]),
            frame["satisfaction_rate"],
            marker="o",
            color=BLUE,
            linewidth=1.6,
            markersize=3,
        )
    target = frame.attrs.get("target")
    if target is not None and not pd.isna(target):
        ax.axhline(float(target), color=RED, linestyle="--", linewidth=1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
    ax.set_ylabel("满意率", fontproperties=font)
    ax.grid(axis="y", alpha=0.3)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(font)
    fig.autofmt_xdate()
    return _png(fig)


def unit_bar(frame: pd.DataFrame, limit: int = 15) -> bytes:
    """Units' satisfaction as horizontal bars, lowest first (the units to look at), at most limit."""
    font = _font()
    rows = frame.sort_values(["satisfaction_rate", "unit_name"]).head(limit).iloc[::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.28 * len(rows) + 0.8))
    # Names share the bureau's name in front (江城市公安局…): show what tells them apart.
    prefix = os.path.commonprefix(list(frame["unit_name"])) if len(frame) > 1 else ""
    ax.barh(
        [name[len(prefix) :] or name for name in rows["unit_name"]],
        rows["satisfaction_rate"],
        color=BLUE,
    )
    low = max(0.0, float(rows["satisfaction_rate"].min()) - 0.05) if len(rows) else 0.0
    ax.set_xlim(low, 1.0)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(font)
    ax.grid(axis="x", alpha=0.3)
    return _png(fig)
