"""The word-cloud helper finds a CJK font, honours $MINYI_CJK_FONT and draws Chinese as Chinese."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from pages.ui import fonts, wordcloud

NOTO = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # `make test` installs it
LATIN_ONLY = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # no Chinese glyphs: boxes


def ink(image: Image.Image) -> int:
    """Pixels that are not the white background."""
    grey = image.convert("L")
    return sum(grey.histogram()[:250])


def test_font_override_is_used(monkeypatch, tmp_path):
    link = tmp_path / "我的字体.ttc"
    link.symlink_to(NOTO)
    monkeypatch.setenv("MINYI_CJK_FONT", str(link))
    assert wordcloud.find_cjk_font() == link


def test_missing_override_gives_none_even_with_installed_fonts(monkeypatch, tmp_path):
    monkeypatch.setenv("MINYI_CJK_FONT", str(tmp_path / "missing.ttf"))
    assert wordcloud.find_cjk_font() is None


def test_latin_only_override_counts_as_missing(monkeypatch):
    monkeypatch.setenv("MINYI_CJK_FONT", str(LATIN_ONLY))
    assert wordcloud.find_cjk_font() is None


def test_no_font_anywhere_gives_none(monkeypatch, tmp_path):
    monkeypatch.delenv("MINYI_CJK_FONT", raising=False)
    monkeypatch.setattr(fonts, "KNOWN_FONTS", (str(tmp_path / "a.ttc"), str(LATIN_ONLY)))
    assert wordcloud.find_cjk_font() is None


def test_known_path_found_without_override(monkeypatch):
    monkeypatch.delenv("MINYI_CJK_FONT", raising=False)
    monkeypatch.setattr(fonts, "KNOWN_FONTS", ("/nonexistent/font.ttc", str(NOTO)))
    assert wordcloud.find_cjk_font() == NOTO


def test_render_has_requested_size():
    freqs = {"噪音扰民": 30, "派出所": 20, "办证": 12, "回访": 7, "民警": 3}
    image = wordcloud.render(freqs, width=640, height=320, font_path=NOTO)
    assert image is not None
    assert image.size == (640, 320)


def test_render_draws_chinese_glyphs_not_boxes():
    chinese = wordcloud.render({"民意": 1}, width=400, height=300, font_path=NOTO)
    boxes = wordcloud.render({"民意": 1}, width=400, height=300, font_path=LATIN_ONLY)
    assert chinese is not None and boxes is not None
    # 民意 at 50 px inks about 2,000 pixels; the two hollow boxes DejaVu draws ink about 900.
    assert ink(chinese) > 1500
    assert chinese.tobytes() != boxes.tobytes()


def test_render_without_font_or_words_gives_none(monkeypatch, tmp_path):
    assert wordcloud.render({}, font_path=NOTO) is None
    assert wordcloud.render({"民意": 0}, font_path=NOTO) is None
    monkeypatch.setenv("MINYI_CJK_FONT", str(tmp_path / "missing.ttf"))
    assert wordcloud.render({"民意": 3}) is None


def test_png_is_cached_on_frequencies(monkeypatch):
    monkeypatch.setenv("MINYI_CJK_FONT", str(NOTO))
    first = wordcloud.png({"警情": 5, "回访": 2}, width=400, height=200)
    assert first is not None
    assert Image.open(io.BytesIO(first)).size == (400, 200)
    calls = []
    monkeypatch.setattr(wordcloud, "render", lambda *a, **k: calls.append(a))
    assert wordcloud.png({"警情": 5, "回访": 2}, width=400, height=200) == first
    assert calls == []  # served from the cache, not drawn again


@pytest.mark.parametrize("count", [1, 250])
def test_render_same_counts_same_picture(count):
    freqs = {f"问题{i}": count + i for i in range(20)}
    first = wordcloud.render(freqs, width=300, height=150, font_path=NOTO)
    again = wordcloud.render(freqs, width=300, height=150, font_path=NOTO)
    assert first.tobytes() == again.tobytes()
