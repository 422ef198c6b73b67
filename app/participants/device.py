"""The device credential: a signed, HttpOnly cookie naming the participant."""

from __future__ import annotations

from flask import Flask, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "mp_device"
MAX_AGE_S = 400 * 24 * 3600  # a whole programme year; cookies cannot outlive 400 days
_SALT = "migrapass-device"


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=_SALT)


def participant_id_from(app: Flask, request: Request) -> int | None:
    """Return the participant this phone belongs to, or None."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        data = _serializer(app).loads(raw, max_age=MAX_AGE_S)
    except BadSignature:
        return None
    pid = data.get("p") if isinstance(data, dict) else None
    return pid if isinstance(pid, int) else None


def token_for(app: Flask, participant_id: int) -> str:
    return _serializer(app).dumps({"p": participant_id})


def remember(app: Flask, response: Response, participant_id: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token_for(app, participant_id),
        max_age=MAX_AGE_S,
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )


def forget(app: Flask, response: Response) -> None:
    response.delete_cookie(
        COOKIE_NAME, httponly=True, secure=app.config["SESSION_COOKIE_SECURE"], samesite="Lax"
    )
