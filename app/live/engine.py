"""The facilitation engine: a live session's state is a fold of its events.

`apply(state, event)` is pure. It refuses an illegal move by raising `IllegalMove`
with a reason code the boundaries translate; it never touches the database. Who may
send an event (a tutor, a participant) is the permission layer's business; what the
engine checks is that the move makes sense now: the board is open, the card is yours,
the vote fits in your budget.

The state lives in `state`, the checks the folds share in `checks`, and the folds, one
per event type, in `folds_room`, `folds_cards`, `folds_choice`, `folds_board` and
`folds_wall`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from app.live import folds_board, folds_cards, folds_choice, folds_room, folds_wall
from app.live.errors import IllegalMove
from app.live.events import Event, EventType
from app.live.state import SessionState

__all__ = ["ADMITTED", "FOLDS", "admit", "apply", "fold"]

Fold = Callable[[SessionState, Event], SessionState]

FOLDS: dict[EventType, Fold] = {
    EventType.SESSION_STARTED: folds_room.started,
    EventType.STEP_MOVED: folds_room.step_moved,
    EventType.JOINING_LOCKED: folds_room.joining(True),
    EventType.JOINING_UNLOCKED: folds_room.joining(False),
    EventType.PARTICIPANT_ADMITTED: folds_room.admitted,
    EventType.ATTENDANCE_MARKED: folds_room.attendance,
    EventType.PARTICIPANTS_MERGED: folds_room.merged,
    EventType.CARD_POSTED: folds_cards.card_posted,
    EventType.CARD_EDITED: folds_cards.card_edited,
    EventType.CARD_WITHDRAWN: folds_cards.card_withdrawn,
    EventType.CARD_HIDDEN: folds_cards.card_hidden,
    EventType.CARD_UNHIDDEN: folds_cards.card_unhidden,
    EventType.CARD_SHOWN: folds_choice.card_shown,
    EventType.CARD_GROUPED: folds_cards.card_grouped,
    EventType.RULE_STANCE: folds_cards.rule_stance,
    EventType.RULE_ADOPTED: folds_cards.rule_adopted,
    EventType.CLUSTER_CREATED: folds_cards.cluster_created,
    EventType.CLUSTER_RENAMED: folds_cards.cluster_renamed,
    EventType.CLUSTER_REMOVED: folds_cards.cluster_removed,
    EventType.BOARD_LOCKED: folds_board.board_flag("locked"),
    EventType.BOARD_UNTIL_REVEAL: folds_board.board_flag("until_reveal"),
    EventType.BOARD_ANONYMOUS: folds_board.board_flag("anonymous"),
    EventType.VOTING_SET: folds_board.voting_set,
    EventType.VOTE_CAST: folds_board.vote(+1),
    EventType.VOTE_RETRACTED: folds_board.vote(-1),
    EventType.TIMER_STARTED: folds_board.timer_started,
    EventType.TIMER_PAUSED: folds_board.timer_paused,
    EventType.TIMER_RESUMED: folds_board.timer_resumed,
    EventType.TIMER_EXTENDED: folds_board.timer_extended,
    EventType.TIMER_CLEARED: folds_board.timer_cleared,
    EventType.WALL_PAGED: folds_wall.wall_paged,
    EventType.WALL_SPOTLIGHT: folds_wall.wall_spotlight,
    EventType.WALL_JOIN: folds_wall.wall_join,
    EventType.WALL_RULES: folds_wall.wall_rules,
    EventType.NOTE_TAKEN: folds_room.note_taken,
    EventType.SESSION_ENDED: folds_room.ended,
}


def apply(state: SessionState, event: Event) -> SessionState:
    """Return the state after `event`, or raise IllegalMove if the move is refused."""
    if event.seq != state.seq + 1:
        raise IllegalMove("out_of_order", f"expected {state.seq + 1}, got {event.seq}")
    fold = FOLDS.get(event.type)
    if fold is None:
        raise IllegalMove("unknown_event", str(event.type))
    return replace(fold(state, event), seq=event.seq)


# Rules a new move follows that events already stored need not: the fold takes whatever
# the log once took (an old evening must always replay), and every new write is also
# checked here, by `store.append`, the one place writes go through.
ADMITTED: dict[EventType, Callable[[Event], None]] = {
    EventType.CARD_SHOWN: folds_choice.choice_admitted,
}


def admit(state: SessionState, event: Event) -> SessionState:
    """`apply` for a move not yet in the log: refused also by the rules added since."""
    after = apply(state, event)
    check = ADMITTED.get(event.type)
    if check is not None:
        check(event)
    return after


def fold(events: list[Event], state: SessionState | None = None) -> SessionState:
    """Fold a run of events onto `state` (a fresh session by default)."""
    result = state or SessionState()
    for event in events:
        result = apply(result, event)
    return result
