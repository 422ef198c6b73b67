"""What staff do and the organisation's own settings: the audit trail, invitations to a
staff account, attendance corrections, and the one row of settings a coordinator edits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

DEFAULT_COMPLETION_MEETINGS = 6  # of the cycle's 9 meetings (the preparatory one counts)
DEFAULT_RETENTION_MONTHS = 12  # after the group's cycle ends


class OrganisationSettings(Base):
    """The organisation's settings a coordinator changes on screen. One row (id 1)."""

    __tablename__ = "organisation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A participant completed the cycle when they attended at least this many meetings.
    completion_meetings: Mapped[int] = mapped_column(Integer, default=DEFAULT_COMPLETION_MEETINGS)
    # Participants' data is deleted this many months after their group's cycle ended.
    retention_months: Mapped[int] = mapped_column(Integer, default=DEFAULT_RETENTION_MONTHS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditEntry(Base):
    """Who did what to whose data, when: a member of staff opening a participant's
    portfolio, CV or interview, and every export and deletion.

    `participant_id` lets the person read the entries about their own data; it is
    emptied when they are deleted, and `detail` never holds a name."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The member of staff, or None when the participant acted on their own data.
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))  # see app.audit.AuditAction
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StaffInvite(Base):
    """A one-time link that lets someone set the password of their staff account: a new
    tutor's first log-in, or access given back after a forgotten password. Only a digest
    of the token is kept; the link is shown once, to copy or scan."""

    __tablename__ = "staff_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AttendanceCorrection(Base):
    """A tutor's correction of who attended a meeting, after the fact; the latest one
    for a person and a meeting wins over live presence."""

    __tablename__ = "attendance_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    meeting_slug: Mapped[str] = mapped_column(String(80))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    present: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
