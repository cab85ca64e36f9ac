"""A unit name that does not resolve (issue 10 point 4): a clerk proposes it, from the upload
page, as the name of a unit of their own tree; an admin confirms it on the admin page; the next
preview of the same file resolves it."""

from __future__ import annotations

from auth import audit
from etl import aliases, config_store
from pages.ui import labels_load
from pages.ui import labels_upload as text
from queries import db
from tests.test_pages import open_page
from tests.test_upload import alerts, counts, rows, upload, warehouse  # noqa: F401 - the fixture
from tests.test_upload_rejected import open_as

# 东风路所 is how one system writes 东风派出所 (P11, in the clerk's 东城分局 FJ1): no known name.
CALLS = (
    "警情编号,报警时间,管辖单位,回访结果\n"
    "A1,2024-04-01 08:00,东风路所,满意\n"
    "A2,2024-04-02 09:00,东风路所,不满意\n"
    "A3,2024-04-03 10:00,南湖派出所,满意\n"
)


def test_a_clerk_proposes_an_alias_and_an_admin_confirms_it(warehouse):
    at = upload(open_as("staff"), ("calls.csv", CALLS.encode()))
    assert not at.exception
    assert counts(at)[1:] == [("新增", "1"), ("更新", "0"), ("未变", "0"), ("拒绝", "2")]
    pick = at.selectbox(key="upl_propose_f1_东风路所")
    # Only units of the clerk's own tree may be named.
    assert pick.options == [
        "东城分局",
        "东城分局 / 东风派出所",
        "东城分局 / 南湖派出所",
    ]
    pick.set_value("P11").run()
    at.button(key="upl_propose_f1").click().run()
    assert not at.exception
    assert alerts(at, "success") == [text.ALIAS_PROPOSED.format(n=1)]
    assert [(p["alias"], p["unit_id"], p["proposed_by"]) for p in aliases.proposed(warehouse)] == [
        ("东风路所", "P11", "staff")
    ]
    # Proposed, not in force: the warehouse has no such alias yet.
    assert rows(warehouse, "select count(*) from unit_aliases where alias = '东风路所'") == [(0,)]

    admin = open_page("admin", role="admin")
    admin.multiselect(key="adm_alias_pick").set_value(["东风路所"]).run()
    admin.button(key="adm_alias_confirm").click().run()
    assert not admin.exception
    assert labels_load.ALIASES_CONFIRMED.format(n=1) in [s.value for s in admin.success]
    assert rows(warehouse, "select unit_id from unit_aliases where alias = '东风路所'") == [
        ("P11",)
    ]

    again = upload(open_as("staff"), ("calls.csv", CALLS.encode()))
    assert counts(again)[1:] == [("新增", "3"), ("更新", "0"), ("未变", "0"), ("拒绝", "0")]


def audited(action: str) -> list[tuple[str, str]]:
    """(who, detail) of each audit row of `action`, oldest first."""
    found = audit.entries(actions=[action])
    return list(zip(found["username"], found["detail"]))[::-1]


def test_every_proposal_confirmation_and_refusal_is_in_the_audit_trail(warehouse):
    before = db.file_identity(warehouse)
    more = CALLS + "A4,2024-04-04 10:00,东风街所,满意\n"
    at = upload(open_as("staff"), ("calls.csv", more.encode()))
    at.selectbox(key="upl_propose_f1_东风路所").set_value("P11").run()
    at.selectbox(key="upl_propose_f1_东风街所").set_value("P11").run()
    at.button(key="upl_propose_f1").click().run()
    assert not at.exception
    assert sorted(audited("alias_propose")) == [
        ("staff", "「东风街所」→ 东城分局 / 东风派出所（P11）"),
        ("staff", "「东风路所」→ 东城分局 / 东风派出所（P11）"),
    ]
    # Kept in the configuration store: the warehouse file is not copied for a proposal.
    assert db.file_identity(warehouse) == before
    with config_store.read(warehouse) as con:
        assert con.execute(
            "select alias, unit_id, proposed_by, status from unit_alias_proposals order by alias"
        ).fetchall() == [
            ("东风街所", "P11", "staff", aliases.PENDING),
            ("东风路所", "P11", "staff", aliases.PENDING),
        ]

    admin = open_page("admin", role="admin")
    admin.multiselect(key="adm_alias_pick").set_value(["东风路所"]).run()
    admin.button(key="adm_alias_confirm").click().run()
    admin.multiselect(key="adm_alias_pick").set_value(["东风街所"]).run()
    admin.button(key="adm_alias_decline").click().run()
    assert not admin.exception
    assert audited("alias_confirm") == [("admin", "「东风路所」→ 东城分局 / 东风派出所（P11）")]
    assert audited("alias_decline") == [("admin", "「东风街所」→ 东城分局 / 东风派出所（P11）")]
    # Both were proposed in one click: their timestamps may fall in the same second or not.
    decided = sorted(aliases.proposed(warehouse, None), key=lambda p: p["alias"])
    assert [(p["alias"], p["status"], p["decided_by"]) for p in decided] == [
        ("东风街所", aliases.DECLINED, "admin"),
        ("东风路所", aliases.CONFIRMED, "admin"),
    ]
