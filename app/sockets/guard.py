"""The socket server's door: cheap checks on every Engine.IO connection and message, made
before python-socketio decodes a packet, before Flask pushes a context and before the
database is asked anything.

Under eventlet or gevent every room shares one loop, and one connection's reader runs
without yielding while its socket has data: a flood from a single phone, or from a
connection that never logged in, could hold every room. So, per connection: a budget of
messages (what exceeds it is answered "too fast" without being handled, and a connection
that keeps exceeding it is closed), a few namespace connections at most, a yield every
few messages, and an undecodable packet answered where the protocol allows, logged
once, then the connection closed. Per address: a cap on connections that have not yet
entered any room, and on new connections per minute. A room shares one Wi-Fi address,
so these caps are room-sized, far above what a room does.

The counters live in this process only, with the connections they count.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import time
from collections import Counter
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from limits import parse

from app.ratelimit import InProcess

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caps:
    messages_per_second: float = 10.0  # sustained, per connection (SOCKET_MESSAGE_RATE)
    message_burst: float = 30.0
    strikes_before_closing: int = 60  # refused messages in the connection's life
    namespace_connects: int = 8  # CONNECT packets per connection (three namespaces)
    yield_every: int = 10  # messages handled between two yields to the other rooms
    unentered_per_address: int = 50  # connections not yet in any room
    new_connections_per_address: str = "150/minute"  # a room reconnecting twice fits
    enter_within_s: float = 30.0  # a connection in no room by then is closed


@dataclass
class _Connection:
    address: str
    tokens: float
    stamp: float
    entered: bool = False
    messages: int = 0
    strikes: int = 0
    connects: int = 0
    bad_packet_logged: bool = False
    wire: Any = None  # the TCP socket it came on, to hang up on an abuser


# `<type>[<namespace>,][<id>]...`: enough of a packet to answer it, whatever follows.
_HEAD = re.compile(r"(?P<type>[0-6])(?:\d+-)?(?:(?P<ns>/[^,]*),)?(?P<id>\d{1,15})?")
CONNECT, EVENT, ACK, CONNECT_ERROR = "0", "2", "3", "4"
ENVIRON_KEY = "migrapass.guarded"
# What one message may weigh. Engine.IO lets larger ones in (up to its own buffer size)
# so that this can answer them: a write refused here leaves the phone's outbox with a
# message, where a closed connection made the phone resend it forever.
MAX_MESSAGE_BYTES = 64 * 1024
# What Engine.IO itself lets in (its max_http_buffer_size): room for the guard to see a
# message too large and answer it, where Engine.IO would cut the connection without a word.
BUFFER_BYTES = 16 * MAX_MESSAGE_BYTES


class Guard:
    """Wraps the Engine.IO server's connect, message and disconnect handlers."""

    def __init__(
        self,
        server: Any,  # python-socketio's Server
        refusal: Callable[[str], dict[str, Any]],
        caps: Caps | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.server = server
        self.caps = caps or Caps()
        self._refusal = refusal
        self._clock = clock
        eio = server.eio
        self._inner = {name: eio.handlers[name] for name in ("connect", "message", "disconnect")}
        self._connections: dict[str, _Connection] = {}
        self._unentered: Counter[str] = Counter()
        self._arrivals = InProcess()
        self._arrival_rule = parse(self.caps.new_connections_per_address)
        eio.on("connect", self._connect)
        eio.on("message", self._message)
        eio.on("disconnect", self._disconnect)

    # --- Engine.IO events ----------------------------------------------------------------

    def _connect(self, eio_sid: str, environ: MutableMapping[str, Any]) -> Any:
        address = str(environ.get("REMOTE_ADDR") or "unknown")
        if self._unentered[address] >= self.caps.unentered_per_address:
            return False
        if not self._arrivals.hit(self._arrival_rule, address):
            return False
        connection = _Connection(
            address, self.caps.message_burst, self._clock(), wire=_wire(environ)
        )
        self._connections[eio_sid] = connection
        self._unentered[address] += 1
        environ[ENVIRON_KEY] = eio_sid
        accepted = self._inner["connect"](eio_sid, environ)
        if accepted is False:
            self._forget(eio_sid)
            return False
        self.server.start_background_task(self._close_if_never_entered, eio_sid)
        return accepted

    def _message(self, eio_sid: str, data: Any) -> Any:
        connection = self._connections.get(eio_sid)
        if connection is None:  # closed by us: what its reader still holds is dropped,
            self.server.sleep(0)  # and its writer gets the turn it needs to hang up
            return None
        connection.messages += 1
        if connection.messages % self.caps.yield_every == 0:
            self.server.sleep(0)  # let the other rooms run between a flood's messages
        text = data if isinstance(data, str) else ""
        if text.startswith(CONNECT):
            connection.connects += 1
            if connection.connects > self.caps.namespace_connects:
                self._close(eio_sid)
                return None
        if not self._take(connection):
            connection.strikes += 1
            if connection.strikes >= self.caps.strikes_before_closing:
                self._close(eio_sid)
            else:
                self._answer(eio_sid, text, "too_fast")
            return None
        if isinstance(data, bytes) and len(data) > MAX_MESSAGE_BYTES:
            # No page of ours sends binary: nothing to answer, and a packet would wait
            # for this attachment.
            log.warning(
                "closed a connection sending %d binary bytes from %s", len(data), connection.address
            )
            self._close(eio_sid)
            return None
        # Four bytes at most per character: most messages are judged without encoding.
        if len(text) > MAX_MESSAGE_BYTES // 4:
            size = len(text.encode("utf-8", "surrogatepass"))
            if size > MAX_MESSAGE_BYTES:  # a card a keyboard let grow: answer, keep the line
                head = _HEAD.match(text)
                log.warning(
                    "refused a %d-byte message on %s from %s",
                    size,
                    (head and head["ns"]) or "/",
                    connection.address,
                )
                self._answer(eio_sid, text, "too_large")
                return None
        try:
            return self._inner["message"](eio_sid, data)
        except Exception as exc:  # an undecodable or ill-formed packet
            if not connection.bad_packet_logged:
                connection.bad_packet_logged = True
                log.warning(
                    "closing a socket from %s after a packet it could not read (%s)",
                    connection.address,
                    type(exc).__name__,
                )
            self._answer(eio_sid, text, "bad_request")
            self._close(eio_sid)
            return None

    def _disconnect(self, eio_sid: str, *reason: Any) -> Any:
        self._forget(eio_sid)
        return self._inner["disconnect"](eio_sid, *reason)

    # --- what the namespaces tell -----------------------------------------------------------

    def entered(self, environ: MutableMapping[str, Any]) -> None:
        """A namespace let this connection in: it no longer counts against its address."""
        connection = self._connections.get(environ.get(ENVIRON_KEY, ""))
        if connection is not None and not connection.entered:
            connection.entered = True
            self._release(connection.address)

    # --- helpers -------------------------------------------------------------------------

    def _take(self, connection: _Connection) -> bool:
        now = self._clock()
        connection.tokens = min(
            self.caps.message_burst,
            connection.tokens + (now - connection.stamp) * self.caps.messages_per_second,
        )
        connection.stamp = now
        if connection.tokens < 1:
            return False
        connection.tokens -= 1
        return True

    def _answer(self, eio_sid: str, text: str, code: str) -> None:
        """Answer a refused packet where the protocol allows: an event that asked for an
        acknowledgement gets one, a namespace connection gets its refusal."""
        head = _HEAD.match(text)
        if head is None:
            return
        namespace = head["ns"] or ""
        prefix = f"{namespace}," if namespace else ""
        body = self._refusal(code)
        if head["type"] == EVENT and head["id"] is not None:
            reply = f"{ACK}{prefix}{head['id']}{json.dumps([body])}"
        elif head["type"] == CONNECT:  # the shape of the namespaces' own refusals (`refuse`)
            reason = {"error": code, "message": body["message"]}
            reply = (
                f"{CONNECT_ERROR}{prefix}{json.dumps({'message': body['message'], 'data': reason})}"
            )
        else:
            return
        try:
            self.server.eio.send(eio_sid, reply)
        except Exception:  # the connection is already gone: nothing to answer
            log.debug("could not answer a refused packet", exc_info=True)

    def _close(self, eio_sid: str) -> None:
        """Close the connection, and hang up its TCP socket: a client that writes without
        reading would otherwise keep the server's writer, and so the close, waiting."""
        connection = self._connections.get(eio_sid)
        self.server.eio.disconnect(eio_sid)
        if connection is not None and connection.wire is not None:
            with contextlib.suppress(OSError):
                connection.wire.shutdown(socket.SHUT_RDWR)

    def _close_if_never_entered(self, eio_sid: str) -> None:
        self.server.sleep(self.caps.enter_within_s)
        connection = self._connections.get(eio_sid)
        if connection is not None and not connection.entered:
            self._close(eio_sid)

    def _forget(self, eio_sid: str) -> None:
        connection = self._connections.pop(eio_sid, None)
        if connection is not None and not connection.entered:
            self._release(connection.address)

    def _release(self, address: str) -> None:
        self._unentered[address] -= 1
        if self._unentered[address] <= 0:
            del self._unentered[address]


def _wire(environ: MutableMapping[str, Any]) -> Any:
    """The request's TCP socket, where the server exposes it (eventlet, gevent)."""
    stream = environ.get("eventlet.input")
    if stream is not None and hasattr(stream, "get_socket"):
        return stream.get_socket()
    raw = getattr(getattr(environ.get("wsgi.input"), "rfile", None), "raw", None)
    return getattr(raw, "_sock", None)
