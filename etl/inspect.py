"""Recognise an export before loading it: encoding, sheet, header row, kind, and the column mapping.

The command line (`python -m etl inspect`) and the upload page call this, then `etl.load` with what
the person confirmed: one path from file to warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from etl import readers, saved_mappings
from etl.load import PROFILE_DIR
from etl.mapping import WIDE_FILLS, missing_required, questionnaire_columns, wide_columns
from etl.recognise import VALUES, Match, propose_matches
from etl.sources import KINDS, Kind, normalise_header

SAMPLE_ROWS = 50  # values per column that recognition by values looks at
PROFILE = "profile"  # a Match made by a saved profile


def _score(
    kind: Kind, matches: dict[str, Match | None], questions: list[int], wide: dict[str, dict]
) -> float:
    """Share of the kind's columns found (required ones counting double, each as sure as its
    match) times the share of the file's headers the kind explains; 0 unless a key column is
    named (values alone do not make a file of a kind). A wide file is judged by its melt alone:
    the columns it fills, from the headers it reads."""
    found = {m.column: m.confidence for m in matches.values() if m}
    named = {m.column for m in matches.values() if m and m.by != VALUES}
    explains = sum(m is not None for m in matches.values()) + len(questions)
    if questions:
        found |= dict.fromkeys(("response_id", "question", "answer", "score", "survey_id"), 1.0)
        named |= {"response_id"}
    if wide:
        found = dict.fromkeys(WIDE_FILLS[kind.name], 1.0)
        named, explains = set(found), len(wide)
    if not set(kind.key) & named:
        return 0.0
    weights = {c.name: (2.0 if c.required else 1.0) for c in kind.columns}
    share_found = sum(w * found[c] for c, w in weights.items() if c in found) / sum(
        weights.values()
    )
    return round(share_found * explains / len(matches), 3)


def _profiles(db_path: Path | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Profiles people saved in the warehouse (newest first), then the shipped ones."""
    saved = [(p["name"], p) for p in saved_mappings.list_profiles(db_path)]
    shipped = [
        (p.stem, json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(PROFILE_DIR.glob("*.json"))
    ]
    return saved + shipped


def inspect(
    path: Path,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    header_row: int | None = None,
    db_path: Path | None = None,
    export: readers.Export | None = None,
) -> dict[str, Any]:
    """What Minyi makes of a file: raises readers.ExportError when it is not a readable table.

    Profiles saved in the warehouse at db_path (default: the configured one) are consulted too.
    `export`, when the caller has already opened the file, saves reading it a second time.
    """
    if export is None:
        export = readers.read_export(
            Path(path), sheet=sheet, encoding=encoding, header_row=header_row
        )
    headers = export.headers
    question_headers: list[str] = []
    normalised = {normalise_header(h) for h in headers}
    sample = export.sample(SAMPLE_ROWS)
    candidates = []
    matches_of: dict[tuple[str, str | None], dict[str, Match | None]] = {}
    for kind in KINDS.values():
        matches = propose_matches(kind, headers, sample)
        wide = wide_columns(kind, headers)
        if wide:
            # The loader melts a wide file and maps none of its headers by itself (etl/load.py).
            matches = dict.fromkeys(matches)
        matches_of[kind.name, None] = matches
        mapping = {h: m.column if m else None for h, m in matches.items()}
        questions = questionnaire_columns(kind, headers, mapping, {})
        melted = bool(questions)
        score = _score(kind, matches, questions, wide)
        candidates.append((score, kind.name, mapping, None, melted))
        if melted:
            question_headers = [
                headers[i] for i in questionnaire_columns(kind, headers, mapping, {})
            ]
    # A saved profile whose headers are all present is the export of a known system.
    profiles = _profiles(db_path)
    fingerprint: dict[str, int] = {}
    for name, profile in profiles:
        wanted = {normalise_header(h) for h in profile.get("mapping", {})}
        if wanted and wanted <= normalised:
            kind = KINDS[profile["kind"]]
            matches = propose_matches(kind, headers, sample)
            by_norm = {normalise_header(h): h for h in headers}
            for header, column in profile["mapping"].items():
                for other, match in matches.items():
                    if match and match.column == column:
                        matches[other] = None  # the profile's header for it wins
                matches[by_norm[normalise_header(header)]] = column and Match(column, 1.0, PROFILE)
            matches_of[kind.name, name] = matches
            mapping = {h: m.column if m else None for h, m in matches.items()}
            candidates.append((1.0, kind.name, mapping, name, False))
            fingerprint[name] = len(wanted)
    # The profile that names the most of the file's headers is the most specific; among equals the
    # order of _profiles() holds (sort is stable): saved ones before shipped ones.
    candidates.sort(
        key=lambda c: (-c[0], c[3] is None, -fingerprint.get(c[3], 0), "" if c[3] else c[1])
    )
    confidence, kind_name, mapping, profile, melted = candidates[0]
    kind = KINDS[kind_name]
    fixed = dict(dict(profiles).get(profile, {}).get("set", {})) if profile else {}
    return {
        "file": Path(path).name,
        "format": export.format,
        "encoding": export.encoding,
        "delimiter": export.delimiter,
        "sheet": export.sheet,
        "sheets": export.sheets,
        "header_row": export.header_row,
        "headers": headers,
        "kind": kind_name if confidence > 0 else None,
        "confidence": confidence,
        "profile": profile,
        "questionnaire": melted,
        "question_headers": question_headers if melted else [],
        # A wide category tree or problem map: the headers its melt reads → what each gives.
        "wide": {} if profile else wide_columns(kind, headers),
        "candidates": [
            {"kind": name, "confidence": score, "profile": prof}
            for score, name, _, prof, _ in candidates
            if score > 0
        ],
        "mapping": mapping,
        # How each header was matched: {"column", "confidence" (0-1), "by": synonym | header part
        # | values | profile}, or null.
        "matches": {
            h: m.as_dict() if m else None for h, m in matches_of[kind_name, profile].items()
        },
        "fixed": fixed,
        "missing": [c.name for c in missing_required(kind, headers, mapping, fixed)],
    }
