"""A finished session played back: every moment is the state the room lived, whichever
keyframe the seek starts from; the slider's markers and quiet spans read off the log."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.live.engine import apply
from app.live.errors import IllegalMove
from app.live.events import EventType as E
from app.live.replay import QUIET_MS, Marker, QuietSpan, Recording, build_keyframes
from app.live.state import SessionState
from app.live.state_codec import from_json, to_json
from tests.drivers import AMINA, BORIS, EVERY_BOARD, TUTOR, LogRoom

STEP_IDS = [step["id"] for step in EVERY_BOARD]
TEXT_BOARDS = {"rules": "group_rules", "free": "free_text"}

# One move of an evening: (what, a number to pick with, a few seconds of waiting first).
MOVE = st.tuples(
    st.sampled_from(["post", "post", "post", "step", "hide", "reveal", "page"]),
    st.integers(0, 40),
    st.integers(0, 45),
)


def _play(room: LogRoom, what: str, pick: int, wait: int) -> None:
    room.wait(wait)
    step = room.state.steps[room.state.step_index].id
    if what == "post":
        if step not in TEXT_BOARDS:
            step = ("rules", "free")[pick % 2]
            room.go(step)
        room.post((AMINA, BORIS)[pick % 2], TEXT_BOARDS[step], text=f"card {pick}")
    elif what == "step":
        room.do(TUTOR, E.STEP_MOVED, index=pick % len(STEP_IDS))
    elif what == "hide" and room.state.cards:
        cards = sorted(room.state.cards)
        room.do(TUTOR, E.CARD_HIDDEN, card_id=cards[pick % len(cards)], reason="")
    elif what == "reveal":
        room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step=step, on=bool(pick % 2))
    else:
        room.do(TUTOR, E.WALL_PAGED, step=step, page=pick % 3)


def _lived(moves: list[tuple[str, int, int]]) -> tuple[LogRoom, list[SessionState]]:
    """An evening's log, and the state the room had after each of its events, one
    event applied after the other as the live room does."""
    room = LogRoom(EVERY_BOARD, TUTOR)
    for move in moves:
        with contextlib.suppress(IllegalMove):  # refused live, so never in the log
            _play(room, *move)
    lived = [SessionState()]
    for event in room.log:
        lived.append(apply(lived[-1], event))
    assert lived[-1] == room.state
    return room, lived


@settings(max_examples=60, deadline=None)
@given(moves=st.lists(MOVE, max_size=60), every=st.integers(1, 9))
def test_every_moment_replays_as_the_room_lived_it(moves, every):
    room, lived = _lived(moves)
    recording = Recording(room.log, every=every)
    assert [recording.state_at(seq) for seq in range(len(lived))] == lived
    assert recording.final == room.state
    steps = [state.current_step.id if state.current_step else "" for state in lived[1:]]
    assert recording.steps() == steps  # read off the step moves alone, as the fold moved
    # A seek folds fewer than `every` events, and none at all onto a step change.
    for seq in range(len(lived)):
        assert 0 <= seq - recording.keyframe_for(seq) < every
    for event in room.log:
        if event.type == E.STEP_MOVED:
            assert recording.keyframe_for(event.seq) == event.seq


@settings(max_examples=40, deadline=None)
@given(moves=st.lists(MOVE, max_size=60), every=st.integers(1, 9))
def test_keyframes_stored_as_json_and_read_back_replay_the_same_evening(moves, every):
    room, lived = _lived(moves)
    stored = [json.loads(json.dumps(to_json(frame))) for frame in build_keyframes(room.log, every)]
    recording = Recording(room.log, every, keyframes=[from_json(body) for body in stored])
    assert [recording.state_at(seq) for seq in range(len(lived))] == lived


@settings(max_examples=30, deadline=None)
@given(moves=st.lists(MOVE, min_size=1, max_size=40), seeks=st.lists(st.integers(0, 60)))
def test_seeking_back_and_forth_in_any_order_lands_on_the_same_moments(moves, seeks):
    room, lived = _lived(moves)
    recording = Recording(room.log, every=4)
    for seq in seeks:
        seq = min(seq, recording.last_seq)
        assert recording.state_at(seq) == lived[seq]


def test_the_slider_marks_each_step_and_the_tutors_moves_and_names_the_quiet_spans():
    room = LogRoom(EVERY_BOARD, TUTOR)
    room.wait(5)
    room.go("rules")
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="rules", on=True)
    card = room.post(AMINA, "group_rules", text="On s'écoute.")
    room.wait(240)  # four minutes with no new card
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="rules", on=False)
    hidden = room.do(TUTOR, E.CARD_HIDDEN, card_id=card, reason="")
    recording = Recording(room.log)

    start = room.log[0].ts_ms
    assert recording.markers() == [
        Marker(1, start, "step", "welcome"),
        Marker(2, start + 5000, "step", "rules"),
        Marker(3, start + 5000, "reveal", "rules"),
        Marker(5, start + 245_000, "reveal", "rules"),
        Marker(hidden, start + 245_000, "hide", "rules"),
    ]
    assert recording.quiet_spans() == [QuietSpan(4, start + 5000, start + 245_000)]
    assert recording.quiet_spans(longer_than_ms=300_000) == []
    assert QUIET_MS == 30_000


def test_a_clock_time_finds_the_last_event_at_or_before_it():
    room = LogRoom(EVERY_BOARD, TUTOR)
    room.wait(60)
    room.go("rules")
    recording = Recording(room.log)
    start = room.log[0].ts_ms
    assert recording.seq_at(start - 1) == 0
    assert recording.seq_at(start + 59_999) == 1
    assert recording.seq_at(start + 60_000) == 2
    assert recording.state_at(recording.seq_at(start + 30_000)).step_index == 0


def test_a_moment_outside_the_session_is_refused():
    recording = Recording(LogRoom(EVERY_BOARD, TUTOR).log)
    with pytest.raises(ValueError, match="outside"):
        recording.state_at(2)
    with pytest.raises(ValueError, match="outside"):
        recording.state_at(-1)


def test_every_part_of_a_state_survives_being_stored_as_a_keyframe():
    room = LogRoom(EVERY_BOARD, TUTOR)
    room.do(TUTOR, E.PARTICIPANT_ADMITTED, participant_id=AMINA.id)
    room.go("rules")
    rule = room.post(AMINA, "group_rules", text="We listen")
    room.do(BORIS, E.RULE_STANCE, card_id=rule, stance="agree")
    room.do(TUTOR, E.RULE_ADOPTED, card_id=rule, adopted=True)
    room.go("competences")
    card = room.post(AMINA, "competences", name="I cook", category="professional")
    family = room.do(TUTOR, E.CLUSTER_CREATED, step="competences", title="Kitchen")
    room.do(TUTOR, E.CARD_GROUPED, card_id=card, cluster_id=family)
    room.do(TUTOR, E.VOTING_SET, step="competences", budget=3)
    room.do(BORIS, E.VOTE_CAST, step="competences", target=f"cluster:{family}")
    room.do(TUTOR, E.TIMER_STARTED, seconds=300)
    room.do(TUTOR, E.NOTE_TAKEN, text="Boris votes fast")
    room.do(TUTOR, E.WALL_SPOTLIGHT, card_id=card)
    room.go("plan")
    room.post(AMINA, "action_plan", goal="Cook", actions=[{"what": "Call", "deadline": "2027-01"}])
    state = room.state
    assert (
        state.votes
        and state.clusters
        and state.notes
        and any(c.stances for c in state.cards.values())
    )
    assert from_json(json.loads(json.dumps(to_json(state)))) == state
