"""The briefing as PDF, typeset offline by Typst (its PyPI wheel) with Noto CJK fonts embedded.

The content travels to Typst as JSON data, never as markup: a complaint title with # or [ in it is
text, not a command."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import typst

from briefing.document import Chart, Document, Heading, Paragraph, Table

TEMPLATE = Path(__file__).resolve().parent / "briefing.typ"
# Fonts Typst may use: the system's Noto CJK (fonts-noto-cjk), or MINYI_CJK_FONT's folder.
FONT_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
)


def write(doc: Document, out: Path) -> None:
    """Write `doc` as PDF to `out`."""
    out.write_bytes(render(doc))


def render(doc: Document) -> bytes:
    """The PDF bytes of `doc`."""
    with tempfile.TemporaryDirectory(prefix="minyi-briefing-") as folder:
        root = Path(folder)
        blocks = []
        for number, block in enumerate(doc.blocks):
            if isinstance(block, Heading):
                blocks.append({"type": "heading", "text": block.text, "level": block.level})
            elif isinstance(block, Paragraph):
                blocks.append({"type": "paragraph", "text": block.text})
            elif isinstance(block, Table):
                blocks.append(
                    {
                        "type": "table",
                        "columns": block.columns,
                        "rows": block.rows,
                        "caption": block.caption,
                    }
                )
            elif isinstance(block, Chart):
                name = f"chart{number}.png"
                (root / name).write_bytes(block.png)
                blocks.append({"type": "chart", "file": name, "caption": block.caption})
        data = {
            "title": doc.title,
            "issuer": doc.issuer,
            "period": doc.period_label,
            "made": doc.made_on,
            "blocks": blocks,
        }
        (root / "doc.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (root / "main.typ").write_text(TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
        fonts = [d for d in (*FONT_DIRS, *_font_override()) if Path(d).is_dir()]
        return typst.compile(str(root / "main.typ"), root=str(root), font_paths=fonts)


def _font_override() -> list[str]:
    from pages.ui.fonts import find_cjk_font

    path = find_cjk_font()
    return [str(path.parent)] if path else []
