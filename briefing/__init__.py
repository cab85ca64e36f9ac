"""领导周报: the weekly (or monthly) briefing a leader takes to the meeting, and the alerts.

`python -m briefing --week 2026-W48 --out 周报.docx|.pdf` writes the document; `python -m briefing
alerts --json` prints what needs attention. Every figure comes from the named queries in `queries/`
that the pages use; this package only chooses the period, words the sentences and lays out pages.
"""
