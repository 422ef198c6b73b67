"""The messages on the wire, described once: what each screen receives and is answered.

`app/live/views.py` builds the board's messages, `app/sockets/emitter.py` sends them,
the namespaces answer each event with an ack; the clients (static/js) read them. Every
message is JSON, so these are descriptions for the reader and the tests, checked by
`tests/test_wire.py` against the client's own list where the client keeps one, and
against what `views.py` really builds. It imports nothing from the application, so the
engine's views and the sockets both may import it.
"""

# No `from __future__ import annotations` here: on Python 3.11 a TypedDict whose
# annotations are strings does not see `Required`/`NotRequired`, so `__required_keys__`
# and `__optional_keys__` (which the tests compare with what is sent) would be wrong.
from typing import Any, Literal, NotRequired, Required, TypedDict


class Timer(TypedDict):
    ends_ms: int | None  # running: when it rings, on the server's clock
    remaining_ms: int | None  # paused: what is left


class Wall(TypedDict):
    """What the projector shows besides the board."""

    page: int  # the tutor's turns: the projector shows it modulo its own page count
    spotlight: int | None  # a card shown alone, large
    join: str  # the join panel: "auto", "large" or "small"
    rules: bool  # the group's adopted rules over the board


class RoomState(TypedDict):
    """The session as every screen keeps it (board.js `setCommon` copies these keys)."""

    seq: int
    status: str
    step_index: int
    step_id: str | None
    open_board: str | None
    joining_locked: bool
    timer: Timer
    wall: Wall
    present_count: int


class Common(RoomState):
    now_ms: int  # the server's clock when this was sent: the client's offset follows


class Cluster(TypedDict):
    id: int
    title: str


class BoardView(TypedDict):
    """A step's board settings, groups and vote totals: the same for every audience."""

    step: str
    board: str
    locked: bool
    until_reveal: bool
    anonymous: bool
    budget: int
    options: int  # a poll's number of choices
    clusters: list[Cluster]
    tally: dict[str, int]
    not_revealed_count: int  # cards not shown yet, while the board waits for its reveal
    private: bool  # its cards go to their author alone (the self-assessment)
    answered: int  # a private board: how many people answered (0 on any other)
    hidden_first: bool  # each author chooses whether the group sees their card
    revealing: list[str]  # its fields that tell a place or a date (shown apart, if chosen)
    authorless: bool  # nobody's cards (the anonymous feedback): a count until shown


class CardFace(TypedDict):
    """What every view of a card starts with."""

    id: int
    step: str
    board: str
    fields: dict[str, Any]
    text: str


class RoomCard(CardFace):
    author: str | None
    anonymous: bool
    adopted: bool
    cluster_id: int | None
    agree: int
    disagree: int
    posted_ms: int
    edited: bool


class TutorCard(RoomCard):
    author_id: int | None
    by_staff: bool
    hidden: bool  # hidden by the tutor (moderation)
    hidden_reason: str | None
    not_revealed: bool  # not shown to the room yet (the board waits for its reveal)
    not_shown: bool  # hidden first, and its author has not chosen to show it
    details_not_shown: bool  # hidden first: its place and date stay off the wall
    hidden_first: bool  # its step's cards start hidden (a tutor shows a card they typed)


class OwnCard(CardFace):
    """A participant's own card, as its author always sees it."""

    anonymous: bool
    hidden: bool
    hidden_reason: str | None
    adopted: bool
    cluster_id: int | None
    by_staff: bool
    shown: bool  # hidden first: its author chose to show it to the group
    details_shown: bool  # and its place and date too


class OwnVotes(TypedDict):
    """One participant's own votes and stances on a step's board."""

    step: str
    votes: dict[str, int]
    stances: dict[str, str]  # card id (as a string: a JSON key) → "agree" | "disagree"


class Note(TypedDict):
    id: int
    ts_ms: int
    text: str


class Person(TypedDict):
    id: int
    name: str | None
    since_ms: NotRequired[int]


class RosterEntry(TypedDict):
    id: int
    name: str
    status: str
    since_ms: int | None
    tutor: NotRequired[str | None]  # the member's named tutor, in the group's list


class Roster(TypedDict):
    """Who is at the door and who is in the group, for the consoles."""

    waiting: list[RosterEntry]
    members: list[RosterEntry]


class Snapshot(Common):
    """The whole board as one audience (or one participant) may see it now."""

    cards: list[RoomCard] | list[TutorCard]
    boards: list[BoardView]
    present: NotRequired[list[int]]  # consoles
    notes: NotRequired[list[Note]]  # the tutors
    own: NotRequired[list[OwnCard]]  # a phone
    own_votes: NotRequired[list[OwnVotes]]  # a phone
    you: NotRequired[int | None]  # a phone: whom it speaks for
    waiting: NotRequired[list[RosterEntry]]  # consoles (`Roster`)
    members: NotRequired[list[RosterEntry]]  # consoles (`Roster`)


class Merged(TypedDict):
    absorbed: int
    kept: int


class Patch(Common):
    """What one event changed, as one audience hears it ("board")."""

    event: str
    cards: list[RoomCard] | list[TutorCard]
    removed: list[int]  # cards this audience no longer sees
    boards: list[BoardView]
    admitted: NotRequired[Person]  # consoles
    present: NotRequired[list[int]]  # consoles
    merged: NotRequired[Merged]  # consoles
    notes: NotRequired[list[Note]]  # the tutors: the note just taken


class PersonalPatch(TypedDict, total=False):
    """What one event changed for one participant ("personal", to their phone only)."""

    seq: int
    own: list[OwnCard]
    own_removed: list[int]
    own_votes: list[OwnVotes]
    you_are_admitted: Literal[True]
    identity_changed: Literal[True]  # merged into another name: the page reloads
    declined: Literal[True]  # turned away at the door (no seq: not a board event)


class Waiting(TypedDict, total=False):
    """The door, to the consoles ("waiting"): someone arrived, or some were turned away."""

    participant: Person
    declined: list[int]


class WallPages(TypedDict):
    """How many pages the projector needs for a board ("wall_pages", to the consoles)."""

    step: str
    pages: int


class Missed(TypedDict):
    """One message a reconnecting screen missed, replayed from the log."""

    type: Literal["board", "personal"]
    msg: Patch | PersonalPatch


class Ack(TypedDict, total=False):
    """The answer to every event a client sends: never a silent drop."""

    ok: Required[bool]
    error: str  # a stable code (app/messages.py), when not ok
    message: str  # that code in the sender's language
    seq: int  # the event the write appended (or had appended: a resend)
    duplicate: Literal[True]  # a resend, stored once
    count: int
    admitted: int  # admit_all: how many were let in
    declined: int  # decline, clear_door: how many were turned away


class SyncAck(TypedDict, total=False):
    """The answer to `sync`: what was missed after a seq, or the whole board."""

    ok: Required[bool]
    missed: list[Missed]
    seq: int
    board: Snapshot
    you: int | None
    waiting: list[RosterEntry]
    members: list[RosterEntry]
