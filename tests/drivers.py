"""One way to drive a room in tests, at each of the three depths the suite tries it at.

- `LogRoom`: the engine alone, a session's log written one event at a time.
- `AppRoom`: the app's own handlers, through Flask-SocketIO's test clients (built by the
  `room_for` fixture of tests/fixtures/rooms.py; `w4` is workshop 4 ready made).
- `ServerRoom`: a real server process, the demo tutor's python-socketio console.

Tests that need a scene of their own (a wall of twelve phones, the fuzzer's model) build
it from these pieces rather than from another copy of the set-up.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
import requests
import socketio

from app.live.engine import apply
from app.live.errors import IllegalMove
from app.live.events import Actor, ActorKind, Event
from app.live.events import EventType as E
from app.live.state import SessionState
from app.script_access import script_of
from app.workshops import Script, load_script
from tests.fixtures.servers import DEMO_TUTOR

SHIPPED_SCRIPTS = Path(__file__).resolve().parent.parent / "workshops"


@functools.cache
def _shipped() -> Script:
    return load_script(SHIPPED_SCRIPTS)


if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from app.models import Cohort, LiveSession, Participant, User
    from tests.fixtures.servers import ServerProcess


def board_messages(sock: Any, namespace: str, name: str = "board") -> list[dict[str, Any]]:
    """What a Socket.IO test client received as `name` messages since it was last read."""
    return [m["args"][0] for m in sock.get_received(namespace) if m["name"] == name]


# --- the engine alone ------------------------------------------------------------------

TUTOR = Actor(ActorKind.STAFF, 1)
AMINA = Actor(ActorKind.PARTICIPANT, 10)
BORIS = Actor(ActorKind.PARTICIPANT, 11)
EVERY_BOARD = [
    {"id": "welcome", "board": "none"},
    {"id": "rules", "board": "group_rules"},
    {"id": "timeline", "board": "timeline"},
    {"id": "experiences", "board": "experiences"},
    {"id": "competences", "board": "competences"},
    {"id": "plan", "board": "action_plan"},
    {"id": "free", "board": "free_text"},
    {"id": "poll", "board": "poll", "options": 3},
]
"""A workshop with a step for every board type, for a `LogRoom`."""


class LogRoom:
    """A session's log written one event at a time, as the store would number it."""

    def __init__(self, steps: Sequence[dict[str, Any]], tutor: Actor, meeting: str = "w4") -> None:
        self.steps = list(steps)
        self.tutor = tutor
        self.state = SessionState()
        self.clock = 1_000_000
        self.log: list[Event] = []
        self.do(tutor, E.SESSION_STARTED, meeting=meeting, steps=self.steps)

    def event(self, actor: Actor | None, kind: E, payload: dict[str, Any]) -> Event:
        return Event(self.state.seq + 1, kind, self.clock, actor, payload)

    def do(self, actor: Actor | None, kind: E, **payload: Any) -> int:
        """Apply one event and keep it in the log; its seq."""
        event = self.event(actor, kind, payload)
        self.state = apply(self.state, event)
        self.log.append(event)
        return self.state.seq

    def refused(self, actor: Actor | None, kind: E, **payload: Any) -> str:
        """The refusal's code; the state is left as it was."""
        before = self.state
        with pytest.raises(IllegalMove) as refusal:
            apply(self.state, self.event(actor, kind, payload))
        assert self.state is before
        return refusal.value.code

    def go(self, step_id: str) -> LogRoom:
        index = [step["id"] for step in self.steps].index(step_id)
        self.do(self.tutor, E.STEP_MOVED, index=index)
        return self

    def post(self, who: Actor, board: str, **fields: Any) -> int:
        return self.do(who, E.CARD_POSTED, board=board, fields=fields)

    def wait(self, seconds: float) -> None:
        self.clock += int(seconds * 1000)


# --- the app's handlers, through Flask-SocketIO's test clients ---------------------------


@dataclass
class AppRoom:
    """A meeting running in the test's app: the tutor's console and projector connected,
    phones coming in one by one."""

    app: Flask
    cohort: Cohort
    tutor: User
    live: LiveSession
    tutor_browser: FlaskClient
    console: Any
    projector: Any
    make_participant: Callable[..., Participant]
    phone_client: Callable[[Participant], FlaskClient]
    socket_for: Callable[..., Any]
    in_db: Callable[[Callable[[], Any]], Any]
    people: dict[str, Participant] = field(default_factory=dict)
    phones: dict[str, Any] = field(default_factory=dict)

    def phone(
        self, name: str = "Amina", locale: str = "fr", cohort: Cohort | None = None
    ) -> tuple[Participant, Any]:
        """Someone admitted to the cohort, their phone in the room."""
        person = self.make_participant(cohort or self.cohort, name=name, locale=locale)
        self.people[name] = person
        sock = self.socket_for(self.phone_client(person), "/participant", self.live)
        self.phones[name] = sock
        return person, sock

    def says(self, name: str, event: str, **data: Any) -> dict[str, Any]:
        """`name`'s phone sends `event`, and it is accepted; the ack."""
        ack = self.phones[name].emit(event, data, namespace="/participant", callback=True)
        assert ack["ok"], (name, event, ack)
        return ack

    def tutor_does(self, event: str, **data: Any) -> dict[str, Any]:
        ack = self.console.emit(event, data, namespace="/tutor", callback=True)
        assert ack["ok"], ack
        return ack

    def go(self, step_id: str) -> None:
        self.tutor_does("step", index=self.step_index(step_id))

    def step_index(self, step_id: str) -> int:
        meeting = script_of(self.app).meeting(self.live.meeting_slug, "en")
        return [step.id for step in meeting.steps].index(step_id)

    def post(self, sock: Any, board: str, fields: dict[str, Any], client_id: str) -> Any:
        ack = sock.emit(
            "post",
            {"client_id": client_id, "board": board, "fields": fields},
            namespace="/participant",
            callback=True,
        )
        assert ack["ok"], ack
        return ack

    def portfolio(self, person: Participant) -> Any:
        from app.extensions import db
        from app.portfolio.queries import portfolio_for

        script = script_of(self.app)
        return self.in_db(lambda: portfolio_for(db.session, db.session.merge(person), script))


# --- a real server process ---------------------------------------------------------------

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
RUNNING = re.compile(r'href="/sessions/(\d+)/console"[^>]*data-testid="open-console"')


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    assert found, page
    return found.group(1)


def logged_in_tutor(url: str, browser: requests.Session | None = None) -> requests.Session:
    """The demo tutor, logged in through the log-in form (in `browser`, if given)."""
    browser = browser or requests.Session()
    token = csrf_token(browser.get(f"{url}/login", timeout=5).text)
    reply = browser.post(
        f"{url}/login",
        data={"csrf_token": token, "username": DEMO_TUTOR[0], "password": DEMO_TUTOR[1]},
        timeout=5,
    )
    assert reply.url.endswith("/tutor"), reply.text
    return browser


def start_workshop(
    url: str, tutor: requests.Session, meeting: str = "w1-presentation"
) -> tuple[int, str]:
    """Start `meeting` from the tutor's dashboard form; the session's id and join code."""
    dashboard = tutor.get(f"{url}/tutor", timeout=5).text
    # The form's action is a path from the host's root: a proxy's prefix included.
    action = re.search(r'action="((?:/[^"/]+)*/cohorts/\d+/sessions)"', dashboard)
    choice = re.search(r'name="(c\d+-meeting)"', dashboard)
    assert action and choice, dashboard
    reply = tutor.post(
        "{0.scheme}://{0.netloc}{1}".format(urlsplit(url), action.group(1)),
        data={"csrf_token": csrf_token(dashboard), choice.group(1): meeting},
        timeout=5,
    )
    session_id = re.search(r"/sessions/(\d+)/console", reply.url)
    code = re.search(r'data-testid="join-code">([A-Z0-9]{6})<', reply.text)
    assert session_id and code, reply.text
    return int(session_id.group(1)), code.group(1)


def phone_joins(url: str, code: str, name: str) -> requests.Session:
    """A phone (without a browser) joins with the code, in French, and waits at the door."""
    phone = requests.Session()
    joins_with(phone, url, code, name)
    return phone


def joins_with(phone: requests.Session, url: str, code: str, name: str) -> requests.Response:
    """`phone` joins with the code, in French; the page it lands on."""
    form = phone.get(f"{url}/j/{code}", timeout=5).text
    return phone.post(
        f"{url}/j/{code}",
        data={"csrf_token": csrf_token(form), "name": name, "language": "fr", "consent_data": "y"},
        timeout=5,
    )


def connect_as(
    client: socketio.Client,
    url: str,
    namespace: str,
    session_id: int,
    cookies: requests.Session | str,
) -> None:
    """Connect `client` to a session's `namespace` as the browser whose cookies are
    `cookies` (a session, or a Cookie header), over a websocket as the pages do."""
    if isinstance(cookies, str):
        cookie = cookies
    else:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.cookies.items())
    client.connect(
        url,
        namespaces=[namespace],
        auth={"session_id": session_id},
        headers={"Cookie": cookie},
        transports=["websocket"],
        wait_timeout=10,
    )


class Listener:
    """A python-socketio client that records the board messages it receives."""

    def __init__(self, url: str, namespace: str, session_id: int, cookies: requests.Session | str):
        """Connect as the browser whose cookies are `cookies` (a session, or a header)."""
        self.namespace = namespace
        self.received: list[dict] = []
        self.arrived = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("board", self._on_board, namespace=namespace)
        connect_as(self.client, url, namespace, session_id, cookies)

    def _on_board(self, message: dict) -> None:
        self.received.append(message)
        if message.get("event") == "card.posted":
            self.arrived.set()

    def call(self, event: str, data: dict | None = None) -> dict:
        return self.client.call(event, data or {}, namespace=self.namespace, timeout=10)

    def does(self, event: str, **data: Any) -> dict[str, Any]:
        """Send `event` and check it was accepted; the ack."""
        ack = self.call(event, data)
        assert ack and ack.get("ok"), (event, data, ack)
        return ack


def end_what_runs(url: str, tutor: requests.Session) -> None:
    """A cohort runs one meeting at a time: one left running (another test's) ends."""
    dashboard = tutor.get(f"{url}/tutor", timeout=5).text
    for session_id in RUNNING.findall(dashboard):
        running = Listener(url, "/tutor", int(session_id), tutor)
        running.call("end")
        running.client.disconnect()


@dataclass
class ServerRoom:
    """A meeting the demo tutor started on a real server, and the tutor's socket to run it."""

    server: ServerProcess
    session_id: int
    code: str
    console: Listener
    meeting: str = "w1-presentation"

    @classmethod
    def open(
        cls,
        server: ServerProcess,
        meeting: str = "w1-presentation",
        tutor: requests.Session | None = None,
        closing: ExitStack | None = None,
    ) -> ServerRoom:
        """Start `meeting` for the demo cohort (ending the one left running, if any); the
        tutor's socket closes with `closing`, if given."""
        tutor = tutor or logged_in_tutor(server.url)
        end_what_runs(server.url, tutor)
        session_id, code = start_workshop(server.url, tutor, meeting)
        console = Listener(server.url, "/tutor", session_id, tutor)
        room = cls(server, session_id, code, console, meeting)
        if closing is not None:
            closing.callback(room.disconnect)
        return room

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def join_url(self) -> str:
        return f"{self.server.url}/j/{self.code}"

    def call(self, event: str, data: dict | None = None) -> dict:
        reply = self.console.call(event, data)
        assert reply["ok"], reply
        return reply

    def admit_everyone(self) -> None:
        for person in self.console.call("sync")["board"]["waiting"]:
            assert self.console.call("admit", {"participant_id": person["id"]})["ok"]

    def go_to(self, step: int | str) -> None:
        """Move to a step by its place or, better, by its id (a script may gain a step)."""
        if isinstance(step, str):
            step = _shipped().reference(self.meeting).step_ids().index(step)
        assert self.console.call("step", {"index": step})["ok"]

    def cards(self) -> list[dict]:
        return self.console.call("sync")["board"]["cards"]

    def stored(self, field: str) -> list[str]:
        """Field `field` of every card on the board."""
        return [card["fields"][field] for card in self.cards()]

    def post_rules(self, texts: list[str]) -> None:
        """The tutor posts these group rules."""
        for i, text in enumerate(texts):
            self.call(
                "post", {"client_id": f"console-rule-{i:04d}", "board": "group_rules", "text": text}
            )

    def end(self) -> None:
        self.console.call("end")
        self.console.client.disconnect()

    def disconnect(self) -> None:
        self.console.client.disconnect()
