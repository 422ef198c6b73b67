"""The hostile suite's world: the real server process (eventlet, as in production), and a
hand on its database to set the scene and to check that a refused attack changed nothing.

Every attack goes through the server as an attacker would send it: HTTP with `requests`,
Socket.IO with python-socketio's client (or raw Engine.IO frames), each carrying only
the cookies its person really has.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from flask import Flask
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.live import operations
from app.models import Base, Cohort, LiveSession, Membership, Participant, User, cohort_tutors
from app.participants import consent, device, phones
from app.participants.operations import create_participant
from app.permissions import Role
from app.script_access import script_of
from tests.drivers import connect_as
from tests.fixtures.servers import ServerProcess, start_server
from tests.hostile.pages import csrf_of

PASSWORD = "a long hostile password"


class Socket:
    """A python-socketio client on one namespace that keeps what it hears."""

    def __init__(self, url: str, namespace: str, live_id: int, cookies: requests.Session):
        self.namespace = namespace
        self.heard: list[tuple[str, Any]] = []
        self.closed = threading.Event()
        self.refusal: Any = None
        self.client = socketio.Client(reconnection=False)
        for name in ("board", "personal", "waiting", "signed_out"):
            self.client.on(name, self._keeper(name), namespace=namespace)
        self.client.on("disconnect", lambda *args: self.closed.set(), namespace=namespace)
        try:
            connect_as(self.client, url, namespace, live_id, cookies)
        except socketio.exceptions.ConnectionError as refused:
            self.refusal = refused

    def _keeper(self, name: str) -> Callable[..., None]:
        return lambda message=None: self.heard.append((name, message))

    @property
    def connected(self) -> bool:
        return self.refusal is None and self.client.connected and not self.closed.is_set()

    def call(self, event: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.call(event, data or {}, namespace=self.namespace, timeout=10)

    def close(self) -> None:
        if self.client.connected:
            self.client.disconnect()


def keys_of(value: Any) -> set[str]:
    """Every key anywhere in a message, however deep: a field's name can leak as well as
    its value."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_of(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_of(v)}
    return set()


@dataclass
class Site:
    """The running server and the scene around it."""

    server: ServerProcess
    app: Flask
    sockets: list[Socket] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def do(self, work: Callable[[], Any]) -> Any:
        with self.app.app_context():
            result = work()
            db.session.commit()
            return result

    # --- the scene ---------------------------------------------------------------------

    def cohort(self, name: str) -> Cohort:
        return self.do(lambda: _added(Cohort(name=name, starts_on=date(2026, 9, 7))))

    def staff(self, cohort: Cohort | None = None, role: Role = Role.TUTOR) -> User:
        def make() -> User:
            user = User(
                username=f"{role.value}-{next(_names)}", display_name="Camille", role=role.value
            )
            user.set_password(PASSWORD)
            _added(user)
            if cohort is not None:
                db.session.execute(
                    cohort_tutors.insert().values(cohort_id=cohort.id, user_id=user.id)
                )
            return user

        return self.do(make)

    def person(
        self, name: str, *cohorts: Cohort, waiting: tuple[Cohort, ...] = (), named: bool = False
    ) -> Participant:
        """Someone let in to `cohorts` and knocking at the door of `waiting`."""

        def make() -> Participant:
            person = create_participant(db.session, name, "en")
            answers = consent.ConsentAnswers(data_processing=True, named_in_replays=named)
            consent.record(db.session, person, answers)
            for cohort in cohorts:
                operations.enrol(db.session, cohort, person)
            for cohort in waiting:
                db.session.add(Membership(cohort_id=cohort.id, participant_id=person.id))
            return person

        return self.do(make)

    def start(self, cohort: Cohort, tutor: User, slug: str = "w1-presentation") -> LiveSession:
        script = script_of(self.app)
        return self.do(
            lambda: operations.start_session(
                db.session, db.session.merge(cohort), script, slug, db.session.merge(tutor)
            )
        )

    # --- the people's browsers and sockets ------------------------------------------------

    def logged_in(self, user: User) -> requests.Session:
        browser = requests.Session()
        token = csrf_of(browser.get(f"{self.url}/login", timeout=10).text)
        reply = browser.post(
            f"{self.url}/login",
            data={"csrf_token": token, "username": user.username, "password": PASSWORD},
            timeout=10,
        )
        # Staff land on their groups; the coordinator, on the organisation's home.
        assert reply.url.endswith(("/tutor", "/coordinator")), reply.status_code
        return browser

    def phone(self, person: Participant) -> requests.Session:
        """A phone of this person's: a new device link, its cookie in a browser."""

        def link() -> str:
            made = phones.link_phone(db.session, db.session.merge(person), phones.LinkedVia.JOIN)
            db.session.flush()
            return device.token_for(self.app, made)

        browser = requests.Session()
        browser.cookies.set(device.COOKIE_NAME, self.do(link), domain="127.0.0.1")
        return browser

    def socket(self, browser: requests.Session, namespace: str, live: LiveSession) -> Socket:
        made = Socket(self.url, namespace, live.id, browser)
        self.sockets.append(made)
        return made

    def csrf(self, browser: requests.Session, path: str) -> str:
        return csrf_of(browser.get(f"{self.url}{path}", timeout=10).text)

    # --- what is stored ---------------------------------------------------------------------

    def rows(self) -> dict[str, list[str]]:
        """Every row of every table, to compare before and after an attack."""

        def read() -> dict[str, list[str]]:
            return {
                table.name: sorted(map(repr, db.session.execute(select(table)).all()))
                for table in Base.metadata.sorted_tables
            }

        return self.do(read)

    def membership(self, cohort: Cohort, person: Participant) -> str | None:
        return self.do(
            lambda: db.session.scalar(
                select(Membership.status).where(
                    Membership.cohort_id == cohort.id, Membership.participant_id == person.id
                )
            )
        )

    def get(self, model: type, ident: int) -> Any:
        return self.do(lambda: db.session.get(model, ident))


_names = itertools.count(1)


def _added(thing: Any) -> Any:
    db.session.add(thing)
    db.session.flush()
    return thing


def site_on(server: ServerProcess) -> Site:
    """A hand on a running server's database: an app of its own on the same files."""
    instance = Path(server.env["MIGRAPASS_INSTANCE_PATH"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIGRAPASS_INSTANCE_PATH", str(instance))
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": (instance / "secret_key").read_text().strip(),
                "DATABASE_URL": f"sqlite:///{instance / 'migrapass.sqlite3'}",
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
            }
        )
    return Site(server, app)


def serving(folder: Path, **env: str) -> Iterator[Site]:
    """The real server with the suite's settings (and a module's own `env`), a hand on its
    database, and everything closed afterwards: the body of a module's `site` fixture."""
    server = start_server(folder, "eventlet", **{**SERVER_ENV, **env})
    made = site_on(server)
    try:
        yield made
    finally:
        for sock in made.sockets:
            sock.close()
        server.stop()
        with made.app.app_context():
            db.engine.dispose()


@pytest.fixture(autouse=True)
def quick_passwords() -> None:
    """Not here (tests/fixtures/application.py makes hashing cheap elsewhere): an attack
    on the real server meets the accounts' production cost, and a timing compares it."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real server, fresh for each module of attacks, and a hand on its database."""
    yield from serving(tmp_path_factory.mktemp("hostile"))


# Rooms hear far more than a real room sends: the attacks, not the limits on honest
# people, are at stake (each limit has a test of its own, with its real value).
SERVER_ENV = {"MIGRAPASS_RATE_LIMIT_STAFF": "1000/10 seconds"}


def live_of(site: Site, live_id: int) -> LiveSession:
    return site.get(LiveSession, live_id)


def participant_named(site: Site, participant_id: int) -> str:
    return site.get(Participant, participant_id).display_name
