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


def other_cohorts(db: Session, participant_ids: set[int], cohort_id: int) -> list[int]:
    """Groups besides `cohort_id` where these people hold data (let in there, or merged).

    A request still waiting at another group's door holds nothing there yet, so it does
    not count: any site can make a phone knock at a door (it takes a tap since).
    """
    return sorted(
        db.scalars(
            select(Membership.cohort_id)
            .where(
                Membership.participant_id.in_(participant_ids),
                Membership.cohort_id != cohort_id,
                Membership.status != MembershipStatus.PENDING.value,
            )
            .distinct()
        )
    )


def sessions_in_reach(db: Session, user: User, participant_ids: set[int]) -> set[int] | None:
    """The live sessions whose cards about these people `user` may read: those of groups
    the user tutors where the person was let in. None: every one (the coordinator)."""
    if Role(user.role) is Role.COORDINATOR:
        return None
    cohorts = (
        select(Membership.cohort_id)
        .join(cohort_tutors, cohort_tutors.c.cohort_id == Membership.cohort_id)
        .where(
            cohort_tutors.c.user_id == user.id,
            Membership.participant_id.in_(participant_ids),
            Membership.status != MembershipStatus.PENDING.value,
        )
    )
    return set(db.scalars(select(LiveSession.id).where(LiveSession.cohort_id.in_(cohorts))))
