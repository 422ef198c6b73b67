"""A TCP relay in front of the server that writes down every HTTP request line it carries.

The browser's own accounting (CDP, and Playwright's experimental service-worker events)
is what the page-weight figures come from; this is the check on its request count, from
outside the browser: a request the browser answered from its cache never reaches it, a
request its service worker sent always does. A connection upgraded to a websocket is
relayed without further reading (its frames are the live channel, not page weight).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading

CONTENT_LENGTH = re.compile(rb"^content-length:\s*(\d+)", re.I | re.M)


class WireCounter:
    """Listens on a free loopback port and relays to `target_port`; `requests` lists the
    request lines seen ("GET /s/3"), in the order they arrived."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.requests: list[str] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> WireCounter:
        self._thread.start()
        self._ready.wait(10)
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            self._requests(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
        )

    async def _requests(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Browser to server: note each request's line, skip its body, until a websocket."""
        buffer, body_left, upgraded = b"", 0, False
        try:
            while data := await reader.read(65536):
                writer.write(data)
                if upgraded:
                    continue
                buffer += data
                while not upgraded:
                    if body_left:
                        skipped = min(body_left, len(buffer))
                        buffer, body_left = buffer[skipped:], body_left - skipped
                        if body_left:
                            break
                    head, found, rest = buffer.partition(b"\r\n\r\n")
                    if not found:
                        break
                    method, path, *_ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
                    self.requests.append(f"{method} {path}")
                    upgraded = b"upgrade: websocket" in head.lower()
                    length = CONTENT_LENGTH.search(head)
                    buffer, body_left = rest, int(length.group(1)) if length else 0
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            with contextlib.suppress(Exception):
                writer.close()
