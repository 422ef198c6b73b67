"""The facilitation engine: board state is a fold of the event log."""

from __future__ import annotations

import pytest

from app.live.engine import IllegalMove, SessionState, apply, fold
from app.live.events import Actor, ActorKind, Event, EventType

TUTOR = Actor(ActorKind.STAFF, 1)
AMINA = Actor(ActorKind.PARTICIPANT, 10)
STEPS = [{"id": "welcome", "board": "none"}, {"id": "group-rules", "board": "group_rules"}]


def log(*specs: tuple[EventType, Actor | None, dict]) -> list[Event]:
    """Number a run of (type, actor, payload) as the store would."""
    return [
        Event(seq, type_, 1_000 + seq, actor, payload)
        for seq, (type_, actor, payload) in enumerate(specs, start=1)
    ]


def started(*more: tuple[EventType, Actor | None, dict]) -> list[Event]:
    return log((EventType.SESSION_STARTED, TUTOR, {"meeting": "w1", "steps": STEPS}), *more)


def on_rules_step(*more: tuple[EventType, Actor | None, dict]) -> list[Event]:
    return started((EventType.STEP_MOVED, TUTOR, {"index": 1}), *more)


def test_a_started_session_is_open_on_its_first_step_with_no_board_open():
    state = fold(started())
    assert state.status == "open"
    assert state.current_step.id == "welcome"
    assert state.open_board is None


def test_a_rule_posted_on_the_rules_step_becomes_a_card_of_its_author():
    state = fold(on_rules_step((EventType.CARD_POSTED, AMINA, {"board": "group_rules",
                                                              "text": "  We listen  "})))
    (card,) = state.cards.values()
    assert (card.id, card.author_id, card.text, card.step) == (3, 10, "We listen", "group-rules")


def test_posting_while_the_board_is_closed_is_refused():
    with pytest.raises(IllegalMove) as refused:
        fold(started((EventType.CARD_POSTED, AMINA, {"board": "group_rules", "text": "x"})))
    assert refused.value.code == "board_closed"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"board": "group_rules", "text": "   "}, "empty_text"),
        ({"board": "group_rules", "text": "x" * 501}, "text_too_long"),
        ({"board": "group_rules", "text": 42}, "empty_text"),
        ({"board": "timeline", "text": "x"}, "board_closed"),
    ],
)
def test_bad_cards_are_refused_with_a_reason(payload, code):
    with pytest.raises(IllegalMove) as refused:
        fold(on_rules_step((EventType.CARD_POSTED, AMINA, payload)))
    assert refused.value.code == code


def test_hiding_keeps_the_card_with_its_reason_and_twice_is_refused():
    events = on_rules_step(
        (EventType.CARD_POSTED, AMINA, {"board": "group_rules", "text": "No phones"}),
        (EventType.CARD_HIDDEN, TUTOR, {"card_id": 3, "reason": "Duplicate"}),
    )
    state = fold(events)
    assert state.cards[3].hidden and state.cards[3].hidden_reason == "Duplicate"
    with pytest.raises(IllegalMove) as refused:
        apply(state, Event(state.seq + 1, EventType.CARD_HIDDEN, 2_000, TUTOR, {"card_id": 3}))
    assert refused.value.code == "already_hidden"


def test_hiding_an_unknown_card_is_refused():
    with pytest.raises(IllegalMove) as refused:
        fold(on_rules_step((EventType.CARD_HIDDEN, TUTOR, {"card_id": 99})))
    assert refused.value.code == "no_such_card"


@pytest.mark.parametrize("index", [-1, 2, "1", True, None])
def test_moving_to_a_step_that_does_not_exist_is_refused(index):
    with pytest.raises(IllegalMove) as refused:
        fold(started((EventType.STEP_MOVED, TUTOR, {"index": index})))
    assert refused.value.code == "no_such_step"


def test_locking_and_admitting_are_folded():
    state = fold(
        started(
            (EventType.PARTICIPANT_ADMITTED, TUTOR, {"participant_id": 10}),
            (EventType.JOINING_LOCKED, TUTOR, {}),
        )
    )
    assert state.joining_locked and state.admitted == {10}
    assert not fold(started((EventType.JOINING_UNLOCKED, TUTOR, {}))).joining_locked


def test_an_ended_session_refuses_every_further_move():
    ended = fold(started((EventType.SESSION_ENDED, TUTOR, {})))
    assert ended.status == "ended" and ended.open_board is None
    for type_, payload in [
        (EventType.STEP_MOVED, {"index": 0}),
        (EventType.JOINING_LOCKED, {}),
        (EventType.CARD_POSTED, {"board": "group_rules", "text": "x"}),
        (EventType.SESSION_ENDED, {}),
    ]:
        with pytest.raises(IllegalMove) as refused:
            apply(ended, Event(ended.seq + 1, type_, 5_000, TUTOR, payload))
        assert refused.value.code == "session_ended"


def test_nothing_happens_before_the_session_starts_and_it_starts_once():
    with pytest.raises(IllegalMove) as refused:
        apply(SessionState(), Event(1, EventType.STEP_MOVED, 1, TUTOR, {"index": 0}))
    assert refused.value.code == "session_not_started"
    with pytest.raises(IllegalMove):
        fold(started((EventType.SESSION_STARTED, TUTOR, {"steps": STEPS})))
    with pytest.raises(IllegalMove) as empty:
        fold(log((EventType.SESSION_STARTED, TUTOR, {"steps": []})))
    assert empty.value.code == "no_steps"


def test_events_must_arrive_in_sequence():
    with pytest.raises(IllegalMove) as refused:
        apply(fold(started()), Event(5, EventType.JOINING_LOCKED, 1, TUTOR, {}))
    assert refused.value.code == "out_of_order"


def test_folding_the_same_log_twice_gives_the_same_board():
    events = on_rules_step(
        (EventType.CARD_POSTED, AMINA, {"board": "group_rules", "text": "Be on time"}),
        (EventType.CARD_POSTED, AMINA, {"board": "group_rules", "text": "Respect"}),
        (EventType.CARD_HIDDEN, TUTOR, {"card_id": 3, "reason": ""}),
    )
    assert fold(events) == fold(events)
    halfway = fold(events[:3])
    assert fold(events[3:], halfway) == fold(events)
