"""Reading a participant's portfolio from the database: their sessions' logs, folded."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.pinned import meeting_of
from app.live.store import load_state
from app.models import LiveSession, Membership, Participant
from app.participants.consent import portfolio_withheld
from app.participants.operations import identities
from app.portfolio.projection import Portfolio, SessionInput, project
from app.workshops import REFERENCE_LOCALE, Script


def sessions_of(db: Session, ids: set[int]) -> list[LiveSession]:
    """The real (not rehearsal) sessions of every cohort these ids belong to, in order."""
    cohorts = select(Membership.cohort_id).where(Membership.participant_id.in_(ids))
    return list(
        db.scalars(
            select(LiveSession)
            .where(LiveSession.cohort_id.in_(cohorts), LiveSession.is_rehearsal.is_(False))
            .order_by(LiveSession.id)
        )
    )


def room_withheld(db: Session, ids: set[int]) -> bool:
    """Whether the person these ids stand for said no to the use of their contributions
    in their portfolio. Their answer is the kept name's: the one no other of these ids
    was merged into (a merge moves consents to it)."""
    people = db.scalars(select(Participant).where(Participant.id.in_(ids)))
    return any(portfolio_withheld(p) for p in people if p.merged_into_id not in ids)


def session_inputs(db: Session, ids: set[int], script: Script) -> list[SessionInput]:
    """The real (not rehearsal) sessions of every cohort these ids belong to.

    None for a person who said no to the portfolio: they still post, and the log keeps
    their cards as the room saw them, but nothing of the room comes into their portfolio.
    Their answer changing to yes brings it all back, the log never having changed.
    """
    if room_withheld(db, ids):
        return []
    inputs = []
    for live in sessions_of(db, ids):
        meeting = meeting_of(db, live, REFERENCE_LOCALE, script)
        feeds = {step.id: step.feeds for step in meeting.steps}
        inputs.append(SessionInput(live.id, live.meeting_slug, feeds, load_state(db, live.id)))
    return inputs


def portfolio_for(db: Session, participant: Participant, script: Script) -> Portfolio:
    ids = identities(db, participant)
    return project(ids, session_inputs(db, ids, script), participant.id)
