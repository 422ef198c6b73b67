"""Each client gets a fair share of the loop: a few requests served at once, a few a
second; the rest wait their turn, or are told to come back, before Flask reads a byte.

Under eventlet or gevent every request of every person runs on one loop, in the order
they arrive, and a tutor's round trip crosses that queue several times: one phone
sending requests as fast as it can (a PDF button pressed thirty times, a script) held
every room, even with each request refused cheaply by the application. Here a client
(a phone, by its device cookie; a member of staff, by their log-in) and the strangers of
an address (everyone else there, together) each have a bucket of requests, a burst
refilled at a steady rate (a room loading its pages at once fits), and at most a few
served at once; the others wait on a green semaphore, which costs the loop nothing. An
abuser sharing a room's Wi-Fi can only spend the strangers' bucket: the tutor and the
phones already in keep their own. Socket.IO traffic has its own door
(app/sockets/guard.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from limits import parse
from werkzeug.http import parse_cookie

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_MAX_BUCKETS = 10_000
REFUSAL_PAUSE_S = 1.0
EVERYONE_FACTOR = 5  # all the known clients of an address, against its strangers' share
LIGHT_FACTOR = 4  # a static file against a page


def _scaled(share: Share, factor: int) -> Share:
    if factor == 1:
        return share
    return Share(share.at_once, share.burst * factor, share.per_second * factor)


@dataclass(frozen=True)
class Share:
    """What one client (or one address) may have: `at_once` requests being served, and a
    bucket of `burst` requests refilled at `per_second`."""

    at_once: int
    burst: float
    per_second: float


@dataclass
class _Bucket:
    share: Share
    tokens: float
    when: float

    def level(self, now: float) -> float:
        return min(self.share.burst, self.tokens + (now - self.when) * self.share.per_second)

    def take(self, now: float) -> bool:
        self.tokens, self.when = self.level(now), now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def share(at_once: int, rate: str) -> Share:
    """A share from settings: requests at once, and a rate in the `limits` notation read as
    a bucket ("40/5 seconds": a burst of forty, refilled at eight a second)."""
    item = parse(rate)
    return Share(at_once, float(item.amount), item.amount / item.get_expiry())


class FairShare:
    """WSGI middleware: a fair share of the loop per client, and for the strangers of
    each address together."""

    def __init__(
        self,
        app: WSGIApp,
        client: Share,
        address: Share,
        identify: Callable[[dict[str, str]], str],
        refusal: Callable[[], bytes],
        pause: Callable[[float], None],
        exempt: tuple[str, ...] = ("/socket.io", "/healthz"),
        light: tuple[str, ...] = ("/static/", "/sw.js"),
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.client_share = client
        self.address_share = address
        self.identify = identify
        self.refusal = refusal
        self.pause = pause
        self.exempt = exempt
        self.light = light
        # Every known client of an address together, too: a script holding many phones'
        # cookies (each join makes one) gets no more than a large room does.
        self.everyone_share = Share(
            address.at_once, address.burst * EVERYONE_FACTOR, address.per_second * EVERYONE_FACTOR
        )
        self.clock = clock
        self._slots: dict[tuple[str, ...], list[Any]] = {}  # key -> [users, semaphore]
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._lock = threading.Lock()  # green after monkey patching, real in threading mode

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.exempt):
            return self.app(environ, start_response)
        client = self._client(environ)
        address = str(environ.get("REMOTE_ADDR") or "")
        # A page's scripts and styles come by the dozen and cost little: they have a
        # larger bucket of their own, so that reloading a page never loses its script.
        weight = LIGHT_FACTOR if path.startswith(self.light) else 1
        kind = "light" if weight > 1 else "pages"
        if client:
            key, share = (kind, client), _scaled(self.client_share, weight)
            allowed = self._take(key, share) and self._take(
                (kind, "everyone", address), _scaled(self.everyone_share, weight)
            )
        else:
            key, share = (kind, "strangers", address), _scaled(self.address_share, weight)
            allowed = self._take(key, share)
        if not allowed:
            # Answered after a pause that costs the loop nothing: a script sending as fast
            # as it is answered slows to a request a second per connection.
            self.pause(REFUSAL_PAUSE_S)
            body = self.refusal()
            start_response(
                "429 Too Many Requests",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Retry-After", "2"),
                ],
            )
            return [body]
        with self._slot(key, share.at_once):
            return self.app(environ, start_response)

    def _take(self, key: tuple[str, ...], share: Share) -> bool:
        """One request out of the key's bucket, if it holds one."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= _MAX_BUCKETS:
                    self._forget_full(now)
                bucket = self._buckets[key] = _Bucket(share, share.burst, now)
            return bucket.take(now)

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have filled up again: nobody there lately."""
        self._buckets = {k: b for k, b in self._buckets.items() if b.level(now) < b.share.burst}

    def _client(self, environ: dict[str, Any]) -> str:
        """Who this is, from a credential the server signed ("" for a stranger: a cookie
        anyone can make up would let a script pass as a thousand clients)."""
        header = environ.get("HTTP_COOKIE")
        return self.identify(parse_cookie(header)) if header else ""

    @contextmanager
    def _slot(self, key: tuple[str, ...], size: int) -> Iterator[None]:
        with self._lock:
            entry = self._slots.get(key)
            if entry is None:
                entry = self._slots[key] = [0, threading.BoundedSemaphore(size)]
            entry[0] += 1
        try:
            with entry[1]:
                yield
        finally:
            with self._lock:
                entry[0] -= 1
                if entry[0] == 0:
                    del self._slots[key]
