"""Event types of a live session's log: the one list, shared by engine, store and emitter."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    SESSION_STARTED = "session.started"  # {meeting, steps: [{id, board}]}
    STEP_MOVED = "step.moved"  # {index}
    JOINING_LOCKED = "joining.locked"
    JOINING_UNLOCKED = "joining.unlocked"
    PARTICIPANT_ADMITTED = "participant.admitted"  # {participant_id}
    CARD_POSTED = "card.posted"  # {board, step, text}
    CARD_HIDDEN = "card.hidden"  # {card_id, reason}
    SESSION_ENDED = "session.ended"


class ActorKind(StrEnum):
    STAFF = "staff"
    PARTICIPANT = "participant"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: int


@dataclass(frozen=True)
class Event:
    """One entry of the log, as the engine sees it."""

    seq: int
    type: EventType
    ts_ms: int
    actor: Actor | None = None
    payload: dict[str, Any] = field(default_factory=dict)
