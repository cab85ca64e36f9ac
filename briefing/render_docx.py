"""The briefing as a Word document (python-docx): editable in Word and WPS, which is how such
documents travel. A4 with 公文 margins; 黑体 headings and 宋体 text, the fonts every Chinese office
machine has."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as Word
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from briefing.document import Chart, Document, Heading, Paragraph, Table

BODY_FONT, HEADING_FONT = "宋体", "黑体"


def write(doc: Document, out: Path | io.BytesIO) -> None:
    """Write `doc` as .docx to a path or a buffer."""
    word = Word()
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _font(word.styles["Normal"], BODY_FONT, 12)
    for level in (1, 2):
        _font(word.styles[f"Heading {level}"], HEADING_FONT, 15 if level == 1 else 13, bold=True)

    title = word.add_paragraph(style="Title")
    _font(word.styles["Title"], HEADING_FONT, 20, bold=True)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(doc.title)
    meta = word.add_paragraph(f"{doc.issuer}　{doc.period_label}　{doc.made_on}编")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for block in doc.blocks:
        if isinstance(block, Heading):
            word.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            paragraph = word.add_paragraph(block.text)
            paragraph.paragraph_format.first_line_indent = Pt(24)
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Chart):
            word.add_picture(io.BytesIO(block.png), width=Cm(15))
            word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = word.add_paragraph(block.caption)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    word.save(out)


def _table(word, block: Table) -> None:
    if block.caption:
        caption = word.add_paragraph(block.caption)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = word.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.columns):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in block.rows:
        for cell, text in zip(table.add_row().cells, values):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)


def _font(style, name: str, size: float, bold: bool = False) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    # Word picks East Asian text's font from w:eastAsia, not from the Latin name.
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
