"""Text from the data (names, channels, categories, titles, words) on screen: read, never rendered.

Streamlit renders markdown in titles, headers, captions, alerts, metric and expander labels, tabs
and help texts: a loaded value `[钓鱼链接](http://…)`, `![c](http://…/x.png)` (fetched by every
viewer's browser), `:red[…]`, or a bare URL would become a live link, an image or styling. Plotly
renders a subset of HTML in axis labels, legends, hovers and titles (`<a href>`, `<span style>`).
md() is for values going into st.* text, html() for values going into a figure; charts.py applies
html() to every value it draws, pages apply md() where they put a value into a sentence.
"""

from __future__ import annotations

import html as _html
import re

import pandas as pd

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all also
# defeats Streamlit's own :color[…] / :material/…: directives, $…$ maths and bare-URL autolinks.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's markdown (GFM) also links bare URLs and e-mail addresses found in the text after
# parsing, escapes or not: a zero-width space after "://", "www" and "@" leaves them plain text.
_AUTOLINK = re.compile(r"://|(?<![0-9A-Za-z_])www(?=\.)|@", re.IGNORECASE)
ZERO_WIDTH_SPACE = "\u200b"


def md(value: object) -> str:
    """value as literal text inside Streamlit markdown (one line: a newline would start a block)."""
    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return ""
    text = " ".join(str(value).split())
    text = _AUTOLINK.sub(lambda found: found.group(0) + ZERO_WIDTH_SPACE, text)
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)


def html(value: object) -> str:
    """value as literal text in a plotly label, legend, hover or title."""
    if value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value))):
        return ""
    # Plotly decodes &lt; &gt; &amp; but shows &quot; as it is: quotes are harmless once < is.
    return _html.escape(str(value), quote=False)


def unhtml(value: str) -> str:
    """The value html() was given: what a chart selection (customdata) hands back to the page."""
    return _html.unescape(value)
