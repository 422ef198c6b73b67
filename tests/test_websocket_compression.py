"""A board patch goes out to every phone as it is: the server declines the websocket
compression a browser offers (compressing it again for each of forty phones cost more
of the server's time than the post itself, issue 20)."""

from __future__ import annotations

import base64
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.doors import uncompressed_websockets
from tests.fixtures.servers import ServerProcess, start_server

CHROMIUM_OFFER = "permessage-deflate; client_max_window_bits"


def seen_by_the_app(environ: dict[str, Any]) -> dict[str, Any]:
    seen: dict[str, Any] = {}

    def inner(env: dict[str, Any], _start: Any) -> list[bytes]:
        seen.update(env)
        return []

    uncompressed_websockets(inner)(environ, lambda *_: None)
    return seen


def test_a_websocket_handshake_reaches_socketio_without_the_compression_offer():
    seen = seen_by_the_app(
        {"HTTP_UPGRADE": "WebSocket", "HTTP_SEC_WEBSOCKET_EXTENSIONS": CHROMIUM_OFFER}
    )
    assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in seen
    assert seen["HTTP_UPGRADE"] == "WebSocket"


def test_a_page_request_is_left_as_it_came():
    assert seen_by_the_app({"HTTP_ACCEPT_ENCODING": "gzip"}) == {"HTTP_ACCEPT_ENCODING": "gzip"}


def test_the_app_declines_compression_in_its_own_doors(app):
    """The doors installed by the factory take the offer out before Flask-SocketIO's
    middleware (and the websocket server behind it) reads the handshake."""
    offer = {"Upgrade": "websocket", "Sec-WebSocket-Extensions": CHROMIUM_OFFER}
    with app.test_request_context("/healthz", headers=offer) as ctx:
        environ = ctx.request.environ
        assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" in environ
        app.wsgi_app(environ, lambda *_: None)
        assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in environ


@pytest.fixture(params=["eventlet", "gevent"])
def real_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    started = start_server(tmp_path, request.param)
    yield started
    started.stop()


def handshake_headers(url: str) -> dict[str, str]:
    """Open Engine.IO's websocket as Chromium does, offering compression; its headers."""
    address = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
        f"Host: {address.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Extensions: {CHROMIUM_OFFER}\r\n\r\n"
    )
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(request.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    status, *lines = answer.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
    assert " 101 " in status, answer
    return {name.lower(): value.strip() for name, value in (ln.split(":", 1) for ln in lines)}


@pytest.mark.server
def test_the_real_server_answers_a_compression_offer_with_plain_frames(real_server):
    headers = handshake_headers(real_server.url)
    assert headers["upgrade"].lower() == "websocket"
    assert "sec-websocket-extensions" not in headers
