"""Sign-in for the frame: who is signed in, the sign-in form, sign-out, role checks, and the audit
of what people do in the browser.

The session token lives in a cookie so that a refresh keeps the user signed in (docs/pitfalls.md
S1): the browser sends it with the websocket request and st.context.cookies reads it. Streamlit 1.67
can read cookies but not set them, so a two-line script (st.html with JavaScript) sets and clears
it; the server keeps only the token's hash, with idle and absolute expiry (auth/sessions.py).
"""

from __future__ import annotations

import json

import streamlit as st

from auth import accounts, audit, rights, sessions
from auth import client as auth_client
from auth import db as auth_db
from auth.accounts import Account
from pages.ui import data, escape, labels, signed_in

# Who is signed in and what they may do, as pages ask it of the gate (defined in signed_in, which
# data reads too).
from pages.ui.signed_in import account as account
from pages.ui.signed_in import can as can
from pages.ui.signed_in import scope as scope
from pages.ui.signed_in import sees_personal_data as sees_personal_data
from pages.ui.signed_in import username as username

TOKEN_KEY = "auth_token"
# A cookie token this tab has signed out: the handshake still carries it until the next refresh.
ENDED_KEY = "auth_ended"
CLEAR_COOKIE_KEY = "auth_clear_cookie"
SSO_REFUSED_KEY = "auth_sso_refused"
_told_console: set[str] = set()


def client() -> str | None:
    """The browser's address (auth/client.py: the peer, or what a trusted proxy forwarded); None
    for a browser on the server itself, without a proxy."""
    # Without a browser (AppTest) st.context answers with stand-in objects, not text.
    peer, forwarded = (
        value if isinstance(value, str) else None
        for value in (st.context.ip_address, st.context.headers.get("X-Forwarded-For"))
    )
    return auth_client.address(peer, forwarded) if peer or forwarded else None


def _cookie() -> str | None:
    value = st.context.cookies.get(sessions.COOKIE)
    return value if isinstance(value, str) and value else None


def _token() -> str | None:
    token = st.session_state.get(TOKEN_KEY)
    if token:
        return token
    cookie = _cookie()
    return cookie if cookie != st.session_state.get(ENDED_KEY) else None


def sso_configured() -> bool:
    """Whether an OIDC provider is configured for st.login ([auth] in .streamlit/secrets.toml)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all
        return False


def sso_identity() -> str | None:
    """The e-mail (or, failing that, the subject) the OIDC provider vouched for, if any."""
    if not sso_configured() or not st.user.get("is_logged_in"):
        return None
    return st.user.get("email") or st.user.get("sub")


def _sso_session() -> str | None:
    """A session for the provider's user: the account of that name decides role and unit, so an
    identity without an account (or with a disabled one) gets nothing."""
    identity = sso_identity()
    if identity is None or st.session_state.get(ENDED_KEY) == identity:
        return None
    found = accounts.get(identity)
    if found is None or found.disabled:
        if st.session_state.get(SSO_REFUSED_KEY) != identity:  # audited once, not every rerun
            audit.record("signin_sso_refused", username=identity, client=client())
            st.session_state[SSO_REFUSED_KEY] = identity
        return None
    st.session_state.pop(SSO_REFUSED_KEY, None)
    token = sessions.open_session(found, client=client())
    st.session_state[TOKEN_KEY] = token
    return token


def check() -> Account | None:
    """Who is signed in, checked against the auth database; the frame calls this first on every
    run, so a disabled account or an expired session ends at the next click."""
    token = _token() or _sso_session()
    found = sessions.resume(token, client=client()) if token else None
    if found is None:
        st.session_state.pop(TOKEN_KEY, None)
        st.session_state.pop(signed_in.ACCOUNT_KEY, None)
    else:
        st.session_state[signed_in.ACCOUNT_KEY] = found
    return found


def record(action: str, detail: str = "") -> None:
    """Audit `action` by the signed-in user, with the browser's address."""
    audit.record(action, username=username(), detail=detail, client=client())


def require(page: str) -> Account:
    """At the top of page `page`: the signed-in account when it has the page's right
    (auth/rights.py PAGES); otherwise the refusal is shown and audited, and the run stops."""
    found = account()
    if found is None or not found.can(rights.page_right(page)):
        refuse(page)
        st.stop()
    return found


def refuse(page: str) -> None:
    """Show that this page is not for this account, and audit the attempt."""
    found = account()
    st.title(labels.TITLES.get(page, page))
    if found is None:
        st.warning(labels.SIGN_IN_FIRST)
        return
    record("page_denied", page)
    st.error(labels.PAGE_DENIED.format(role=found.rights.label))


def _set_cookie(token: str) -> None:
    # max-age = the absolute session limit; the server decides validity, the cookie only carries
    # the token. SameSite=Strict: no other site's page can send it.
    st.html(
        "<script>document.cookie = "
        + json.dumps(sessions.cookie(token))
        + " + (location.protocol === 'https:' ? '; secure' : '');</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _clear_cookie() -> None:
    st.html(
        f"<script>document.cookie = '{sessions.COOKIE}=; path=/; max-age=0; samesite=strict';"
        "</script>",
        unsafe_allow_javascript=True,
        width="content",
    )


def _sign_out() -> None:
    sessions.sign_out(_token(), client=client())
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state.pop(signed_in.ACCOUNT_KEY, None)
    st.session_state[ENDED_KEY] = _cookie() or sso_identity()
    st.session_state[CLEAR_COOKIE_KEY] = True
    if sso_identity():
        st.logout()


def user_box(found: Account) -> None:
    """The sidebar's account line and sign-out button (keeps the cookie set for this tab)."""
    box = st.sidebar.container()
    box.caption(
        labels.SIGNED_IN_AS.format(
            name=escape.md(found.display_name),
            role=found.rights.label,
            unit=escape.md(unit_name()),
        )
    )
    box.button(labels.SIGN_OUT, on_click=_sign_out, key="auth_sign_out", width="stretch")
    if st.session_state.get(TOKEN_KEY):
        with box:
            _set_cookie(st.session_state[TOKEN_KEY])


def unit_name() -> str:
    """The name of the unit tree the signed-in account sees (全局 for the whole bureau)."""
    unit = scope()
    if unit == accounts.WHOLE_BUREAU:
        return labels.WHOLE_BUREAU
    if not data.database_exists():
        return unit
    units = data.fetch("filter_units")
    return dict(zip(units["unit_id"], units["name"])).get(unit, unit)


def _first_admin_hint() -> None:
    st.warning(labels.NO_ACCOUNTS.format(command=accounts.FIRST_ADMIN))
    key = str(auth_db.path())
    if key not in _told_console:
        _told_console.add(key)
        print(labels.NO_ACCOUNTS_CONSOLE.format(command=accounts.FIRST_ADMIN, path=key), flush=True)


def sign_in_page() -> None:
    """The sign-in form (the whole page while nobody is signed in)."""
    if st.session_state.get(CLEAR_COOKIE_KEY):
        _clear_cookie()
    st.title(labels.SIGN_IN_TITLE)
    if accounts.count() == 0:
        _first_admin_hint()
        return
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused:
        st.error(labels.SSO_NO_ACCOUNT.format(identity=escape.md(refused)))
    if sso_configured():
        # The provider checks who it is; the account table still decides role and unit.
        st.button(labels.SSO_SIGN_IN, on_click=st.login, width=420)
        st.caption(labels.SSO_OR_PASSWORD)
    # clear_on_submit: the password does not stay in the session's widget state.
    with st.form("auth_form", width=420, clear_on_submit=True):
        name = st.text_input(labels.USERNAME, autocomplete="username")
        password = st.text_input(labels.PASSWORD, type="password", autocomplete="current-password")
        submitted = st.form_submit_button(labels.SIGN_IN, type="primary", width="stretch")
    if not submitted:
        st.caption(labels.SIGN_IN_HELP)
        return
    result = sessions.sign_in(name, password, client=client())
    if result.error:
        st.error(result.error)
        return
    st.session_state[TOKEN_KEY] = result.token
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    st.session_state.pop(ENDED_KEY, None)
    st.rerun()
