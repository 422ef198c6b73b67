"""Folds for the room and its people: start and end, steps, the door, attendance,
merged names, the tutor's notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.live.checks import (
    MAX_NOTE,
    bool_field,
    int_field,
    known_board,
    require_open,
    short_text,
)
from app.live.errors import IllegalMove
from app.live.events import ActorKind, Event
from app.live.state import (
    BoardState,
    Note,
    SessionState,
    StepInfo,
    Timer,
    frozen,
    with_entry,
)
from app.session_status import SessionStatus
from app.vocabulary import STEP_KINDS, STEP_VISIBILITIES


def started(state: SessionState, event: Event) -> SessionState:
    if state.status != SessionStatus.NEW:
        raise IllegalMove("already_started")
    steps = []
    for raw in event.payload.get("steps", ()):
        known_board(raw["board"])
        kind = raw.get("kind", "activity")
        visibility = raw.get("visibility", "room")
        if kind not in STEP_KINDS or visibility not in STEP_VISIBILITIES:
            raise IllegalMove("bad_field", "steps")
        options = int(raw.get("options", 0))
        steps.append(StepInfo(raw["id"], raw["board"], options, kind, visibility))
    if not steps:
        raise IllegalMove("no_steps")
    # Personal stories (a hidden-first step), cards written unseen ("later") and the
    # anonymous feedback start kept from the room: the tutor shows them when it is time.
    boards = {
        step.id: BoardState(until_reveal=True)
        for step in steps
        if step.starts_unseen or known_board(step.board).authorless
    }
    return replace(
        state,
        status=SessionStatus.OPEN,
        meeting=event.payload.get("meeting", ""),
        steps=tuple(steps),
        boards=frozen(boards),
    )


def step_moved(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    if "delta" in event.payload:
        delta = int_field(event.payload, "delta", "no_such_step")
        if delta not in (-1, 1):
            raise IllegalMove("no_such_step", str(delta))
        index = state.step_index + delta
    else:
        index = int_field(event.payload, "index", "no_such_step")
    if not 0 <= index < len(state.steps):
        raise IllegalMove("no_such_step", str(index))
    if index == state.step_index:
        raise IllegalMove("already_there")
    # A new step starts without a running timer (the tutor starts it when the room is
    # ready), on its board's first page, with nothing put over the board.
    wall = replace(state.wall, page=0, spotlight=None, rules=False)
    return replace(state, step_index=index, timer=Timer(), wall=wall)


def joining(locked: bool) -> Callable[[SessionState, Event], SessionState]:
    def fold(state: SessionState, _event: Event) -> SessionState:
        require_open(state)
        return replace(state, joining_locked=locked)

    return fold


def admitted(state: SessionState, event: Event) -> SessionState:
    # Who is let in is the membership rows' to say; the log keeps the event as history,
    # so the fold checks it but nothing in the state reads it.
    require_open(state)
    int_field(event.payload, "participant_id", "no_such_participant")
    return state


def attendance(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    who = state.identity(int_field(event.payload, "participant_id", "no_such_participant"))
    present = bool_field(event.payload, "present")
    if (who in state.present) == present:
        raise IllegalMove("no_change")
    changed = state.present | {who} if present else state.present - {who}
    return replace(state, present=changed)


def merged(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    absorbed = int_field(event.payload, "absorbed", "no_such_participant")
    kept = state.identity(int_field(event.payload, "kept", "no_such_participant"))
    if absorbed == kept or absorbed in state.merged:
        raise IllegalMove("cannot_merge")
    cards = {
        cid: replace(card, author_id=kept) if card.author_id == absorbed else card
        for cid, card in state.cards.items()
    }
    for cid, card in cards.items():
        if absorbed in card.stances:
            stances = dict(card.stances)
            theirs = stances.pop(absorbed)
            stances.setdefault(kept, theirs)
            cards[cid] = replace(card, stances=frozen(stances))
    votes = {}
    for step_id, by_voter in state.votes.items():
        combined = {v: dict(t) for v, t in by_voter.items() if v != absorbed}
        for target, dots in by_voter.get(absorbed, {}).items():
            mine = combined.setdefault(kept, {})
            mine[target] = mine.get(target, 0) + dots
        votes[step_id] = frozen({v: frozen(t) for v, t in combined.items()})
    present = state.present - {absorbed}
    if absorbed in state.present:
        present |= {kept}
    return replace(
        state,
        merged=with_entry(state.merged, absorbed, kept),
        cards=frozen(cards),
        votes=frozen(votes),
        present=present,
    )


def note_taken(state: SessionState, event: Event) -> SessionState:
    require_open(state)
    if event.actor is None or event.actor.kind is not ActorKind.STAFF:
        raise IllegalMove("not_allowed")
    text = short_text(event.payload, "text", MAX_NOTE, required=True)
    note = Note(event.seq, event.ts_ms, event.actor.id, text)
    return replace(state, notes=(*state.notes, note))


def ended(state: SessionState, _event: Event) -> SessionState:
    require_open(state)
    return replace(state, status=SessionStatus.ENDED, timer=Timer())
