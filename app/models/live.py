"""Live sessions, the pinned script version they run, and their event log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, EnumText, UTCDateTime, utcnow
from app.session_status import SessionStatus


class ScriptVersion(Base):
    """The exact text of a meeting's script files, so an old session replays as it ran."""

    __tablename__ = "script_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_slug: Mapped[str] = mapped_column(String(80))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    sources: Mapped[dict[str, str]] = mapped_column(JSON)  # locale -> Markdown file text
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LiveSession(Base):
    """One meeting of a cohort, run live. Its columns mirror the fold of its event log
    for the lookups that must be fast (join code, status); the log stays the truth."""

    __tablename__ = "live_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    meeting_slug: Mapped[str] = mapped_column(String(80))
    script_version_id: Mapped[int] = mapped_column(ForeignKey("script_versions.id"))
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    status: Mapped[SessionStatus] = mapped_column(
        EnumText(SessionStatus, 10), default=SessionStatus.OPEN
    )
    joining_locked: Mapped[bool] = mapped_column(Boolean, default=False)
    is_rehearsal: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Trainees replay a real session only once a tutor of it (or a coordinator) has
    # reviewed it and marked it shareable; the one who shares may ask a focus question.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    focus_prompt: Mapped[str | None] = mapped_column(Text)
    # A rehearsal started from a moment of a replay: the session and the event it took
    # over at (its board starts as that session's was then).
    taken_over_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="SET NULL")
    )
    taken_over_at_seq: Mapped[int | None] = mapped_column(Integer)
    # Raised whenever words are removed from the log's contents: every process's copy of
    # the session's replay, made before, is then out of date (app.replay.recordings).
    contents_version: Mapped[int] = mapped_column(Integer, default=0)

    cohort: Mapped[Cohort] = relationship()  # noqa: F821
    script_version: Mapped[ScriptVersion] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == SessionStatus.OPEN

    @property
    def shareable(self) -> bool:
        return self.shared_at is not None


class EventContent(Base):
    """What an event says. Kept apart from the log so that redacting or deleting a
    person's words changes this row, never the order or count of events."""

    __tablename__ = "event_contents"

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Removed from replays by a tutor, or the words of a person who asked to be deleted:
    # the body keeps its shape with every word replaced (app.replay.redaction).
    redacted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SessionEvent(Base):
    __tablename__ = "session_events"
    __table_args__ = (
        UniqueConstraint("session_id", "seq"),
        UniqueConstraint("session_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(40))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    client_id: Mapped[str | None] = mapped_column(String(64))
    created_ms: Mapped[int] = mapped_column(BigInteger)
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_contents.id", ondelete="SET NULL")
    )

    content: Mapped[EventContent | None] = relationship()
