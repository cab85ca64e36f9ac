"""Which contract column each header of an export fills, and how sure that is.

Three steps, each only for the headers and columns the step before left open:
1. synonym: the header is one of the column's names (etl/sources.py), after normalisation: 1.0;
2. header part: the header ends with one of them ("投诉件内容" → 内容, "信息来源" → 来源,
   "ticket_title" → title) or holds one: 0.6–0.85, more the more of the header the name covers;
3. values: what the column holds (dates, unit names, a vocabulary's labels, long text, unique
   ids): 0.3–0.6 by the share of sample values that fit.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from etl.sources import VOCABULARIES, Kind, normalise_header

SYNONYM, PART, VALUES = "synonym", "header part", "values"
# A value-based match needs this share of the non-empty sample values to fit.
VALUE_SHARE = 0.8
_UNIT_NAME = re.compile(r".{2,}(派出所|分局|公安局|大队|中队|支队|警务站|警务室|所|窗口|科|处|室)$")
_DATE = re.compile(
    r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?([ T]\d{1,2}[:时]\d{1,2}.*)?"
    r"|\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2}.*)?"
    r"|(19|20)\d{6}(\d{6})?"
)
_ID = re.compile(r"[A-Za-z0-9_\-]{1,32}")
# Steps 2 and 3 guess only for headers shaped like a field name: a numbered or long header is a
# question of a questionnaire ("8、您认为派出所存在的问题"), which holds answers, not a field.
_QUESTION = re.compile(r"\d+[、.．:：)）]|.{13,}")


@dataclass(frozen=True)
class Match:
    """A header's proposed column: how sure (0–1) and by which step."""

    column: str
    confidence: float
    by: str

    def as_dict(self) -> dict:
        return {"column": self.column, "confidence": self.confidence, "by": self.by}


def propose_matches(
    kind: Kind, headers: list[str], sample: dict[str, list] | None = None
) -> dict[str, Match | None]:
    """Each header -> its Match (or None). `sample`: some values of each header's column."""
    matches: dict[str, Match | None] = dict.fromkeys(headers)
    normalised = {h: normalise_header(h) for h in headers}
    taken: set[str] = set()
    # 1. Synonyms, in the kind's column order; a column's first synonym that a header has wins.
    for col in kind.columns:
        for synonym in (col.name, *col.synonyms):
            target = normalise_header(synonym)
            hit = next((h for h in headers if not matches[h] and normalised[h] == target), None)
            if hit is not None:
                matches[hit] = Match(col.name, 1.0, SYNONYM)
                taken.add(col.name)
                break
    # 2 and 3: every open header's best guess, the surest first, each column once.
    guesses = []
    for order, header in enumerate(headers):
        if matches[header] is None and not _QUESTION.match(header.strip()):
            guesses += [(m, order, header) for m in _part_guesses(kind, normalised[header], taken)]
            values = [v for v in (sample or {}).get(header, []) if v is not None]
            guesses += [(m, order, header) for m in _value_guesses(kind, values, taken)]
    for match, _, header in sorted(guesses, key=lambda g: (-g[0].confidence, g[1])):
        if matches[header] is None and match.column not in taken:
            matches[header] = match
            taken.add(match.column)
    return matches


def _part_guesses(kind: Kind, header: str, taken: set[str]) -> list[Match]:
    found = []
    for col in kind.columns:
        if col.name in taken:
            continue
        best = 0.0
        for synonym in (col.name, *col.synonyms):
            name = normalise_header(synonym)
            if len(name) < (4 if name.isascii() else 2) or name == header or name not in header:
                continue
            cover = len(name) / len(header)
            # Chinese and English headers name the thing last: 投诉件内容, ticket_title.
            best = max(best, (0.6 if header.endswith(name) else 0.4) + 0.25 * cover)
        if best:
            found.append(Match(col.name, round(best, 2), PART))
    return found


def _value_guesses(kind: Kind, values: list[str], taken: set[str]) -> list[Match]:
    if not values:
        return []
    free = [c for c in kind.columns if c.name not in taken]

    def share(test) -> float:
        return sum(bool(test(v)) for v in values) / len(values)

    def first(cols):
        return next(iter(sorted(cols, key=lambda c: not c.required)), None)

    found = []
    dates = share(lambda v: _DATE.fullmatch(v.strip()))
    target = first(c for c in free if c.type in ("timestamp", "date"))
    if target and dates >= VALUE_SHARE:
        found.append(Match(target.name, round(0.6 * dates, 2), VALUES))
    units = share(lambda v: _UNIT_NAME.fullmatch(v.strip()))
    # The unit a row belongs to (承办单位 of a complaint), else the kind's first unit column.
    owner = re.search(r"\{a\}\.(\w+)", kind.owner)
    target = first(
        sorted((c for c in free if c.type == "unit"), key=lambda c: not owner or c.name != owner[1])
    )
    if target and units >= VALUE_SHARE:
        found.append(Match(target.name, round(0.6 * units, 2), VALUES))
    for col in free:
        if col.type.startswith("label:") or col.type == "bool":
            vocabulary = VOCABULARIES[col.type.removeprefix("label:")]
            fit = share(lambda v, vocab=vocabulary: re.sub(r"\s+", "", v).lower() in vocab)
            if fit >= VALUE_SHARE and len(set(values)) > 1:
                found.append(Match(col.name, round(0.6 * fit, 2), VALUES))
    lengths = [len(v) for v in values]
    distinct = len(set(values)) / len(values)
    texts = [c for c in free if c.name in kind.text_columns]
    if texts and distinct >= 0.5 and statistics.mean(lengths) >= 8:
        # Long text is the body (诉求内容, 回访记录); short distinct text is a title.
        long = statistics.mean(lengths) >= 30
        pick = texts[-1] if long or len(texts) == 1 else texts[0]
        found.append(Match(pick.name, 0.4, VALUES))
    key = [c for c in free if c.name in kind.key and c.type == "id"]
    if key and distinct == 1 and share(lambda v: _ID.fullmatch(v) and re.search(r"\d", v)) == 1:
        found.append(Match(key[0].name, 0.3, VALUES))
    return found
