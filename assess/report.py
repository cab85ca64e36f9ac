"""The assessment in one sentence, for the briefing: the best and the worst ranked units of a type
under the scheme in force, with how many were not ranked."""

from __future__ import annotations

import pandas as pd

from assess import wording


def summary_line(
    scores: pd.DataFrame, scheme_name: str, version: int, unit_type: str = "派出所", n: int = 3
) -> str | None:
    """考核评分（…）：派出所得分前 3 名 …；倒数 3 名 …. None when fewer than two units of the type
    are ranked (a top and a bottom would be the same units)."""
    of_type = scores[scores["unit_type"] == unit_type]
    ranked = of_type[of_type["rank"].notna()].sort_values(["rank", "unit_id"])
    if len(ranked) < 2:
        return None
    n = min(n, len(ranked) // 2)  # the top and the bottom never name the same unit

    def named(rows: pd.DataFrame) -> str:
        return "、".join(f"{r.unit_name} {r.score:.1f} 分" for r in rows.itertuples())

    unranked = len(of_type) - len(ranked)
    return wording.BRIEFING_LINE.format(
        scheme=scheme_name,
        version=version,
        unit_type=unit_type,
        n=n,
        top=named(ranked.head(n)),
        bottom=named(ranked.tail(n).iloc[::-1]),
        ranked=len(ranked),
        unranked=wording.BRIEFING_UNRANKED.format(n=unranked) if unranked else "",
    )
