"""A trainee rehearses a meeting with simulated participants: they come in (some late),
post at the pace of real sessions, vote and take stances; the trainee practises every
control on their cards; nothing of it reaches attendance or portfolios; and a rehearsal
can take over from a moment of a past session.

The runner is driven here by `run_due` with a chosen clock: the schedule is in the
database, so "two minutes later" is a number, not a wait."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import grimp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.attendance import attendance
from app.extensions import db
from app.live.errors import IllegalMove
from app.live.store import load_state
from app.models import Cohort, LiveSession, Participant, SessionEvent, SimulatedAction, User
from app.models.base import now_ms, utcnow
from app.participants import consent
from app.permissions import Role
from app.portfolio.queries import portfolio_for
from app.progress import cycle_progress
from app.rehearsal import cast, plan, runner, sources
from app.rehearsal.start import start_rehearsal, take_over
from app.script_access import script_of
from app.vocabulary.boards import BOARDS, board_type
from app.workshops import Script
from tests.drivers import AppRoom, board_messages

W1 = "w1-presentation"
MINUTE = 60_000
HOUR = 60 * MINUTE
PHONE = "06 12 34 56 78"


@dataclass
class Rehearsal:
    app: Flask
    trainee: User
    live: LiveSession
    console: Any
    projector: Any
    clock: int

    def run(self, after_ms: int = 0) -> int:
        """The runner's pass `after_ms` later on the rehearsal's clock."""
        self.clock += after_ms
        with self.app.app_context():
            return runner.run_due(self.clock, limit=1000)

    def does(self, event: str, **data: Any) -> dict[str, Any]:
        ack = self.console.emit(event, data, namespace="/tutor", callback=True)
        assert ack["ok"], (event, ack)
        return ack

    def go(self, step_id: str) -> None:
        meeting = script_of(self.app).reference(self.live.meeting_slug)
        self.does("step", index=list(meeting.step_ids()).index(step_id))

    def board(self, sock: Any | None = None, namespace: str = "/tutor") -> dict[str, Any]:
        ack = (sock or self.console).emit("sync", {}, namespace=namespace, callback=True)
        return ack["board"]

    def state(self) -> Any:
        with self.app.app_context():
            return load_state(db.session, self.live.id)

    def moves(self, kind: str | None = None) -> list[SimulatedAction]:
        with self.app.app_context():
            query = select(SimulatedAction).where(SimulatedAction.session_id == self.live.id)
            if kind is not None:
                query = query.where(SimulatedAction.kind == kind)
            return list(db.session.scalars(query.order_by(SimulatedAction.id)))

    def members(self) -> list[cast.Member]:
        with self.app.app_context():
            return runner._members(db.session.get(LiveSession, self.live.id))[0]


@pytest.fixture
def rehearse(
    app: Flask,
    make_staff: Callable[..., User],
    staff_client: Callable[[User], FlaskClient],
    socket_for: Callable[..., Any],
) -> Callable[..., Rehearsal]:
    """A trainee starts a rehearsal and opens its console and projector."""

    def start(slug: str = W1, people: int = 6, trainee: User | None = None) -> Rehearsal:
        trainee = trainee or make_staff(role=Role.TRAINEE)
        with app.app_context():
            live = start_rehearsal(
                db.session, db.session.merge(trainee), script_of(app), slug, people
            )
            db.session.commit()
        browser = staff_client(trainee)
        console = socket_for(browser, "/tutor", live)
        projector = socket_for(browser, "/projector", live)
        return Rehearsal(app, trainee, live, console, projector, now_ms())

    return start


def card_text(card: dict[str, Any]) -> str:
    return " ".join(str(value) for value in card["fields"].values())


# --- starting -----------------------------------------------------------------------------


def test_a_rehearsal_has_its_own_practice_group_of_simulated_participants(app, rehearse):
    room = rehearse(people=6)
    with app.app_context():
        live = db.session.get(LiveSession, room.live.id)
        group = db.session.get(Cohort, live.cohort_id)
        assert live.is_rehearsal and live.started_by_id == room.trainee.id
        assert group.practice and group.name.endswith(" · Présentation et dynamique de groupe")
        assert group.tutors == []  # the trainee owns the session, not the group
        people = [m.participant for m in group.memberships]
        assert len(people) == 6 and all(m.admitted for m in group.memberships)
        assert len({p.display_name for p in people}) == 6
        for person in people:
            answers = consent.current(person)
            assert answers[consent.Purpose.DATA_PROCESSING.value] is True
            assert answers[consent.Purpose.REHEARSAL_REUSE.value] is False
    parts = [member.part for member in room.members()]
    assert parts.count(cast.Part.OVERSHARER) == 1 and parts.count(cast.Part.SILENT) == 1
    assert parts.count(cast.Part.LATE) == 2
    assert room.members() == room.members()  # every process casts them the same way


# --- joining and posting --------------------------------------------------------------------


def test_simulated_participants_come_in_post_and_one_card_needs_hiding(rehearse):
    room = rehearse(people=6)
    room.run()  # the welcome step: arrivals planned
    late = {m.participant_id for m in room.members() if m.part is cast.Part.LATE}
    room.run(30_000)
    present = room.state().present
    assert present and not present & late  # the others are in; the latecomers not yet
    room.go("presentations")
    room.console.get_received("/tutor")
    room.run()  # the step is planned as soon as it is on screen
    assert [m.step_id for m in room.moves(plan.Kind.PLAN)] == ["welcome", "presentations"]
    room.run(HOUR)  # everything due happens, latecomers' cards after they came in
    room.run(HOUR)  # (a latecomer's early card waited for them)
    assert room.state().present >= late
    cards = room.board()["cards"]
    by = {m.participant_id: m for m in room.members()}
    authors = {card["author_id"] for card in cards}
    silent = next(m for m in room.members() if m.part is cast.Part.SILENT)
    assert silent.participant_id not in authors
    assert authors >= {m for m in by if by[m].writes}
    assert any(
        PHONE in card_text(c) or "rue des Lilas" in card_text(c) or "match" in card_text(c)
        for c in cards
    )
    heard = [m["event"] for m in board_messages(room.console, "/tutor")]
    assert heard.count("card.posted") == len(cards)  # committed, then told to the console


def test_the_trainee_reveals_groups_and_hides_their_cards(rehearse):
    room = rehearse(people=5)
    room.go("presentations")
    room.does("board_until_reveal", step="presentations", on=True)
    room.run()
    room.run(HOUR)
    room.run(HOUR)
    assert room.board()["cards"], "the simulated participants posted"
    assert room.board(room.projector, "/projector")["cards"] == []  # not revealed yet
    room.does("board_until_reveal", step="presentations", on=False)
    cards = room.board(room.projector, "/projector")["cards"]
    assert len(cards) == len(room.board()["cards"])
    cluster = room.does("cluster_create", step="presentations", title="Travail")["seq"]
    room.does("group", card_id=cards[0]["id"], cluster_id=cluster)
    to_hide = next(
        c
        for c in cards
        if PHONE in card_text(c) or "Lilas" in card_text(c) or "match" in card_text(c)
    )
    room.does("hide", card_id=to_hide["id"], reason="Numéro de téléphone")
    shown = {c["id"] for c in room.board(room.projector, "/projector")["cards"]}
    assert to_hide["id"] not in shown
    state = room.state()
    assert state.cards[cards[0]["id"]].cluster_id == cluster
    assert state.cards[to_hide["id"]].hidden


def test_votes_come_when_the_trainee_opens_voting_and_stances_on_rules(rehearse):
    room = rehearse(people=6)
    room.go("group-rules")
    room.run()
    room.run(HOUR)
    room.run(HOUR)
    state = room.state()
    rules = [c for c in state.cards.values() if c.step == "group-rules" and c.in_room]
    assert rules and any(card.stances for card in rules)
    assert room.moves(plan.Kind.VOTE) == []  # nobody votes before the trainee asks
    room.does("voting", step="group-rules", budget=2)
    room.run()
    room.run(5 * MINUTE)
    tally = room.state().tally("group-rules")
    assert sum(tally.values()) >= len(room.members())
    assert [m.step_id for m in room.moves(plan.Kind.PLAN_VOTES)] == ["group-rules"]


def test_moves_of_a_step_left_are_dropped_and_refusals_recorded(rehearse):
    room = rehearse(people=4)
    room.go("presentations")
    room.run()
    planned = [m for m in room.moves(plan.Kind.POST) if m.step_id == "presentations"]
    assert planned
    room.does("board_lock", step="presentations", on=True)
    first = min(m.due_ms for m in planned)
    room.run(first - room.clock + 60_000)  # the board is locked: refused, never raised
    outcomes = {m.outcome for m in room.moves(plan.Kind.POST) if m.done_at}
    assert "board_closed" in outcomes
    room.go("group-rules")
    room.run()
    left = [m for m in room.moves(plan.Kind.POST) if m.step_id == "presentations"]
    assert all(m.done_at is not None for m in left)
    assert "step_left" in {m.outcome for m in left}
    assert not [c for c in room.state().cards.values() if c.step == "presentations"]


def test_each_move_is_claimed_once(rehearse, app):
    room = rehearse(people=3)
    room.go("presentations")
    room.run()
    due = room.moves(plan.Kind.ARRIVE)[0]
    with app.app_context():
        assert runner._claim(due.id) is True
        assert runner._claim(due.id) is False  # the other process finds it taken


def test_two_processes_running_at_once_perform_each_move_once(rehearse, app):
    room = rehearse(people=6)
    room.go("presentations")
    room.run()
    errors: list[BaseException] = []

    def process() -> None:
        try:
            with app.app_context():
                runner.run_due(room.clock + HOUR, limit=1000)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    both = [threading.Thread(target=process) for _ in range(2)]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    assert errors == []
    posted = [m for m in room.moves(plan.Kind.POST) if m.outcome == "done"]
    cards = [c for c in room.state().cards.values() if c.step == "presentations"]
    assert posted and len(cards) == len(posted)


def test_nobody_acts_for_a_real_person_who_came_in_with_the_code(
    app, rehearse, make_participant, link_phone
):
    room = rehearse(people=3)
    with app.app_context():
        group = db.session.get(Cohort, db.session.get(LiveSession, room.live.id).cohort_id)
    visitor = make_participant(group, "Zoé")
    link_phone(visitor)
    room.go("presentations")
    room.run()
    room.run(HOUR)
    assert visitor.id not in {m.participant_id for m in room.members()}
    assert len(room.members()) == 3
    assert all(m.participant_id != visitor.id for m in room.moves())


def test_a_rehearsal_with_the_real_group_gets_no_simulated_people(
    app, make_cohort, make_staff, make_participant, start_live
):
    group = make_cohort()
    tutor = make_staff(group)
    make_participant(group, "Amina")
    live = start_live(group, tutor, W1, rehearsal=True)
    with app.app_context():
        runner.run_due(now_ms() + HOUR)
        rows = db.session.scalars(
            select(SimulatedAction).where(SimulatedAction.session_id == live.id)
        ).all()
    assert rows == []


# --- nothing counts -------------------------------------------------------------------------


def test_nothing_of_a_rehearsal_reaches_attendance_progress_or_portfolios(app, rehearse):
    room = rehearse(slug="w4-professional-competences", people=4)
    room.go("my-experiences")
    room.run()
    room.run(HOUR)
    room.run(HOUR)
    state = room.state()
    assert state.present and state.cards
    script: Script = script_of(app)
    with app.app_context():
        live = db.session.get(LiveSession, room.live.id)
        table = attendance(db.session, live.cohort_id, script, "fr")
        assert all(not column.held for column in table.meetings)
        assert all(row.attended == 0 for row in table.rows)
        meetings = [script.reference(slug) for slug in script.slugs()]
        progress = cycle_progress(db.session, live.cohort_id, meetings)
        assert all(p.held_on is None for p in progress)
        for author in {card.author_id for card in state.cards.values()}:
            person = db.session.get(Participant, author)
            assert len(portfolio_for(db.session, person, script)) == 0


# --- what they write, and when ----------------------------------------------------------------


def test_pace_and_cards_come_from_past_real_sessions_of_consenting_people(app, w4: AppRoom):
    amina, amina_phone = w4.phone("Amina")
    _boris, boris_phone = w4.phone("Boris")
    with app.app_context():
        consent.record(
            db.session,
            db.session.merge(amina),
            consent.ConsentAnswers(data_processing=True, rehearsal_reuse=True),
        )
        db.session.commit()
    w4.go("my-experiences")
    fields = {"what": "Cuisinière avec Boris", "setting": "abroad", "kind": "paid"}
    told = w4.post(amina_phone, "experiences", fields, "amina-card-0001")["seq"]
    # Work stories start hidden: only a card its author showed may be retold.
    w4.says("Amina", "show", client_id="amina-show-0001", card_id=told, shown=True, details=False)
    mine = {"what": "Soudeur", "setting": "france", "kind": "paid"}
    w4.post(boris_phone, "experiences", mine, "boris-card-0001")
    removed = {"what": "Retiré des replays", "setting": "france", "kind": "paid"}
    gone = w4.post(amina_phone, "experiences", removed, "amina-card-0002")["seq"]
    with app.app_context():  # a tutor removed this card's words from replays
        row = db.session.scalar(
            select(SessionEvent).where(
                SessionEvent.session_id == w4.live.id, SessionEvent.seq == gone
            )
        )
        row.content.redacted_at = utcnow()
        db.session.commit()
    with app.app_context():  # a session still running is not a past one
        assert sources.recorded(db.session, w4.live.meeting_slug, "my-experiences").delays == []
    w4.tutor_does("end")
    with app.app_context():
        past = sources.recorded(db.session, w4.live.meeting_slug, "my-experiences", ["Kofi"])
    assert len(past.delays) == 3 and all(0 <= d < MINUTE for d in past.delays)
    assert past.cards == [{"what": "Cuisinière avec Kofi", "setting": "abroad", "kind": "paid"}]
    material = plan.StepMaterial("my-experiences", "experiences", 15, tuple(past.delays))
    rng = plan.rng_for(1, "x")
    longest = max(max(past.delays) * 1.2, plan.FIRST_CARD_MS // 2)
    assert all(plan.delay(material, rng) <= longest + 1 for _ in range(50))


def test_a_meeting_without_a_board_or_an_unknown_one_is_refused(app, make_staff):
    trainee = make_staff(role=Role.TRAINEE)
    with app.app_context():
        for slug, code in (("w9-nothing", "no_such_meeting"), ("w0-preparatory", None)):
            with pytest.raises(IllegalMove) as refused:
                start_rehearsal(db.session, db.session.merge(trainee), script_of(app), slug)
            db.session.rollback()
            assert refused.value.code == (code or "meeting_is_interview")


def test_a_broken_examples_file_says_where():
    with pytest.raises(
        sources.ExamplesError, match=r"meetings\.w1-presentation\.presentations\.fr"
    ):
        sources.parse_examples("meetings:\n  w1-presentation:\n    presentations:\n      fr: 3\n")


def test_the_default_pace_spreads_cards_over_the_step():
    material = plan.StepMaterial("s", "free_text", 45, examples=({"text": "a"},))
    members = cast.cast({1: "Amal", 2: "Bilal", 3: "Chadia", 4: "Dawit"}, seed=7)
    moves = plan.card_moves(members, material, 0, plan.rng_for(7, "s"))
    dues = [m.due_ms for m in moves]
    assert min(dues) >= plan.FIRST_CARD_MS and max(dues) <= 8 * MINUTE + 90_000


def test_the_examples_file_fits_every_board_in_both_languages(app):
    script: Script = script_of(app)
    examples = sources.examples_in(app.config["WORKSHOPS_DIR"])
    for (slug, step_id, _locale), cards in examples.by_step.items():
        step = script.reference(slug).step(step_id)
        for card in cards:
            board_type(step.board).clean(card)  # refuses a field the board does not take
    for (board, _locale), cards in [*examples.by_board.items(), *examples.to_hide.items()]:
        for card in cards:
            board_type(board).clean(card)
    for slug in script.slugs():
        for step in script.reference(slug).steps:
            if not BOARDS[step.board].accepts_cards:
                continue
            for locale in ("fr", "en"):
                assert examples.cards(slug, step, locale), (slug, step.id, locale)
                if not BOARDS[step.board].private:  # nobody but its author sees it to hide
                    assert examples.hide(step.board, locale), (step.board, locale)


# --- taking over -------------------------------------------------------------------------


def test_take_over_starts_from_the_replayed_board(
    app, w4: AppRoom, make_staff, staff_client, socket_for
):
    amina, amina_phone = w4.phone("Amina")
    boris, boris_phone = w4.phone("Boris")
    w4.go("my-experiences")
    fields = {"what": "Aide-cuisinière avec Boris", "setting": "abroad", "kind": "paid"}
    first = w4.post(amina_phone, "experiences", fields, "amina-card-0001")["seq"]
    second = w4.post(
        boris_phone,
        "experiences",
        {"what": "Soudeur", "setting": "france", "kind": "paid"},
        "boris-card-0001",
    )["seq"]
    # Work stories start hidden (the board waits for its reveal): both show theirs.
    for name, card in (("Amina", first), ("Boris", second)):
        choice = {"card_id": card, "shown": True, "details": False}
        w4.says(name, "show", client_id=f"{name}-show-{card:04d}", **choice)
    w4.tutor_does("hide", card_id=first, reason="Amina ne veut pas")
    at = w4.tutor_does("note", text="Boris hésite à parler")["seq"]
    w4.post(
        boris_phone,
        "experiences",
        {"what": "Plus tard", "setting": "france", "kind": "paid"},
        "boris-card-0002",
    )  # after the moment taken over: not in the rehearsal
    trainee = make_staff(role=Role.TRAINEE)
    with app.app_context():
        source = db.session.get(LiveSession, w4.live.id)
        live = take_over(db.session, db.session.merge(trainee), source, at)
        db.session.commit()
        before = load_state(db.session, source.id)
    console = socket_for(staff_client(trainee), "/tutor", live)
    with app.app_context():
        state = load_state(db.session, live.id)
        again = db.session.get(LiveSession, live.id)
        assert again.taken_over_from_id == source.id and again.taken_over_at_seq == at
        assert again.is_rehearsal and again.script_version_id == source.script_version_id
    assert state.seq == at
    assert state.current_step.id == "my-experiences"
    assert state.board("my-experiences").until_reveal
    assert len(state.cards) == 2 and state.cards[first].hidden
    texts = " ".join(str(c.fields) for c in state.cards.values())
    texts += " ".join(n.text for n in state.notes) + state.cards[first].hidden_reason
    assert "Amina" not in texts and "Boris" not in texts
    sims = {c.author_id for c in state.cards.values()}
    assert not sims & {amina.id, boris.id} and len(sims) == 2
    assert before.cards.keys() > state.cards.keys()
    assert len(console.emit("sync", {}, namespace="/tutor", callback=True)["board"]["cards"]) == 2
    with app.app_context():
        runner.run_due(now_ms())  # then the step on screen is planned for the stand-ins
        planned = db.session.scalars(
            select(SimulatedAction.step_id).where(
                SimulatedAction.session_id == live.id, SimulatedAction.kind == plan.Kind.PLAN
            )
        ).all()
    assert planned == ["my-experiences"]


def test_who_plays_what_and_when_is_plain_python():
    graph = grimp.build_graph("app", include_external_packages=True, cache_dir=None)
    for module in ("app.rehearsal.cast", "app.rehearsal.plan"):
        reached = graph.find_upstream_modules(module)
        assert not {m for m in reached if m.split(".")[0] in ("flask", "sqlalchemy")}, module
