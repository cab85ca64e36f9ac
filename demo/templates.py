"""Names and text templates of the fictional 江城市公安局 that demo.bureau composes exports from.

The lists themselves are data, in demo/texts/*.json (read once, at import); this module names them
and fills their {slot}s. What each file holds:

- bureau.json: the bureau's name; its 分局 as [short name, rural (slower, smaller, fewer calls),
  station names]; the 21 offices under review (机关) as [short name, full name, 警种, headcount];
  the offices whose report demands on stations survive the report-burden review (the other 15
  demand none); the traffic brigades as [name, headcount]; the 分局 with an 出入境 point.
- places.json: roads, residential communities and venues that templates name, the other words a
  slot may draw (slot_words) and the number ranges of numeric slots (slot_numbers, inclusive).
- complaints.json: complaint categories (where a case goes: station, traffic, exit-entry,
  household, inspection; which kinds it comes as; titles, self-contained accounts and requests: a
  text is an optional opener, one account and one request), routing notes by who routed (规则 /
  人工), return notes and feedback notes by kind.
- callbacks.json: 110 and 12345 categories with their weight (w) and callback notes by result;
  note tails; window-service businesses per 警种 and their good / neutral / bad notes.
- survey.json: the officer survey's name, general items (with their Likert scale), the office and
  suggestion item patterns, the Likert words, and suggestion categories as [answering office,
  templates] (the order of the first five is the published top five); 回头看 review notes.
- rectification.json: description patterns of items from the survey, from self-checks (by area)
  and the inspection reference pattern.
- reports.json: report subjects per office (a report's name is "<subject><form>") and the forms.
- category_tree.json: the bureau's category tree, 一级分类 -> 二级分类 -> [三级分类], the record
  categories above as its leaves (其他 stays outside, as a category no tree covers).
- problem_map.json: the shared problems (共同问题) as [problem, complaint categories, suggestion
  categories]; a name may be a parent in the category tree, which maps its descendants.
- headers.json: the header row of each system's export, as {contract column: header}, in file
  order (the demo writes them; bench/generate.py writes its province-scale exports with them).
"""

from __future__ import annotations

import json
import random
import string
from pathlib import Path

TEXTS_DIR = Path(__file__).resolve().parent / "texts"


def _load(name: str) -> dict:
    return json.loads((TEXTS_DIR / f"{name}.json").read_text(encoding="utf-8"))


_bureau = _load("bureau")
BUREAU: str = _bureau["bureau"]
DISTRICTS: list[list] = _bureau["districts"]
OFFICES: list[list] = _bureau["offices"]
OFFICES_KEEPING_REPORTS: list[str] = _bureau["offices_keeping_reports"]
TRAFFIC_BRIGADES: list[list] = _bureau["traffic_brigades"]
EXIT_ENTRY_DISTRICTS: list[str] = _bureau["exit_entry_districts"]

_places = _load("places")
ROADS: list[str] = _places["roads"]
COMMUNITIES: list[str] = _places["communities"]
VENUES: list[str] = _places["venues"]

_complaints = _load("complaints")
OPENERS: list[str] = _complaints["openers"]
COMPLAINTS: dict[str, dict] = _complaints["complaints"]
VAGUE_DETAILS: list[str] = _complaints["vague_details"]
VAGUE_TITLES: list[str] = _complaints["vague_titles"]
VAGUE_ASKS: list[str] = _complaints["vague_asks"]
ROUTING_NOTES: dict[str, list[str]] = _complaints["routing_notes"]
RETURN_NOTES: list[str] = _complaints["return_notes"]
FEEDBACK_NOTES: dict[str, list[str]] = _complaints["feedback_notes"]

_callbacks = _load("callbacks")
CALL_110: dict[str, dict] = _callbacks["call_110"]
NOTE_TAILS: dict[str, list[str]] = _callbacks["note_tails"]
CALL_NOTES_NEUTRAL: list[str] = _callbacks["call_notes_neutral"]
CALL_12345: dict[str, dict] = _callbacks["call_12345"]
CALL_12345_GOOD: list[str] = _callbacks["call_12345_good"]
WINDOW_BUSINESS: dict[str, list[str]] = _callbacks["window_business"]
WINDOW_GOOD: list[str] = _callbacks["window_good"]
WINDOW_NEUTRAL: list[str] = _callbacks["window_neutral"]
WINDOW_BAD: list[str] = _callbacks["window_bad"]

_survey = _load("survey")
SURVEY_NAME: str = _survey["survey_name"]
SURVEY_GENERAL: list[list[str]] = _survey["survey_general"]
SURVEY_OFFICE_ITEM: str = _survey["survey_office_item"]
SURVEY_SUGGESTION_ITEM: str = _survey["survey_suggestion_item"]
LIKERT: dict[str, list[str]] = _survey["likert"]
SUGGESTIONS: dict[str, list] = _survey["suggestions"]
VAGUE_SUGGESTIONS: list[str] = _survey["vague_suggestions"]
REVIEW_GOOD: list[str] = _survey["review_good"]
REVIEW_BAD: list[str] = _survey["review_bad"]

_rectification = _load("rectification")
RECT_FROM_SURVEY: str = _rectification["rect_from_survey"]
RECT_SELF_CHECK: dict[str, list[str]] = _rectification["rect_self_check"]
INSPECTION_REF: str = _rectification["inspection_ref"]

HEADERS: dict[str, dict[str, str]] = _load("headers")["headers"]
CATEGORY_TREE: dict[str, dict[str, list[str]]] = _load("category_tree")["tree"]
PROBLEMS: list[list] = _load("problem_map")["problems"]


def header(system: str) -> list[str]:
    """The header row of `system`'s export (a key of HEADERS), in file order."""
    return list(HEADERS[system].values())


_reports = _load("reports")
REPORT_SUBJECTS: dict[str, list[str]] = _reports["report_subjects"]
REPORT_FORMS: list[str] = _reports["report_forms"]


def _number(low: int, high: int):
    return lambda rng: str(rng.randint(low, high))


# Slots shared by every template; a template may also receive fixed values (station, when, …).
SLOTS: dict[str, list[str] | object] = {
    "road": ROADS,
    "road2": ROADS,
    "community": COMMUNITIES,
    "venue": VENUES,
    **{name: _number(low, high) for name, (low, high) in _places["slot_numbers"].items()},
    **_places["slot_words"],
}


def fill(template: str, rng: random.Random, **fixed: str) -> str:
    """Fill {slot}s of a template: fixed values first, then a draw from SLOTS."""
    values = {}
    for _, name, _, _ in string.Formatter().parse(template):
        if not name or name in values:
            continue
        if name in fixed:
            values[name] = fixed[name]
            continue
        source = SLOTS[name]
        value = source(rng) if callable(source) else rng.choice(source)
        while name == "road2" and value in (values.get("road"), fixed.get("road")):
            value = rng.choice(source)
        values[name] = value
    return template.format(**values)
