"""Cohorts (one cycle of 8 or 9 weeks), their tutors and their participants' memberships."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow

cohort_tutors = Table(
    "cohort_tutors",
    Base.metadata,
    Column("cohort_id", ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(Base):
    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(120))
    # The programme ran 8 weeks and now runs 9: the cycle's length is the group's, not
    # the scripts'.
    weeks: Mapped[int] = mapped_column(Integer, default=9)
    # Archived: over and put away; still counted in the year's figures.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A private group made for one rehearsal: its members are simulated participants.
    # It is never listed with the real groups nor counted anywhere.
    practice: Mapped[bool] = mapped_column(Boolean, default=False)

    tutors: Mapped[list[User]] = relationship(  # noqa: F821
        secondary=cohort_tutors, back_populates="cohorts"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan"
    )


class MembershipStatus(StrEnum):
    PENDING = "pending"  # asked to join with the room's code; waits for a tutor
    ADMITTED = "admitted"
    MERGED = "merged"  # a second identity of someone else in the cohort
    # The place of a person who had their data deleted: an anonymous stand-in keeps the
    # group's counts (enrolled, attendance, completion) and nothing about them.
    ERASED = "erased"


class Membership(Base):
    """A participant's place in a cohort; a tutor admits a first-time joiner."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("cohort_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default=MembershipStatus.PENDING.value)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    admitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The person's named tutor in this group (the seed: tutoring plays a special role in
    # the portfolio): one of the group's tutors, set on the group's page. A tutor taken
    # off the group loses their links there (app.coordinator_pages.groups.change).
    tutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    cohort: Mapped[Cohort] = relationship(back_populates="memberships")
    participant: Mapped[Participant] = relationship(back_populates="memberships")  # noqa: F821
    tutor: Mapped[User | None] = relationship()  # noqa: F821

    @property
    def admitted(self) -> bool:
        return self.status == MembershipStatus.ADMITTED
