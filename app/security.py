"""Security headers on every response: a strict CSP with no inline script or style."""

from __future__ import annotations

from flask import Flask, Response, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# A script or a sheet is never a document: these headers, which govern documents (and
# workers), would only add some 400 bytes to each of a page's files on a phone's data.
DOCUMENT_HEADERS = {
    "Content-Security-Policy": CSP,
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
SUBRESOURCES = frozenset({"text/css", "text/javascript"})
PRIVATE = "private, no-cache"


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response: Response) -> Response:
        subresource = request.endpoint == "static" and response.mimetype in SUBRESOURCES
        if not subresource:
            for name, value in DOCUMENT_HEADERS.items():
                response.headers.setdefault(name, value)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Whatever the app answers is someone's own (a page, a person's data export, a
        # replay's JSON): no shared cache keeps it, and the browser asks again each time
        # (it may still answer a fetch marked force-cache with it: static/js/room.js keeps
        # the room page for offline use that way). Static files, the service worker's
        # script and the downloads (no-store) say their own.
        response.headers.setdefault("Cache-Control", PRIVATE)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
