"""The facilitation engine: board state is a fold of the event log.

Each test tells a moment of a workshop through the events it appends, then checks the
state, or that the engine refuses the move with its reason code.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.live.engine import apply, fold
from app.live.errors import IllegalMove
from app.live.events import Actor, Event
from app.live.events import EventType as E
from app.live.state import SessionState
from tests.drivers import AMINA, BORIS, EVERY_BOARD, TUTOR, LogRoom

STEPS = EVERY_BOARD
INDEX = {step["id"]: i for i, step in enumerate(STEPS)}


@pytest.fixture
def room() -> LogRoom:
    return LogRoom(STEPS, TUTOR)


def rule(room: LogRoom, who: Actor = AMINA, text: str = "We listen") -> int:
    return room.post(who, "group_rules", text=text)


# -- starting and moving ----------------------------------------------------------------


def test_a_started_session_is_open_on_its_first_step_with_no_board_open(room):
    assert room.state.status == "open"
    assert room.state.current_step.id == "welcome"
    assert room.state.open_board is None


def test_a_session_starts_once_and_needs_steps():
    assert LogRoom(STEPS, TUTOR).refused(TUTOR, E.SESSION_STARTED, steps=STEPS) == "already_started"
    with pytest.raises(IllegalMove) as refusal:
        apply(SessionState(), Event(1, E.SESSION_STARTED, 0, TUTOR, {"steps": []}))
    assert refusal.value.code == "no_steps"
    unknown = [{"id": "x", "board": "karaoke"}]
    with pytest.raises(IllegalMove) as refusal:
        apply(SessionState(), Event(1, E.SESSION_STARTED, 0, TUTOR, {"steps": unknown}))
    assert refusal.value.code == "unknown_board"


def test_nothing_happens_before_the_start():
    with pytest.raises(IllegalMove) as refusal:
        apply(SessionState(), Event(1, E.STEP_MOVED, 0, TUTOR, {"index": 1}))
    assert refusal.value.code == "session_not_started"


def test_the_tutor_moves_next_previous_and_jumps(room):
    room.do(TUTOR, E.STEP_MOVED, delta=1)
    assert room.state.current_step.id == "rules"
    room.do(TUTOR, E.STEP_MOVED, index=INDEX["poll"])
    room.do(TUTOR, E.STEP_MOVED, delta=-1)
    assert room.state.current_step.id == "free"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"index": 99}, "no_such_step"),
        ({"index": -1}, "no_such_step"),
        ({"index": "2"}, "no_such_step"),
        ({"delta": 2}, "no_such_step"),
        ({"delta": -1}, "no_such_step"),  # already on the first step
        ({"index": 0}, "already_there"),
    ],
)
def test_impossible_moves_are_refused(room, payload, code):
    assert room.refused(TUTOR, E.STEP_MOVED, **payload) == code


def test_events_must_come_in_order(room):
    with pytest.raises(IllegalMove) as refusal:
        apply(room.state, Event(room.state.seq + 2, E.STEP_MOVED, 0, TUTOR, {"index": 1}))
    assert refusal.value.code == "out_of_order"


def test_an_unknown_event_is_refused(room):
    with pytest.raises(IllegalMove) as refusal:
        apply(room.state, Event(room.state.seq + 1, "karaoke", 0, TUTOR, {}))  # type: ignore[arg-type]
    assert refusal.value.code == "unknown_event"


def test_an_ended_session_refuses_everything(room):
    room.do(TUTOR, E.SESSION_ENDED)
    assert room.state.status == "ended"
    assert room.state.open_board is None
    assert room.refused(TUTOR, E.STEP_MOVED, index=1) == "session_ended"
    assert room.refused(TUTOR, E.SESSION_ENDED) == "session_ended"


def test_the_door_locks_and_opens(room):
    room.do(TUTOR, E.JOINING_LOCKED)
    assert room.state.joining_locked
    room.do(TUTOR, E.JOINING_UNLOCKED)
    assert not room.state.joining_locked


# -- people -----------------------------------------------------------------------------


def test_admitting_and_attendance(room):
    before = room.state
    room.do(TUTOR, E.PARTICIPANT_ADMITTED, participant_id=10)
    # Who is let in is the membership's to say: the fold only checks and logs the event.
    assert room.state == replace(before, seq=before.seq + 1)
    room.do(AMINA, E.ATTENDANCE_MARKED, participant_id=10, present=True)
    assert room.state.present == {10}
    assert room.refused(TUTOR, E.ATTENDANCE_MARKED, participant_id=10, present=True) == "no_change"
    room.do(TUTOR, E.ATTENDANCE_MARKED, participant_id=10, present=False)
    assert room.state.present == frozenset()
    assert room.refused(TUTOR, E.PARTICIPANT_ADMITTED, participant_id="10") == (
        "no_such_participant"
    )


def test_merging_two_identities_gives_the_cards_votes_and_presence_to_the_one_kept(room):
    room.go("rules")
    card = rule(room, BORIS, "Phones on silent")
    room.do(BORIS, E.ATTENDANCE_MARKED, participant_id=11, present=True)
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=2)
    room.do(BORIS, E.VOTE_CAST, step="rules", target=f"card:{card}")
    room.do(BORIS, E.RULE_STANCE, card_id=card, stance="agree")
    room.do(TUTOR, E.PARTICIPANTS_MERGED, absorbed=11, kept=10)
    state = room.state
    assert state.cards[card].author_id == 10
    assert state.cards[card].stances == {10: "agree"}
    assert state.votes_of("rules", 10) == {f"card:{card}": 1}
    assert state.present == {10}
    # The absorbed phone now speaks as the kept person, inside the same budget.
    room.do(BORIS, E.VOTE_CAST, step="rules", target=f"card:{card}")
    assert room.refused(BORIS, E.VOTE_CAST, step="rules", target=f"card:{card}") == (
        "no_votes_left"
    )
    assert room.refused(TUTOR, E.PARTICIPANTS_MERGED, absorbed=11, kept=10) == "cannot_merge"
    assert room.refused(TUTOR, E.PARTICIPANTS_MERGED, absorbed=10, kept=10) == "cannot_merge"


# -- cards ------------------------------------------------------------------------------


def test_a_rule_posted_on_the_rules_step_becomes_a_card_of_its_author(room):
    room.go("rules")
    card_id = rule(room, text="  We listen  ")
    card = room.state.cards[card_id]
    assert (card.author_id, card.text, card.step) == (10, "We listen", "rules")
    assert not card.anonymous and not card.by_staff


def test_the_short_form_of_a_one_field_card_is_text(room):
    room.go("rules")
    seq = room.do(AMINA, E.CARD_POSTED, board="group_rules", text="We listen")
    assert room.state.cards[seq].fields == {"text": "We listen"}


def test_posting_while_no_board_is_open_is_refused(room):
    assert room.refused(AMINA, E.CARD_POSTED, board="group_rules", text="x") == "board_closed"
    room.go("rules")
    assert room.refused(AMINA, E.CARD_POSTED, board="timeline", text="x") == "board_closed"


@pytest.mark.parametrize(
    ("step", "board", "fields", "code"),
    [
        ("rules", "group_rules", {"text": "   "}, "missing_field"),
        ("rules", "group_rules", {"text": "x" * 301}, "text_too_long"),
        ("rules", "group_rules", {"text": 42}, "bad_field"),
        ("rules", "group_rules", {"text": "ok", "author": "Boris"}, "bad_field"),
        ("timeline", "timeline", {"when": "last year", "text": "Left"}, "bad_date"),
        ("timeline", "timeline", {"when": "2015-13", "text": "Left"}, "impossible_date"),
        ("timeline", "timeline", {"when": "31/02/2015", "text": "Left"}, "impossible_date"),
        ("timeline", "timeline", {"when": "2015"}, "missing_field"),
        (
            "experiences",
            "experiences",
            {"what": "Cook", "setting": "moon", "kind": "paid"},
            "bad_field",
        ),
        ("experiences", "experiences", {"what": "Cook", "setting": "abroad"}, "missing_field"),
        ("competences", "competences", {"name": "Cooking", "category": "genius"}, "bad_field"),
        ("plan", "action_plan", {"goal": "Work", "actions": "many"}, "bad_field"),
        ("plan", "action_plan", {"goal": "Work", "actions": [{"what": "x"}] * 7}, "bad_field"),
        (
            "plan",
            "action_plan",
            {"goal": "Work", "actions": [{"what": "CV", "deadline": "soon"}]},
            "bad_date",
        ),
    ],
)
def test_bad_cards_are_refused_with_a_reason(room, step, board, fields, code):
    room.go(step)
    assert room.refused(AMINA, E.CARD_POSTED, board=board, fields=fields) == code


def test_every_board_type_keeps_its_cards_fields(room):
    room.go("timeline")
    when = room.post(AMINA, "timeline", when="2015-03", place="Tunis", text="Left home")
    room.go("experiences")
    job = room.post(
        AMINA,
        "experiences",
        what="Cook",
        where="Tunis",
        when="2010-2015",
        setting="abroad",
        kind="paid",
    )
    room.go("competences")
    skill = room.post(
        AMINA,
        "competences",
        name="Cooking for 200",
        category="professional",
        evidence="Restaurant in Tunis",
    )
    room.go("plan")
    plan = room.post(
        AMINA,
        "action_plan",
        goal="Work in a kitchen",
        actions=[{"what": "Hygiene course", "deadline": "2027-02"}, {"what": " "}],
        resources="Mission locale",
    )
    room.go("free")
    free = room.post(AMINA, "free_text", text="Patient, curious")
    cards = room.state.cards
    assert cards[when].fields == {"when": "2015-03", "place": "Tunis", "text": "Left home"}
    assert cards[job].text == "Cook" and cards[job].fields["setting"] == "abroad"
    assert cards[skill].text == "Cooking for 200"
    assert cards[plan].fields["actions"] == [{"what": "Hygiene course", "deadline": "2027-02"}]
    assert cards[free].text == "Patient, curious"


def test_a_poll_takes_no_cards(room):
    room.go("poll")
    assert room.state.open_board is None
    assert room.refused(AMINA, E.CARD_POSTED, board="poll", text="x") == "board_closed"


def test_a_tutor_posts_for_a_participant_without_a_phone(room):
    room.go("rules")
    seq = room.do(TUTOR, E.CARD_POSTED, board="group_rules", text="Be on time", on_behalf_of=11)
    assert room.state.cards[seq].author_id == 11 and room.state.cards[seq].by_staff
    assert room.refused(AMINA, E.CARD_POSTED, board="group_rules", text="x", on_behalf_of=11) == (
        "not_allowed"
    )


def test_the_author_edits_and_withdraws_while_the_board_is_open(room):
    room.go("rules")
    card = rule(room)
    room.do(AMINA, E.CARD_EDITED, card_id=card, fields={"text": "We listen to each other"})
    assert room.state.cards[card].text == "We listen to each other"
    assert room.state.cards[card].edited_ms is not None
    assert room.refused(BORIS, E.CARD_EDITED, card_id=card, fields={"text": "x"}) == "not_your_card"
    assert room.refused(TUTOR, E.CARD_WITHDRAWN, card_id=card) == "participants_only"
    assert room.refused(AMINA, E.CARD_EDITED, card_id=card, fields={"text": ""}) == "missing_field"
    room.do(AMINA, E.CARD_WITHDRAWN, card_id=card)
    assert room.state.cards[card].withdrawn
    assert room.refused(AMINA, E.CARD_WITHDRAWN, card_id=card) == "no_such_card"


def test_a_card_cannot_change_once_its_board_is_locked_or_left(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.BOARD_LOCKED, step="rules", on=True)
    assert room.state.open_board is None
    assert room.refused(AMINA, E.CARD_EDITED, card_id=card, fields={"text": "y"}) == "board_closed"
    assert room.refused(AMINA, E.CARD_POSTED, board="group_rules", text="x") == "board_closed"
    room.do(TUTOR, E.BOARD_LOCKED, step="rules", on=False)
    room.go("free")
    assert room.refused(AMINA, E.CARD_WITHDRAWN, card_id=card) == "board_closed"


def test_hiding_keeps_the_card_with_its_reason_and_can_be_undone(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.CARD_HIDDEN, card_id=card, reason=" Duplicate ")
    assert room.state.cards[card].hidden_reason == "Duplicate"
    assert room.refused(TUTOR, E.CARD_HIDDEN, card_id=card) == "already_hidden"
    assert room.refused(AMINA, E.CARD_EDITED, card_id=card, fields={"text": "y"}) == "card_hidden"
    assert room.refused(TUTOR, E.CARD_HIDDEN, card_id=999) == "no_such_card"
    room.do(TUTOR, E.CARD_UNHIDDEN, card_id=card)
    assert not room.state.cards[card].hidden
    assert room.refused(TUTOR, E.CARD_UNHIDDEN, card_id=card) == "not_hidden"
    assert room.refused(TUTOR, E.CARD_HIDDEN, card_id=card, reason="x" * 201) == "text_too_long"


# -- board controls ---------------------------------------------------------------------


def test_anonymous_mode_marks_cards_posted_while_it_is_on_and_only_those(room):
    room.go("competences")
    room.do(TUTOR, E.BOARD_ANONYMOUS, step="competences", on=True)
    hidden_author = room.post(AMINA, "competences", name="Patience", category="social")
    room.do(TUTOR, E.BOARD_ANONYMOUS, step="competences", on=False)
    named = room.post(BORIS, "competences", name="Driving", category="professional")
    assert room.state.cards[hidden_author].anonymous
    assert room.state.cards[hidden_author].author_id == 10  # still hers, for her portfolio
    assert not room.state.cards[named].anonymous
    assert room.refused(TUTOR, E.BOARD_ANONYMOUS, step="competences", on=False) == "no_change"


@pytest.mark.parametrize("kind", [E.BOARD_LOCKED, E.BOARD_UNTIL_REVEAL, E.BOARD_ANONYMOUS])
def test_board_controls_need_a_step_with_a_board(room, kind):
    assert room.refused(TUTOR, kind, step="welcome", on=True) == "no_board"
    assert room.refused(TUTOR, kind, step="nowhere", on=True) == "no_such_step"
    assert room.refused(TUTOR, kind, step="rules", on="yes") == "bad_field"


def test_hide_until_reveal_is_a_board_setting(room):
    room.go("competences")
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="competences", on=True)
    room.post(AMINA, "competences", name="Patience", category="social")
    assert room.state.board("competences").until_reveal
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="competences", on=False)
    assert not room.state.board("competences").until_reveal


def test_a_log_stored_before_the_setting_was_renamed_still_reads_as_hide_until_reveal():
    assert E("board.concealed") is E.BOARD_UNTIL_REVEAL
    with pytest.raises(ValueError):
        E("board.nothing_of_the_kind")


def test_cards_are_grouped_under_titled_clusters(room):
    room.go("competences")
    a = room.post(AMINA, "competences", name="Cooking", category="professional")
    b = room.post(BORIS, "competences", name="Baking", category="professional")
    kitchen = room.do(TUTOR, E.CLUSTER_CREATED, step="competences", title="Kitchen")
    room.do(TUTOR, E.CARD_GROUPED, card_id=a, cluster_id=kitchen)
    room.do(TUTOR, E.CARD_GROUPED, card_id=b, cluster_id=kitchen)
    room.do(TUTOR, E.CLUSTER_RENAMED, cluster_id=kitchen, title="Food")
    assert room.state.clusters[kitchen].title == "Food"
    assert room.refused(TUTOR, E.CARD_GROUPED, card_id=a, cluster_id=kitchen) == "no_change"
    assert room.refused(TUTOR, E.CARD_GROUPED, card_id=a, cluster_id=12345) == "no_such_cluster"
    assert room.refused(TUTOR, E.CLUSTER_CREATED, step="competences", title=" ") == (
        "missing_field"
    )
    assert room.refused(TUTOR, E.CLUSTER_RENAMED, cluster_id=999, title="x") == "no_such_cluster"
    room.do(TUTOR, E.CARD_GROUPED, card_id=b, cluster_id=None)
    room.do(TUTOR, E.CLUSTER_REMOVED, cluster_id=kitchen)
    assert kitchen not in room.state.clusters
    assert room.state.cards[a].cluster_id is None


def test_a_card_joins_only_a_cluster_of_its_own_step(room):
    room.go("rules")
    card = rule(room)
    room.go("competences")
    other = room.do(TUTOR, E.CLUSTER_CREATED, step="competences", title="Kitchen")
    assert room.refused(TUTOR, E.CARD_GROUPED, card_id=card, cluster_id=other) == (
        "no_such_cluster"
    )


# -- group rules ------------------------------------------------------------------------


def test_people_agree_or_disagree_with_a_rule_and_the_tutor_adopts_it(room):
    room.go("rules")
    card = rule(room)
    room.do(AMINA, E.RULE_STANCE, card_id=card, stance="agree")
    room.do(BORIS, E.RULE_STANCE, card_id=card, stance="disagree")
    room.do(BORIS, E.RULE_STANCE, card_id=card, stance="agree")
    assert room.state.cards[card].stances == {10: "agree", 11: "agree"}
    room.do(AMINA, E.RULE_STANCE, card_id=card, stance="none")
    assert room.state.cards[card].stances == {11: "agree"}
    assert room.refused(AMINA, E.RULE_STANCE, card_id=card, stance="love") == "bad_field"
    assert room.refused(TUTOR, E.RULE_STANCE, card_id=card, stance="agree") == "participants_only"
    room.do(TUTOR, E.RULE_ADOPTED, card_id=card, adopted=True)
    assert room.state.cards[card].adopted
    assert room.refused(TUTOR, E.RULE_ADOPTED, card_id=card, adopted=True) == "no_change"


def test_only_rules_take_stances_and_adoption(room):
    room.go("competences")
    card = room.post(AMINA, "competences", name="Cooking", category="professional")
    assert room.refused(BORIS, E.RULE_STANCE, card_id=card, stance="agree") == "no_stance_here"
    assert room.refused(TUTOR, E.RULE_ADOPTED, card_id=card, adopted=True) == "not_adoptable"


# -- voting: never on people ------------------------------------------------------------


def test_dot_voting_on_rules_respects_each_persons_budget(room):
    room.go("rules")
    a, b = rule(room, AMINA, "Listen"), rule(room, BORIS, "Be on time")
    assert room.refused(AMINA, E.VOTE_CAST, step="rules", target=f"card:{a}") == "voting_closed"
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=2)
    room.do(AMINA, E.VOTE_CAST, step="rules", target=f"card:{a}")
    room.do(AMINA, E.VOTE_CAST, step="rules", target=f"card:{a}")  # two dots on one rule
    assert room.refused(AMINA, E.VOTE_CAST, step="rules", target=f"card:{b}") == "no_votes_left"
    room.do(AMINA, E.VOTE_RETRACTED, step="rules", target=f"card:{a}")
    room.do(AMINA, E.VOTE_CAST, step="rules", target=f"card:{b}")
    room.do(BORIS, E.VOTE_CAST, step="rules", target=f"card:{a}")
    assert room.state.tally("rules") == {f"card:{a}": 2, f"card:{b}": 1}
    assert room.refused(BORIS, E.VOTE_RETRACTED, step="rules", target=f"card:{b}") == (
        "no_vote_to_take_back"
    )
    assert room.refused(TUTOR, E.VOTE_CAST, step="rules", target=f"card:{a}") == (
        "participants_only"
    )


def test_nobody_votes_on_a_persons_experience_or_competence_cards(room):
    room.go("competences")
    card = room.post(AMINA, "competences", name="Cooking", category="professional")
    room.do(TUTOR, E.VOTING_SET, step="competences", budget=3)
    assert room.refused(BORIS, E.VOTE_CAST, step="competences", target=f"card:{card}") == (
        "no_votes_on_people"
    )


def test_clusters_of_competences_take_votes(room):
    room.go("competences")
    card = room.post(AMINA, "competences", name="Cooking", category="professional")
    kitchen = room.do(TUTOR, E.CLUSTER_CREATED, step="competences", title="Kitchen")
    room.do(TUTOR, E.CARD_GROUPED, card_id=card, cluster_id=kitchen)
    room.do(TUTOR, E.VOTING_SET, step="competences", budget=3)
    room.do(BORIS, E.VOTE_CAST, step="competences", target=f"cluster:{kitchen}")
    assert room.state.tally("competences") == {f"cluster:{kitchen}": 1}
    room.do(TUTOR, E.CLUSTER_REMOVED, cluster_id=kitchen)
    assert room.state.tally("competences") == {}


@pytest.mark.parametrize("target", ["card:999", "cluster:1", "option:0", "person:10", "x", 7])
def test_votes_need_a_real_target_on_that_board(room, target):
    room.go("rules")
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=3)
    assert room.refused(AMINA, E.VOTE_CAST, step="rules", target=target) == "bad_vote_target"


def test_a_poll_is_open_to_one_vote_each_and_the_tutor_can_change_the_budget(room):
    room.go("poll")
    room.do(AMINA, E.VOTE_CAST, step="poll", target="option:2")
    assert room.refused(AMINA, E.VOTE_CAST, step="poll", target="option:1") == "no_votes_left"
    assert room.refused(AMINA, E.VOTE_CAST, step="poll", target="option:3") == "bad_vote_target"
    room.do(BORIS, E.VOTE_CAST, step="poll", target="option:2")
    assert room.state.tally("poll") == {"option:2": 2}
    room.do(TUTOR, E.VOTING_SET, step="poll", budget=0)
    assert room.refused(BORIS, E.VOTE_RETRACTED, step="poll", target="option:2") == (
        "voting_closed"
    )
    assert room.refused(TUTOR, E.VOTING_SET, step="poll", budget=11) == "bad_budget"


def test_votes_only_on_the_step_on_screen(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=1)
    room.go("free")
    assert room.refused(AMINA, E.VOTE_CAST, step="rules", target=f"card:{card}") == ("board_closed")


def test_withdrawing_a_rule_gives_its_votes_back(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=1)
    room.do(BORIS, E.VOTE_CAST, step="rules", target=f"card:{card}")
    room.do(AMINA, E.CARD_WITHDRAWN, card_id=card)
    assert room.state.tally("rules") == {}
    assert room.state.votes_of("rules", 11) == {}


# -- the timer --------------------------------------------------------------------------


def test_the_timer_is_an_end_time_that_pauses_resumes_and_extends(room):
    start = room.clock
    room.do(TUTOR, E.TIMER_STARTED, seconds=600)
    assert room.state.timer.ends_ms == start + 600_000
    room.wait(100)
    room.do(TUTOR, E.TIMER_PAUSED)
    assert room.state.timer.remaining_ms == 500_000 and not room.state.timer.running
    room.wait(30)  # paused time does not count
    room.do(TUTOR, E.TIMER_EXTENDED, seconds=60)
    room.do(TUTOR, E.TIMER_RESUMED)
    assert room.state.timer.ends_ms == room.clock + 560_000
    room.do(TUTOR, E.TIMER_EXTENDED, seconds=60)
    assert room.state.timer.ends_ms == room.clock + 620_000


def test_one_more_minute_after_the_end_counts_from_now(room):
    room.do(TUTOR, E.TIMER_STARTED, seconds=60)
    room.wait(300)
    room.do(TUTOR, E.TIMER_EXTENDED, seconds=60)
    assert room.state.timer.ends_ms == room.clock + 60_000


def test_a_new_step_starts_without_a_timer(room):
    room.do(TUTOR, E.TIMER_STARTED, seconds=60)
    room.go("rules")
    assert not room.state.timer.running and room.state.timer.remaining_ms is None


@pytest.mark.parametrize(
    ("kind", "payload", "code"),
    [
        (E.TIMER_PAUSED, {}, "timer_not_running"),
        (E.TIMER_RESUMED, {}, "timer_not_paused"),
        (E.TIMER_EXTENDED, {"seconds": 60}, "no_timer"),
        (E.TIMER_CLEARED, {}, "no_timer"),
        (E.TIMER_STARTED, {"seconds": 0}, "bad_duration"),
        (E.TIMER_STARTED, {"seconds": 5 * 3600}, "bad_duration"),
        (E.TIMER_STARTED, {"seconds": "60"}, "bad_duration"),
    ],
)
def test_impossible_timer_moves_are_refused(room, kind, payload, code):
    assert room.refused(TUTOR, kind, **payload) == code


def test_clearing_the_timer(room):
    room.do(TUTOR, E.TIMER_STARTED, seconds=60)
    room.do(TUTOR, E.TIMER_CLEARED)
    assert not room.state.timer.running


# -- notes ------------------------------------------------------------------------------


def test_the_tutor_takes_timestamped_private_notes(room):
    seq = room.do(TUTOR, E.NOTE_TAKEN, text="Boris quiet today; ask him first next week")
    (note,) = room.state.notes
    assert (note.id, note.ts_ms, note.author_id) == (seq, room.clock, 1)
    assert room.refused(AMINA, E.NOTE_TAKEN, text="hello") == "not_allowed"
    assert room.refused(TUTOR, E.NOTE_TAKEN, text="") == "missing_field"


# -- the wall: pages, one card alone, the join panel, the group's rules -------------------


def test_the_wall_turns_pages_of_the_board_on_screen_only(room):
    room.go("rules")
    room.do(TUTOR, E.WALL_PAGED, step="rules", page=2)
    assert room.state.wall.page == 2
    assert room.refused(TUTOR, E.WALL_PAGED, step="timeline", page=1) == "not_current_step"
    assert room.refused(TUTOR, E.WALL_PAGED, step="rules", page=-1) == "bad_page"
    assert room.refused(TUTOR, E.WALL_PAGED, step="rules", page=1000) == "bad_page"
    room.go("timeline")
    assert room.state.wall.page == 0


def test_one_card_alone_on_the_wall_must_be_one_the_room_sees(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.WALL_SPOTLIGHT, card_id=card)
    assert room.state.wall.spotlight == card
    assert room.refused(TUTOR, E.WALL_SPOTLIGHT, card_id=card) == "no_change"
    room.do(TUTOR, E.WALL_SPOTLIGHT, card_id=None)
    hidden = rule(room, text="Hidden one")
    room.do(TUTOR, E.CARD_HIDDEN, card_id=hidden)
    assert room.refused(TUTOR, E.WALL_SPOTLIGHT, card_id=hidden) == "card_hidden"
    room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="rules", on=True)
    waiting = rule(room, text="Not revealed yet")
    assert room.refused(TUTOR, E.WALL_SPOTLIGHT, card_id=waiting) == "card_hidden"
    assert room.refused(TUTOR, E.WALL_SPOTLIGHT, card_id=card) == "card_hidden"  # not revealed yet
    room.go("timeline")
    assert room.state.wall.spotlight is None


def test_a_card_hidden_taken_back_or_not_revealed_yet_leaves_the_wall(room):
    room.go("rules")
    for leave in (
        lambda card: room.do(TUTOR, E.CARD_HIDDEN, card_id=card),
        lambda card: room.do(AMINA, E.CARD_WITHDRAWN, card_id=card),
        lambda card: room.do(TUTOR, E.BOARD_UNTIL_REVEAL, step="rules", on=True),
    ):
        card = rule(room, text=f"Rule {room.state.seq}")
        room.do(TUTOR, E.WALL_SPOTLIGHT, card_id=card)
        leave(card)
        assert room.state.wall.spotlight is None


def test_the_join_panel_takes_three_sizes_and_survives_a_step_change(room):
    room.do(TUTOR, E.WALL_JOIN, shown="small")
    assert room.refused(TUTOR, E.WALL_JOIN, shown="small") == "no_change"
    assert room.refused(TUTOR, E.WALL_JOIN, shown="medium") == "bad_request"
    room.go("rules")
    assert room.state.wall.join == "small"


def test_the_rules_come_off_the_wall_at_the_next_step(room):
    room.do(TUTOR, E.WALL_RULES, on=True)
    assert room.refused(TUTOR, E.WALL_RULES, on=True) == "no_change"
    room.go("rules")
    assert room.state.wall.rules is False


def test_a_date_stored_under_the_earlier_rule_still_folds_and_a_typed_one_is_read(room):
    """Cards are checked again at every fold: an old ISO value passes as it was stored."""
    room.go("timeline")
    old = room.post(AMINA, "timeline", when="2015-02-30", text="Stored before dates were read")
    typed = room.post(AMINA, "timeline", when="mars 2015", text="Typed as people say it")
    assert room.state.cards[old].fields["when"] == "2015-02-30"
    assert room.state.cards[typed].fields["when"] == "2015-03"
    assert fold(room.log) == room.state


def test_on_a_hidden_first_step_only_the_author_chooses_to_show_their_card():
    """More in tests/test_hidden_first.py: this is the engine's own word on it."""
    steps = [{"id": "welcome", "board": "none"}, {**STEPS[2], "visibility": "hidden"}]
    room = LogRoom(steps, TUTOR)
    assert room.state.board("timeline").until_reveal  # the board starts with its cards kept
    room.go("timeline")
    card = room.post(AMINA, "timeline", when="2015", text="Left home")
    assert room.refused(BORIS, E.CARD_SHOWN, card_id=card, shown=True, details=False) == (
        "not_your_card"
    )
    room.do(AMINA, E.CARD_SHOWN, card_id=card, shown=True, details=False)
    assert room.state.cards[card].shown and not room.state.cards[card].details_shown
    assert fold(room.log) == room.state


def test_replaying_the_log_gives_the_same_state(room):
    room.go("rules")
    card = rule(room)
    room.do(TUTOR, E.VOTING_SET, step="rules", budget=1)
    room.do(BORIS, E.VOTE_CAST, step="rules", target=f"card:{card}")
    room.do(TUTOR, E.CARD_HIDDEN, card_id=card, reason="later")
    room.do(TUTOR, E.TIMER_STARTED, seconds=60)
    assert fold(room.log) == room.state


def test_every_event_type_has_a_fold_and_a_test_here():
    from pathlib import Path

    from app.live.engine import FOLDS

    assert set(FOLDS) == set(E)
    source = Path(__file__).read_text()
    untested = [kind.name for kind in E if f"E.{kind.name}" not in source]
    assert not untested, f"no test appends {untested}"
