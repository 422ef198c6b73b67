"""A live session's state, as the fold of its events builds it: immutable values only.

Every mapping is read-only (`frozen`), and the folds build a changed copy
(`with_entry`, `without`, `dataclasses.replace`) instead of changing one in place, so a
state handed to a reader never changes under it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, TypeVar

from app.live.errors import IllegalMove
from app.session_status import SessionStatus
from app.vocabulary.boards import BOARDS, board_type

__all__ = [
    "BoardState",
    "Card",
    "Cluster",
    "Note",
    "SessionState",
    "StepInfo",
    "Timer",
    "Wall",
    "frozen",
    "with_entry",
    "without",
]

K = TypeVar("K")
V = TypeVar("V")


def frozen(mapping: Mapping[K, V] | None = None) -> Mapping[K, V]:
    """A read-only copy of `mapping` (an empty one by default)."""
    return MappingProxyType(dict(mapping or {}))


def with_entry(mapping: Mapping[K, V], key: K, value: V) -> Mapping[K, V]:
    """A read-only copy of `mapping` with `key` set to `value`."""
    changed = dict(mapping)
    changed[key] = value
    return MappingProxyType(changed)


def without(mapping: Mapping[K, V], key: K) -> Mapping[K, V]:
    """A read-only copy of `mapping` without `key`."""
    return MappingProxyType({k: v for k, v in mapping.items() if k != key})


@dataclass(frozen=True)
class StepInfo:
    id: str
    board: str
    options: int = 0  # a poll's number of choices; their words live in the script
    # What the step is (app.vocabulary.STEP_KINDS: "activity", or a "break") and who sees
    # its cards (STEP_VISIBILITIES: the "room", "hidden" until each author shows theirs,
    # or "later", once the tutor shows them). Defaults, so an older log folds as it did.
    kind: str = "activity"
    visibility: str = "room"

    @property
    def is_break(self) -> bool:
        return self.kind == "break"

    @property
    def hidden_first(self) -> bool:
        return self.visibility == "hidden"

    @property
    def starts_unseen(self) -> bool:
        """Its cards wait for the tutor to show them: personal stories, or cards people
        write unseen before the group looks at them together."""
        return self.visibility in ("hidden", "later")


@dataclass(frozen=True)
class Card:
    id: int  # the seq of the event that posted it
    board: str
    step: str
    author_id: int | None  # the participant it belongs to; None for a tutor's own card
    fields: Mapping[str, Any]
    posted_ms: int
    anonymous: bool = False  # posted while the board was anonymous: nobody sees the author
    by_staff: bool = False  # a tutor typed it for a participant without a phone
    edited_ms: int | None = None
    withdrawn: bool = False
    hidden: bool = False
    hidden_reason: str = ""
    adopted: bool = False
    cluster_id: int | None = None
    stances: Mapping[int, str] = field(default_factory=frozen)
    # On a hidden-first step, its author's choice: the group may see the card (`shown`),
    # and its place and date too (`details_shown`); see app.live.disclosure.
    shown: bool = False
    details_shown: bool = False

    @property
    def text(self) -> str:
        return board_type(self.board).summary(self.fields)

    @property
    def in_room(self) -> bool:
        """Still on the board (the author did not take it back, no tutor hid it)."""
        return not self.withdrawn and not self.hidden


@dataclass(frozen=True)
class Cluster:
    id: int  # the seq of the event that created it
    step: str
    title: str


@dataclass(frozen=True)
class BoardState:
    """The tutor's settings for one step's board."""

    locked: bool = False
    until_reveal: bool = False  # cards hidden from the room until the tutor reveals them
    anonymous: bool = False
    vote_budget: int | None = None  # dots per person; None: the board's default


@dataclass(frozen=True)
class Timer:
    """Server-authoritative: a running timer is its end time, a paused one what is left."""

    ends_ms: int | None = None
    remaining_ms: int | None = None

    @property
    def running(self) -> bool:
        return self.ends_ms is not None


@dataclass(frozen=True)
class Wall:
    """What the projector shows besides the board: the tutor's choices for the room's wall.

    The page is the tutor's count of turns: only the projector knows how many pages its
    screen needs, so it shows `page` modulo that number."""

    page: int = 0
    spotlight: int | None = None  # a card shown alone, large
    join: str = "auto"  # the join panel: auto (large while people arrive), large, small
    rules: bool = False  # the group's adopted rules over the board


@dataclass(frozen=True)
class Note:
    id: int
    ts_ms: int
    author_id: int | None
    text: str


@dataclass(frozen=True)
class SessionState:
    seq: int = 0
    status: SessionStatus = SessionStatus.NEW
    meeting: str = ""
    steps: tuple[StepInfo, ...] = ()
    step_index: int = 0
    joining_locked: bool = False
    present: frozenset[int] = frozenset()
    merged: Mapping[int, int] = field(default_factory=frozen)  # absorbed -> kept
    cards: Mapping[int, Card] = field(default_factory=frozen)
    clusters: Mapping[int, Cluster] = field(default_factory=frozen)
    boards: Mapping[str, BoardState] = field(default_factory=frozen)
    # votes[step][voter][target] = dots
    votes: Mapping[str, Mapping[int, Mapping[str, int]]] = field(default_factory=frozen)
    timer: Timer = Timer()
    wall: Wall = Wall()
    notes: tuple[Note, ...] = ()

    @property
    def current_step(self) -> StepInfo | None:
        return self.steps[self.step_index] if self.steps else None

    def step(self, step_id: Any) -> StepInfo:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise IllegalMove("no_such_step", str(step_id))

    def board(self, step_id: str) -> BoardState:
        return self.boards.get(step_id, BoardState())

    @property
    def open_board(self) -> str | None:
        """The board participants may post to now, if any."""
        step = self.current_step
        if (
            self.status != SessionStatus.OPEN
            or step is None
            or not BOARDS[step.board].accepts_cards
        ):
            return None
        return None if self.board(step.id).locked else step.board

    def is_live(self, step_id: str) -> bool:
        """Whether people may still act on this step's board: it is on screen and unlocked."""
        step = self.current_step
        return (
            self.status == SessionStatus.OPEN
            and step is not None
            and step.id == step_id
            and not self.board(step_id).locked
        )

    def votes_of(self, step_id: str, voter: int) -> Mapping[str, int]:
        return self.votes.get(step_id, {}).get(voter, {})

    def tally(self, step_id: str) -> dict[str, int]:
        totals: dict[str, int] = {}
        for mine in self.votes.get(step_id, {}).values():
            for target, dots in mine.items():
                totals[target] = totals.get(target, 0) + dots
        return totals

    def vote_budget(self, step_id: str) -> int:
        """Dots per person now: a poll is open to one vote unless the tutor says otherwise."""
        budget = self.board(step_id).vote_budget
        if budget is None:
            return 1 if BOARDS[self.step(step_id).board].poll else 0
        return budget

    def identity(self, participant_id: int) -> int:
        """The participant an id now stands for, after merges."""
        seen = set()
        while participant_id in self.merged and participant_id not in seen:
            seen.add(participant_id)
            participant_id = self.merged[participant_id]
        return participant_id
