"""Pages, scripts, sheets and JSON sent compressed: Brotli where the browser takes it (every
current one does), gzip otherwise, by Flask-Compress.

Under eventlet every room shares one loop, so nothing here may hold it for long. A page is
compressed as it goes out, at levels that take a few milliseconds for the largest (a
166 KB page: about 3 ms in Brotli, 4 ms in gzip on this project's 2-core machine). A
static file is compressed once per process and kept, by the hash of its content
(app/static_files.py), through Flask-Compress's cache. What is streamed (a PDF, a
download) is left as it is: a PDF is compressed already.

A compressed page that holds a form token beside text from the address could leak the
token by its length (BREACH), if another site could make the browser ask for it many
times with the person's cookies: the cookies are SameSite=Lax (app/config.py), which
such requests do not carry.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import ClassVar

from flask import Flask, Request, current_app, g
from flask_compress import Compress

MIMETYPES = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
    "text/plain",
]
GZIP_LEVEL = 5
BROTLI_LEVEL = 5
MAX_KEPT = 512  # compressed static bodies kept: every file and bundle, twice over


class StaticBodies:
    """Flask-Compress's cache, for static files alone: a page's key is empty (its body is
    someone's own, and never the same twice), and it is neither looked up nor kept."""

    _kept: ClassVar[OrderedDict[str, bytes]] = OrderedDict()  # the process's, for all apps
    _lock: ClassVar[Lock] = Lock()

    def get(self, key: str) -> bytes | None:
        if key.endswith(";"):
            return None
        with self._lock:
            return self._kept.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.endswith(";"):
            return
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)


def _static_key(_request: Request) -> str:
    """A static file's content hash and the levels it was compressed at; "" for a page."""
    digest = g.get("static_digest")
    if not digest:
        return ""
    config = current_app.config
    return f"{digest}:{config['COMPRESS_LEVEL']}:{config['COMPRESS_BR_LEVEL']}"


def init_app(app: Flask) -> None:
    """Compress what the app sends. Called before any other after-request hook is added,
    so that it runs last, on the body as the others left it."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_LEVEL", GZIP_LEVEL)
    app.config.setdefault("COMPRESS_BR_LEVEL", BROTLI_LEVEL)
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_CACHE_BACKEND", StaticBodies)
    app.config.setdefault("COMPRESS_CACHE_KEY", _static_key)
    app.extensions["migrapass.compress"] = Compress(app)
