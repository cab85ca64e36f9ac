"""The sidebar's saved views (保存的视图): save the page and filters in effect under a name,
optionally shared; open one's or a colleague's shared view by a link; rename or delete one's own.

A view stores the page's url path and the filters as filters.current() reads them, units by id
(etl/saved_views.py validates and writes). Its link is rebuilt for whoever opens it, from the
stored page and values alone: units as the unit widget names them in the URL (their labels), and
only units of the viewer's own tree, so a shared view never widens anyone's scope (the filters
would refuse such a unit anyway, and audit it). Pages the viewer may not open are not listed.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import streamlit as st

from auth import rights
from etl import saved_views
from pages.ui import data, escape, filters, gate, labels, unit_links
from pages.ui import labels_views as L

NAME_KEY = "sv_name"
SHARE_KEY = "sv_share"
SAVE_KEY = "sv_save"
PICK_KEY = "sv_pick"
NEW_NAME_KEY = "sv_new_name"
RENAME_KEY = "sv_rename"
DELETE_KEY = "sv_delete"
FLASH_KEY = "sv_flash"
OVERVIEW = "overview"  # the default page's url path is "", its twin's "overview"


def current_query(page: str) -> dict[str, list[str]]:
    """The filters in effect as a view stores them (defaults left out)."""
    f = filters.current()
    query = {
        filters.UNITS_KEY: list(f.unit_ids),
        filters.CHANNELS_KEY: list(f.channels),
        filters.POLICE_TYPES_KEY: list(f.police_types),
        filters.CATEGORIES_KEY: list(f.categories),
    }
    if f.preset != filters.DEFAULT_PRESET:
        query[filters.PERIOD_KEY] = [f.preset]
    if f.preset == labels.CUSTOM:
        query[filters.DATES_KEY] = [f.start.isoformat(), f.end.isoformat()]
    asked = st.query_params.get(unit_links.UNIT_PARAM)
    if page == unit_links.PATH and asked:
        query[unit_links.UNIT_PARAM] = [asked]
    return query


def link(view: saved_views.SavedView, units: dict[str, str]) -> tuple[str, int]:
    """The view's relative link for a viewer whose units (id -> label) are `units`, and how many
    of the view's units it leaves out as outside that tree."""
    pairs: list[tuple[str, str]] = []
    outside = 0
    for key, values in view.query.items():
        if key in (filters.UNITS_KEY, unit_links.UNIT_PARAM):
            outside += sum(v not in units for v in values)
            kept = [v for v in values if v in units]
            values = [units[v] for v in kept] if key == filters.UNITS_KEY else kept
        pairs.extend((key, value) for value in values)
    path = quote(view.page)
    return (f"{path}?{urlencode(pairs)}" if pairs else path), outside


def _openable(view: saved_views.SavedView) -> bool:
    return view.page in rights.PAGES and gate.can(rights.page_right(view.page))


def _unit_labels() -> dict[str, str]:
    if not data.database_exists():
        return {}
    units = data.fetch("filter_units", scope=gate.scope())
    return dict(zip(units["unit_id"], units["label"]))


def _list(user: str, views: list[saved_views.SavedView]) -> None:
    shown = [v for v in views if _openable(v)]
    if not shown:
        st.caption(L.NONE_YET)
        return
    units = _unit_labels()
    for view in shown:
        url, outside = link(view, units)
        # The name is the account's free text: escaped, so it reads as text and cannot link.
        anchor = f"[{escape.md(view.name)}]({url})"
        if view.owner != user:
            line = L.SHARED_BY.format(link=anchor, owner=escape.md(view.owner))
        else:
            line = (L.MINE_SHARED if view.shared else L.OWN).format(link=anchor)
        st.markdown(line)
        if outside:
            st.caption(L.OUTSIDE_SCOPE.format(count=outside))
    st.caption(L.LIST_HELP)


def _save(user: str, page: str) -> None:
    st.text_input(
        L.NAME, key=NAME_KEY, max_chars=saved_views.NAME_MAX, placeholder=L.NAME_PLACEHOLDER
    )
    st.checkbox(L.SHARE, key=SHARE_KEY, help=L.SHARE_HELP)
    if not st.button(L.SAVE, key=SAVE_KEY, width="stretch"):
        return
    name = st.session_state.get(NAME_KEY, "")
    try:
        saved_views.save(
            user,
            name,
            page,
            current_query(page),
            shared=bool(st.session_state.get(SHARE_KEY)),
        )
    except saved_views.ViewError as error:
        st.error(str(error))
        return
    st.session_state[FLASH_KEY] = L.SAVED.format(name=escape.md(saved_views.check_name(name)))
    st.rerun()


def _manage(user: str, views: list[saved_views.SavedView]) -> None:
    own = {v.view_id: v.name for v in views if v.owner == user}
    if not own:
        return
    st.divider()
    st.caption(L.MANAGE)
    picked = st.selectbox(L.PICK, list(own), format_func=own.get, key=PICK_KEY)
    st.text_input(L.NEW_NAME, key=NEW_NAME_KEY, max_chars=saved_views.NAME_MAX)
    rename, delete = st.columns(2)
    try:
        if rename.button(L.RENAME, key=RENAME_KEY, width="stretch"):
            new = st.session_state.get(NEW_NAME_KEY, "")
            saved_views.rename(picked, user, new)
            message = L.RENAMED.format(name=escape.md(saved_views.check_name(new)))
        elif delete.button(L.DELETE, key=DELETE_KEY, width="stretch"):
            saved_views.delete(picked, user)
            message = L.DELETED.format(name=escape.md(own[picked]))
        else:
            return
    except saved_views.ViewError as error:
        st.error(str(error))
        return
    st.session_state[FLASH_KEY] = message
    st.rerun()


def render(page: str) -> None:
    """Draw the section in the sidebar for the page at url path `page` (frame only)."""
    user = gate.username()
    if user is None:
        return
    page = page or OVERVIEW
    views = saved_views.visible(user)
    with st.sidebar.expander(L.HEADER, expanded=FLASH_KEY in st.session_state):
        flash = st.session_state.pop(FLASH_KEY, None)
        if flash:
            st.success(flash)
        _list(user, views)
        _save(user, page)
        _manage(user, views)
