"""Shared fixtures: a fresh migrated database per test, factories, logged-in clients."""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.db import upgrade
from app.extensions import db, socketio
from app.live import operations
from app.models import Cohort, LiveSession, Membership, Participant, User, cohort_tutors
from app.participants import consent, device, phones
from app.participants.operations import create_participant
from app.participants.phones import LinkedVia
from app.permissions import Role

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "test-artefacts"
PASSWORD = "correct horse battery"
# The services this machine runs (CI too): tests needing them skip only outside CI.
POSTGRES_URL = os.environ.get(
    "DATABASE_TEST_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def build_app(folder: Path, migrated_template: Path) -> Flask:
    """An app in threading mode on its own copy of the migrated database, in `folder`
    (MIGRAPASS_INSTANCE_PATH is the caller's to set: its lifetime is the fixture's)."""
    database = folder / "test.sqlite3"
    shutil.copy(migrated_template, database)
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{database}",
            "ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_URL": "http://phones.example:5000",
            # One simulated browser sends hundreds of requests a second here; the fair
            # share has its own tests, against the real server (tests/hostile).
            "REQUEST_RATE_PER_CLIENT": "1000000/second",
            "REQUEST_RATE_PER_ADDRESS": "1000000/second",
            # Tests try wrong passwords in bursts; the limits have tests of their own.
            "RATE_LIMITS": {
                "wrong_logins_per_account": "1000000/second",
                "wrong_logins_per_address": "1000000/second",
            },
        }
    )


@pytest.fixture
def configured_app(
    tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Flask]]:
    """An app on its own copy of the migrated database, configured as a deployment would
    be (CSRF on, the default limits), plus the test's `config`."""

    def make(**config: Any) -> Flask:
        monkeypatch.setenv("MIGRAPASS_INSTANCE_PATH", str(tmp_path / "instance"))
        database = tmp_path / "configured.sqlite3"
        shutil.copy(migrated_template, database)
        settings = {"TESTING": True, "DATABASE_URL": f"sqlite:///{database}"}
        return create_app({**settings, "ASYNC_MODE": "threading", **config})

    yield make
    db.engine.dispose()


def unreachable(service: str, exc: Exception) -> None:
    """CI must run what needs PostgreSQL or Redis; a laptop without them skips it."""
    if os.environ.get("CI"):
        pytest.fail(f"{service} is not reachable, and CI must run this test: {exc}")
    pytest.skip(f"{service} is not reachable: {exc}")


@pytest.fixture
def postgres_schema() -> Iterator[str]:
    """The URL of a throwaway schema in the PostgreSQL test database, so runs never see
    each other's tables."""
    admin = sa.create_engine(POSTGRES_URL)
    name = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        unreachable("PostgreSQL", exc)
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


@pytest.fixture
def redis_url() -> str:
    """The Redis on this machine, after checking it answers."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        unreachable("Redis", exc)
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets its own copy, so tests never share rows."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(
    tmp_path: Path, migrated_template: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Flask]:
    monkeypatch.setenv("MIGRAPASS_INSTANCE_PATH", str(tmp_path / "instance"))
    application = build_app(tmp_path, migrated_template)
    # No app context stays pushed: each request and socket event pushes its own, as in
    # production, so nothing cached on `g` leaks from one simulated browser to another.
    yield application
    db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# --- factories: callables with sensible defaults -------------------------------------


@pytest.fixture
def make_cohort(app: Flask) -> Callable[..., Cohort]:
    def make(name: str = "Autumn cohort") -> Cohort:
        with app.app_context():
            cohort = Cohort(name=name, starts_on=date(2026, 9, 7))
            db.session.add(cohort)
            db.session.commit()
            return cohort

    return make


@pytest.fixture
def make_staff(app: Flask) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        cohort: Cohort | None = None, role: Role = Role.TUTOR, username: str | None = None
    ) -> User:
        with app.app_context():
            user = User(
                username=username or f"{role.value}{next(counter)}",
                display_name="Camille",
                role=role.value,
            )
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            if cohort is not None:
                db.session.execute(
                    cohort_tutors.insert().values(cohort_id=cohort.id, user_id=user.id)
                )
            db.session.commit()
            return user

    return make


@pytest.fixture
def make_participant(app: Flask) -> Callable[..., Participant]:
    def make(
        cohort: Cohort | None = None,
        name: str = "Amina",
        admitted: bool = True,
        locale: str = "fr",
    ) -> Participant:
        with app.app_context():
            participant = create_participant(db.session, name, locale)
            consent.record(db.session, participant, consent.ConsentAnswers(data_processing=True))
            if cohort is not None:
                if admitted:
                    operations.enrol(db.session, cohort, participant)
                else:
                    db.session.add(Membership(cohort_id=cohort.id, participant_id=participant.id))
            db.session.commit()
            return participant

    return make


@pytest.fixture
def start_live(app: Flask) -> Callable[..., LiveSession]:
    def start(
        cohort: Cohort, tutor: User, slug: str = "w1-presentation", *, rehearsal: bool = False
    ) -> LiveSession:
        with app.app_context():
            live = operations.start_session(
                db.session,
                db.session.merge(cohort),
                app.extensions["migrapass.script"],
                slug,
                db.session.merge(tutor),
                rehearsal=rehearsal,
            )
            db.session.commit()
            return live

    return start


@pytest.fixture
def staff_client(app: Flask) -> Callable[[User], FlaskClient]:
    """A browser logged in as this staff member, through the real login form."""

    def login(user: User) -> FlaskClient:
        browser = app.test_client()
        response = browser.post("/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return browser

    return login


@pytest.fixture
def link_phone(app: Flask) -> Callable[[Participant], str]:
    """Link a new phone to this participant, as joining does; return its device cookie."""

    def link(participant: Participant) -> str:
        with app.app_context():
            made = phones.link_phone(db.session, db.session.merge(participant), LinkedVia.JOIN)
            db.session.commit()
            return device.token_for(app, made)

    return link


@pytest.fixture
def phone_client(
    app: Flask, link_phone: Callable[[Participant], str]
) -> Callable[[Participant], FlaskClient]:
    """A phone that carries this participant's device cookie (a newly linked phone)."""

    def phone(participant: Participant) -> FlaskClient:
        browser = app.test_client()
        browser.set_cookie(device.COOKIE_NAME, link_phone(participant))
        return browser

    return phone


@pytest.fixture
def socket_for(app: Flask) -> Callable[..., Any]:
    """Open a Socket.IO test client on a namespace, for a session, as a browser."""

    def connect(browser: FlaskClient, namespace: str, live: LiveSession) -> Any:
        return socketio.test_client(
            app, namespace=namespace, auth={"session_id": live.id}, flask_test_client=browser
        )

    return connect


@pytest.fixture
def in_db(app: Flask) -> Callable[[Callable[[], Any]], Any]:
    """Run a query in its own app context, as a request would."""

    def run(query: Callable[[], Any]) -> Any:
        with app.app_context():
            return query()

    return run


W4 = "w4-professional-competences"
W4_STEPS = {"my-experiences": 1, "competences": 2, "strengths": 3}


@pytest.fixture
def w4(
    app: Flask,
    make_cohort: Callable[..., Cohort],
    make_staff: Callable[..., User],
    make_participant: Callable[..., Participant],
    start_live: Callable[..., LiveSession],
    staff_client: Callable[[User], FlaskClient],
    phone_client: Callable[[Participant], FlaskClient],
    socket_for: Callable[..., Any],
    in_db: Callable[[Callable[[], Any]], Any],
) -> Any:
    """Workshop 4 running live: a tutor at the console, phones joining, cards posted."""
    from app.portfolio.queries import portfolio_for

    class Workshop:
        cohort = make_cohort()
        tutor = make_staff(cohort)
        live = start_live(cohort, tutor, W4)
        console = socket_for(staff_client(tutor), "/tutor", live)

        def phone(self, name: str, locale: str = "fr") -> tuple[Participant, Any]:
            person = make_participant(self.cohort, name=name, locale=locale)
            return person, socket_for(phone_client(person), "/participant", self.live)

        def tutor_does(self, event: str, **data: Any) -> dict[str, Any]:
            ack = self.console.emit(event, data, namespace="/tutor", callback=True)
            assert ack["ok"], ack
            return ack

        def go(self, step: str) -> None:
            self.tutor_does("step", index=W4_STEPS[step])

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
            script = app.extensions["migrapass.script"]
            return in_db(lambda: portfolio_for(db.session, db.session.merge(person), script))

    return Workshop()


def board_messages(sock: Any, namespace: str, name: str = "board") -> list[dict[str, Any]]:
    return [m["args"][0] for m in sock.get_received(namespace) if m["name"] == name]


# --- real server processes ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class ServerProcess:
    url: str
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log: Path

    def restart(self) -> None:
        """Start the server again on the same port, instance and database (after a crash)."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "app.serve"], cwd=ROOT, env=self.env, stdout=out, stderr=out
            )
        wait_for_health(self.url, self.process, self.log)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_for_health(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not answer in time:\n{log.read_text()}")


def prepared_env(instance: Path, mode: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MIGRAPASS_", "FLASK_"))}
    env.update(
        {
            "MIGRAPASS_INSTANCE_PATH": str(instance),
            "MIGRAPASS_ASYNC_MODE": mode,
            "PORT": str(port),
            "HOST": "127.0.0.1",
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    env.update(extra)
    return env


def run_release(env: dict[str, str]) -> None:
    """Apply migrations and seed the demo, as `make run` does before serving."""
    bin_dir = Path(sys.executable).parent
    for args in (["db", "upgrade"], ["demo", "seed"]):
        subprocess.run(
            [str(bin_dir / "flask"), "--app", "app", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )


# This run's instance folder as the release leaves it (migrated, demo seeded), made once
# and copied for each server: a release is two CLI processes, several seconds each time.
_RELEASED: list[Path] = []


def released_instance(env: dict[str, str]) -> None:
    """Give the server's instance folder the state `make run`'s release leaves."""
    if "DATABASE_URL" in env:  # another database: its release runs against it
        run_release(env)
        return
    if not _RELEASED:
        template = Path(tempfile.mkdtemp(prefix="migrapass-released-")) / "instance"
        run_release({**env, "MIGRAPASS_INSTANCE_PATH": str(template)})
        atexit.register(shutil.rmtree, template.parent, True)
        _RELEASED.append(template)
    shutil.copytree(_RELEASED[0], env["MIGRAPASS_INSTANCE_PATH"])


def start_server(tmp: Path, mode: str, **extra_env: str) -> ServerProcess:
    port = free_port()
    env = prepared_env(tmp / "instance", mode, port, **extra_env)
    released_instance(env)
    log = tmp / f"server-{mode}-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_health(url, process, log)
    return ServerProcess(url, process, env, log)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """A real server of the test's own (eventlet), for a test that stops or fills it."""
    started = start_server(tmp_path, "eventlet")
    yield started
    started.stop()


@pytest.fixture
def closing() -> Iterator[ExitStack]:
    """Closes the test's browser windows and sockets: left open, they would keep
    reconnecting to a stopped server through the rest of the suite."""
    with ExitStack() as stack:
        yield stack


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The real server (eventlet, as in production) with a migrated, seeded database."""
    server = start_server(tmp_path_factory.mktemp("live"), "eventlet")
    yield server
    server.stop()


# --- browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: CI must run the browser tests (make system-deps)")
        pytest.skip("Chromium is not installed (run `make system-deps`)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def artefacts() -> Path:
    ARTEFACTS.mkdir(exist_ok=True)
    return ARTEFACTS
