"""单位画像: one unit's whole picture for the sidebar's period — KPIs against target, trend, rank
among its peers, complaints, rectification, report burden, the officer survey, what citizens and
officers each raise on the shared problems (民意与警意), distinctive words, hot topics, data
freshness, and a 分局's children. /unit?unit=<unit_id>; a unit outside the account's tree is
refused and audited, and with no unit the page offers the units the account may see."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pages.ui import data, filters, gate, labels, topics
from pages.ui import unit_minjing as minjing
from pages.ui import unit_profile as profile
from pages.ui import unit_sections as sections


def render() -> None:
    """Draw the page."""
    gate.require("unit")
    f = filters.current()
    st.title(labels.TITLES["unit"])
    unit = profile.chosen(f)
    if unit is None:
        return
    # The profile's unit replaces the sidebar's unit choice; the other filters stay.
    f = replace(f, unit_ids=(unit["unit_id"],))
    # The page's queries start now, in the order it draws them, and run while it draws.
    data.prefetch(
        [
            *profile.headline_queries(f),
            *profile.children_queries(unit, f),
            *sections.section_queries(f),
            minjing.query(f),
            *([sections.words_query(f)] if sections.words_wanted() else []),
            topics.query(f),
        ]
    )
    profile.heading(unit, f)
    profile.kpis(f)
    profile.trend(f)
    profile.peers(unit, f)
    profile.children(unit, f)
    sections.complaints(f)
    sections.rectification(f)
    sections.burden(f)
    sections.survey(f)
    minjing.section(f)
    sections.words(f)
    topics.section(f, key="unit_hot")
    sections.freshness(f)


if __name__ == "__main__":
    from pages.ui import frame

    frame.run_as_entrypoint()
