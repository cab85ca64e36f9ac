"""Accounts on 账号与审计: a role or unit change is in force on the account's next page run, each
account's last sign-in and lock state are shown, a lock can be lifted, and no change leaves the
bureau without an enabled admin. Every change is audited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import accounts, audit, sessions
from pages.ui import escape, labels
from pages.ui import labels_admin as admin_labels
from tests.signin import PASSWORD, account, signed_in

ROOT = Path(__file__).resolve().parents[1]
# 满意率 on 总览 (its default period covers every call of data/sample; tests/test_queries.py):
# 东城分局 FJ1 = P11 (满意 JQ01 JQ02 GD01, 基本满意 JQ03 GD08, 不满意 JQ04 GD10) + P12 (满意 JQ06 GD02
# GD09, 基本满意 JQ07, 不满意 GD03) → 9/12; 西城分局 FJ2 = P21 (满意 JQ08 JQ09 GD05, 基本满意 GD04)
# + P22 (满意 JQ11 GD07, 不满意 JQ10) → 6/7; the whole bureau 21/26.
RATE = {"FJ1": "75.0%", "FJ2": "85.7%", "*": "80.8%"}
SIGNED_IN_AT = datetime(2026, 11, 30, 8, 15)


@pytest.fixture(autouse=True)
def warehouse(scratch_db, monkeypatch) -> Path:
    """A private warehouse, so these accounts and their audit are this test's alone."""
    monkeypatch.setenv("MINYI_DB", str(scratch_db))
    monkeypatch.delenv("MINYI_AUTH_DB", raising=False)
    return scratch_db


def open_as(role: str, page: str, username: str | None = None, unit: str | None = None):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at = signed_in(at, role, username, unit)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def rate(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["满意率"]


def last_audit(action: str) -> tuple[str, str]:
    row = audit.entries(actions=[action], limit=1).iloc[0]
    return row["username"], row["detail"]


def change_role(at: AppTest, username: str, role: str, unit: str = "") -> AppTest:
    at.selectbox(key="adm_chosen").set_value(username).run()
    at.selectbox(key=f"adm_role_pick_{username}").set_value(role)
    at.selectbox(key=f"adm_unit_pick_{username}").set_value(unit)
    return at.button(key="adm_role_save").click().run()


def accounts_table(at: AppTest):
    frame = at.dataframe[0].value
    return frame.set_index(labels.COLUMNS.get("username", "username"))


def test_a_role_or_unit_change_is_in_force_on_the_accounts_next_page_run():
    clerk = open_as("staff", "overview", username="clerk3", unit="FJ1")
    assert rate(clerk) == RATE["FJ1"]
    admin = change_role(open_as("admin", "admin"), "clerk3", "staff", "FJ2")
    assert [s.value for s in admin.success] == [
        admin_labels.ROLE_UNIT_SAVED.format(username="clerk3", role="内勤", unit="西城分局")
    ]
    assert last_audit("account_role") == ("admin", "clerk3：内勤，单位 FJ1 → 内勤，单位 FJ2")
    clerk.run()  # the same session, not signed in again
    assert rate(clerk) == RATE["FJ2"]

    change_role(admin, "clerk3", "analyst")
    assert last_audit("account_role") == ("admin", "clerk3：内勤，单位 FJ2 → 分析员")
    clerk.run()
    assert rate(clerk) == RATE["*"]
    assert accounts.get("clerk3").scope == accounts.WHOLE_BUREAU


def test_a_clerk_needs_a_unit_and_an_admin_none():
    account("staff", "clerk5", "FJ1")
    admin = change_role(open_as("admin", "admin"), "clerk5", "staff", "")
    assert [e.value for e in admin.error] == [
        escape.md("内勤账号必须指定所属单位（--unit 单位编码或名称）。")
    ]
    change_role(admin, "clerk5", "admin", "FJ1")
    assert [e.value for e in admin.error] == [escape.md("管理员账号管理全局，不能指定单位。")]
    assert accounts.get("clerk5").role == "staff"
    assert audit.entries(actions=["account_role"]).empty


def test_the_last_admin_cannot_demote_themselves():
    admin = change_role(open_as("admin", "admin"), "admin", "analyst")
    assert [e.value for e in admin.error] == [
        "这是最后一个可用的管理员账号：请先让另一个账号成为管理员。"
    ]
    assert accounts.get("admin").role == "admin"
    assert audit.entries(actions=["account_role"]).empty

    # With a second admin, either may step down, but not both.
    account("admin", "admin2")
    change_role(admin, "admin", "analyst")
    assert accounts.get("admin").role == "analyst"
    # Its own next run already has the new role: 账号与审计 is no analyst's page.
    assert [e.value for e in admin.error] == [labels.PAGE_DENIED.format(role="分析员")]
    with pytest.raises(accounts.AccountError):
        accounts.set_role("admin2", "leader", actor="admin2")
    with pytest.raises(accounts.AccountError):
        accounts.set_disabled("admin2", actor="root")
    assert not accounts.get("admin2").disabled
    # A disabled admin does not count as one left.
    account("admin", "admin3")
    accounts.set_disabled("admin3", actor="admin2")
    with pytest.raises(accounts.AccountError):
        accounts.set_role("admin2", "leader", actor="admin2")


def test_last_sign_in_and_lock_state_are_shown_and_a_lock_can_be_lifted():
    account("analyst", "clerk4")
    account("leader", "leader9")  # never signs in
    assert sessions.sign_in("clerk4", PASSWORD, now=SIGNED_IN_AT).token
    for _ in range(sessions.USER_LOCK_AFTER):
        assert sessions.sign_in("clerk4", "wrong-password").token is None
    locked = sessions.sign_in("clerk4", PASSWORD)
    assert locked.token is None and locked.retry_after > 0
    state = sessions.sign_in_states()["clerk4"]
    assert state.failures == sessions.USER_LOCK_AFTER and state.locked_until

    admin = open_as("admin", "admin")
    table = accounts_table(admin)
    assert table.loc["clerk4", admin_labels.LAST_SIGN_IN] == "2026-11-30 08:15:00"
    assert table.loc["clerk4", admin_labels.LOCK_STATE] == admin_labels.LOCKED_UNTIL.format(
        until=state.locked_until
    )
    assert table.loc["admin", admin_labels.LOCK_STATE] == admin_labels.NOT_LOCKED
    assert table.loc["leader9", admin_labels.LAST_SIGN_IN] == admin_labels.NEVER
    assert table.loc["admin", admin_labels.LAST_SIGN_IN] != admin_labels.NEVER  # signed in now

    admin.selectbox(key="adm_chosen").set_value("clerk4").run()
    admin.button(key="adm_unlock").click().run()
    assert [s.value for s in admin.success] == [admin_labels.UNLOCKED.format(username="clerk4")]
    assert last_audit("account_unlock") == ("admin", "clerk4")
    assert accounts_table(admin).loc["clerk4", admin_labels.LOCK_STATE] == admin_labels.NOT_LOCKED
    assert sessions.sign_in("clerk4", PASSWORD).token
