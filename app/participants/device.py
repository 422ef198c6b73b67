"""The device credential: a signed, HttpOnly cookie naming a phone's `DeviceLink`.

The signature says the server issued it; whether it still holds is the database's to
say (`app.participants.phones.link_of`), on every request and socket event.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.models import DeviceLink
from app.participants.phones import DeviceToken

COOKIE_NAME = "mp_device"
MAX_AGE_S = 400 * 24 * 3600  # a whole programme year; cookies cannot outlive 400 days
_SALT = "migrapass-device"


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=_SALT)


def read(app: Flask, request: Request) -> DeviceToken | None:
    """The link this phone's cookie names, if the server signed it (not yet if it holds)."""
    return from_cookie(app, request.cookies.get(COOKIE_NAME))


def from_cookie(app: Flask, raw: str | None) -> DeviceToken | None:
    if not raw:
        return None
    try:
        data = _serializer(app).loads(raw, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    pid, link, secret = data.get("p"), data.get("d"), data.get("k", "")
    if type(pid) is not int or (link is not None and type(link) is not int):
        return None
    if not isinstance(secret, str):
        return None
    return DeviceToken(pid, link, secret)


def token_for(app: Flask, link: DeviceLink) -> str:
    return _serializer(app).dumps({"p": link.participant_id, "d": link.id, "k": link.secret})


def remember(app: Flask, response: Response, link: DeviceLink) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token_for(app, link),
        max_age=MAX_AGE_S,
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path=app.config["APPLICATION_ROOT"],
    )


def forget(app: Flask, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME,
        path=app.config["APPLICATION_ROOT"],
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
