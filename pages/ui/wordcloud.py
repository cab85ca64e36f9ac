"""Keyword clouds: find a font with Chinese glyphs and draw word counts with it, never boxes."""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from PIL import Image, ImageDraw, ImageFont
from wordcloud import WordCloud

FONT_ENV = "MINYI_CJK_FONT"
# Noto Sans CJK is what the Makefile installs (Debian fonts-noto-cjk, OFL); the rest are where other
# systems keep a CJK font, so a developer's laptop works without setting anything.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
)
FONT_FIX = (
    "未找到中文字体，词云无法显示汉字。请安装 Noto Sans CJK（Debian/Ubuntu：apt-get install "
    "fonts-noto-cjk，或在项目目录运行 make run），或把环境变量 MINYI_CJK_FONT 设为一个中文字体文件"
    "（.ttf/.otf/.ttc）的完整路径后重启看板。"
)
_PROBE = "民意警"
# A code point no font maps (plane 16 private use): drawing it shows the font's .notdef box.
_UNMAPPED = "\U0010fffd"


def find_cjk_font() -> Path | None:
    """The font to draw Chinese with: $MINYI_CJK_FONT when set, else the first known font path.

    A font without Chinese glyphs counts as missing. An explicit $MINYI_CJK_FONT that is unusable
    gives None rather than a silent fallback, so a wrong setting is reported, not hidden.
    """
    override = os.environ.get(FONT_ENV)
    candidates = [Path(override)] if override else [Path(p) for p in KNOWN_FONTS]
    for path in candidates:
        if path.is_file() and has_cjk_glyphs(path):
            return path
    return None


def has_cjk_glyphs(path: Path) -> bool:
    """Whether the font at `path` draws common Chinese characters as themselves, not as boxes."""
    return _has_cjk_glyphs(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=32)
def _has_cjk_glyphs(path: str, mtime_ns: int) -> bool:
    try:
        font = ImageFont.truetype(path, 32)
    except OSError:
        return False
    box = glyph_bitmap(font, _UNMAPPED)
    return all(glyph_bitmap(font, ch) not in (box, glyph_bitmap(font, " ")) for ch in _PROBE)


def glyph_bitmap(font: ImageFont.FreeTypeFont, text: str) -> bytes:
    """`text` drawn black on white in a 64×64 greyscale square, as raw bytes."""
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((4, 4), text, font=font, fill=0)
    return image.tobytes()


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
