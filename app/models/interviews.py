"""The preparatory meeting: a one-to-one interview a tutor fills in with a participant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class Interview(Base):
    """What was said at the preparatory meeting, in the participant's words.

    `answers` holds one entry per part of the form (profile, languages, motivation,
    referral); consent is recorded in `consents`, like every other consent.
    """

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    script_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_versions.id", ondelete="SET NULL")
    )
    meeting_slug: Mapped[str] = mapped_column(String(80))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    participant: Mapped[Participant] = relationship()  # noqa: F821
