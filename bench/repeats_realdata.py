"""Repeated complaints on a real message-board export: how many groups, the largest, and a sample
of links to read by hand.

python -m bench.repeats_realdata PATH.xlsx [--sample 50] [--seed 1] [--db DIR]

Loads the file (profile message_board) into a fresh warehouse, times the load, and prints the
number of groups of two or more, the ten largest with their titles (masked) and `--sample` links
(a case and its group's first case, titles and the first 80 characters of each text, masked).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import duckdb

from etl.load import load_files
from etl.masking import mask_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    work = args.db or Path(tempfile.mkdtemp(prefix="minyi-repeats-"))
    db = work / "minyi.duckdb"
    started = time.perf_counter()
    [result] = load_files(db, [args.path], "complaints", profile="message_board")
    seconds = time.perf_counter() - started
    con = duckdb.connect(str(db), read_only=True)
    try:
        sizes = con.execute(
            "select group_id, count(*) as n from case_groups group by group_id order by n desc,"
            " group_id"
        ).fetchall()
        in_groups = sum(n for _, n in sizes)
        print(f"loaded {result.rows_inserted} messages in {seconds:.1f} s (linking included)")
        print(
            f"groups of two or more: {len(sizes)}, holding {in_groups} messages;"
            f" links by the model: {con.execute('select count(*) from case_links').fetchone()[0]}"
        )
        print("\nten largest groups:")
        for group_id, n in sizes[:10]:
            titles = [
                t
                for (t,) in con.execute(
                    "select k.title from case_groups as g join complaints as k using (case_id)"
                    " where g.group_id = $g order by k.received_at, k.case_id",
                    {"g": group_id},
                ).fetchall()
            ]
            print(f"  {group_id} ({n}): " + " | ".join(mask_text(t or "") for t in titles[:4]))
        links = con.execute(
            """
            select g.case_id, g.group_id, g.similarity, a.title, b.title,
                left(regexp_replace(a.content, '\\s+', '', 'g'), 80),
                left(regexp_replace(b.content, '\\s+', '', 'g'), 80)
            from case_groups as g
            join complaints as a on a.case_id = g.case_id
            join complaints as b on b.case_id = g.group_id
            where g.case_id <> g.group_id order by g.case_id
            """
        ).fetchall()
    finally:
        con.close()
    picked = random.Random(args.seed).sample(links, min(args.sample, len(links)))
    print(f"\n{len(picked)} links of {len(links)} (case → its group's first case):")
    for n, (case, first, similarity, title, first_title, text, first_text) in enumerate(picked, 1):
        print(f"{n:>2}. {case} → {first} ({similarity:.2f})")
        print(f"    {mask_text(title or '')} ‖ {mask_text(first_title or '')}")
        print(f"    {mask_text(text or '')}")
        print(f"    {mask_text(first_text or '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
