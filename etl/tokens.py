"""Segment the free text of loaded rows into text_tokens, so a word cloud is a GROUP BY."""

from __future__ import annotations

from itertools import chain

import numpy as np
import pyarrow as pa

from etl.sources import Kind
from etl.upsert import all_new

TOKEN_BATCH = 50_000  # distinct texts segmented per batch


def record_id_sql(spec: Kind, alias: str) -> str:
    return " || '|' || ".join(f"{alias}.{k}::varchar" for k in spec.key)


def tokenise(con, spec: Kind, import_id: int) -> None:
    """Segment the free text of new and changed rows into text_tokens (each distinct text once)."""
    if not spec.text_columns:
        return
    if all_new(con):
        retokenise(con, spec, "select * from _incoming")
        return
    con.execute(
        f"""
        delete from text_tokens as t
        using (select i.* from _incoming as i join _changes as c using (_rid)
               where c.change = 'changed') as i
        where t.source = '{spec.token_source}' and t.source_system = i.source_system
            and t.record_id = {record_id_sql(spec, "i")}
        """
    )
    retokenise(
        con,
        spec,
        "select i.* from _incoming as i join _changes as c using (_rid)"
        " where c.change in ('new', 'changed')",
    )


def retokenise(con, spec: Kind, rows_sql: str) -> None:
    """Add text_tokens for the rows `rows_sql` selects (rows with the columns of spec's table).

    Each distinct text is segmented once, in batches (Python never holds all rows); the counts
    are joined back to the rows in SQL.
    """
    from etl import tokenizer

    text = " || chr(10) || ".join(f"coalesce(i.{c}, '')" for c in spec.text_columns)
    # A row whose text columns are all empty has no words.
    present = " or ".join(f"i.{c} is not null" for c in spec.text_columns)
    channel = "i.channel" if "channel" in spec.column_names else "null"
    category = "i.category" if "category" in spec.column_names else "null"
    unit = f"i.{spec.token_unit}"
    if spec.name == "complaints":
        unit = "coalesce(i.handling_unit_id, i.receiving_unit_id)"
    con.execute(
        f"""
        create or replace temp table _texts as
        select text, row_number() over () as tid
        from (select distinct {text} as text from ({rows_sql}) as i where {present})
        """
    )
    con.execute("create or replace temp table _text_counts (tid bigint, token varchar, n integer)")
    total = con.execute("select count(*) from _texts").fetchone()[0]
    names: set[str] = set()
    for first in range(1, total + 1, TOKEN_BATCH):
        texts = con.execute(
            "select tid, text from _texts where tid between $first and $last",
            {"first": first, "last": first + TOKEN_BATCH - 1},
        ).fetchnumpy()
        counts = tokenizer.count_tokens(texts["text"].tolist(), names)
        batch = pa.table(
            {
                "tid": pa.array(
                    np.repeat(texts["tid"], [len(words) for words in counts]), pa.int64()
                ),
                "token": pa.array(list(chain.from_iterable(counts)), pa.string()),
                "n": pa.array(
                    list(chain.from_iterable(words.values() for words in counts)), pa.int32()
                ),
            }
        )
        con.register("_token_batch", batch)
        try:
            con.execute("insert into _text_counts select * from _token_batch")
        finally:
            con.unregister("_token_batch")
    con.execute(
        f"""
        insert into text_tokens
            (source, record_id, unit_id, day, channel, category, token, n, source_system)
        select '{spec.token_source}', {record_id_sql(spec, "i")}, {unit},
            i.{spec.token_day}::date, {channel}, {category}, c.token, c.n, i.source_system
        from ({rows_sql}) as i
        join _texts as x on x.text = {text}
        join _text_counts as c on c.tid = x.tid
        where {present}
        order by c.token  -- a word's rows sit together: keyword_records reads few row groups
        """
    )
    con.execute("drop table _texts")
    con.execute("drop table _text_counts")
    # A name these texts show as one (联系人王伟军) is no word of any text loaded before either.
    if names:
        # Their days' word counts (token_days) are recounted by the load's derived refresh.
        con.execute("create temp table if not exists _touched_word_days (day date)")
        con.execute(
            "insert into _touched_word_days select distinct day from text_tokens"
            " where list_contains($names, token)",
            {"names": sorted(names)},
        )
        con.execute(
            "delete from text_tokens where list_contains($names, token)", {"names": sorted(names)}
        )
