"""What a briefing is made of, independent of its format: headings, paragraphs, tables and charts
in reading order. briefing/content.py fills it; docx.py and pdf.py lay it out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass(frozen=True)
class Chart:
    png: bytes
    caption: str


Block = Heading | Paragraph | Table | Chart


@dataclass
class Document:
    """A briefing: title, issuing unit, period and date made, then the blocks in order."""

    title: str
    issuer: str
    period_label: str
    made_on: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def text(self) -> str:
        """All text of the document, for tests and search."""
        parts = [self.title, self.issuer, self.period_label, self.made_on]
        for block in self.blocks:
            if isinstance(block, Table):
                parts.append(" ".join(block.columns))
                parts.extend(" ".join(row) for row in block.rows)
            elif isinstance(block, Chart):
                parts.append(block.caption)
            else:
                parts.append(block.text)
        return "\n".join(parts)
