"""The rules a group adopted in its earlier sessions, to put back on the wall.

The guide of the first workshop promises that the adopted rules "will be shown at every
workshop": they live in the logs of the group's earlier sessions, read here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.boards import BOARDS
from app.live.engine import SessionState
from app.live.store import load_state
from app.models import LiveSession


def adopted_texts(state: SessionState) -> list[str]:
    """The texts of the rules adopted in one session and still on its board."""
    return [
        card.text
        for card in sorted(state.cards.values(), key=lambda c: c.id)
        if card.adopted and card.in_room and BOARDS[card.board].adoptable
    ]


def earlier_rules(db: Session, live: LiveSession) -> list[str]:
    """The rules the group adopted before `live`, oldest session first, each text once.

    Rehearsals are practice: what was adopted there is not the group's."""
    earlier = db.scalars(
        select(LiveSession.id)
        .where(
            LiveSession.cohort_id == live.cohort_id,
            LiveSession.id != live.id,
            LiveSession.is_rehearsal.is_(False),
            LiveSession.started_at <= live.started_at,
        )
        .order_by(LiveSession.started_at, LiveSession.id)
    )
    rules: list[str] = []
    for session_id in earlier:
        for text in adopted_texts(load_state(db, session_id)):
            if text not in rules:
                rules.append(text)
    return rules
