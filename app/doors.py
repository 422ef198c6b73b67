"""The doors before the application: what a request or a socket meets before Flask or
python-socketio reads it. The proxy's word on the client's address and on the public
address (scheme, host, port, path prefix), each client's fair share of the loop
(app/fair_share.py), the socket server's guard (app/sockets/guard.py), websockets sent
uncompressed, and the answers they give, made once in the default language (they answer
before any request is read, so before anyone's language is known)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, request
from limits import parse
from markupsafe import escape
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import socketio
from app.fair_share import FairShare, share
from app.identity import identifier
from app.messages import error_ack
from app.offload import pause
from app.sockets.guard import Caps, Guard


def init_app(app: Flask) -> None:
    """Put the doors in front of the app (after Socket.IO's own middleware is in place)."""
    config = app.config
    app.wsgi_app = uncompressed_websockets(app.wsgi_app)  # type: ignore[method-assign]
    app.wsgi_app = FairShare(  # type: ignore[method-assign]
        app.wsgi_app,
        client=share(config["MAX_REQUESTS_PER_CLIENT"], config["REQUEST_RATE_PER_CLIENT"]),
        address=share(config["MAX_REQUESTS_PER_ADDRESS"], config["REQUEST_RATE_PER_ADDRESS"]),
        identify=identifier(app),
        refusal=lambda: _refusal_page(app),
        pause=pause,
    )
    if hops := config["PROXIES"]:
        # Outside the Socket.IO middleware and the fair share, so that both see the
        # client's address rather than the proxy's. Host, port and prefix too: redirects
        # and static and socket paths then carry the public address (deploy/README.md).
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops
        )
        app.before_request(_public_url_checker(app))
    else:
        app.before_request(_unexpected_proxy_checker(app))
    rate = parse(config["SOCKET_MESSAGE_RATE"])
    caps = Caps(messages_per_second=rate.amount / rate.get_expiry(), message_burst=rate.amount)
    app.extensions["migrapass.guard"] = Guard(socketio.server, refusals(app), caps)


WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def uncompressed_websockets(wsgi_app: WsgiApp) -> WsgiApp:
    """Decline permessage-deflate on every websocket (the app's only ones are Socket.IO's).

    Eventlet's and simple-websocket's servers compress each frame for each socket apart:
    a card's board patch, sent to every phone of a room, was compressed once per phone,
    and that took more of the server's time per post than the post itself (issue 20).
    The extension is the client's offer, which the server may decline (RFC 7692): the
    offer is taken out of the handshake before the websocket server reads it, so the
    server answers without the extension and the phone reads plain frames."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return wsgi_app(environ, start_response)

    return app


def _public_url_checker(app: Flask) -> Callable[[], None]:
    """Say once, in the log, when the proxy's public address is not PUBLIC_URL: the QR
    code, join and invite links are made from PUBLIC_URL (they leave the page that shows
    them), so they would send phones somewhere else than where the proxy serves."""
    public = app.config["PUBLIC_URL"].rstrip("/")
    said: list[str] = []

    def check() -> None:
        if said or "X-Forwarded-Host" not in request.headers:
            return  # said already, or not through the proxy (a health probe, say)
        seen = f"{request.host_url}{request.script_root.lstrip('/')}".rstrip("/")
        if seen != public:
            said.append(seen)
            app.logger.warning(
                "PUBLIC_URL is %s but the proxy serves this app at %s: the QR code and the"
                " join and invite links use PUBLIC_URL (set it to the public address), and"
                " MIGRAPASS_PROXIES must count the proxies that set X-Forwarded-* headers",
                public,
                seen,
            )

    return check


def _unexpected_proxy_checker(app: Flask) -> Callable[[], None]:
    """Say once, in the log, when a proxy's headers arrive while MIGRAPASS_PROXIES is 0:
    the app then builds its links without the proxy's prefix (pages without styles,
    redirects that miss) and counts every phone as the proxy's one address."""
    said: list[bool] = []

    def check() -> None:
        if said or not ({"X-Forwarded-For", "X-Forwarded-Prefix"} & set(request.headers.keys())):
            return
        said.append(True)
        app.logger.warning(
            "requests come through a proxy (X-Forwarded-* headers) but MIGRAPASS_PROXIES is"
            " 0: set it to the number of proxies in front (deploy/README.md)"
        )

    return check


def refusals(app: Flask) -> Any:
    """The doors' answers by error code, as a socket event's refusal."""
    made: dict[str, dict[str, Any]] = app.extensions.setdefault("migrapass.refusals", {})

    def refusal(code: str) -> dict[str, Any]:
        if code not in made:
            with app.app_context():
                made[code] = error_ack(code)
        return made[code]

    return refusal


def _refusal_page(app: Flask) -> bytes:
    """The fair share's refusal: a page a phone can read, at its own width."""
    words = escape(refusals(app)("too_many_requests")["message"])
    return (
        f'<!doctype html><html lang="{app.config["BABEL_DEFAULT_LOCALE"]}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Migrapass Live</title><p>{words}</p></html>"
    ).encode()
