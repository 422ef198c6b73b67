"""Whether the services a process needs answer, said in one sentence each.

A process that starts without its database or its message queue looks healthy and then
fails every log-in; `python -m app.serve` asks first and stops with these sentences, so
a process manager restarts it and its log says why. /healthz asks the same each time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

TIMEOUT_S = 3.0


def database_problem(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        where = make_url(str(engine.url)).render_as_string(hide_password=True)
        return f"The database at {where} does not answer: {_first_line(exc)}"
    return None


def queue_problem(config: Mapping[str, Any]) -> str | None:
    """The Redis of SOCKETIO_MESSAGE_QUEUE (the rooms of every process, and the rate
    limits they share), when there is one."""
    url = config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT_S, socket_timeout=TIMEOUT_S)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"The message queue (SOCKETIO_MESSAGE_QUEUE) does not answer: {_first_line(exc)}"
    finally:
        client.close()
    return None


def problems(engine: Engine, config: Mapping[str, Any]) -> list[str]:
    return [p for p in (database_problem(engine), queue_problem(config)) if p]


def _first_line(exc: BaseException) -> str:
    words = str(getattr(exc, "orig", None) or exc).strip()
    return words.splitlines()[0] if words else type(exc).__name__
