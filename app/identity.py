"""Who sends a request, from what the server signed, before the application reads it: a
phone by its device link, a member of staff by their log-in. For the fair share
(app/fair_share.py); the application still checks each credential in full."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from flask import Flask
from itsdangerous import BadSignature

from app.participants import device


def identifier(app: Flask) -> Callable[[Mapping[str, str]], str]:
    """Return a function from a request's cookies to a client key ("" for a stranger)."""
    sessions = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    session_cookie = app.config["SESSION_COOKIE_NAME"]

    def identify(cookies: Mapping[str, str]) -> str:
        token = device.from_cookie(app, cookies.get(device.COOKIE_NAME))
        if token is not None:
            return f"phone:{token.link_id}"
        raw = cookies.get(session_cookie)
        if raw and sessions is not None:
            try:
                user = sessions.loads(raw).get("_user_id")
            except BadSignature:
                return ""
            if isinstance(user, str) and user:
                return f"staff:{user}"
        return ""

    return identify
