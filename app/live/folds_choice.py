"""The fold for an author's choice on a hidden-first step: show the card to the group or
not, with its place and date or without (app.live.disclosure reads the choice)."""

from __future__ import annotations

from dataclasses import replace

from app.live.checks import bool_field, card_of, participant_of, require_open
from app.live.disclosure import hidden_first
from app.live.errors import IllegalMove
from app.live.events import ActorKind, Event
from app.live.folds_wall import off_the_wall
from app.live.state import SessionState, with_entry


def card_shown(state: SessionState, event: Event) -> SessionState:
    """The author shows their card to the group, or takes it back to themself.

    Theirs to decide at any time of the evening, on any step, even once the board is
    closed: a person may always take a story back from the wall. A card a tutor typed
    for someone without a phone is shown by a tutor, as that person says aloud; a tutor
    never chooses for a card its author typed."""
    require_open(state)
    card = card_of(state, event.payload)
    if event.actor is not None and event.actor.kind is ActorKind.STAFF:
        if not card.by_staff:
            raise IllegalMove("not_your_card")
    elif card.author_id is None or card.author_id != participant_of(event, state):
        raise IllegalMove("not_your_card")
    if not hidden_first(state, card.step):
        raise IllegalMove("not_hidden_first")
    shown = bool_field(event.payload, "shown")
    details = bool_field(event.payload, "details")
    if (card.shown, card.details_shown) == (shown, details):
        raise IllegalMove("no_change")
    chosen = replace(card, shown=shown, details_shown=details)
    state = replace(state, cards=with_entry(state.cards, card.id, chosen))
    return state if shown else off_the_wall(state, lambda spotlit: spotlit.id == card.id)


def choice_admitted(event: Event) -> None:
    """A new choice shows the place and date only with the card: taking a card back
    takes them back too, so showing it again shows them only if chosen afresh.

    Checked on new moves alone (app.live.engine.admit), not in the fold: an evening
    stored before this rule may hold "not shown, place and date shown", and its log must
    still fold (the room never saw those details: app.live.disclosure reads them only on
    a shown card)."""
    if event.payload.get("details") is True and event.payload.get("shown") is False:
        raise IllegalMove("details_need_shown")
