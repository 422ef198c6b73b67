"""Participants (no account: a name and a device cookie), their consents and re-join codes."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class Participant(Base):
    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(60))  # a first name or a pseudonym
    locale: Mapped[str] = mapped_column(String(10))
    # "Show French with my language": the room's prompts, buttons and headings in the
    # workshop's French too, under the person's own language (a phone setting, kept here
    # so it follows the person to another phone).
    french_beside: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when a tutor found this was a second identity of another participant: the
    # phone that knows this id now speaks as that participant.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL")
    )
    # Set on the anonymous stand-in that takes a deleted person's place in the event logs
    # and the counts (app.data_rights.erasure): no name, no phone, no consent, no link.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(  # noqa: F821
        back_populates="participant", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="Consent.id"
    )


class Consent(Base):
    """One answer to one purpose, for one version of its text; the latest answer wins."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(40))
    text_version: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None when the participant answered on their phone; else the tutor who recorded it.
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    participant: Mapped[Participant] = relationship(back_populates="consents")


class DeviceLink(Base):
    """One phone (one browser) linked to a participant: the device cookie names this row,
    and every request and socket event checks that it has not ended. "This is not me", a
    new phone linked by a re-join code, and a tutor's "sign out this person's phones" end
    it; a copy of the cookie then opens nothing."""

    __tablename__ = "device_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    via: Mapped[str] = mapped_column(String(20))  # see participants.phones.LinkedVia
    # Also in the cookie: ids come back on SQLite once their row is deleted (a stranger
    # turned away at the door), and a cookie must never open the next person to get them.
    secret: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_urlsafe(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_why: Mapped[str | None] = mapped_column(String(20))  # see participants.devices

    @property
    def active(self) -> bool:
        return self.ended_at is None


class RejoinCode(Base):
    """A short-lived personal code that links a new phone to an existing participant."""

    __tablename__ = "rejoin_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    # The cohort that gave it: the code opens the person only while they are within its
    # wall (app.participants.operations.beyond_the_wall).
    cohort_id: Mapped[int | None] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
