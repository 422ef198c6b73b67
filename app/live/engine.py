"""The facilitation engine: a live session's state is a fold of its events.

`apply(state, event)` is pure. It refuses an illegal move by raising `IllegalMove`
with a reason code the boundaries translate; it never touches the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from app.live.events import ActorKind, Event, EventType

MAX_CARD_TEXT = 500
MAX_HIDE_REASON = 200


class IllegalMove(Exception):
    """A move the session's rules refuse; `code` is stable, for translation and tests."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class StepInfo:
    id: str
    board: str


@dataclass(frozen=True)
class Card:
    id: int  # the seq of the event that posted it
    board: str
    step: str
    author_id: int | None  # participant id; None when a tutor posted it
    text: str
    posted_ms: int
    hidden: bool = False
    hidden_reason: str = ""


@dataclass(frozen=True)
class SessionState:
    seq: int = 0
    status: str = "new"  # new -> open -> ended
    meeting: str = ""
    steps: tuple[StepInfo, ...] = ()
    step_index: int = 0
    joining_locked: bool = False
    admitted: frozenset[int] = frozenset()
    cards: Mapping[int, Card] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def current_step(self) -> StepInfo | None:
        return self.steps[self.step_index] if self.steps else None

    @property
    def open_board(self) -> str | None:
        """The board participants may post to now, if any."""
        step = self.current_step
        if self.status != "open" or step is None or step.board == "none":
            return None
        return step.board


def _with_card(state: SessionState, card: Card) -> Mapping[int, Card]:
    cards = dict(state.cards)
    cards[card.id] = card
    return MappingProxyType(cards)


def _require_open(state: SessionState) -> None:
    if state.status == "ended":
        raise IllegalMove("session_ended")
    if state.status != "open":
        raise IllegalMove("session_not_started")


def _started(state: SessionState, event: Event) -> SessionState:
    if state.status != "new":
        raise IllegalMove("already_started")
    steps = tuple(StepInfo(s["id"], s["board"]) for s in event.payload.get("steps", ()))
    if not steps:
        raise IllegalMove("no_steps")
    return replace(state, status="open", meeting=event.payload.get("meeting", ""), steps=steps)


def _step_moved(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    index = event.payload.get("index")
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(state.steps):
        raise IllegalMove("no_such_step", str(index))
    return replace(state, step_index=index)


def _joining(locked: bool):  # type: ignore[no-untyped-def]
    def fold(state: SessionState, _event: Event) -> SessionState:
        _require_open(state)
        return replace(state, joining_locked=locked)

    return fold


def _admitted(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    participant_id = event.payload.get("participant_id")
    if not isinstance(participant_id, int):
        raise IllegalMove("no_such_participant")
    return replace(state, admitted=state.admitted | {participant_id})


def _card_posted(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    board = event.payload.get("board")
    if board is None or board != state.open_board:
        raise IllegalMove("board_closed", str(board))
    text = event.payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise IllegalMove("empty_text")
    if len(text) > MAX_CARD_TEXT:
        raise IllegalMove("text_too_long", str(MAX_CARD_TEXT))
    author = None
    if event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
        author = event.actor.id
    step = state.current_step
    card = Card(
        id=event.seq,
        board=board,
        step=step.id if step else "",
        author_id=author,
        text=text.strip(),
        posted_ms=event.ts_ms,
    )
    return replace(state, cards=_with_card(state, card))


def _card_hidden(state: SessionState, event: Event) -> SessionState:
    _require_open(state)
    card = state.cards.get(event.payload.get("card_id"))  # type: ignore[arg-type]
    if card is None:
        raise IllegalMove("no_such_card")
    if card.hidden:
        raise IllegalMove("already_hidden")
    reason = event.payload.get("reason", "")
    if not isinstance(reason, str) or len(reason) > MAX_HIDE_REASON:
        raise IllegalMove("reason_too_long", str(MAX_HIDE_REASON))
    hidden = replace(card, hidden=True, hidden_reason=reason.strip())
    return replace(state, cards=_with_card(state, hidden))


def _ended(state: SessionState, _event: Event) -> SessionState:
    _require_open(state)
    return replace(state, status="ended")


_FOLDS = {
    EventType.SESSION_STARTED: _started,
    EventType.STEP_MOVED: _step_moved,
    EventType.JOINING_LOCKED: _joining(True),
    EventType.JOINING_UNLOCKED: _joining(False),
    EventType.PARTICIPANT_ADMITTED: _admitted,
    EventType.CARD_POSTED: _card_posted,
    EventType.CARD_HIDDEN: _card_hidden,
    EventType.SESSION_ENDED: _ended,
}


def apply(state: SessionState, event: Event) -> SessionState:
    """Return the state after `event`, or raise IllegalMove if the move is refused."""
    if event.seq != state.seq + 1:
        raise IllegalMove("out_of_order", f"expected {state.seq + 1}, got {event.seq}")
    fold = _FOLDS.get(event.type)
    if fold is None:
        raise IllegalMove("unknown_event", str(event.type))
    return replace(fold(state, event), seq=event.seq)


def fold(events: list[Event], state: SessionState | None = None) -> SessionState:
    """Fold a run of events onto `state` (a fresh session by default)."""
    result = state or SessionState()
    for event in events:
        result = apply(result, event)
    return result
