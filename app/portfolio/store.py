"""Reading and writing a person's portfolio: the room's cards, then their own log.

Every write is one `PortfolioEvent`; the caller commits. A client id already stored
for this person returns the stored event instead, so a form sent twice counts once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import LiveSession, Membership, Participant, PortfolioEvent, User
from app.models.base import now_ms
from app.participants.operations import identities
from app.portfolio.own import OwnEvent, OwnEventType, apply
from app.portfolio.projection import Portfolio, project
from app.portfolio.queries import room_withheld, session_inputs
from app.workshops import Script


def own_events(db: Session, ids: set[int]) -> list[OwnEvent]:
    rows = db.execute(
        select(PortfolioEvent, User.display_name)
        .outerjoin(User, User.id == PortfolioEvent.staff_id)
        .where(PortfolioEvent.participant_id.in_(ids))
        .order_by(PortfolioEvent.id)
    )
    return [
        OwnEvent(
            seq=row.id,
            type=OwnEventType(row.type),
            payload=row.payload,
            at_ms=row.created_ms,
            participant_id=row.participant_id,
            staff_name=(staff_name or "") if row.staff_id is not None else "",
        )
        for row, staff_name in rows
    ]


def load(db: Session, participant: Participant, script: Script) -> Portfolio:
    """The whole portfolio, as its owner sees it (do not change what it returns: the
    same object may be given to the next reader, see `_folded`)."""
    ids = identities(db, participant)
    seen = _fingerprint(db, ids)
    cache = _folded.setdefault(db.get_bind(), OrderedDict())
    known = cache.get(participant.id)
    if known is not None and known[0] == seen:
        cache.move_to_end(participant.id)
        return known[1]
    room = project(ids, session_inputs(db, ids, script), participant.id)
    portfolio = apply(room, own_events(db, ids))
    cache[participant.id] = (seen, portfolio)
    while len(cache) > _FOLDED_SIZE:
        cache.popitem(last=False)
    return portfolio


# The folded portfolios of recent readers, per database engine, each with what it was
# folded from: its ids, the seq each of its sessions had reached, and the end of its
# own log. A reload with nothing new costs three small queries instead of a fold of
# every session, which a reload loop would otherwise repeat for every room to wait on.
# A change that keeps those (redacting words in place) must drop the entry here.
_FOLDED_SIZE = 64
_folded: WeakKeyDictionary[Any, OrderedDict[int, tuple[Hashable, Portfolio]]] = WeakKeyDictionary()


def _fingerprint(db: Session, ids: set[int]) -> Hashable:
    sessions = db.execute(
        select(LiveSession.id, LiveSession.last_seq, LiveSession.script_version_id)
        .where(
            LiveSession.cohort_id.in_(
                select(Membership.cohort_id).where(Membership.participant_id.in_(ids))
            ),
            LiveSession.is_rehearsal.is_(False),
        )
        .order_by(LiveSession.id)
    ).all()
    # The id alone could come back after a rollback; with the count and the time, no.
    own = db.execute(
        select(
            func.count(PortfolioEvent.id),
            func.max(PortfolioEvent.id),
            func.max(PortfolioEvent.created_ms),
        ).where(PortfolioEvent.participant_id.in_(ids))
    ).one()
    # A "no" to the portfolio (or its change back to yes) changes what the room gives.
    withheld = room_withheld(db, ids)
    return (tuple(sorted(ids)), tuple(map(tuple, sessions)), tuple(own), withheld)


def record(
    db: Session,
    participant: Participant,
    kind: OwnEventType,
    payload: Mapping[str, Any],
    client_id: str | None = None,
    staff: User | None = None,
) -> PortfolioEvent:
    """Store one change; a client id seen before gives back the first one, unchanged."""
    client_id = (client_id or "").strip()[:64] or None
    if client_id is not None:
        existing = _by_client_id(db, participant.id, client_id)
        if existing is not None:
            return existing
    row = PortfolioEvent(
        participant_id=participant.id,
        type=kind.value,
        payload=dict(payload),
        client_id=client_id,
        staff_id=staff.id if staff is not None else None,
        created_ms=now_ms(),
    )
    try:
        with db.begin_nested():
            db.add(row)
    except IntegrityError:  # the same form, sent twice at the same instant
        existing = _by_client_id(db, participant.id, client_id or "")
        if existing is None:
            raise
        return existing
    return row


def forget_contact(db: Session, participant: Participant) -> None:
    """Stop keeping contact details: record it, and blank every copy kept before.

    The log is the person's history, but contact details are kept only while they want:
    the earlier "kept" events lose their values, so nothing of them stays in the database.
    """
    ids = identities(db, participant)
    for row in db.scalars(
        select(PortfolioEvent).where(
            PortfolioEvent.participant_id.in_(ids),
            PortfolioEvent.type == OwnEventType.CONTACT_SAVED.value,
        )
    ):
        row.payload = {}
    record(db, participant, OwnEventType.CONTACT_FORGOTTEN, {})


def _by_client_id(db: Session, participant_id: int, client_id: str) -> PortfolioEvent | None:
    return db.scalar(
        select(PortfolioEvent).where(
            PortfolioEvent.participant_id == participant_id,
            PortfolioEvent.client_id == client_id,
        )
    )
