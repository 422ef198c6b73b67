"""Folds for the tutor's board controls (locked, until reveal, anonymous), votes and the
timer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from app.live.checks import (
    MAX_TIMER_SECONDS,
    MAX_VOTE_BUDGET,
    bool_field,
    int_field,
    participant_of,
    require_open,
    step_of,
)
from app.live.errors import IllegalMove
from app.live.events import Event
from app.live.folds_wall import off_the_wall
from app.live.state import SessionState, StepInfo, Timer, frozen, with_entry
from app.vocabulary.boards import BOARDS


def _setting(state: SessionState, step_id: str, **changes: Any) -> SessionState:
    board = replace(state.board(step_id), **changes)
    return replace(state, boards=with_entry(state.boards, step_id, board))


def board_flag(name: str) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, event: Event) -> SessionState:
        require_open(state)
        step = step_of(state, event.payload)
        on = bool_field(event.payload, "on")
        if getattr(state.board(step.id), name) == on:
            raise IllegalMove("no_change")
        state = _setting(state, step.id, **{name: on})
        if name == "until_reveal" and on:  # the room no longer sees the board's cards
            state = off_the_wall(state, lambda spotlit: spotlit.step == step.id)
        return state

    return fold


def voting_set(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    step = step_of(state, event.payload)
    budget = int_field(event.payload, "budget", "bad_budget")
    if not 0 <= budget <= MAX_VOTE_BUDGET:
        raise IllegalMove("bad_budget", str(budget))
    return _setting(state, step.id, vote_budget=budget)


def _vote_target(state: SessionState, step: StepInfo, target: Any) -> str:
    """Only rules, clusters and poll options take votes: never a person's own cards."""
    if not isinstance(target, str) or ":" not in target:
        raise IllegalMove("bad_vote_target")
    kind, _, raw_id = target.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()):  # "²" is a digit int() refuses
        raise IllegalMove("bad_vote_target")
    ident = int(raw_id)
    if kind == "card":
        card = state.cards.get(ident)
        if card is None or card.step != step.id or not card.in_room:
            raise IllegalMove("bad_vote_target")
        if not BOARDS[card.board].votes_on_cards:
            raise IllegalMove("no_votes_on_people")
        if state.board(step.id).until_reveal:
            raise IllegalMove("not_revealed_yet")
    elif kind == "cluster":
        cluster = state.clusters.get(ident)
        if cluster is None or cluster.step != step.id:
            raise IllegalMove("bad_vote_target")
    elif kind == "option":
        if not 0 <= ident < step.options:
            raise IllegalMove("bad_vote_target")
    else:
        raise IllegalMove("bad_vote_target")
    return f"{kind}:{ident}"


def vote(delta: int) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, event: Event) -> SessionState:
        require_open(state)
        voter = participant_of(event, state)
        step = step_of(state, event.payload)
        if not state.is_live(step.id):
            raise IllegalMove("board_closed")
        budget = state.vote_budget(step.id)
        if budget == 0:
            raise IllegalMove("voting_closed")
        target = _vote_target(state, step, event.payload.get("target"))
        mine = dict(state.votes_of(step.id, voter))
        if delta > 0 and sum(mine.values()) >= budget:
            raise IllegalMove("no_votes_left", str(budget))
        if delta < 0 and not mine.get(target):
            raise IllegalMove("no_vote_to_take_back")
        mine[target] = mine.get(target, 0) + delta
        if mine[target] == 0:
            del mine[target]
        by_voter = with_entry(state.votes.get(step.id, frozen()), voter, frozen(mine))
        return replace(state, votes=with_entry(state.votes, step.id, by_voter))

    return fold


def _seconds(payload: Mapping[str, Any]) -> int:
    seconds = int_field(payload, "seconds", "bad_duration")
    if not 0 < seconds <= MAX_TIMER_SECONDS:
        raise IllegalMove("bad_duration", str(seconds))
    return seconds


def timer_started(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    ends = event.ts_ms + _seconds(event.payload) * 1000
    return replace(state, timer=Timer(ends_ms=ends))


def timer_paused(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    if state.timer.ends_ms is None:  # not running; on the field, so the type narrows
        raise IllegalMove("timer_not_running")
    left = max(0, state.timer.ends_ms - event.ts_ms)
    return replace(state, timer=Timer(remaining_ms=left))


def timer_resumed(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    if state.timer.remaining_ms is None:
        raise IllegalMove("timer_not_paused")
    return replace(state, timer=Timer(ends_ms=event.ts_ms + state.timer.remaining_ms))


def timer_extended(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    extra = _seconds(event.payload) * 1000
    timer = state.timer
    if timer.ends_ms is not None:
        # Past its end, "one more minute" counts from now, not from the missed end.
        return replace(state, timer=Timer(ends_ms=max(timer.ends_ms, event.ts_ms) + extra))
    if timer.remaining_ms is not None:
        return replace(state, timer=Timer(remaining_ms=timer.remaining_ms + extra))
    raise IllegalMove("no_timer")


def timer_cleared(state: SessionState, _event: Event) -> SessionState:
    require_open(state)
    if state.timer == Timer():
        raise IllegalMove("no_timer")
    return replace(state, timer=Timer())
