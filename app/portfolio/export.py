"""Portability: everything the programme holds about one person, as plain JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interviews import CLOSING_PART, CLOSING_SLUG
from app.live.store import load_state
from app.models import (
    AuditEntry,
    Interview,
    Participant,
    PortfolioEvent,
    User,
)
from app.participants.operations import identities
from app.portfolio.projection import Entry, Portfolio
from app.portfolio.queries import sessions_of
from app.vocabulary.boards import BOARDS

FORMAT = "migrapass-live/portfolio-export/2"  # documented in docs/data-export.md


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _iso_ms(ms: int) -> str | None:
    return datetime.fromtimestamp(ms / 1000, UTC).isoformat() if ms else None


def entry_dict(entry: Entry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": entry.key,
        "kind": entry.board,
        "fields": dict(entry.fields),
        "shared_with_tutor": entry.shared,
        "added_at": _iso_ms(entry.added_ms),
        "changed_at": _iso_ms(entry.edited_ms),
        "posted_anonymously": entry.anonymous,
        "written_by_tutor_for_you": entry.by_staff,
        "hidden_by_tutor": entry.hidden,
        "hidden_reason": entry.hidden_reason or None,
        "tutor_comments": [
            {"by": c.author, "at": _iso_ms(c.at_ms), "text": c.text} for c in entry.comments
        ],
    }
    if entry.provenance is not None:
        data["from_workshop"] = {
            "meeting": entry.provenance.meeting,
            "step": entry.provenance.step,
            "posted_at": _iso_ms(entry.provenance.posted_ms),
        }
    return data


def everything(
    db: Session, person: Participant, portfolio: Portfolio, *, by_staff: bool = False
) -> dict[str, Any]:
    """Everything about the person. Made by staff for them (`by_staff`), it leaves out
    their private self-assessment: staff never read it, even to hand it over."""
    ids = identities(db, person)
    entries = list(
        db.scalars(
            select(AuditEntry).where(AuditEntry.participant_id.in_(ids)).order_by(AuditEntry.id)
        )
    )
    staff = {e.actor_user_id for e in entries if e.actor_user_id is not None}
    names = dict(db.execute(select(User.id, User.display_name).where(User.id.in_(staff))).all())
    interviews = list(
        db.scalars(
            select(Interview).where(Interview.participant_id.in_(ids)).order_by(Interview.id)
        )
    )
    log = db.scalars(
        select(PortfolioEvent)
        .where(PortfolioEvent.participant_id.in_(ids))
        .order_by(PortfolioEvent.id)
    )
    return {
        "format": FORMAT,
        "exported_at": datetime.now(UTC).isoformat(),
        "person": {
            "name": person.display_name,
            "language": person.locale,
            "since": _iso(person.created_at),
        },
        "consents": [
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "text_version": c.text_version,
                "recorded_at": _iso(c.recorded_at),
            }
            for c in person.consents
        ],
        "groups": [
            {
                "name": m.cohort.name,
                "starts_on": m.cohort.starts_on.isoformat(),
                "status": m.status,
                "asked_to_join_at": _iso(m.requested_at),
            }
            for m in person.memberships
        ],
        "preparatory_interviews": [
            {"held_at": _iso(i.held_at), "answers": i.answers}
            for i in interviews
            if i.meeting_slug != CLOSING_SLUG
        ],
        "closing_interviews": [
            {"held_at": _iso(i.held_at), "answers": i.answers.get(CLOSING_PART, {})}
            for i in interviews
            if i.meeting_slug == CLOSING_SLUG
        ],
        "portfolio": {
            section: [entry_dict(e) for e in entries]
            for section, entries in portfolio.sections.items()
        },
        "tutor_comments": [
            {"by": c.author, "at": _iso_ms(c.at_ms), "text": c.text} for c in portfolio.comments
        ],
        "cv": dict(portfolio.cv) if portfolio.cv else None,
        "contact_details_kept": dict(portfolio.contact) if portfolio.contact else None,
        "portfolio_history": [
            {"at": _iso_ms(row.created_ms), "change": row.type, "data": row.payload} for row in log
        ],
        "workshops": _workshops(db, ids),
        "self_assessment": None if by_staff else _self_assessment(db, person.id),
        "who_opened_my_data": [
            {
                "at": _iso(entry.at),
                "what": entry.action,
                "by": names.get(entry.actor_user_id) if entry.actor_user_id else None,
            }
            for entry in entries
        ],
    }


def _workshops(db: Session, ids: set[int]) -> list[dict[str, Any]]:
    """The workshops of the person's groups, held in the room: whether they were there,
    and every card they wrote on the boards (the group's ones too, such as a rule, which
    are in no portfolio). A private board's answers are in `self_assessment`."""
    held = []
    for live in sessions_of(db, ids):
        state = load_state(db, live.id)
        present = {state.identity(pid) for pid in state.present}
        wrote = [
            {
                "step": card.step,
                "board": card.board,
                "fields": dict(card.fields),
                "posted_at": _iso_ms(card.posted_ms),
                "withdrawn": card.withdrawn,
            }
            for card in sorted(state.cards.values(), key=lambda c: c.id)
            if card.author_id is not None
            and state.identity(card.author_id) in ids
            and not BOARDS[card.board].private
        ]
        held.append(
            {
                "meeting": live.meeting_slug,
                "on": _iso(live.started_at),
                "present": bool(present & ids),
                "cards": wrote,
            }
        )
    return held


def _self_assessment(db: Session, participant_id: int) -> dict[str, Any]:
    """The person's own answers before and after the cycle (a scale of 1 to 4)."""
    from app.outcomes import self_assessment

    return dict(self_assessment.own_answers(db, participant_id))
