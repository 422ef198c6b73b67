"""What the room may see of a card that tells a personal story, written once for every
reader: the live screens, the replay's frames, the session's summary, the rehearsals.

On a hidden-first step (`visibility: hidden` in the script) each author decides, card by
card, whether the group sees it (`Card.shown`) and, apart, whether the group also sees
its place and date (`Card.details_shown`: the board's `revealing` fields). The tutors
see every card; every other reader sees only what its author chose to show, and only
once the tutor shows the cards. A card never shown stays between its author and the
tutors, and goes to the author's portfolio as usual.

The author's last choice wins for the past too: a replay draws a story at a moment only
if its author showed it then and still shows it at the end of the session (and its
place and date likewise), so a story taken back never comes back in a frame.

Pure: the folded state in, a verdict out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.live.state import Card, SessionState, frozen
from app.vocabulary.boards import BOARDS, FieldRefused


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


def retellable(card: Card, state: SessionState) -> bool:
    """Whether what the room may read of the card still makes a card of its board: one
    whose author kept back a field the board cannot do without (a pathway's step needs
    its date) is not retold at all, rather than retold without it."""
    try:
        BOARDS[card.board].clean(room_fields(card, state))
    except FieldRefused:
        return False
    return True


def as_finally_chosen(moment: SessionState, final: SessionState) -> SessionState:
    """The state at a past `moment` as a replay may draw it: each hidden-first card shown
    only if its author showed it then and still shows it at the end (`final`: the
    session's last state), its place and date only if chosen then and at the end too. A
    card taken off the board by its author by the end counts as taken back; a card no
    longer shown leaves the wall's spotlight, as it did live."""
    narrowed: dict[int, Card] = {}
    for card_id, card in moment.cards.items():
        if not card.shown or not hidden_first(moment, card.step):
            continue
        last = final.cards.get(card_id)
        if last is None or last.withdrawn or not last.shown:
            shown, details = False, False
        else:
            shown, details = True, card.details_shown and last.details_shown
        if (shown, details) != (card.shown, card.details_shown):
            narrowed[card_id] = replace(card, shown=shown, details_shown=details)
    if not narrowed:
        return moment
    wall = moment.wall
    spotlit = narrowed.get(wall.spotlight) if wall.spotlight is not None else None
    if spotlit is not None and not spotlit.shown:
        wall = replace(wall, spotlight=None)
    return replace(moment, cards=frozen({**moment.cards, **narrowed}), wall=wall)
