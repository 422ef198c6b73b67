"""The wire messages are described once (app/live/wire.py): the clients agree, and so
does what the server really sends."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from types import UnionType
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict

import pytest

from app.live import views, wire
from app.live.engine import apply
from app.live.events import EventType as E
from app.live.state import SessionState
from app.live.views import Audience, RoomNames
from app.live.wire import Common, RoomState
from app.paths import ROOT
from app.replay import wire as replay_wire
from tests.drivers import AMINA, BORIS, EVERY_BOARD, TUTOR, LogRoom

KEYS = re.compile(r"var keys = (\[[^\]]*\]);")


def _client_keys() -> list[str]:
    """The keys every screen copies from a snapshot or a patch (board.js today)."""
    found = [
        match
        for path in sorted((ROOT / "static" / "js").glob("*.js"))
        for match in KEYS.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(found) == 1, "one list of the room's keys, a literal array, in static/js"
    return json.loads(found[0])


def test_the_client_keeps_every_key_of_the_room_state_and_no_other():
    assert _client_keys() == list(RoomState.__annotations__)


# The scripts name their own things in camelCase; a snake_case property is a key of a
# message, so it must be one the wire describes (a renamed key left behind in a script
# shows here, not as "undefined" on a phone). These few are not read from the server.
SNAKE_CASE_PROPERTY = re.compile(r"\.([a-z]+(?:_[a-z]+)+)\b")
NOT_FROM_THE_SERVER = {
    "client_id": "sent by the client: each write's idempotency key",
    "end_before_start": "dates.js's own refusal code, worded by the page",
    "month_names": "dates.js's comment naming app.dates.month_names()",
}


def _described_keys() -> set[str]:
    described: set[str] = set()
    for module in (wire, replay_wire):  # the live room's messages, the replay's JSON
        for name in dir(module):
            kind = getattr(module, name)
            if is_typeddict(kind):
                described |= kind.__required_keys__ | kind.__optional_keys__
    return described


def test_every_key_a_script_reads_from_a_message_is_one_the_wire_describes():
    described = _described_keys()
    unknown = defaultdict(set)
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for key in SNAKE_CASE_PROPERTY.findall(path.read_text(encoding="utf-8")):
            if key not in described and key not in NOT_FROM_THE_SERVER:
                unknown[key].add(path.name)
    assert dict(unknown) == {}


def test_every_snapshot_and_patch_carries_the_room_state_and_the_clock():
    assert set(Common.__required_keys__) == {*RoomState.__annotations__, "now_ms"}


# -- what views.py builds, against the TypedDicts ------------------------------------------

NOW_MS = 5_000_000
NAMES = RoomNames(
    real={10: "Amina", 11: "Boris"},
    listed={10: "Amina", 11: "Boris"},
    observed={10: "Amina", 11: "Participant 2"},
)
# Keys the sockets add (app/sockets: `extra_snapshot`, the emitter's door messages),
# never views.py.
ADDED_BY_THE_SOCKETS = {
    wire.Snapshot: {"you", "waiting", "members"},
    wire.PersonalPatch: {"declined"},
    wire.Person: {"since_ms"},  # who arrived at the door ("waiting")
}


@pytest.fixture(scope="module")
def scene() -> LogRoom:
    """A workshop with something on every board: cards (one hidden, one withdrawn, one
    not revealed yet, one grouped), stances, an adopted rule, votes, a poll, a timer, a
    note, people admitted, present, then merged."""
    room = LogRoom(EVERY_BOARD, TUTOR)
    room.do(TUTOR, E.PARTICIPANT_ADMITTED, participant_id=10)
    room.do(TUTOR, E.PARTICIPANT_ADMITTED, participant_id=11)
    room.do(AMINA, E.ATTENDANCE_MARKED, participant_id=10, present=True)
    room.go("rules")
    listen = room.post(AMINA, "group_rules", text="We listen")
    late = room.post(BORIS, "group_rules", text="Be on time")
    gone = room.post(AMINA, "group_rules", text="No phones")
    room.do(AMINA, E.CARD_WITHDRAWN, card_id=gone)
    room.do(BORIS, E.RULE_STANCE, card_id=listen, stance="agree")
    room.do(TUTOR, E.RULE_ADOPTED, card_id=listen, adopted=True)
    room.do(TUTOR, E.WALL_SPOTLIGHT, card_id=listen)
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=2)
    room.do(AMINA, E.VOTE_CAST, step="rules", target=f"card:{late}")
    room.do(TUTOR, E.CARD_HIDDEN, card_id=late, reason="Duplicate")
    room.go("competences")
    room.do(TUTOR, E.BOARD_ANONYMOUS, step="competences", on=True)
    room.post(BORIS, "competences", name="Patience", category="social")
    room.do(TUTOR, E.BOARD_ANONYMOUS, step="competences", on=False)
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="competences", on=True)
    kept = room.post(AMINA, "competences", name="Driving a forklift", category="professional")
    kitchen = room.do(TUTOR, E.CLUSTER_CREATED, step="competences", title="Kitchen")
    room.do(TUTOR, E.CARD_GROUPED, card_id=kept, cluster_id=kitchen)
    room.go("poll")
    room.do(AMINA, E.VOTE_CAST, step="poll", target="option:2")
    room.do(TUTOR, E.TIMER_STARTED, seconds=600)
    room.do(TUTOR, E.NOTE_TAKEN, text="Boris quiet today")
    room.do(TUTOR, E.PARTICIPANTS_MERGED, absorbed=11, kept=10)
    return room


class _Seen:
    """Compares sent messages with their TypedDicts, and keeps which keys were seen."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.keys: dict[type, set[str]] = defaultdict(set)

    def check(self, value: Any, described: type, where: str) -> None:
        hints = get_type_hints(described)
        sent = set(value)
        self.keys[described] |= sent
        name = described.__name__
        self.problems += [f"{where}: {k!r} is sent, not in {name}" for k in sent - set(hints)]
        missing = described.__required_keys__ - sent
        self.problems += [f"{where}: {name}'s required {k!r} is not sent" for k in missing]
        for key in sorted(sent & set(hints)):
            self._nested(value[key], hints[key], f"{where}.{key}")

    def _nested(self, value: Any, hint: Any, where: str) -> None:
        if is_typeddict(hint) and isinstance(value, dict):
            self.check(value, hint, where)
        elif get_origin(hint) is list and is_typeddict(get_args(hint)[0]):
            for i, item in enumerate(value):
                self.check(item, get_args(hint)[0], f"{where}[{i}]")
        elif isinstance(hint, UnionType) and all(get_origin(a) is list for a in get_args(hint)):
            pass  # the cards: RoomCard or TutorCard by audience, checked by the caller

    def cards(self, cards: list[dict[str, Any]], audience: Audience, where: str) -> None:
        described = wire.TutorCard if audience in views.CONSOLES else wire.RoomCard
        for i, card in enumerate(cards):
            self.check(card, described, f"{where}.cards[{i}]")


def _replayed(room: LogRoom) -> list[tuple[Any, SessionState, SessionState]]:
    """Each event of the room's log with the state before and after it."""
    state, out = SessionState(), []
    for event in room.log:
        before, state = state, apply(state, event)
        out.append((event, before, state))
    return out


def test_what_views_builds_is_what_the_wire_describes(scene):
    seen = _Seen()
    state = scene.state
    seen.check(views.common(state, NOW_MS), wire.Common, "common")
    for step in ("rules", "competences", "poll"):
        seen.check(views.board_view(state, step), wire.BoardView, f"board_view({step})")
        for person in (10, 11):
            own_votes = views.own_votes_view(state, step, person)
            seen.check(own_votes, wire.OwnVotes, f"own_votes_view({step}, {person})")
    for card in state.cards.values():
        seen.check(views.room_card(card, state, NAMES.real), wire.RoomCard, f"room_card({card.id})")
        seen.check(views.tutor_card(card, state, NAMES.listed), wire.TutorCard, "tutor_card")
        seen.check(views.own_card(card), wire.OwnCard, f"own_card({card.id})")
    for audience in Audience:
        where = f"snapshot({audience})"
        body = views.snapshot(state, audience, NAMES.seen_by(audience), NOW_MS)
        seen.check(body, wire.Snapshot, where)
        seen.cards(body["cards"], audience, where)
    phone = views.snapshot(state, Audience.PARTICIPANTS, NAMES.real, NOW_MS, 10)
    seen.check(phone, wire.Snapshot, "snapshot(a phone)")
    seen.cards(phone["cards"], Audience.PARTICIPANTS, "snapshot(a phone)")
    for event, before, after in _replayed(scene):
        for message in views.messages_for(event, before, after, NAMES):
            where = f"{event.type.value} to {message.audience}"
            if message.to_participant is not None:
                seen.check(message.payload, wire.PersonalPatch, f"{where} {message.to_participant}")
            else:
                seen.check(message.payload, wire.Patch, where)
                seen.cards(message.payload["cards"], message.audience, where)
    assert seen.problems == [], "\n".join(seen.problems)

    # Every key the wire describes is sent somewhere in the scene: none is left stale.
    unsent = {
        described.__name__: missing
        for described, keys in seen.keys.items()
        if (
            missing := sorted(
                set(get_type_hints(described)) - keys - ADDED_BY_THE_SOCKETS.get(described, set())
            )
        )
    }
    assert unsent == {}
    every = {wire.Common, wire.BoardView, wire.Cluster, wire.RoomCard, wire.TutorCard}
    every |= {wire.OwnCard, wire.OwnVotes, wire.Snapshot, wire.Patch, wire.PersonalPatch}
    every |= {wire.Note, wire.Person, wire.Merged, wire.Timer, wire.Wall}
    assert every <= set(seen.keys)
