"""Where a `next` address may send someone: a page of this application, nowhere else."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from flask import current_app
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect


def safe_next(target: str | None, fallback: str) -> str:
    """Return `target` if it is a path to one of this application's pages, else `fallback`.

    Browsers drop tabs and line breaks from addresses and read a backslash as a slash, so
    "/\\t/evil.test/" leaves as "//evil.test/": an address holding any of those, or any
    scheme or host, is refused before it is parsed; what is left must match a GET route.
    """
    if not target or any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return fallback
    parts = urlsplit(target)
    path = parts.path
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        return fallback
    try:
        current_app.url_map.bind("localhost").match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return fallback
    return urlunsplit(("", "", path, parts.query, ""))
