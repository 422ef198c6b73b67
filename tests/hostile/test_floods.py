"""Floods meet a refusal, not a server on its knees: undecodable packets, an admitted
phone's torrent of events, a stranger's endless namespace connects, half-open
handshakes from one address, a scripted queue at the door, PDFs and reloads on a loop,
a password sprayer. Each is refused clearly, and what it left is cleaned up."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import websocket
from requests.adapters import HTTPAdapter
from sqlalchemy import select

from app.extensions import db
from app.models import DeviceLink, LiveSession, Membership, MembershipStatus, Participant
from tests.hostile.conftest import PASSWORD, Site, csrf_of, serving

KNOCKS = 10  # the door's limit per address in this module (10/10 minutes)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A tight door; a phone's own event limit lifted, so that what refuses a flood here
    is the socket guard (the event limit has its tests in test_ratelimit.py)."""
    yield from serving(
        tmp_path_factory.mktemp("floods"),
        MIGRAPASS_RATE_LIMIT_KNOCKS_PER_ADDRESS=f"{KNOCKS}/10 minutes",
        MIGRAPASS_RATE_LIMIT_PARTICIPANT="1000/10 seconds",
    )


@pytest.fixture(scope="module")
def spray_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server of its own for the password sprayer: its limits must not leak."""
    yield from serving(tmp_path_factory.mktemp("spray"))


# --- raw Engine.IO ------------------------------------------------------------------------


class FromAddress(HTTPAdapter):
    """requests' connections, leaving from another loopback address."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def raw_socket(site: Site, browser: requests.Session | None = None) -> websocket.WebSocket:
    """An Engine.IO websocket, opened (its "0{…}" read), on no namespace yet."""
    port = urlsplit(site.url).port
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items()) if browser else None
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket", timeout=10, cookie=cookie
    )
    assert ws.recv().startswith("0{")
    return ws


def until_closed(ws: websocket.WebSocket, within_s: float = 10) -> list[str]:
    """Every frame heard until the server closes the connection (which it must)."""
    heard: list[str] = []
    deadline = time.monotonic() + within_s
    try:
        while time.monotonic() < deadline:
            frame = ws.recv()
            if frame in ("", "1"):  # a close frame, or Engine.IO's close packet
                return heard
            heard.append(frame)
    except (websocket.WebSocketConnectionClosedException, ConnectionError):
        return heard
    except websocket.WebSocketTimeoutException:
        pass
    pytest.fail(f"the server kept the connection open; heard {heard[-3:]}")


def body_of(frame: str, head: str) -> Any:
    return json.loads(frame[len(head) :])


def log_since(site: Site, offset: int) -> str:
    return site.server.log.read_bytes()[offset:].decode(errors="replace")


def log_size(site: Site) -> int:
    return site.server.log.stat().st_size


# --- the socket guard -----------------------------------------------------------------------


def test_an_undecodable_packet_is_answered_logged_once_and_its_connection_closed(site: Site):
    mark = log_size(site)
    ws = raw_socket(site)
    ws.send('42/tutor,17["sync",{bad json')
    heard = until_closed(ws)
    acks = [f for f in heard if f.startswith("43/tutor,17[")]
    assert len(acks) == 1 and body_of(acks[0], "43/tutor,17")[0]["error"] == "bad_request"
    time.sleep(0.3)  # the server's log is written by another process
    logged = log_since(site, mark)
    warnings = [line for line in logged.splitlines() if "could not read" in line]
    assert len(warnings) == 1 and len(warnings[0]) < 200, logged
    assert "Traceback" not in logged


def test_a_flooding_phone_is_told_too_fast_then_cut_off_and_may_come_back_calmly(site: Site):
    cohort = site.cohort("A")
    live = site.start(cohort, site.staff(cohort))
    phone = site.phone(site.person("Lena", cohort))
    mark = log_size(site)
    ws = raw_socket(site, phone)
    ws.send(f'40/participant,{{"session_id":{live.id}}}')
    while not (frame := ws.recv()).startswith("40/participant,{"):  # let in (boards first)
        assert frame.startswith("42/participant,"), frame

    def flood() -> None:
        try:
            for n in range(2000):
                ws.send(f'42/participant,{n}["sync",{{}}]')
        except (OSError, websocket.WebSocketException):
            pass  # cut off mid-flood: as it should be

    sender = threading.Thread(target=flood)
    sender.start()
    heard = until_closed(ws, within_s=30)
    sender.join(10)
    refused = [f for f in heard if f.startswith("43/participant,") and '"too_fast"' in f]
    assert refused, heard[-3:]
    assert len([f for f in heard if f.startswith("43/participant,")]) < 2000
    again = site.socket(phone, "/participant", live)
    assert again.connected and again.call("sync")["ok"] is True
    assert "Traceback" not in log_since(site, mark)


def test_a_stranger_repeating_namespace_connects_is_refused_each_time_then_closed(site: Site):
    ws = raw_socket(site)
    for _ in range(20):
        try:
            ws.send('40/tutor,{"session_id":1}')
        except (OSError, websocket.WebSocketException):
            break
    heard = until_closed(ws)
    refusals = [body_of(f, "44/tutor,") for f in heard if f.startswith("44/tutor,")]
    print(f"{len(refusals)} refused namespace connects before the close")
    assert len(refusals) == 8
    for refusal in refusals:
        assert refusal["data"]["error"] == "not_allowed"
        assert refusal["message"] == refusal["data"]["message"] and refusal["message"]


def test_one_address_may_not_hold_more_than_fifty_handshakes_that_enter_no_room(site: Site):
    stranger = requests.Session()
    stranger.mount("http://", FromAddress("127.0.0.3"))
    handshake = f"{site.url}/socket.io/?EIO=4&transport=polling"
    held = []
    try:
        for _ in range(50):
            opened = stranger.get(handshake, timeout=10)
            assert opened.status_code == 200 and opened.text.startswith("0{")
            held.append(json.loads(opened.text[1:])["sid"])
        with contextlib.suppress(requests.ConnectionError):  # hung up on: refused too
            assert stranger.get(handshake, timeout=10).status_code == 401
        honest = requests.get(handshake, timeout=10)
        assert honest.status_code == 200 and honest.text.startswith("0{")
    finally:
        for sid in held:  # Engine.IO's close packet
            stranger.post(f"{handshake}&sid={sid}", data="1", timeout=10)


# --- the door -------------------------------------------------------------------------------


def english() -> requests.Session:
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    return browser


def knock_as_newcomer(site: Site, code: str, name: str) -> requests.Response:
    phone = english()
    form = phone.get(f"{site.url}/j/{code}", timeout=10)
    return phone.post(
        f"{site.url}/j/{code}",
        data={
            "csrf_token": csrf_of(form.text),
            "name": name,
            "language": "en",
            "consent_data": "y",
        },
        allow_redirects=False,
        timeout=10,
    )


def waiting_at(site: Site, live: LiveSession) -> list[int]:
    return site.do(
        lambda: list(
            db.session.scalars(
                select(Membership.participant_id).where(
                    Membership.cohort_id == live.cohort_id,
                    Membership.status == MembershipStatus.PENDING.value,
                )
            )
        )
    )


def test_a_scripted_queue_at_the_door_is_stopped_and_the_tutor_clears_it(site: Site):
    cohort = site.cohort("A")
    tutor = site.staff(cohort)
    live = site.start(cohort, tutor)
    code = site.get(LiveSession, live.id).join_code
    member = site.person("Lena", cohort)
    console = site.socket(site.logged_in(tutor), "/tutor", live)
    assert console.connected

    for n in range(KNOCKS):
        assert knock_as_newcomer(site, code, f"Bot {n}").status_code == 302
    bots = waiting_at(site, live)
    assert len(bots) == KNOCKS
    before = site.rows()
    refused = knock_as_newcomer(site, code, "Bot again")
    assert refused.status_code == 429
    assert "Many people asked to join from here just now" in refused.text
    assert site.rows() == before

    cleared = console.call("clear_door")
    assert cleared == {"ok": True, "declined": KNOCKS}
    assert waiting_at(site, live) == []
    assert all(site.get(Participant, bot) is None for bot in bots)
    links = site.do(
        lambda: db.session.scalars(
            select(DeviceLink.id).where(DeviceLink.participant_id.in_(bots))
        ).all()
    )
    assert links == []
    deadline = time.monotonic() + 5
    while not any(n == "waiting" and "declined" in m for n, m in console.heard):
        assert time.monotonic() < deadline, console.heard[-3:]
        time.sleep(0.05)

    before = site.rows()
    not_waiting = console.call("decline", {"participant_id": member.id})
    assert not_waiting["ok"] is False and not_waiting["error"] == "no_such_participant"
    assert site.rows() == before


# --- pages on a loop ------------------------------------------------------------------------


def test_thirty_pdfs_asked_at_once_make_one_export(site: Site):
    phone = site.phone(site.person("Lena", site.cohort("A")))
    token = site.csrf(phone, "/me")
    health: list[int] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            health.append(requests.get(f"{site.url}/healthz", timeout=10).status_code)
            time.sleep(0.02)

    together = threading.Barrier(30)

    def ask(_n: int) -> requests.Response:
        mine = requests.Session()
        mine.cookies.update(phone.cookies)
        together.wait(10)
        return mine.post(
            f"{site.url}/me/portfolio.pdf",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(30) as pool:
            replies = list(pool.map(ask, range(30)))
    finally:
        done.set()
        watcher.join()
    assert {r.status_code for r in replies} <= {303, 429}
    exports = {r.headers["Location"] for r in replies if r.status_code == 303}
    assert len(exports) == 1 and exports.pop().startswith("/me/exports/")
    assert health and set(health) == {200}


def test_a_reload_loop_on_the_portfolio_meets_a_clear_limit_for_that_person_only(site: Site):
    cohort = site.cohort("A")
    looping, other = (site.phone(site.person(name, cohort)) for name in ("Lena", "Omar"))
    answers = [looping.get(f"{site.url}/me", timeout=10).status_code for _ in range(31)]
    assert answers == [200] * 30 + [429]
    refused = looping.get(f"{site.url}/me", timeout=10)
    assert refused.status_code == 429
    assert "This page was opened many times in a row" in refused.text
    assert other.get(f"{site.url}/me", timeout=10).status_code == 200


# --- passwords --------------------------------------------------------------------------------


def try_login(site: Site, browser: requests.Session, username: str, password: str) -> int:
    return logging_in(site, browser, username, password).status_code


def logging_in(
    site: Site, browser: requests.Session, username: str, password: str
) -> requests.Response:
    token = site.csrf(browser, "/login")
    return browser.post(
        f"{site.url}/login",
        data={"csrf_token": token, "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )


def test_a_password_sprayer_is_stopped_per_account_then_per_address(spray_site: Site):
    site = spray_site
    victim, colleague, third = site.staff(), site.staff(), site.staff()
    sprayer = english()
    wrong = [try_login(site, sprayer, victim.username, f"guess {n}") for n in range(10)]
    assert wrong == [401] * 10
    before = site.rows()
    right = logging_in(site, sprayer, victim.username, PASSWORD)  # even the right password
    assert right.status_code == 429 and "Too many wrong passwords" in right.text
    assert site.rows() == before
    assert try_login(site, english(), colleague.username, PASSWORD) == 302

    # Other names from the same address: thirty wrong ones in all, then no one logs in here.
    sprayed = [try_login(site, sprayer, f"name-{n}", "guess") for n in range(20)]
    assert sprayed == [401] * 20
    assert try_login(site, english(), third.username, PASSWORD) == 429
