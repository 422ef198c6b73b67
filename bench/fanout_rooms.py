"""Rooms full of phones on a real server, made as people make them, for the benchmarks.

The coordinator creates the groups on their page, the demo tutor starts a workshop for
each from the dashboard, every phone joins with the code through the join form, and
the tutor's console lets them in and opens the group-rules board. Nothing here writes
to the database behind the app's back, so the same code builds rooms on SQLite or on
PostgreSQL, behind one process or two.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import requests
import socketio

from tests.drivers import CSRF, csrf_token, logged_in_tutor, phone_joins

COORDINATOR = ("coordination", "demo-coordinator")  # made by `flask demo seed`
DOOR = 40  # app.live.operations.MAX_AT_THE_DOOR: people waiting at once, per session
MEETING = "w1-presentation"
RULES_STEP = 2  # workshop 1's group-rules board (as tests/test_chaos.py)
PHONES_PER_ADDRESS = 40  # a venue's Wi-Fi: the socket guard's caps are per address


@dataclass
class Room:
    """One session and who is in it: phones as Cookie headers, the first one posts."""

    session_id: int
    phones: list[str]
    console: str = ""
    sources: list[str] = field(default_factory=list)
    phone_cookies: list[dict[str, str]] = field(default_factory=list)


def source_for(room: int, phone: int) -> str:
    """The loopback address a phone connects from: one per forty phones of a room, so
    a room of 200 looks like a venue with several access points, never like a flood."""
    return f"127.1.{room + 1}.{phone // PHONES_PER_ADDRESS + 1}"


def cookie_header(browser: requests.Session) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


def logged_in(url: str, username: str, password: str) -> requests.Session:
    browser = requests.Session()
    token = csrf_token(browser.get(f"{url}/login", timeout=10).text)
    browser.post(
        f"{url}/login",
        data={"csrf_token": token, "username": username, "password": password},
        timeout=10,
    )
    return browser


def create_groups(url: str, names: Sequence[str]) -> None:
    """The coordinator creates one group per name, with the demo tutor as its tutor."""
    coordinator = logged_in(url, *COORDINATOR)
    for name in names:
        form = coordinator.get(f"{url}/coordinator/cohorts/new", timeout=10).text
        labels = dict(re.findall(r'<label for="tutors-(\d+)"[^>]*>([^<]*)</label>', form))
        demo = next(value for value, label in labels.items() if label.endswith("(demo)"))
        reply = coordinator.post(
            f"{url}/coordinator/cohorts/new",
            data={
                "csrf_token": csrf_token(form),
                "name": name,
                "starts_on": date.today().isoformat(),
                "ends_on": "",
                "venue": "",
                "weeks": "9",
                "tutors": [demo],
            },
            timeout=10,
        )
        assert reply.ok and reply.url.endswith("/coordinator"), (reply.status_code, name)


def start_meetings(
    url: str, tutor: requests.Session, names: Sequence[str]
) -> list[tuple[int, str]]:
    """The tutor starts workshop 1 for each named group; (session id, code) in order."""
    started = []
    for name in names:
        dashboard = tutor.get(f"{url}/tutor", timeout=10).text
        found = re.search(rf'id="cohort-(\d+)-title">{re.escape(name)}<', dashboard)
        assert found, name
        cohort = found.group(1)
        reply = tutor.post(
            f"{url}/cohorts/{cohort}/sessions",
            data={"csrf_token": CSRF.search(dashboard).group(1), f"c{cohort}-meeting": MEETING},
            timeout=10,
        )
        session_id = re.search(r"/sessions/(\d+)/console", reply.url)
        code = re.search(r'data-testid="join-code">([A-Z0-9]{6})<', reply.text)
        assert session_id and code, (name, reply.status_code, reply.url)
        started.append((int(session_id.group(1)), code.group(1)))
    return started


def console_for(url: str, session_id: int, tutor_cookie: str) -> socketio.Client:
    console = socketio.Client(reconnection=False)
    console.connect(
        url,
        namespaces=["/tutor"],
        auth={"session_id": session_id},
        headers={"Cookie": tutor_cookie},
        transports=["websocket"],
        wait_timeout=10,
    )
    return console


def fill_room(url: str, session_id: int, code: str, phones: int, tutor_cookie: str) -> list[str]:
    """`phones` people join through the form, let in by the tutor forty at a time (the
    door holds forty); their phones' Cookie headers, in order of joining."""
    console = console_for(url, session_id, tutor_cookie)
    joined: list[requests.Session] = []
    try:
        with ThreadPoolExecutor(4) as pool:
            for start in range(0, phones, DOOR):
                names = [
                    f"Phone {session_id}-{n:03d}" for n in range(start, min(phones, start + DOOR))
                ]
                joined += pool.map(lambda name: phone_joins(url, code, name), names)
                ack = console.call("admit_all", {}, namespace="/tutor", timeout=30)
                assert ack and ack.get("ok"), ack
        ack = console.call("step", {"index": RULES_STEP}, namespace="/tutor", timeout=30)
        assert ack and ack.get("ok"), ack
    finally:
        console.disconnect()
    for browser in joined:
        assert "mp_device" in browser.cookies, "a phone was not let in"
    return [cookie_header(browser) for browser in joined]


def app_rooms(url: str, rooms: int, phones: int, label: str) -> tuple[list[Room], str]:
    """`rooms` running workshops of `phones` admitted phones each, on the app at `url`;
    with the tutor's Cookie header (for consoles)."""
    names = [f"Bench {label} {n:02d}" for n in range(rooms)]
    started_at = time.monotonic()
    create_groups(url, names)
    tutor = logged_in_tutor(url)
    tutor_cookie = cookie_header(tutor)
    made = []
    for r, (session_id, code) in enumerate(start_meetings(url, tutor, names)):
        cookies = fill_room(url, session_id, code, phones, tutor_cookie)
        made.append(
            Room(
                session_id,
                cookies,
                tutor_cookie,
                [source_for(r, n) for n in range(phones)],
                [dict(part.split("=", 1) for part in c.split("; ")) for c in cookies],
            )
        )
    print(
        f"  {rooms} rooms of {phones} phones joined and let in"
        f" ({time.monotonic() - started_at:.0f} s)",
        flush=True,
    )
    return made, tutor_cookie


def bare_rooms(rooms: int, phones: int) -> list[Room]:
    """The same rooms on the bare server: a session id is all it asks."""
    return [
        Room(r + 1, [""] * phones, "", [source_for(r, n) for n in range(phones)])
        for r in range(rooms)
    ]
