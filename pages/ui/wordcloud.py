"""Keyword clouds: word counts drawn with a font that has Chinese glyphs (pages/ui/fonts.py),
never boxes."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from PIL import Image
from wordcloud import WordCloud

from pages.ui.fonts import find_cjk_font

FONT_FIX = (
    "未找到中文字体，词云无法显示汉字。请安装 Noto Sans CJK（Debian/Ubuntu：apt-get install "
    "fonts-noto-cjk，或在项目目录运行 make run），或把环境变量 MINYI_CJK_FONT 设为一个中文字体文件"
    "（.ttf/.otf/.ttc）的完整路径后重启看板。"
)


def render(
    freqs: Mapping[str, int],
    *,
    width: int = 800,
    height: int = 400,
    font_path: Path | None = None,
    max_words: int = 100,
) -> Image.Image | None:
    """Draw `freqs` (word -> count) as a cloud; None when no CJK font is found or no word counts.

    jieba segments at load time, so the cloud is drawn from frequencies: wordcloud's own
    tokeniser cannot split Chinese (docs/pitfalls.md W2).
    """
    font = font_path or find_cjk_font()
    words = {str(word): int(n) for word, n in freqs.items() if n and n > 0}
    if font is None or not words:
        return None
    # The layout is searched on a half-size canvas and drawn at full size (scale=2): the search
    # costs about width x height per word, so this keeps a 100-word cloud well under a second.
    cloud = WordCloud(
        font_path=str(font),
        width=max(1, width // 2),
        height=max(1, height // 2),
        scale=2,
        background_color="white",
        colormap="Dark2",
        max_words=max_words,
        max_font_size=max(8, height // 12),
        min_font_size=5,
        margin=2,
        prefer_horizontal=0.95,
        random_state=7,  # the same counts give the same picture on every rerun
    )
    return cloud.generate_from_frequencies(words).to_image()


def png(freqs: Mapping[str, int], *, width: int = 800, height: int = 400) -> bytes | None:
    """PNG bytes of render(freqs), cached on the frequencies, size and font; None without a font."""
    font = find_cjk_font()
    if font is None:
        return None
    return _png(tuple(freqs.items()), width, height, str(font), font.stat().st_mtime_ns)


@st.cache_data(max_entries=256, show_spinner=False)
def _png(
    items: tuple[tuple[str, int], ...], width: int, height: int, font: str, font_mtime_ns: int
) -> bytes | None:
    # font_mtime_ns is unused in the body: it is in the key so a replaced font file re-renders.
    image = render(dict(items), width=width, height=height, font_path=Path(font))
    if image is None:
        return None
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
