"""A live session's status: one enum for the engine's fold and the session's row.

It lives outside `app.live` and `app.models` because both read it and `app.live`
already imports the models: the enum must not make the two packages import each other.
"""

from __future__ import annotations

from enum import StrEnum


class SessionStatus(StrEnum):
    NEW = "new"  # the fold before `session.started`; a stored session is never new
    OPEN = "open"
    ENDED = "ended"
