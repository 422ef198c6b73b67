"""One connection, several namespaces: Flask-SocketIO keeps one session per Engine.IO
connection for all of them, so what one namespace learnt (its room, its phone) must never
be borrowed by another on the same connection. These attacks speak Socket.IO frames by
hand over one websocket, the cookies of a trainee and of a phone in the same header."""

from __future__ import annotations

import itertools
import json
import re
import time
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import websocket
from sqlalchemy import delete

from app.extensions import db
from app.models import Cohort, LiveSession, User, cohort_tutors
from app.permissions import Role
from tests.hostile.conftest import Site, Socket, keys_of

FRAME = re.compile(r"(?P<type>\d)(?:(?P<ns>/[^,\[{]*),)?(?P<id>\d*)(?P<body>.*)", re.S)
PSEUDONYM = re.compile(r"Participant \d+")


class Wire:
    """One Engine.IO websocket; each Socket.IO namespace is entered and spoken to by hand."""

    def __init__(self, url: str, *browsers: requests.Session) -> None:
        cookie = "; ".join(f"{k}={v}" for b in browsers for k, v in b.cookies.items())
        address = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.ws = websocket.create_connection(address, header=[f"Cookie: {cookie}"], timeout=10)
        assert self.ws.recv().startswith("0"), "no Engine.IO open packet"
        self.heard: list[tuple[str, Any]] = []  # (namespace, event) the server pushed
        self._ids = itertools.count(1)

    def _next(self, until: float) -> tuple[str, str, str, Any] | None:
        """The next Socket.IO packet (type, namespace, ack id, body) before `until`."""
        while (left := until - time.monotonic()) > 0:
            self.ws.settimeout(left)
            try:
                frame = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                return None
            if frame == "2":  # Engine.IO ping
                self.ws.send("3")
                continue
            if not frame.startswith("4"):
                continue
            found = FRAME.fullmatch(frame[1:])
            assert found, frame
            body = json.loads(found["body"]) if found["body"] else None
            packet = (found["type"], found["ns"] or "/", found["id"], body)
            if packet[0] == "2":
                self.heard.append((packet[1], body))
            else:
                return packet
        return None

    def connect(self, namespace: str, live: LiveSession) -> Any:
        """Enter a namespace for a session: its sid, or the refusal (`error` set)."""
        self.ws.send(f"40{namespace},{json.dumps({'session_id': live.id})}")
        until = time.monotonic() + 10
        while packet := self._next(until):
            kind, where, _id, body = packet
            if where == namespace and kind in "04":
                return body if kind == "0" else {"error": body["data"]["error"]}
        raise AssertionError(f"no answer to entering {namespace}")

    def call(self, namespace: str, event: str, data: Any = None, wait: float = 10) -> Any:
        """Send an event asking for an acknowledgement: its answer, or None if silent."""
        ident = str(next(self._ids))
        self.ws.send(f"42{namespace},{ident}{json.dumps([event, data or {}])}")
        until = time.monotonic() + wait
        while packet := self._next(until):
            kind, where, got, body = packet
            if kind == "3" and where == namespace and got == ident:
                return body[0]
        return None

    def close(self) -> None:
        self.ws.close()


# --- the scene: two groups running a workshop, a trainee of A, a phone of B -----------------


@dataclass
class Scene:
    live_a: LiveSession
    live_b: LiveSession
    tutor_a: Socket  # each group's tutor's console
    tutor_b: Socket
    trainee: requests.Session
    phone_b: requests.Session
    amina_id: int
    bruno_id: int


def two_rooms(site: Site) -> Scene:
    """A at the group-rules step with a private note; B at presentations, with a card of
    Bruno's and a note of its own: everything B has that an observer of A must not see."""
    a, b = site.cohort("A"), site.cohort("B")
    tutor_a, tutor_b = site.staff(a), site.staff(b)
    trainee = site.logged_in(site.staff(a, Role.TRAINEE))
    amina, bruno = site.person("Amina", a), site.person("Bruno", b)
    live_a, live_b = site.start(a, tutor_a), site.start(b, tutor_b)
    console_a = site.socket(site.logged_in(tutor_a), "/tutor", live_a)
    console_b = site.socket(site.logged_in(tutor_b), "/tutor", live_b)
    assert console_a.call("step", {"index": 2})["ok"]
    assert console_a.call("note", {"text": "A: Amina arrived late"})["ok"]
    assert console_b.call("step", {"index": 1})["ok"]
    assert console_b.call("note", {"text": "B: Bruno looks worried"})["ok"]
    phone_b = site.phone(bruno)
    posting = site.socket(phone_b, "/participant", live_b)
    card = {"client_id": "bruno-card-1", "board": "free_text", "text": "B secret card"}
    assert posting.call("post", card)["ok"]
    posting.close()
    return Scene(live_a, live_b, console_a, console_b, trainee, phone_b, amina.id, bruno.id)


def only_what_an_observer_of_a_may_hear(value: Any) -> None:
    """Nothing of B's room, no private note, no real name of someone not named."""
    text = json.dumps(value)
    for secret in ("B secret card", "B: Bruno looks worried", "Bruno", "Amina"):
        assert secret not in text
    assert "notes" not in keys_of(value)


# --- the attacks --------------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["/participant", "/tutor"])
def test_a_trainee_console_on_a_phones_connection_answers_only_its_own_room(site: Site, first):
    scene = two_rooms(site)
    wire = Wire(site.url, scene.trainee, scene.phone_b)
    rooms = {"/participant": scene.live_b, "/tutor": scene.live_a}
    for namespace in sorted(rooms, key=lambda n: n != first):
        assert "error" not in wire.connect(namespace, rooms[namespace])

    answer = wire.call("/tutor", "sync")
    board = answer["board"]
    expected = scene.tutor_a.call("sync")["board"]
    assert (board["seq"], board["step_id"]) == (expected["seq"], "group-rules")
    assert board["cards"] == [] and board["waiting"] == []
    assert [m["id"] for m in board["members"]] == [scene.amina_id]
    assert all(PSEUDONYM.fullmatch(m["name"]) for m in board["members"])
    only_what_an_observer_of_a_may_hear(answer)
    only_what_an_observer_of_a_may_hear([event for where, event in wire.heard if where == "/tutor"])

    phone_view = wire.call("/participant", "sync")["board"]
    assert (phone_view["you"], phone_view["step_id"]) == (scene.bruno_id, "presentations")
    wire.close()


def test_a_trainee_cannot_ride_a_phones_room_into_another_groups_console(site: Site):
    scene = two_rooms(site)
    wire = Wire(site.url, scene.trainee, scene.phone_b)
    assert "error" not in wire.connect("/participant", scene.live_b)
    assert wire.connect("/tutor", scene.live_b) == {"error": "not_allowed"}

    answer = wire.call("/tutor", "sync", wait=1)
    # python-socketio drops an event for a namespace the connection is not in; an ack,
    # if one ever comes, may only be the refusal.
    assert answer is None or (answer["ok"], answer["error"]) == (False, "not_in_room")
    assert [where for where, _event in wire.heard if where == "/tutor"] == []
    wire.close()


def test_a_tutor_taken_off_the_group_mid_session_is_refused_at_their_next_event(site: Site):
    """Reads included; the room's broadcasts stop at the server's next sweep, which
    closes the socket (tests/test_sweep.py)."""
    a = site.cohort("A")
    tutor = site.staff(a)
    live = site.start(a, tutor)
    site.person("Amina", a)
    console = site.socket(site.logged_in(tutor), "/tutor", live)
    assert console.call("sync")["ok"]
    site.do(lambda: db.session.execute(untie(a, tutor)))

    before = site.rows()
    for event, data in (("sync", {}), ("note", {"text": "x"}), ("step", {"index": 1})):
        ack = console.call(event, data)
        assert (ack.get("ok"), ack.get("error")) == (False, "not_in_room"), event
    assert site.rows() == before


def untie(cohort: Cohort, user: User) -> Any:
    return delete(cohort_tutors).where(
        cohort_tutors.c.cohort_id == cohort.id, cohort_tutors.c.user_id == user.id
    )
