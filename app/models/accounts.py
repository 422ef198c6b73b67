"""Staff accounts: coordinators, tutors and trainee tutors log in with a password."""

from __future__ import annotations

import functools
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.permissions import Role

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a stored hash. Without one (no such account), check it
    against a throwaway hash of the same cost: an unknown name takes as long to refuse
    as a wrong password, so the time of an answer does not tell which names exist.

    Seconds of CPU under many attempts: callers run it off the event loop."""
    try:
        return _hasher.verify(password_hash or _throwaway_hash(), password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def _throwaway_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(20), default=Role.TUTOR.value)
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A deactivated account is refused everywhere, at its next request or socket event.
    is_active_account: Mapped[bool] = mapped_column("active", Boolean, default=True)
    # Part of the log-in cookie: raising it (log-out, deactivation) ends every copy of
    # every cookie issued before, on every browser and open socket.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)

    cohorts: Mapped[list[Cohort]] = relationship(  # noqa: F821
        secondary="cohort_tutors", back_populates="tutors", order_by="Cohort.starts_on.desc()"
    )

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def get_id(self) -> str:
        return f"user:{self.id}:{self.session_generation}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in an inactive account
        return self.is_active_account

    def end_sessions(self) -> None:
        """Make every log-in cookie issued so far worthless (see `session_generation`)."""
        self.session_generation = (self.session_generation or 0) + 1
