"""The finished sessions a member of staff may replay, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.models import Annotation, Cohort, LiveSession, User, cohort_tutors
from app.permissions import Role
from app.session_status import SessionStatus


@dataclass(frozen=True)
class Replayable:
    live: LiveSession
    cohort: Cohort
    annotations: int
    reviews: bool  # the viewer ran it (a tutor of its group) or coordinates


def replayable(db: Session, user: User) -> list[Replayable]:
    """Real, finished sessions: all for the coordinator; a tutor's own groups' sessions
    and those shared; only the shared ones for a trainee."""
    role = Role(user.role)
    taught = select(cohort_tutors.c.cohort_id).where(cohort_tutors.c.user_id == user.id)
    query = (
        select(LiveSession, Cohort)
        .join(Cohort, Cohort.id == LiveSession.cohort_id)
        .where(
            LiveSession.is_rehearsal.is_(False),
            Cohort.practice.is_(False),
            LiveSession.status == SessionStatus.ENDED.value,
        )
        .order_by(LiveSession.started_at.desc(), LiveSession.id.desc())
    )
    if role is Role.TUTOR:
        query = query.where(
            or_(LiveSession.shared_at.is_not(None), LiveSession.cohort_id.in_(taught))
        )
    elif role is not Role.COORDINATOR:
        query = query.where(LiveSession.shared_at.is_not(None))
    rows = db.execute(query).all()
    counts = dict(
        db.execute(
            select(Annotation.session_id, func.count())
            .where(
                Annotation.session_id.in_([live.id for live, _cohort in rows]),
                Annotation.private.is_(False),
            )
            .group_by(Annotation.session_id)
        ).all()
    )
    mine = set(db.scalars(taught))
    return [
        Replayable(
            live,
            cohort,
            counts.get(live.id, 0),
            role is Role.COORDINATOR or (role is Role.TUTOR and cohort.id in mine),
        )
        for live, cohort in rows
    ]


def running_rehearsals(db: Session, user: User) -> list[LiveSession]:
    """The rehearsals `user` started that are still running."""
    return list(
        db.scalars(
            select(LiveSession)
            .where(
                LiveSession.is_rehearsal.is_(True),
                LiveSession.started_by_id == user.id,
                LiveSession.status == SessionStatus.OPEN.value,
            )
            .order_by(LiveSession.started_at.desc())
        )
    )
