"""A lean Socket.IO client over a websocket, for benchmarks that hold hundreds of phones.

python-socketio's own client spends a thread per connection (sync) or needs aiohttp
(asyncio), and a websocket library's frame parser written in Python costs more than the
rest of the client together: all of it is CPU that the benchmark's server shares two
cores with. This speaks the browser client's wire protocol (Engine.IO 4 over a
websocket, Socket.IO 5 packets, permessage-deflate offered as Chromium does) in one
asyncio loop, reads the server's frames itself, and stamps each message with the moment
its bytes arrived, before any JSON is decoded, so that the client's own parsing never
counts as the server's delay.

Each connection may come from its own loopback address (127.x.y.z): the app's socket
guard caps connections per address, as a venue's Wi-Fi shares one.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import time
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

# Called with (event name, its first argument, when the bytes were read).
EventHandler = Callable[[str, Any, float], None]
# Called with (the ack's first argument, when the bytes were read).
AckHandler = Callable[[Any, float], None]

TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA
DEFLATE_TAIL = b"\x00\x00\xff\xff"  # RFC 7692: removed by the sender, put back here


class Refused(Exception):
    """The server refused the websocket or the namespace (its answer is the message)."""


def client_frame(opcode: int, payload: bytes) -> bytes:
    """One final frame from the client: masked, as RFC 6455 requires (never compressed:
    permessage-deflate lets each message choose, and phones send little)."""
    mask = os.urandom(4)
    size = len(payload)
    if size < 126:
        head = bytes((0x80 | opcode, 0x80 | size))
    elif size < 65536:
        head = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        head = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
    repeated = (mask * (size // 4 + 1))[:size]
    masked = (int.from_bytes(payload, "big") ^ int.from_bytes(repeated, "big")).to_bytes(
        size, "big"
    )
    return head + mask + masked


class SioPhone(asyncio.Protocol):
    """One websocket, one Socket.IO namespace, callbacks run on the loop as bytes arrive."""

    def __init__(
        self,
        url: str,
        namespace: str,
        *,
        cookie: str = "",
        source: str = "127.0.0.1",
        deflate: bool = True,
        on_event: EventHandler | None = None,
    ) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.namespace = namespace
        self.cookie = cookie
        self.source = source
        self.deflate = deflate
        self.on_event = on_event
        self._ids = itertools.count(1)
        self._acks: dict[int, AckHandler] = {}
        self._transport: asyncio.Transport | None = None
        self._opened: asyncio.Future[None] | None = None
        self._auth: dict[str, Any] = {}
        self._handshaken = False
        self._buffer = bytearray()
        self._message: list[bytes] = []
        self._compressed = False
        self._inflate: Any = None
        self._fresh_inflate_each_message = False
        self.closed = False

    async def connect(self, auth: dict[str, Any], timeout: float = 20) -> None:
        """Open the websocket and enter the namespace with `auth`, or raise Refused."""
        loop = asyncio.get_running_loop()
        self._opened = loop.create_future()
        self._auth = auth
        await asyncio.wait_for(
            loop.create_connection(lambda: self, self.host, self.port, local_addr=(self.source, 0)),
            timeout,
        )
        try:
            await asyncio.wait_for(asyncio.shield(self._opened), timeout)
        except BaseException:
            await self.close()
            raise

    def emit(self, event: str, data: Any, on_ack: AckHandler | None = None) -> float:
        """Send `event`; `on_ack` hears the answer. Returns when the frame was written."""
        ack_id = ""
        if on_ack is not None:
            number = next(self._ids)
            self._acks[number] = on_ack
            ack_id = str(number)
        self._send(f"42{self.namespace},{ack_id}{json.dumps([event, data])}")
        return time.perf_counter()

    async def call(self, event: str, data: Any, timeout: float = 30) -> Any:
        """Send `event` and wait for its ack."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

        def settle(value: Any, _when: float) -> None:
            if not answer.done():
                answer.set_result(value)

        self.emit(event, data, settle)
        return await asyncio.wait_for(answer, timeout)

    async def close(self) -> None:
        if self._transport is not None and not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                self._transport.write(client_frame(CLOSE, (1000).to_bytes(2, "big")))
            self._transport.close()

    # -- the wire -------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {self._key}",
            "Sec-WebSocket-Version: 13",
            f"Origin: {self.origin}",
        ]
        if self.deflate:
            lines.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(Refused("connection closed"))

    def data_received(self, data: bytes) -> None:
        when = time.perf_counter()  # before any decoding: the arrival itself
        self._buffer += data
        if not self._handshaken and not self._handshake():
            return
        self._frames(when)

    def _handshake(self) -> bool:
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        head = self._buffer[:end].decode("latin-1").split("\r\n")
        del self._buffer[: end + 4]
        if " 101 " not in head[0] + " ":
            self._fail(Refused(f"websocket refused: {head[0]}"))
            return False
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head)}
        extensions = headers.get("sec-websocket-extensions", "")
        if "permessage-deflate" in extensions:
            self._inflate = zlib.decompressobj(-15)
            self._fresh_inflate_each_message = "server_no_context_takeover" in extensions
        self._handshaken = True
        return True

    def _frames(self, when: float) -> None:
        buffer = self._buffer
        while len(buffer) >= 2:
            first, second = buffer[0], buffer[1]
            size, start = second & 0x7F, 2
            if size == 126:
                if len(buffer) < 4:
                    return
                size, start = int.from_bytes(buffer[2:4], "big"), 4
            elif size == 127:
                if len(buffer) < 10:
                    return
                size, start = int.from_bytes(buffer[2:10], "big"), 10
            if len(buffer) < start + size:
                return
            payload = bytes(buffer[start : start + size])
            del buffer[: start + size]
            self._frame(first & 0x80, first & 0x40, first & 0x0F, payload, when)

    def _frame(self, final: int, rsv1: int, opcode: int, payload: bytes, when: float) -> None:
        if opcode in (TEXT, BINARY, 0x0):
            if opcode != 0x0:
                self._compressed = bool(rsv1)
            self._message.append(payload)
            if not final:
                return
            whole, self._message = b"".join(self._message), []
            if self._compressed:
                if self._fresh_inflate_each_message:
                    self._inflate = zlib.decompressobj(-15)
                whole = self._inflate.decompress(whole + DEFLATE_TAIL)
            self._on_engine_packet(whole.decode(), when)
        elif opcode == PING:
            self._write(client_frame(PONG, payload))
        elif opcode == CLOSE:
            self.closed = True
            with contextlib.suppress(Exception):
                self._write(client_frame(CLOSE, payload[:2]))
            if self._transport is not None:
                self._transport.close()

    def _write(self, data: bytes) -> None:
        if self._transport is None or self._transport.is_closing():
            raise ConnectionError("not connected")
        self._transport.write(data)

    def _send(self, text: str) -> None:
        if self.closed:
            raise ConnectionError("not connected")
        self._write(client_frame(TEXT, text.encode()))

    def _fail(self, error: Exception) -> None:
        if self._opened is not None and not self._opened.done():
            self._opened.set_exception(error)

    def _on_engine_packet(self, text: str, when: float) -> None:
        kind = text[:1]
        if kind == "4":
            self._on_socketio_packet(text[1:], when)
        elif kind == "2":  # the server's ping: answer at once, as the browser does
            self._send("3")
        elif kind == "0":  # open: now enter the namespace
            self._send(f"40{self.namespace},{json.dumps(self._auth)}")
        elif kind == "1":
            self.closed = True

    def _on_socketio_packet(self, packet: str, when: float) -> None:
        kind, rest = packet[:1], packet[1:]
        if rest.startswith("/"):
            comma = rest.find(",")
            rest = "" if comma < 0 else rest[comma + 1 :]
        digits = 0
        while digits < len(rest) and rest[digits].isdigit():
            digits += 1
        ack_id, body = rest[:digits], rest[digits:]
        if kind == "2" and self.on_event is not None:
            name, *args = json.loads(body)
            self.on_event(name, args[0] if args else None, when)
        elif kind == "3" and ack_id:
            handler = self._acks.pop(int(ack_id), None)
            if handler is not None:
                args = json.loads(body)
                handler(args[0] if args else None, when)
        elif kind == "0" and self._opened is not None and not self._opened.done():
            self._opened.set_result(None)
        elif kind == "4":
            self._fail(Refused(body))
