"""The rules a group adopted in its earlier sessions, to put back on the wall.

The guide of the first workshop promises that the adopted rules "will be shown at every
workshop": they live in the logs of the group's earlier sessions, read here. Only the
sessions whose log adopted a rule are folded (usually the first workshop alone), and each
fold is kept per session and last seq, so a console or projector page costs one query.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.events import EventType
from app.live.state import SessionState
from app.live.store import load_state
from app.models import LiveSession, SessionEvent
from app.vocabulary import REMOVED
from app.vocabulary.boards import BOARDS

# Per database engine, as the store's cache: two test databases never share one.
_KEPT = 256  # sessions whose adopted rules this process remembers
_known: WeakKeyDictionary[Any, OrderedDict[tuple[int, int], tuple[str, ...]]] = WeakKeyDictionary()


def adopted_texts(state: SessionState) -> list[str]:
    """The texts of the rules adopted in one session and still on its board."""
    return [
        card.text
        for card in sorted(state.cards.values(), key=lambda c: c.id)
        if card.adopted
        and card.in_room
        and BOARDS[card.board].adoptable
        and card.text != REMOVED  # its words were taken out of the replays
    ]


def _adopted_in(db: Session, session_id: int, version: tuple[int, int]) -> tuple[str, ...]:
    _adopted = _known.setdefault(db.get_bind(), OrderedDict())
    key = (session_id, *version)  # a session that changed since (an event, words removed)
    if key not in _adopted:
        _adopted[key] = tuple(adopted_texts(load_state(db, session_id)))
        if len(_adopted) > _KEPT:
            _adopted.popitem(last=False)
    _adopted.move_to_end(key)
    return _adopted[key]


def earlier_rules(db: Session, live: LiveSession) -> list[str]:
    """The rules the group adopted before `live`, oldest session first, each text once.

    Rehearsals are practice: what was adopted there is not the group's."""
    adopting = db.execute(
        select(LiveSession.id, LiveSession.last_seq, LiveSession.contents_version)
        .where(
            LiveSession.cohort_id == live.cohort_id,
            LiveSession.id != live.id,
            LiveSession.is_rehearsal.is_(False),
            LiveSession.started_at <= live.started_at,
            select(SessionEvent.id)
            .where(
                SessionEvent.session_id == LiveSession.id,
                SessionEvent.type == EventType.RULE_ADOPTED.value,
            )
            .exists(),
        )
        .order_by(LiveSession.started_at, LiveSession.id)
    ).all()
    rules: list[str] = []
    for session_id, last_seq, contents in adopting:
        for text in _adopted_in(db, session_id, (last_seq, contents or 0)):
            if text not in rules:
                rules.append(text)
    return rules
