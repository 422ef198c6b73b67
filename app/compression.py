"""Pages, scripts, sheets and JSON sent compressed: Brotli where the browser takes it (every
current one does), gzip otherwise, by Flask-Compress.

Under eventlet every room shares one loop, so nothing here may hold it for long. A page is
compressed as it goes out, at levels that take a few milliseconds for the largest (a
166 KB page: about 3 ms in Brotli, 4 ms in gzip on this project's 2-core machine). A
larger body (a replay's timeline or frames, a data export: up to a megabyte or so) is
compressed at the fastest level instead (Brotli 1: about 3 ms a megabyte, against 20 at
level 5, for a body a fifth larger), so that the work per request stays a few
milliseconds whatever is asked for. A static file is compressed once per process and kept,
by the hash of its content (app/static_files.py serves only the files on disk and the sets
the pages declare, so what is kept is bounded), through Flask-Compress's cache. What is
streamed (a PDF, a download) is left as it is: a PDF is compressed already.

A compressed page that holds a secret beside text an attacker chooses could leak the
secret by its length (BREACH), to someone who sees the encrypted traffic and can make the
browser ask for the page many times with the person's cookies. SameSite=Lax does not stop
that: Lax cookies go with every top-level GET from another site. Here every page echoes
its own path beside a form token (the language switch's "next"), so the path is the
chosen text. What protects is the token's form (Flask-WTF): the session's secret, then a
timestamp in seconds and an HMAC over both. Only the signed whole is accepted, and its
signature changes every second, far quicker than the thousands of requests guessing
takes; the part that repeats, the bare secret, is useless without the app's key. An
error page (a 404 at an address anyone may choose) echoes no path (templates/error.html),
and no page echoes its query string: the other paths a page answers to are digits, or
tokens that must be known already.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from threading import Lock
from typing import ClassVar

import brotli
from flask import Flask, Request, Response, current_app, g, request
from flask_compress import Compress
from flask_compress.flask_compress import _choose_algorithm

MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
]
ALGORITHMS = ("br", "gzip")
GZIP_LEVEL = 5
BROTLI_LEVEL = 5
LARGE_BODY = 256 * 1024  # a dynamic body past this is compressed at the fastest level
FAST_LEVEL = 1  # Brotli's and gzip's
MAX_KEPT = 512  # compressed static bodies kept: every file and declared set, twice over


class StaticBodies:
    """Flask-Compress's cache, for static files alone: a page's key is empty (its body is
    someone's own, and never the same twice), and it is neither looked up nor kept.
    The least recently used body goes first when it is full."""

    _kept: ClassVar[OrderedDict[str, bytes]] = OrderedDict()  # the process's, for all apps
    _lock: ClassVar[Lock] = Lock()

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):
            return
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)


def _static_key(_request: Request) -> str:
    """A static file's content hash and the levels it was compressed at; "" for a page."""
    digest = g.get("static_digest")
    if not digest:
        return ""
    config = current_app.config
    return f"{digest}:{config['COMPRESS_LEVEL']}:{config['COMPRESS_BR_LEVEL']}"


def fast(body: bytes, algorithm: str) -> bytes:
    """`body` compressed at the fastest level: a few milliseconds a megabyte."""
    if algorithm == "br":
        return bytes(brotli.compress(body, quality=FAST_LEVEL))
    return gzip.compress(body, FAST_LEVEL)


def _large_bodies_fast(response: Response) -> Response:
    """Compress a large dynamic body at the fastest level before Flask-Compress sees it
    (it leaves a body that has a Content-Encoding alone, and adds the Vary)."""
    length = response.content_length
    if (
        length is None
        or length <= LARGE_BODY
        or g.get("static_digest")  # compressed once per process, at the usual levels
        or response.is_streamed
        or response.mimetype not in MIMETYPES
        or not 200 <= response.status_code < 300
        or "Content-Encoding" in response.headers
    ):
        return response
    # Flask-Compress's own choice from the request's Accept-Encoding (q-values included).
    algorithm = _choose_algorithm(ALGORITHMS, request.headers.get("Accept-Encoding", ""))
    if algorithm is None:
        return response
    response.direct_passthrough = False
    response.set_data(fast(response.get_data(), algorithm))
    response.headers["Content-Encoding"] = algorithm
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(f"{etag}:{algorithm}")
    return response


def init_app(app: Flask) -> None:
    """Compress what the app sends. Called before any other after-request hook is added,
    so that it runs last, on the body as the others left it."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", list(ALGORITHMS))
    app.config.setdefault("COMPRESS_LEVEL", GZIP_LEVEL)
    app.config.setdefault("COMPRESS_BR_LEVEL", BROTLI_LEVEL)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", StaticBodies)
    app.config.setdefault("COMPRESS_CACHE_KEY", _static_key)
    app.extensions["migrapass.compress"] = Compress(app)
    app.after_request(_large_bodies_fast)  # added after, so it runs just before
