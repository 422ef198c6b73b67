"""The built-in web server, with what keeps one address from holding every connection.

Eventlet's and gevent's servers accept a thousand connections and wait forever for a
request: a thousand half-open connections from one machine stopped every page and
websocket. Here each address may hold a room-sized number of connections at once
(a whole room shares one Wi-Fi address), a connection has a few seconds to send its
request line and headers, and reads time out. A reverse proxy in front does this too
(README, "Production"); this keeps the built-in server safe on its own.
"""

from __future__ import annotations

import contextlib
import socket
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask


@dataclass
class AddressCaps:
    """How many connections each address holds now, refusing one over `per_address`."""

    per_address: int
    held: Counter[str] = field(default_factory=Counter)

    def admit(self, address: str) -> bool:
        if self.held[address] >= self.per_address:
            return False
        self.held[address] += 1
        return True

    def release(self, address: str) -> None:
        self.held[address] -= 1
        if self.held[address] <= 0:
            del self.held[address]


def serve(app: Flask, mode: str) -> None:
    """Serve the app with the server of its async mode until the process is stopped."""
    host, port = app.config["HOST"], app.config["PORT"]
    # Behind a proxy every connection comes from the proxy: it caps each address itself.
    per_address = app.config["MAX_CONNECTIONS_PER_ADDRESS"]
    caps = AddressCaps(app.config["MAX_CONNECTIONS"] if app.config["PROXIES"] else per_address)
    timeout = app.config["REQUEST_TIMEOUT_S"]
    if mode == "eventlet":
        _serve_eventlet(app, host, port, caps, timeout)
    elif mode == "gevent":
        _serve_gevent(app, host, port, caps, timeout)
    else:  # threading: Werkzeug's development server, for trying things out only
        from app.extensions import socketio

        socketio.run(app, host=host, port=port, allow_unsafe_werkzeug=True)


def listening_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """The server's listening socket, made after the monkey patch (so green), whose
    connections send each write at once.

    A post answers the phone with two or three small websocket frames in a row (the ack,
    the board's patch): with Nagle's algorithm the later ones waited for the phone's
    delayed ACK, some 40 ms. Linux gives an accepted connection its listener's
    TCP_NODELAY; `no_delay` sets it again on each connection where that may not hold.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    listener.bind((host, port))
    listener.listen(backlog)
    return listener


def no_delay(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the client: nothing to send
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


# Socket.IO pings every 25 s and waits 20 s for the answer: an open websocket reads at
# least that often, so a read may wait this long without the client being gone.
READ_TIMEOUT_S = 60


def _serve_eventlet(app: Flask, host: str, port: int, caps: AddressCaps, timeout: float) -> None:
    import eventlet
    import eventlet.wsgi

    class CappedPool:
        """eventlet.wsgi's pool of connection handlers, refusing an address over its cap."""

        def __init__(self, size: int) -> None:
            self.pool = eventlet.GreenPool(size)

        def spawn(self, handle: Callable[[list[Any]], None], connection: list[Any]) -> Any:
            address = str(connection[0][0])
            no_delay(connection[1])
            if not caps.admit(address):
                return self.pool.spawn(_hang_up, connection[1])

            def handled() -> None:
                try:
                    handle(connection)
                finally:
                    caps.release(address)

            return self.pool.spawn(handled)

        def waitall(self) -> None:
            self.pool.waitall()

    def unhurried(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        """Past the headers, the application (a websocket included) reads at its pace."""
        stream = environ.get("eventlet.input")
        if stream is not None:
            stream.get_socket().settimeout(READ_TIMEOUT_S)
        return app(environ, start_response)

    eventlet.wsgi.server(
        listening_socket(host, port),
        unhurried,
        custom_pool=CappedPool(app.config["MAX_CONNECTIONS"]),
        keepalive=timeout,  # the request line, first or next, within this time
        socket_timeout=timeout,  # and the headers after it
        log_output=False,
    )


def _serve_gevent(app: Flask, host: str, port: int, caps: AddressCaps, timeout: float) -> None:
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIHandler, WSGIServer

    class TimedHandler(WSGIHandler):
        """The request line and headers within `timeout`; the application (a websocket
        included) then reads without a deadline of the server's."""

        def read_requestline(self) -> str:
            self.socket.settimeout(timeout)
            return super().read_requestline()

        def read_request(self, raw_requestline: str) -> Any:
            try:
                return super().read_request(raw_requestline)
            finally:
                self.socket.settimeout(READ_TIMEOUT_S)

        def _handle_client_error(self, ex: Exception) -> Any:
            if isinstance(ex, socket.timeout):  # a slow client: close, and say nothing
                return None
            return super()._handle_client_error(ex)

    class CappedServer(WSGIServer):
        def handle(self, sock: Any, address: Any) -> None:
            client = str(address[0])
            no_delay(sock)
            if not caps.admit(client):
                _hang_up(sock)
                return
            try:
                super().handle(sock, address)
            finally:
                caps.release(client)

    server = CappedServer(
        listening_socket(host, port),
        app,
        handler_class=TimedHandler,
        spawn=Pool(app.config["MAX_CONNECTIONS"]),
        log=None,
    )
    server.serve_forever()


def _hang_up(sock: Any) -> None:
    with contextlib.suppress(OSError):
        sock.close()
