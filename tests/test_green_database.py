"""A slow query beside a live room, on PostgreSQL, under eventlet and under gevent.

Every request and every room of a process shares one event loop. psycopg2 waits for
PostgreSQL inside C, holding the loop, unless its waits yield to the hub: psycogreen's
patch in app/serve.py, in both modes (under eventlet, `eventlet.monkey_patch()` installs
the same wait callback by itself). Here a tutor's page is stuck behind a lock
the test holds on a table only that page reads (the attendance corrections of the
group's page); meanwhile two phones post group rules and hear each other's cards. The
room must go on while the page is still stuck; once the lock is released, the page
answers too.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
import requests
import socketio
import sqlalchemy as sa

from tests.drivers import Listener, logged_in_tutor, phone_joins, start_workshop
from tests.fixtures.servers import start_server

pytestmark = [pytest.mark.server, pytest.mark.postgres]

RULES_STEP = 2  # workshop 1's group-rules board
# A round trip takes milliseconds here; a stuck loop never answers. The lock is held
# far longer than the round trips need, so "promptly" means "while the page is stuck".
ROUND_TRIP_S = 5.0
LOCKED_TABLE = "attendance_corrections"  # read by the group's page, never by posting


class LockedTable:
    """A table locked by the test's own connection, until the `with` block ends."""

    def __init__(self, url: str, table: str) -> None:
        self.engine = sa.create_engine(url)
        self.table = table
        self.holder = self.engine.connect()
        self.holder.begin()
        self.holder.execute(sa.text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))

    def waiters(self) -> int:
        """How many other connections wait for the lock now."""
        with self.engine.connect() as probe:
            return probe.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_locks"
                    " WHERE relation = CAST(:table AS regclass) AND NOT granted"
                ),
                {"table": self.table},
            )

    def wait_for_a_waiter(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while self.waiters() == 0:
            assert time.monotonic() < deadline, f"no query came to wait on {self.table}"
            time.sleep(0.05)

    def release(self) -> None:
        self.holder.rollback()
        self.holder.close()
        self.engine.dispose()


@contextmanager
def locked(url: str, table: str) -> Iterator[LockedTable]:
    lock = LockedTable(url, table)
    try:
        yield lock
    finally:
        lock.release()


class StuckPage:
    """A page requested on a thread of its own, for as long as the server takes."""

    def __init__(self, browser: requests.Session, url: str) -> None:
        self.answer: requests.Response | None = None
        self.thread = threading.Thread(target=self._get, args=(browser, url), daemon=True)
        self.thread.start()

    def _get(self, browser: requests.Session, url: str) -> None:
        # A failed test's clean-up stops the server first: no answer, then.
        with contextlib.suppress(requests.RequestException):
            self.answer = browser.get(url, timeout=120)

    def still_waiting(self) -> bool:
        return self.thread.is_alive()

    def wait(self) -> requests.Response:
        self.thread.join(timeout=60)
        assert self.answer is not None, "the page never answered after the lock went"
        return self.answer


def posts_and_is_heard(poster: Listener, hearer: Listener, text: str) -> float:
    """`poster` posts a group rule and `hearer` sees it arrive; the seconds it took."""
    began = time.monotonic()
    data = {"client_id": uuid.uuid4().hex, "board": "group_rules", "text": text}
    try:
        ack = poster.client.call("post", data, namespace="/participant", timeout=ROUND_TRIP_S)
    except socketio.exceptions.TimeoutError:
        pytest.fail(f"no answer to a post in {ROUND_TRIP_S} s: the room stopped with the page")
    assert ack and ack["ok"], ack
    while not any(
        card["fields"].get("text") == text
        for message in list(hearer.received)
        for card in message.get("cards", [])
    ):
        assert time.monotonic() - began < ROUND_TRIP_S, f"{text!r} never reached the other phone"
        time.sleep(0.01)
    return time.monotonic() - began


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_phones_hear_each_other_while_a_page_waits_on_a_slow_query(
    mode: str, tmp_path, postgres_schema: str, closing: ExitStack
):
    server = start_server(tmp_path, mode, DATABASE_URL=postgres_schema)
    closing.callback(server.stop)
    tutor = logged_in_tutor(server.url)
    session_id, code = start_workshop(server.url, tutor)
    browsers = {name: phone_joins(server.url, code, name) for name in ("Amina", "Boris")}
    console = Listener(server.url, "/tutor", session_id, tutor)
    closing.callback(console.client.disconnect)
    for person in console.call("sync")["board"]["waiting"]:
        console.does("admit", participant_id=person["id"])
    console.does("step", index=RULES_STEP)
    amina, boris = (
        Listener(server.url, "/participant", session_id, browsers[name])
        for name in ("Amina", "Boris")
    )
    for phone in (amina, boris):
        closing.callback(phone.client.disconnect)
    # The server goes first: gevent's answers a client's goodbye only after 3 s.
    closing.callback(server.stop)
    dashboard = tutor.get(f"{server.url}/tutor", timeout=5).text
    group_page = re.search(r'href="(/cohorts/\d+)" data-testid="cohort-link"', dashboard)
    assert group_page, dashboard

    with locked(postgres_schema, LOCKED_TABLE) as lock:
        page = StuckPage(tutor, f"{server.url}{group_page.group(1)}")
        lock.wait_for_a_waiter()

        took = []
        for n in range(3):
            took.append(posts_and_is_heard(amina, boris, f"Amina's rule {n}"))
            took.append(posts_and_is_heard(boris, amina, f"Boris's rule {n}"))

        assert page.still_waiting() and lock.waiters() == 1, "the page was not stuck throughout"
    assert page.wait().status_code == 200
    print(f"\n{mode}: six round trips while a page was stuck, slowest {max(took) * 1000:.0f} ms")
