"""Settings: the one place that reads the environment."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import socket
import tempfile
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url

from app.languages import PARTICIPANT_LANGUAGES
from app.paths import ROOT

ASYNC_MODES = ("eventlet", "gevent", "threading")


def lan_address() -> str:
    """Return this machine's address on the local network, as a phone would reach it.

    Connecting a UDP socket sends nothing; it only asks the kernel which interface
    would carry the traffic. Falls back to loopback on a machine without a network.
    """
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: documentation range, never routed
        return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        probe.close()


def load_or_create_secret(instance_path: Path) -> str:
    """Read the secret key kept in the instance folder, creating it atomically if absent.

    Two server processes may start together: each writes a candidate to a temporary
    file and links it into place; the loser of the race reads the winner's key.
    """
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # another process linked first
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text().strip()


# psycopg2, made green by psycogreen in app/serve.py: psycopg 3's waits block eventlet's
# hub, so every way of naming PostgreSQL (a platform's "postgres://", psycopg 3's
# "+psycopg") is served by psycopg2.
POSTGRES_SCHEMES = ("postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2")


def database_url(raw: str | None) -> str | None:
    """The database URL as SQLAlchemy should open it: PostgreSQL through psycopg2."""
    if not raw:
        return None
    scheme, sep, rest = raw.partition("://")
    if sep and scheme in POSTGRES_SCHEMES:
        return f"postgresql+psycopg2://{rest}"
    return raw


def socketio_channel(database: str) -> str:
    """The processes of one organisation share their database: its name (not the user,
    the password or how a host spells the server's address) names their channel."""
    name = make_url(database).database or ""
    return "migrapass-" + (re.sub(r"[^A-Za-z0-9_.-]", "-", Path(name).stem) or "default")


RATE_LIMIT_PREFIX = "MIGRAPASS_RATE_LIMIT_"
RATE_LIMIT_ALIASES = {"participant": "participant_events", "staff": "staff_events"}


def rate_limits(env: Mapping[str, str]) -> dict[str, str]:
    """The limits a deployment changes, by their name in `Rules`; an unknown one is an
    error at start-up, not a setting silently ignored."""
    from app.ratelimit import Rules

    known = {f.name for f in fields(Rules)}
    chosen = {}
    for key, value in env.items():
        if not key.startswith(RATE_LIMIT_PREFIX) or key == f"{RATE_LIMIT_PREFIX}STORAGE":
            continue
        name = key.removeprefix(RATE_LIMIT_PREFIX).lower()
        name = RATE_LIMIT_ALIASES.get(name, name)
        if name not in known:
            raise ValueError(f"{key} is not a rate limit; known: {', '.join(sorted(known))}")
        chosen[name] = rate(key, value)
    return chosen


def count(key: str, value: str) -> int:
    """A whole number of things (proxies in front), zero or more, checked at start-up."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError(f"{key}={value!r} must be a whole number, 0 or more (proxies in front)")
    return number


def rate(key: str, value: str) -> str:
    """A rate in the `limits` notation ("30/10 seconds"), checked now rather than at the
    first request that needs it."""
    from limits import parse

    try:
        parse(value)
    except ValueError:
        raise ValueError(f'{key}={value!r} is not a rate such as "30/10 seconds"') from None
    return value


class Config:
    """Application settings read from the environment once, at start-up."""

    def __init__(self, instance_path: Path, environ: dict[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.SECRET_KEY = env.get("SECRET_KEY") or load_or_create_secret(instance_path)
        self.DATABASE_URL = database_url(env.get("DATABASE_URL")) or (
            f"sqlite:///{instance_path / 'migrapass.sqlite3'}"
        )
        self.PORT = int(env.get("PORT", "5000"))
        self.HOST = env.get("HOST", "0.0.0.0")
        self.PUBLIC_URL = (env.get("PUBLIC_URL") or f"http://{lan_address()}:{self.PORT}").rstrip(
            "/"
        )
        self.SOCKETIO_MESSAGE_QUEUE = env.get("SOCKETIO_MESSAGE_QUEUE") or None
        # Redis's publish/subscribe ignores the database number: two organisations (or a
        # test run beside a deployment) on one Redis would hear each other's rooms.
        self.SOCKETIO_CHANNEL = env.get("MIGRAPASS_SOCKETIO_CHANNEL") or socketio_channel(
            self.DATABASE_URL
        )
        # Processes sharing a Redis queue share their rate-limit counters there too.
        queue = self.SOCKETIO_MESSAGE_QUEUE or ""
        self.RATE_LIMIT_STORAGE = env.get("MIGRAPASS_RATE_LIMIT_STORAGE") or (
            queue if queue.startswith(("redis://", "rediss://")) else "memory://"
        )
        # Any limit of app/ratelimit.py's `Rules`, in the `limits` notation ("30/10 seconds"):
        # MIGRAPASS_RATE_LIMIT_<NAME>, e.g. _PORTFOLIO_READS_PER_PERSON; _PARTICIPANT and
        # _STAFF name the socket events of a phone and of a member of staff.
        self.RATE_LIMITS = rate_limits(env)
        self.ASYNC_MODE = env.get("MIGRAPASS_ASYNC_MODE", "eventlet")
        if self.ASYNC_MODE not in ASYNC_MODES:
            raise ValueError(
                f"MIGRAPASS_ASYNC_MODE must be one of {', '.join(ASYNC_MODES)}, "
                f"not {self.ASYNC_MODE!r}"
            )
        self.LANGUAGES = tuple(
            code.strip()
            for code in env.get("MIGRAPASS_LANGUAGES", ",".join(PARTICIPANT_LANGUAGES)).split(",")
            if code.strip()
        )
        self.BABEL_DEFAULT_LOCALE = self.LANGUAGES[0]
        # The organisation's time zone: the dates people read (a card's day, a PDF's date)
        # are its, not UTC's, so a card posted after midnight carries its own day.
        self.BABEL_DEFAULT_TIMEZONE = env.get("MIGRAPASS_TIMEZONE", "Europe/Paris")
        try:
            ZoneInfo(self.BABEL_DEFAULT_TIMEZONE)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"MIGRAPASS_TIMEZONE={self.BABEL_DEFAULT_TIMEZONE!r} is not a time zone"
                " such as Europe/Paris"
            ) from None
        self.WORKSHOPS_DIR = env.get("MIGRAPASS_WORKSHOPS_DIR") or str(ROOT / "workshops")
        # Origins allowed to open a websocket, besides the page's own host.
        self.ALLOWED_ORIGINS = tuple(
            o.strip().rstrip("/")
            for o in env.get("MIGRAPASS_ALLOWED_ORIGINS", "").split(",")
            if o.strip()
        )
        # The built-in server's limits (app/http_server.py): a room shares one address.
        self.MAX_CONNECTIONS = int(env.get("MIGRAPASS_MAX_CONNECTIONS", "1024"))
        self.MAX_CONNECTIONS_PER_ADDRESS = int(
            env.get("MIGRAPASS_MAX_CONNECTIONS_PER_ADDRESS", "300")
        )
        self.REQUEST_TIMEOUT_S = float(env.get("MIGRAPASS_REQUEST_TIMEOUT", "10"))
        # Each browser's and each address's share of the loop (app/fair_share.py): requests
        # served at once (more wait their turn), and a bucket of requests, a burst refilled
        # over a time ("40/5 seconds": forty at once, then eight a second), so that nobody's
        # burst stands before everyone's next click. A room loading its pages fits.
        self.MAX_REQUESTS_PER_CLIENT = int(env.get("MIGRAPASS_MAX_REQUESTS_PER_CLIENT", "3"))
        self.MAX_REQUESTS_PER_ADDRESS = int(env.get("MIGRAPASS_MAX_REQUESTS_PER_ADDRESS", "16"))
        self.REQUEST_RATE_PER_CLIENT = rate(
            "MIGRAPASS_REQUEST_RATE_PER_CLIENT",
            env.get("MIGRAPASS_REQUEST_RATE_PER_CLIENT", "40/5 seconds"),
        )
        self.REQUEST_RATE_PER_ADDRESS = rate(
            "MIGRAPASS_REQUEST_RATE_PER_ADDRESS",
            env.get("MIGRAPASS_REQUEST_RATE_PER_ADDRESS", "300/15 seconds"),
        )
        # Socket.IO messages per connection (app/sockets/guard.py), read as a bucket: far
        # above what a phone or a console sends, far below a flood.
        self.SOCKET_MESSAGE_RATE = rate(
            "MIGRAPASS_SOCKET_MESSAGE_RATE",
            env.get("MIGRAPASS_SOCKET_MESSAGE_RATE", "30/3 seconds"),
        )
        # Reverse proxies in front that set X-Forwarded-For/-Proto (0: none). Without
        # this, behind a proxy every phone has the proxy's address, and every limit kept
        # per address counts them all together.
        self.PROXIES = count("MIGRAPASS_PROXIES", env.get("MIGRAPASS_PROXIES", "0"))
        https = self.PUBLIC_URL.startswith("https://")
        self.SESSION_COOKIE_SECURE = https
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # Served under a path (https://host/live, behind a proxy), the cookies stay there:
        # Flask's session cookie follows APPLICATION_ROOT, ours and Flask-Login's this too.
        self.APPLICATION_ROOT = urlsplit(self.PUBLIC_URL).path or "/"
        self.REMEMBER_COOKIE_PATH = self.APPLICATION_ROOT
        self.REMEMBER_COOKIE_SECURE = https
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.WTF_CSRF_TIME_LIMIT = None  # a tutor's console tab stays open for hours
        self.MAX_CONTENT_LENGTH = 64 * 1024
        self.TESTING = False

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in vars(self).items() if key.isupper()}
