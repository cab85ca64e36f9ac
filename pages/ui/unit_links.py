"""Links to a unit's profile (单位画像, pages/unit.py): built from the unit id alone,
URL-encoded, relative to the page showing them. The sidebar's period goes along when it is a
preset, so the profile opens on the period the reader was looking at."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from pages.ui import charts, labels
from pages.ui.filters import DEFAULT_PRESET, PERIOD_KEY

PATH = "unit"  # the profile's url path in app.py
UNIT_PARAM = "unit"


def profile_link(unit_id: object) -> str | None:
    """`unit?unit=<id>` (and the chosen preset), or None for a row without a unit."""
    if charts.is_missing(unit_id) or str(unit_id) == "":
        return None
    query = {UNIT_PARAM: str(unit_id)}
    # Only a preset from the fixed list travels: a custom range lives in widget state, and a
    # value read back from the URL is not echoed into a link.
    preset = st.session_state.get(PERIOD_KEY)
    if preset in labels.PRESETS and preset not in (DEFAULT_PRESET, labels.CUSTOM):
        query[PERIOD_KEY] = preset
    return f"{PATH}?{urlencode(query)}"


def links(ids: pd.Series) -> pd.Series:
    """The profile link of each unit id in `ids`."""
    return ids.map(profile_link)
