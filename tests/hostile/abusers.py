"""The abuses of the responsiveness test, run in a process of their own, so that the
abusers' threads never share the tutor's probe's interpreter (or its lock).

Each takes the scene as plain data and a `stop` event, runs until it is set, and says
what it did. Nothing here imports the application.
"""

from __future__ import annotations

import socket as sockets
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
import websocket

from tests.hostile.pages import csrf_of

Scene = dict[str, Any]


def login_spray(scene: Scene, stop: threading.Event) -> str:
    tries, refused = 0, 0

    def one() -> None:
        nonlocal tries, refused
        browser = _stranger()
        token = csrf_of(browser.get(f"{scene['url']}/login", timeout=10).text)
        while not stop.is_set():
            reply = browser.post(
                f"{scene['url']}/login",
                data={"csrf_token": token, "username": "tutor-1", "password": "wrong one"},
                timeout=10,
            )
            tries += 1
            refused += reply.status_code == 429

    _in_threads(8, one)
    return f"{tries} wrong passwords from 8 clients, {refused} answered 429"


def pdf_spam(scene: Scene, stop: threading.Event) -> str:
    phone = _phone(scene)
    token = csrf_of(phone.get(f"{scene['url']}/me", timeout=10).text)
    answers: list[int] = []

    def one() -> None:
        while not stop.is_set():
            reply = phone.post(
                f"{scene['url']}/me/portfolio.pdf",
                data={"csrf_token": token},
                timeout=10,
                allow_redirects=False,
            )
            answers.append(reply.status_code)

    _in_threads(30, one)
    return f"{len(answers)} PDF requests from one phone: " + count(answers)


def phone_flood(scene: Scene, stop: threading.Event) -> str:
    cookie = "; ".join(f"{k}={v}" for k, v in scene["amina_cookies"].items())
    sent, connections = 0, 0
    while not stop.is_set():
        ws = _websocket(scene, cookie)
        connections += 1
        ws.send(f'40/participant,{{"session_id":{scene["live_id"]}}}')
        sent = _pour(ws, stop, sent, lambda n: [f'42/participant,{n}["sync",{{}}]'])
    return f"{sent} events from an admitted phone over {connections} connections"


def anonymous_flood(scene: Scene, stop: threading.Event) -> str:
    sent, connections = 0, 0
    while not stop.is_set():
        try:
            ws = _websocket(scene, "", source="127.0.0.4")
        except (websocket.WebSocketException, OSError):
            time.sleep(0.05)  # refused at the door: the handshake limit per address
            continue
        connections += 1
        sent = _pour(
            ws,
            stop,
            sent,
            lambda n: [
                f'40/tutor,{{"session_id":{scene["live_id"]}}}',
                f'42/tutor,{n}["sync",{{}}]',
            ],
        )
    return f"{sent} connects and events from no one, over {connections} connections"


def half_open(scene: Scene, stop: threading.Event) -> str:
    port = int(scene["url"].rsplit(":", 1)[1])
    held = []
    for _ in range(1100):
        conn = sockets.socket()
        conn.bind(("127.0.0.2", 0))
        try:
            conn.connect(("127.0.0.1", port))
            conn.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        except OSError:
            conn.close()
            continue
        held.append(conn)
    stop.wait()
    for conn in held:
        conn.close()
    return f"{len(held)} half-open connections from one address"


def join_flood(scene: Scene, stop: threading.Event) -> str:
    code = scene["join_code"]
    answers: list[int] = []

    def one() -> None:
        n = 0
        while not stop.is_set():
            phone = _stranger()
            form = phone.get(f"{scene['url']}/j/{code}", timeout=10)
            if form.status_code != 200:  # turned away before the form: ask again
                answers.append(form.status_code)
                continue
            reply = phone.post(
                f"{scene['url']}/j/{code}",
                data={
                    "csrf_token": csrf_of(form.text),
                    "name": f"Bot {threading.get_ident()} {n}",
                    "language": "fr",
                    "consent_data": "y",
                },
                timeout=10,
                allow_redirects=False,
            )
            answers.append(reply.status_code)
            n += 1

    _in_threads(4, one)
    return f"{len(answers)} join requests: " + count(answers)


def portfolio_reloads(scene: Scene, stop: threading.Event) -> str:
    phone = _phone(scene)
    answers: list[int] = []

    def one() -> None:
        while not stop.is_set():
            answers.append(phone.get(f"{scene['url']}/me", timeout=10).status_code)

    _in_threads(4, one)
    return f"{len(answers)} loads of a 250-entry portfolio: " + count(answers)


def _websocket(scene: Scene, cookie: str, source: str | None = None) -> websocket.WebSocket:
    host, port = scene["url"].removeprefix("http://").split(":")
    raw = None
    if source is not None:
        raw = sockets.socket()
        raw.bind((source, 0))
        raw.connect((host, int(port)))
    ws = websocket.create_connection(
        f"ws://{host}:{port}/socket.io/?EIO=4&transport=websocket",
        header=[f"Cookie: {cookie}"] if cookie else None,
        socket=raw,
        timeout=5,
    )
    ws.recv()  # the Engine.IO open packet
    return ws


def _pour(
    ws: websocket.WebSocket, stop: threading.Event, sent: int, frames: Callable[[int], list[str]]
) -> int:
    """Send `frames(sent)` again and again until `stop` is set or the server cuts the
    connection (which is the point), then close it; the count of frames sent by then."""
    try:
        while not stop.is_set():
            batch = frames(sent)
            for frame in batch:
                ws.send(frame)
            sent += len(batch)
    except (websocket.WebSocketException, OSError):
        pass
    finally:
        ws.close()
    return sent


def _in_threads(count: int, work: Callable[[], None]) -> None:
    threads = [threading.Thread(target=work, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def count(statuses: list[int]) -> str:
    counted: dict[int, int] = {}
    for status in statuses:
        counted[status] = counted.get(status, 0) + 1
    return ", ".join(f"{n} × {status}" for status, n in sorted(counted.items()))


class _FromElsewhere(requests.adapters.HTTPAdapter):
    """Connections from another loopback address: the attacker is not in the tutor's room
    (the probe's /healthz comes from 127.0.0.1)."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (ELSEWHERE, 0)
        super().init_poolmanager(*args, **kwargs)


ELSEWHERE = "127.0.0.5"


def _stranger() -> requests.Session:
    browser = requests.Session()
    browser.mount("http://", _FromElsewhere())
    return browser


def _phone(scene: Scene) -> requests.Session:
    phone = requests.Session()
    for name, value in scene["amina_cookies"].items():
        phone.cookies.set(name, value, domain="127.0.0.1")
    return phone


ABUSES: dict[str, Callable[[Scene, threading.Event], str]] = {
    "login spray": login_spray,
    "PDF spam": pdf_spam,
    "flood from an admitted phone": phone_flood,
    "flood of refused connections": anonymous_flood,
    "half-open connections": half_open,
    "join flood": join_flood,
    "portfolio reload loop": portfolio_reloads,
}


def run(name: str, scene: Scene, seconds: float, said: Any) -> None:
    """In the abuser's process: say when it starts, abuse for `seconds`, say what it did."""
    stop = threading.Event()
    threading.Timer(seconds, stop.set).start()
    said.put(("started", time.monotonic()))
    what = ABUSES[name](scene, stop)
    said.put(("done", what))
