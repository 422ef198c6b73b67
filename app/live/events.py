"""Event types of a live session's log: the one list, shared by engine, store and emitter.

The comment after each type gives its payload. Board controls name the step whose
board they act on, so a replay reads the same whatever the step on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EventType(StrEnum):
    # {meeting, steps: [{id, board, options, kind, visibility}]}; the last two may be absent
    SESSION_STARTED = "session.started"
    STEP_MOVED = "step.moved"  # {index} or {delta: -1 | 1}
    JOINING_LOCKED = "joining.locked"
    JOINING_UNLOCKED = "joining.unlocked"
    PARTICIPANT_ADMITTED = "participant.admitted"  # {participant_id}
    ATTENDANCE_MARKED = "attendance.marked"  # {participant_id, present}
    PARTICIPANTS_MERGED = "participants.merged"  # {absorbed, kept}

    CARD_POSTED = "card.posted"  # {board, fields, on_behalf_of?}
    CARD_EDITED = "card.edited"  # {card_id, fields}
    CARD_WITHDRAWN = "card.withdrawn"  # {card_id}
    CARD_HIDDEN = "card.hidden"  # {card_id, reason}
    CARD_UNHIDDEN = "card.unhidden"  # {card_id}
    CARD_SHOWN = "card.shown"  # {card_id, shown, details}; its author's choice, hidden first
    CARD_GROUPED = "card.grouped"  # {card_id, cluster_id | None}
    RULE_STANCE = "rule.stance"  # {card_id, stance: agree | disagree | none}
    RULE_ADOPTED = "rule.adopted"  # {card_id, adopted}

    CLUSTER_CREATED = "cluster.created"  # {step, title}; the cluster's id is this seq
    CLUSTER_RENAMED = "cluster.renamed"  # {cluster_id, title}
    CLUSTER_REMOVED = "cluster.removed"  # {cluster_id}

    BOARD_LOCKED = "board.locked"  # {step, on}
    BOARD_UNTIL_REVEAL = "board.until_reveal"  # {step, on}; on=false is the reveal
    BOARD_ANONYMOUS = "board.anonymous"  # {step, on}
    VOTING_SET = "voting.set"  # {step, budget}; 0 closes the vote
    VOTE_CAST = "vote.cast"  # {step, target: "card:12" | "cluster:15" | "option:2"}
    VOTE_RETRACTED = "vote.retracted"  # {step, target}

    TIMER_STARTED = "timer.started"  # {seconds}
    TIMER_PAUSED = "timer.paused"
    TIMER_RESUMED = "timer.resumed"
    TIMER_EXTENDED = "timer.extended"  # {seconds}
    TIMER_CLEARED = "timer.cleared"

    WALL_PAGED = "wall.paged"  # {step, page}; the projector shows page % its page count
    WALL_SPOTLIGHT = "wall.spotlight"  # {card_id | None}; one card alone on the wall
    WALL_JOIN = "wall.join"  # {shown: auto | large | small}; the projector's join panel
    WALL_RULES = "wall.rules"  # {on}; the group's adopted rules over the board

    NOTE_TAKEN = "note.taken"  # {text}; the tutor's private note
    SESSION_ENDED = "session.ended"

    @classmethod
    def _missing_(cls, value: object) -> EventType | None:
        # Logs are kept for years and replayed: a type stored under an earlier name
        # still reads as the event it always was.
        return cls(RENAMED[value]) if isinstance(value, str) and value in RENAMED else None


# Earlier names of event types, as stored in logs written before a rename → today's.
RENAMED = {"board.concealed": "board.until_reveal"}


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
