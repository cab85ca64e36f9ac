"""A font with Chinese glyphs, for the keyword cloud and the briefing's charts and PDF. Kept apart
from pages/ui/wordcloud.py so that the briefing's command line does not import Streamlit."""

from __future__ import annotations

import functools
import os
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

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
