"""A port call whose records are awkward to print: texts as long as the records hold,
non-Latin scripts, refusals of every shape with and without follow-up, and a level change
ordered by the port state.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from gangway.db.models import Movement, Person, PortCall, RefusalFollowUp, User
from gangway.services.accounts.accounts import create_user
from tests.conftest import FAST_HASH, NOW, PASSWORD
from tests.integration.port_call_builders import add_declaration, add_level_change, add_refusal

# As long as the columns hold (the forms and the API refuse longer, with a clear message; SQLite
# would keep 500 characters, PostgreSQL would not): a purpose with words, one with none (a badge
# code typed as purpose), and a company name.
LONG_PURPOSE = ("Delivery of provisions and bonded stores for the galley, " * 10)[:200]
CODE_PURPOSE = ("DeliveryGW1:" + "AEAAAAAAAQ" * 49)[:200]
LONG_COMPANY = ("Koninklijke Nederlandse Scheepvaart- en Havendienstverlening " * 9)[:120]
CJK_NAME = ("王", "小明")
CJK_COMPANY = "上海港口服务有限公司" * 5


def _user(session, role: str) -> User:
    user = session.scalars(select(User).where(User.username == role)).first()
    return user or create_user(session, role, role, PASSWORD, f"Test {role}", hash_method=FAST_HASH)


def add_awkward_call(session) -> dict:
    """Fill port call 1 (Euromax, Amsterdam time); commit; return the refusals' ids by name."""
    watch, sso = _user(session, "watch"), _user(session, "sso")
    call = session.get(PortCall, 1)
    call.facility_name, call.timezone = "Euromax", "Europe/Amsterdam"
    crew = Person(kind="crew", family_name="HANSEN", given_names="Erik", rank="AB")
    visitor = Person(kind="visitor", family_name="ZOË-ÅSTRÖM", given_names="Ærø",
                     company=LONG_COMPANY)  # fmt: skip
    contractor = Person(kind="contractor", family_name=CJK_NAME[0], given_names=CJK_NAME[1],
                        company=CJK_COMPANY)  # fmt: skip
    session.add_all([crew, visitor, contractor])
    session.flush()
    start = NOW - timedelta(hours=12)
    moves = [(crew, "board", None), (visitor, "board", LONG_PURPOSE),
             (contractor, "board", "修理 Reparatur"), (visitor, "depart", None),
             (visitor, "board", CODE_PURPOSE), (crew, "depart", None)]  # fmt: skip
    for i, (person, direction, purpose) in enumerate(moves):
        session.add(Movement(
            person_id=person.id, direction=direction, occurred_at=start + timedelta(minutes=9 * i),
            access_point_id=1, port_call_id=1, purpose=purpose, method="scan",
            recorded_by_id=watch.id))  # fmt: skip
    ids = {"call_id": 1, "user_id": watch.id}
    unknown = add_refusal(session, **ids, point_id=1, at=start + timedelta(hours=1),
                          code="unknown_code")  # fmt: skip
    expired = add_refusal(session, **ids, point_id=2, at=start + timedelta(hours=2),
                          code="expired", message="Badge has expired.")  # fmt: skip
    expired.person_id, expired.purpose = visitor.id, LONG_PURPOSE
    declined = add_refusal(session, **ids, point_id=1, at=start + timedelta(hours=3),
                           code="search_declined")  # fmt: skip
    declined.reason_codes, declined.person_id = "search_declined,escort_declined", contractor.id
    session.flush()
    session.add_all([
        RefusalFollowUp(
            refusal_id=expired.id, acknowledged_at=start + timedelta(hours=2, minutes=5),
            acknowledged_by_id=sso.id, response="Sent ashore to renew the badge at the office",
            description="Visitor " + LONG_PURPOSE, location_on_vessel="Main deck, gangway",
            reported_to_pfso_at=start + timedelta(hours=2, minutes=30),
            reported_to_authorities_at=start + timedelta(hours=3), authorities="Zeehavenpolitie"),
        RefusalFollowUp(
            refusal_id=declined.id, acknowledged_at=start + timedelta(hours=3, minutes=1),
            acknowledged_by_id=sso.id, response="拒绝搜查，已离开 (left the quay)",
            reported_to_cso_at=start + timedelta(hours=4)),
    ])  # fmt: skip
    add_level_change(session, **ids, at=start, reason="Threat information from the port state",
                     ordered_by="port_state")  # fmt: skip
    add_declaration(session, **ids, at=start, valid_until=NOW, ship_party_name="Sam SSO",
                    port_party_name=LONG_COMPANY)  # fmt: skip
    session.commit()
    return {"unknown": unknown.id, "expired": expired.id, "declined": declined.id}
