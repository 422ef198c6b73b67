"""Folds for the projector's wall: the page, the card shown alone, the join panel, rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.live.checks import (
    JOIN_PANEL_SHOWN,
    MAX_WALL_PAGE,
    bool_field,
    card_of,
    int_field,
    require_open,
    step_of,
)
from app.live.disclosure import shown_by_author
from app.live.errors import IllegalMove
from app.live.events import Event
from app.live.state import Card, SessionState, StepInfo
from app.vocabulary.boards import BOARDS


def off_the_wall(state: SessionState, gone: Callable[[Card], bool]) -> SessionState:
    """Take the card shown alone off the wall once the room may no longer see it: else
    revealing or showing it again would put it back on the wall unasked."""
    spotlit = state.cards.get(state.wall.spotlight) if state.wall.spotlight else None
    if spotlit is None or not gone(spotlit):
        return state
    return replace(state, wall=replace(state.wall, spotlight=None))


def _on_screen(state: SessionState, step: StepInfo) -> None:
    current = state.current_step
    if current is None or current.id != step.id:
        raise IllegalMove("not_current_step", step.id)


def wall_paged(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    step = step_of(state, event.payload)
    _on_screen(state, step)
    page = int_field(event.payload, "page", "bad_page")
    if not 0 <= page <= MAX_WALL_PAGE:
        raise IllegalMove("bad_page", str(page))
    return replace(state, wall=replace(state.wall, page=page))


def wall_spotlight(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    card_id = event.payload.get("card_id")
    if card_id is not None:
        card = card_of(state, event.payload)
        private = BOARDS[card.board].private  # its author's alone: never on the wall
        if private or not card.in_room or state.board(card.step).until_reveal:
            raise IllegalMove("card_hidden")
        if not shown_by_author(card, state):  # a story its author keeps to themself
            raise IllegalMove("not_shown")
        _on_screen(state, state.step(card.step))
    if state.wall.spotlight == card_id:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, spotlight=card_id))


def wall_join(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    shown = event.payload.get("shown")
    if shown not in JOIN_PANEL_SHOWN:
        raise IllegalMove("bad_request", "shown")
    if state.wall.join == shown:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, join=shown))


def wall_rules(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    on = bool_field(event.payload, "on")
    if state.wall.rules == on:
        raise IllegalMove("no_change")
    return replace(state, wall=replace(state.wall, rules=on))
