"""What a finished session gathers to be learnt from: annotations and their replies, the
trainees' answers to its focus question, and derived data for a fast, faithful replay
(keyframes and the projector view's fingerprint at each step change)."""

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

from app.models.base import Base, UTCDateTime, utcnow


class Annotation(Base):
    """A comment on one moment of a session (the event `seq`), or a reply to one."""

    __tablename__ = "annotations"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # see app.replay.annotations.Kind
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Private: its author (and those who run the session) read it; shared: trainees too.
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()  # noqa: F821


class FocusAnswer(Base):
    """A trainee's answer to the focus question of a session shared for training."""

    __tablename__ = "focus_answers"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()  # noqa: F821


class ReplayKeyframe(Base):
    """The folded state right after event `seq` (app.live.state_codec). Derived from the
    log, never a second truth: dropped and rebuilt whenever `fold_version` changes."""

    __tablename__ = "replay_keyframes"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    fold_version: Mapped[str] = mapped_column(String(20))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)


class ViewHash(Base):
    """The fingerprint of the projector's view right after a step change, taken live:
    the replay of the same moment must give the same one."""

    __tablename__ = "view_hashes"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))


class SimulatedAction(Base):
    """One move of a simulated participant in a rehearsal, due at `due_ms`. Stored, not
    timed inside a process: any server process runs what is due, after a restart too."""

    __tablename__ = "simulated_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))  # see app.rehearsal.plan.Kind
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The step it belongs to: moves are planned when the tutor opens a step, and those
    # of a step the tutor has left are dropped.
    step_id: Mapped[str | None] = mapped_column(String(80))
    due_ms: Mapped[int] = mapped_column(BigInteger, index=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str | None] = mapped_column(String(40))
