"""The live room over Socket.IO: posting, hiding, admitting, and who hears what."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.live.store import events_after
from app.models import SessionEvent
from tests.drivers import board_messages


@pytest.fixture
def room(room_for):
    """A running workshop 1 with its tutor (the rules step is one `go` away)."""
    return room_for("w1-presentation")


def post(sock, text: str, client_id: str = "c-0000000001"):
    return sock.emit(
        "post",
        {"client_id": client_id, "board": "group_rules", "text": text},
        namespace="/participant",
        callback=True,
    )


def test_a_rule_posted_from_a_phone_reaches_the_console_the_projector_and_other_phones(room):
    room.go("group-rules")
    _amina, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    for sock, ns in [
        (room.console, "/tutor"),
        (room.projector, "/projector"),
        (amina, "/participant"),
        (yusuf, "/participant"),
    ]:
        sock.get_received(ns)

    ack = post(amina, "We listen to each other")

    assert ack["ok"] and isinstance(ack["seq"], int)
    for sock, ns in [(room.projector, "/projector"), (yusuf, "/participant")]:
        (message,) = board_messages(sock, ns)
        assert message["event"] == "card.posted" and message["seq"] == ack["seq"]
        (card,) = message["cards"]
        assert card["text"] == "We listen to each other"
        assert card["author"] == "Amina"
        assert "author_id" not in card
    (tutor_view,) = board_messages(room.console, "/tutor")
    assert tutor_view["cards"][0]["author_id"] is not None


def test_the_same_client_id_twice_stores_one_card_and_acks_the_same_seq(room, in_db):
    room.go("group-rules")
    _amina, amina = room.phone()
    first = post(amina, "Be on time", client_id="resend-0001")
    again = post(amina, "Be on time", client_id="resend-0001")
    assert first["ok"] and again["ok"]
    assert again["seq"] == first["seq"] and again["duplicate"] is True
    events = in_db(lambda: events_after(db.session, room.live.id))
    assert [e.type for e in events].count("card.posted") == 1


def test_a_post_while_no_board_is_open_gets_a_clear_refusal_and_stores_nothing(room, in_db):
    _amina, amina = room.phone()

    def count():
        return db.session.query(SessionEvent).count()

    before = in_db(count)
    ack = post(amina, "Too early")
    assert ack == {"ok": False, "error": "board_closed", "message": ack["message"]}
    assert ack["message"]
    assert in_db(count) == before


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "text",
        [],
        {"board": "group_rules", "text": "no id"},
        {"client_id": "short", "board": "group_rules", "text": "x"},
        {"client_id": "c-0000000009", "board": 3, "text": "x"},
        {"client_id": "c-0000000009", "board": "group_rules", "text": "x" * 5000},
    ],
)
def test_malformed_posts_are_refused_with_an_error_ack(room, payload):
    room.go("group-rules")
    _amina, amina = room.phone()
    ack = amina.emit("post", payload, namespace="/participant", callback=True)
    assert ack["ok"] is False and ack["error"] in {"bad_request", "text_too_long"}


def test_the_tutor_hides_a_card_and_only_its_author_learns_why(room):
    room.go("group-rules")
    _amina, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    card_id = post(amina, "Something unkind")["seq"]
    for sock, ns in [
        (room.projector, "/projector"),
        (amina, "/participant"),
        (yusuf, "/participant"),
    ]:
        sock.get_received(ns)

    ack = room.console.emit(
        "hide",
        {"card_id": card_id, "reason": "Let's keep it kind"},
        namespace="/tutor",
        callback=True,
    )

    assert ack["ok"]
    (on_projector,) = board_messages(room.projector, "/projector")
    assert on_projector["removed"] == [card_id] and "Something" not in str(on_projector)
    assert board_messages(yusuf, "/participant", "personal") == []
    received = amina.get_received("/participant")
    (personal,) = [m["args"][0] for m in received if m["name"] == "personal"]
    (own,) = personal["own"]
    assert own["hidden"] and own["hidden_reason"] == "Let's keep it kind"


def test_a_participant_cannot_use_tutor_controls(room, phone_client, socket_for):
    room.go("group-rules")
    participant, amina = room.phone()
    card_id = post(amina, "A rule")["seq"]
    # The phone's own namespace has no hide event, and the tutors' namespace refuses it.
    amina.emit("hide", {"card_id": card_id}, namespace="/participant")
    sneaky = socket_for(phone_client(participant), "/tutor", room.live)
    assert not sneaky.is_connected("/tutor")
    snapshot = room.console.emit("sync", namespace="/tutor", callback=True)["board"]
    assert snapshot["cards"][0]["hidden"] is False


def test_a_trainee_tutor_sees_the_room_but_cannot_hide(room, make_staff, staff_client, socket_for):
    from app.permissions import Role

    room.go("group-rules")
    _amina, amina = room.phone()
    card_id = post(amina, "A rule")["seq"]
    trainee = make_staff(room.cohort, role=Role.TRAINEE)
    watcher = socket_for(staff_client(trainee), "/tutor", room.live)
    assert watcher.is_connected("/tutor")
    ack = watcher.emit("hide", {"card_id": card_id}, namespace="/tutor", callback=True)
    assert ack["ok"] is False and ack["error"] == "not_allowed"


def test_a_member_of_another_cohort_receives_nothing_from_this_room(
    room, make_cohort, make_staff, start_live, make_participant, phone_client, socket_for
):
    """Three clients: two in this room, one in another cohort's room."""
    room.go("group-rules")
    other_cohort = make_cohort("Spring cohort")
    other_live = start_live(other_cohort, make_staff(other_cohort))
    _amina, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    outsider = make_participant(other_cohort, name="Lena")
    elsewhere = socket_for(phone_client(outsider), "/participant", other_live)
    # Lena tries this room's session id too: refused at the door.
    intruder = socket_for(phone_client(outsider), "/participant", room.live)
    assert elsewhere.is_connected("/participant")
    assert not intruder.is_connected("/participant")
    elsewhere.get_received("/participant")
    yusuf.get_received("/participant")

    post(amina, "Private to our group")

    assert board_messages(yusuf, "/participant")
    assert elsewhere.get_received("/participant") == []


def test_a_newcomer_waits_until_the_tutor_admits_them(
    room, make_participant, phone_client, socket_for
):
    newcomer = make_participant(room.cohort, name="Sara", admitted=False)
    phone = socket_for(phone_client(newcomer), "/participant", room.live)
    assert phone.is_connected("/participant")  # connected to hear when they are let in
    assert phone.emit("sync", namespace="/participant", callback=True)["error"] == "not_in_room"
    snapshot = room.console.emit("sync", namespace="/tutor", callback=True)["board"]
    assert [p["name"] for p in snapshot["waiting"]] == ["Sara"]

    ack = room.console.emit(
        "admit", {"participant_id": newcomer.id}, namespace="/tutor", callback=True
    )

    assert ack["ok"]
    personal = board_messages(phone, "/participant", "personal")
    assert personal[-1]["you_are_admitted"] is True
    again = room.console.emit(
        "admit", {"participant_id": newcomer.id}, namespace="/tutor", callback=True
    )
    assert again["error"] == "already_admitted"


def test_snapshots_hide_hidden_cards_from_everyone_but_the_tutor_and_the_author(room):
    room.go("group-rules")
    _amina, amina = room.phone("Amina")
    _yusuf, yusuf = room.phone("Yusuf")
    card_id = post(amina, "Hidden soon")["seq"]
    room.console.emit("hide", {"card_id": card_id}, namespace="/tutor", callback=True)

    def snap(sock, ns):
        return sock.emit("sync", namespace=ns, callback=True)["board"]

    assert snap(room.projector, "/projector")["cards"] == []
    assert snap(yusuf, "/participant")["cards"] == []
    assert snap(yusuf, "/participant")["own"] == []
    assert snap(amina, "/participant")["own"][0]["hidden"] is True
    assert snap(room.console, "/tutor")["cards"][0]["hidden"] is True


def test_an_ended_session_is_read_only(room):
    room.go("group-rules")
    _amina, amina = room.phone()
    assert room.console.emit("end", namespace="/tutor", callback=True)["ok"]
    assert post(amina, "Too late")["error"] == "session_ended"
    step = room.console.emit("step", {"index": 0}, namespace="/tutor", callback=True)
    assert step["error"] == "session_ended"


def test_a_handler_that_fails_answers_and_leaves_nothing_half_written(
    make_cohort, make_staff, start_live, staff_client, socket_for, monkeypatch, in_db
):
    from app.live import operations

    cohort = make_cohort()
    tutor = make_staff(cohort)
    live = start_live(cohort, tutor)
    console = socket_for(staff_client(tutor), "/tutor", live)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(operations, "move_step", broken)
    ack = console.emit("step", {"index": 1}, namespace="/tutor", callback=True)
    assert ack["ok"] is False and ack["error"] == "server_error" and ack["message"]
    assert in_db(lambda: db.session.query(SessionEvent).filter_by(session_id=live.id).count()) == 1
    monkeypatch.undo()
    assert console.emit("step", {"index": 1}, namespace="/tutor", callback=True)["ok"]
