"""The checks the folds share: limits, payload fields, and whether a move makes sense now.

Each check refuses with `IllegalMove` and the stable code the boundaries translate;
most return the value they vouch for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from app import texts
from app.live.errors import IllegalMove
from app.live.events import ActorKind, Event
from app.live.state import Card, SessionState, StepInfo
from app.session_status import SessionStatus
from app.vocabulary.boards import BoardType, FieldRefused, board_type

MAX_HIDE_REASON = 200
MAX_CLUSTER_TITLE = 80
MAX_NOTE = 2000
MAX_VOTE_BUDGET = 10
MAX_TIMER_SECONDS = 4 * 3600
MAX_WALL_PAGE = 999  # the tutor's turns of the wall (each projector shows it modulo its pages)
# How many pages a projector may say a board takes (told to the page: app/field_limits.py).
MAX_WALL_PAGES = 99
STANCES = ("agree", "disagree")
JOIN_PANEL_SHOWN = ("auto", "large", "small")

T = TypeVar("T")


# -- payload fields ---------------------------------------------------------------------


def int_field(payload: Mapping[str, Any], key: str, code: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise IllegalMove(code, str(value))
    return value


def bool_field(payload: Mapping[str, Any], key: str) -> bool:
    value = payload.get(key)
    if not isinstance(value, bool):
        raise IllegalMove("bad_field", key)
    return value


def short_text(payload: Mapping[str, Any], key: str, limit: int, *, required: bool) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise IllegalMove("bad_field", key)
    value = value.strip()
    if texts.too_long(value, limit):
        raise IllegalMove("text_too_long", f"{key}:{limit}")
    if required and not value:
        raise IllegalMove("missing_field", key)
    return value


def _told_as_illegal_move(check: Callable[[], T]) -> T:
    # The vocabulary refuses a board or a field with its own refusal; whoever applies an
    # event catches IllegalMove alone, so the refusal is told as one, code and detail kept.
    try:
        return check()
    except FieldRefused as refused:
        raise IllegalMove(refused.code, refused.detail) from None


def known_board(name: str) -> BoardType:
    """The board type `name` names; refuses one this version does not know."""
    return _told_as_illegal_move(lambda: board_type(name))


def card_fields(board: str, raw: Any) -> dict[str, Any]:
    """A card's fields as its board keeps them; refuses a field the board refuses."""
    return _told_as_illegal_move(lambda: board_type(board).clean(raw))


# -- the session now ---------------------------------------------------------------------


def require_open(state: SessionState) -> None:
    if state.status == SessionStatus.ENDED:
        raise IllegalMove("session_ended")
    if state.status != SessionStatus.OPEN:
        raise IllegalMove("session_not_started")


def participant_of(event: Event, state: SessionState) -> int:
    """The participant who sent `event`, after merges; refuses anyone else."""
    if event.actor is None or event.actor.kind is not ActorKind.PARTICIPANT:
        raise IllegalMove("participants_only")
    return state.identity(event.actor.id)


def card_of(state: SessionState, payload: Mapping[str, Any]) -> Card:
    card = state.cards.get(payload.get("card_id"))  # type: ignore[arg-type]
    if card is None or card.withdrawn:
        raise IllegalMove("no_such_card")
    return card


def own_live_card(state: SessionState, event: Event) -> Card:
    card = card_of(state, event.payload)
    if known_board(card.board).authorless:  # nobody's: nobody may change or take it back
        raise IllegalMove("no_author")
    if card.author_id is None or card.author_id != participant_of(event, state):
        raise IllegalMove("not_your_card")
    if not state.is_live(card.step):
        raise IllegalMove("board_closed")
    return card


def step_of(state: SessionState, payload: Mapping[str, Any]) -> StepInfo:
    """The step a board control names; refuses a step without a board."""
    step = state.step(payload.get("step"))
    if step.board == "none":
        raise IllegalMove("no_board")
    return step
