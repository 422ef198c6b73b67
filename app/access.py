"""Builds the `Principal` for a person and a cohort from the database."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LiveSession, Membership, MembershipStatus, Participant, User, cohort_tutors
from app.permissions import Principal, Role


def staff_principal(db: Session, user: User, cohort_id: int) -> Principal:
    teaches = db.scalar(
        select(cohort_tutors.c.user_id).where(
            cohort_tutors.c.user_id == user.id, cohort_tutors.c.cohort_id == cohort_id
        )
    )
    return Principal(Role(user.role), user.id, in_cohort=teaches is not None)


def session_principal(db: Session, user: User, live: LiveSession) -> Principal:
    """A staff member facing one live session: their own rehearsal is theirs to run."""
    principal = staff_principal(db, user, live.cohort_id)
    owns = live.is_rehearsal and live.started_by_id == user.id
    return replace(principal, owns_rehearsal=owns) if owns else principal


def participant_principal(db: Session, participant: Participant, cohort_id: int) -> Principal:
    admitted = db.scalar(
        select(Membership.id).where(
            Membership.cohort_id == cohort_id,
            Membership.participant_id == participant.id,
            Membership.status == MembershipStatus.ADMITTED.value,
        )
    )
    return Principal(Role.PARTICIPANT, participant.id, in_cohort=admitted is not None)


def names_in_cohort(db: Session, cohort_id: int) -> dict[int, str]:
    """Display names of everyone who asked to join the cohort, for the board's views."""
    rows = db.execute(
        select(Participant.id, Participant.display_name)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id)
    )
    return {pid: name for pid, name in rows}


def portfolio_principal(db: Session, user: User, participant: Participant) -> Principal:
    """A staff member facing a participant's portfolio: do they teach one of their groups?"""
    teaches = db.scalar(
        select(Membership.id)
        .join(cohort_tutors, cohort_tutors.c.cohort_id == Membership.cohort_id)
        .where(
            cohort_tutors.c.user_id == user.id,
            Membership.participant_id == participant.id,
            Membership.status == MembershipStatus.ADMITTED.value,
        )
        .limit(1)
    )
    return Principal(Role(user.role), user.id, in_cohort=teaches is not None)
