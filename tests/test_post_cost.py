"""What a card posted from a phone costs the server (issue 20), and that nothing it no
longer does twice was needed: the sender is still checked on every event, a resend is
still found, the names a post carries still follow the database, and the poster's
phone keeps its votes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, update

from app.access import room_names
from app.extensions import db
from app.models import DeviceLink, Membership, Participant
from app.models.base import utcnow
from app.participants import consent
from app.participants.consent import Purpose
from tests.drivers import board_messages

# A post from an admitted phone on an open board: the session (1), the phone's link, its
# owner, their membership and consent (4), the counter (1), the resend lookup (1), the
# log's version and new events (2), the card (2), the group's names and their consent
# to be named (2). It was 17: the sender read twice, the resend looked for twice.
STATEMENTS_PER_POST = 13


@pytest.fixture
def room(room_for):
    started = room_for("w1-presentation")
    started.go("group-rules")
    return started


def post(sock: Any, text: str, client_id: str) -> dict[str, Any]:
    return sock.emit(
        "post",
        {"client_id": client_id, "board": "group_rules", "text": text},
        namespace="/participant",
        callback=True,
    )


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    """Every SQL statement sent to the database while the test runs, as sent."""
    sent: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield sent
    event.remove(engine, "before_cursor_execute", count)


def reading(sent: list[str], table: str, where: str = "") -> int:
    """How many of these statements read `table` (the one after FROM), with `where`."""
    return sum(
        1
        for statement in sent
        if statement.startswith("SELECT")
        and f"FROM {table}" in " ".join(statement.split())
        and where in statement
    )


def test_a_post_reads_its_sender_once_and_looks_for_a_resend_once(room, statements):
    _amina, amina = room.phone("Amina")
    for name in ("Yusuf", "Hawa", "Dawit"):
        room.phone(name)
    assert post(amina, "First, to warm up", "c-0000000001")["ok"]
    statements.clear()

    assert post(amina, "We listen to each other", "c-0000000002")["ok"]

    assert reading(statements, "device_links") == 1  # the phone's link
    assert reading(statements, "memberships") == 1  # the sender's membership
    assert reading(statements, "session_events", "session_events.client_id =") == 1
    assert len(statements) <= STATEMENTS_PER_POST, "\n".join(statements)


def test_each_event_checks_its_sender_again(room, in_db):
    """What one event read of the sender is never used by the next one."""
    amina_person, amina = room.phone("Amina")
    assert post(amina, "Be on time", "c-0000000001")["ok"]

    def turned_pending() -> None:
        db.session.execute(
            update(Membership)
            .where(Membership.participant_id == amina_person.id)
            .values(status="pending")
        )
        db.session.commit()

    in_db(turned_pending)  # as another process, or a tutor's page, would
    refused = post(amina, "Still here?", "c-0000000002")
    assert refused["ok"] is False and refused["error"] == "not_in_room"


def test_a_phone_signed_out_between_two_events_is_refused_at_the_second(room, in_db):
    amina_person, amina = room.phone("Amina")
    assert post(amina, "Be on time", "c-0000000001")["ok"]

    def signed_out() -> None:
        db.session.execute(
            update(DeviceLink)
            .where(DeviceLink.participant_id == amina_person.id)
            .values(ended_at=utcnow(), ended_why="tutor")
        )
        db.session.commit()

    in_db(signed_out)
    refused = post(amina, "Still here?", "c-0000000002")
    assert refused["ok"] is False and refused["error"] == "not_in_room"


def test_a_resent_post_is_acknowledged_and_leaves_no_gap_in_the_log(room):
    _amina, amina = room.phone("Amina")
    first = post(amina, "Be on time", "c-0000000001")
    again = post(amina, "Be on time", "c-0000000001")
    after = post(amina, "Phones on silent", "c-0000000002")
    assert again == {"ok": True, "seq": first["seq"], "duplicate": True}
    assert after["seq"] == first["seq"] + 1


def author_seen(room: Any, sock: Any, text: str, client_id: str, reader: Any) -> str:
    reader.get_received("/participant")
    assert post(sock, text, client_id)["ok"]
    (message,) = board_messages(reader, "/participant")
    return message["cards"][0]["author"]


def test_the_names_a_post_carries_follow_the_database(room, in_db):
    amina_person, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    assert author_seen(room, amina, "Be on time", "c-0000000001", yusuf) == "Amina"

    def renamed() -> None:  # as another process would: nothing here is told
        db.session.execute(
            update(Participant)
            .where(Participant.id == amina_person.id)
            .values(display_name="Amina K.")
        )
        db.session.commit()

    in_db(renamed)
    assert author_seen(room, amina, "Phones off", "c-0000000002", yusuf) == "Amina K."


def test_the_room_names_follow_members_and_consent(room, in_db):
    amina_person, _amina = room.phone("Amina")
    cohort_id = room.cohort.id

    def names() -> Any:
        return room_names(db.session, cohort_id)

    before = in_db(names)
    assert before.observed[amina_person.id] != "Amina"  # a pseudonym until she agrees

    def agreed() -> None:
        person = db.session.get(Participant, amina_person.id)
        consent.record_answers(db.session, person, {Purpose.NAMED_IN_REPLAYS: True})
        db.session.commit()

    in_db(agreed)
    assert in_db(names).observed[amina_person.id] == "Amina"

    twin, _sock = room.phone("amina")  # looks the same: the tutors' list tells them apart
    listed = in_db(names).listed
    assert listed[twin.id] == f"amina #{twin.id}"
    assert listed[amina_person.id] == f"Amina #{amina_person.id}"


def test_a_post_leaves_the_posters_votes_and_stances_as_they_were(room):
    _amina, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    card = post(amina, "Be on time", "c-0000000001")["seq"]
    stance = {"card_id": card, "stance": "agree"}
    assert yusuf.emit("stance", stance, namespace="/participant", callback=True)["ok"]
    yusuf.get_received("/participant")

    assert post(yusuf, "Phones on silent", "c-0000000002")["ok"]

    (personal,) = board_messages(yusuf, "/participant", "personal")
    assert personal["own_votes"] == []  # nothing changed: the phone keeps what it has
    synced = yusuf.emit("sync", namespace="/participant", callback=True)["board"]
    rules = next(m for m in synced["own_votes"] if m["step"] == "group-rules")
    assert rules["stances"] == {str(card): "agree"}
