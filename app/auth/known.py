"""A browser that has logged in to an account before: a signed cookie naming the account.

Wrong passwords are counted per account name, so that a guesser meets a limit whatever
their address; without this, anyone could lock a tutor out by guessing wrong ten times.
The tutor's own browser, known to the account, is not counted there (its address still
is).
"""

from __future__ import annotations

from flask import Flask, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE_NAME = "mp_known"
MAX_AGE_S = 400 * 24 * 3600
_SALT = "migrapass-known-browser"


def _serializer(app: Flask) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=_SALT)


def knows(app: Flask, request: Request, user_id: int) -> bool:
    """Whether this browser logged in to this account before."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return False
    try:
        return _serializer(app).loads(raw, max_age=MAX_AGE_S) == user_id
    except BadSignature:
        return False


def remember(app: Flask, response: Response, user_id: int) -> None:
    response.set_cookie(
        COOKIE_NAME,
        _serializer(app).dumps(user_id),
        max_age=MAX_AGE_S,
        httponly=True,
        secure=app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        path=app.config["APPLICATION_ROOT"],
    )
