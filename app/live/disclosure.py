"""What the room may see of a card that tells a personal story, written once for every
reader: the live screens, the replay's frames, the session's summary, the rehearsals.

On a hidden-first step (`visibility: hidden` in the script) each author decides, card by
card, whether the group sees it (`Card.shown`) and, apart, whether the group also sees
its place and date (`Card.details_shown`: the board's `revealing` fields). The tutors
see every card; every other reader sees only what its author chose to show, and only
once the tutor shows the cards. A card never shown stays between its author and the
tutors, and goes to the author's portfolio as usual.

Pure: the folded state in, a verdict out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.live.state import Card, SessionState
from app.vocabulary.boards import BOARDS


def hidden_first(state: SessionState, step_id: str) -> bool:
    """Whether the step's cards start hidden, each author showing theirs or not."""
    return any(step.id == step_id and step.hidden_first for step in state.steps)


def shown_by_author(card: Card, state: SessionState) -> bool:
    """Whether the card's author lets the group see it: always, except on a hidden-first
    step, where only once they chose to show it."""
    return card.shown or not hidden_first(state, card.step)


def details_withheld(card: Card, state: SessionState) -> tuple[str, ...]:
    """The card's fields that tell a place or a date and that its author did not choose
    to show the group (none on a step whose cards the room sees as they come)."""
    if not hidden_first(state, card.step) or (card.shown and card.details_shown):
        return ()
    return tuple(name for name in BOARDS[card.board].revealing if name in card.fields)


def room_fields(card: Card, state: SessionState) -> dict[str, Any]:
    """The card's fields as the group may read them: without a place or a date its
    author kept to themself."""
    withheld = details_withheld(card, state)
    fields: Mapping[str, Any] = card.fields
    return {name: value for name, value in fields.items() if name not in withheld}


def reusable(card: Card, state: SessionState) -> bool:
    """Whether the card may be retold in a rehearsal: on the board, shown by its author,
    and someone's (a card with no author is the programme's anonymous feedback, reused
    nowhere; a private board's answers are their author's alone)."""
    return (
        card.in_room
        and shown_by_author(card, state)
        and not BOARDS[card.board].private
        and not BOARDS[card.board].authorless
    )
