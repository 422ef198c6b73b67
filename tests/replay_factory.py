"""A finished, shared, annotated session to replay, written through the app's own
operations on a clock the test chooses: a replay needs minutes between events (a quiet
span is 30 s or more with nobody doing anything), and a test cannot wait for them.

`recorded_session(app)` plays workshop 4 for three people who did not agree to be named
in replays: arrivals, the experiences step with a timer and cards held back until the
tutor reveals them, a note, a long silence, a card hidden, the competences step with a
vote opened and closed, the strengths step, the end. The tutor shares it with a focus
question and explains the reveal in an annotation; a trainee of the organisation can
log in with `trainee`'s username and password.

`app_on(server)` is an app of the test's own on a real server's database, for the
browser tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.extensions import db
from app.live import operations
from app.live import store as event_store
from app.live.events import EventType as E
from app.models import Cohort, LiveSession, User, cohort_tutors
from app.models.base import now_ms
from app.participants import consent
from app.participants.operations import create_participant
from app.permissions import Role
from app.replay import annotations, sharing
from app.script_access import script_of
from tests.fixtures.servers import ServerProcess

W4 = "w4-professional-competences"
PASSWORD = "a replay's password"
PEOPLE = ("Amina", "Yusuf", "Lena")
FOCUS = "Notice how the tutor waits before revealing the cards"
WHY_REVEAL = "I revealed every card at once, so nobody felt singled out."
QUIET_S = 75  # the long silence after the reveal, in seconds
_numbers = itertools.count(1)


@dataclass
class Recorded:
    """A finished workshop, shared with trainees: what a test needs to find its way."""

    session_id: int
    tutor: str  # username of the tutor who ran it
    trainee: str  # username of a trainee (password PASSWORD)
    seqs: dict[str, int] = field(default_factory=dict)  # moment name → seq
    ms: dict[str, int] = field(default_factory=dict)  # moment name → ms
    steps: list[str] = field(default_factory=list)  # step ids moved to, in order


class Clock:
    """The log's clock: starts an hour ago, moves only when told."""

    def __init__(self) -> None:
        self.at = now_ms() - 3_600_000

    def __call__(self) -> int:
        self.at += 10  # two events never share a millisecond by accident
        return self.at

    def wait(self, seconds: float) -> None:
        self.at += int(seconds * 1000)


@contextmanager
def _clock(clock: Clock) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(event_store, "now_ms", clock)
        yield


def _user(username: str, role: Role, name: str) -> User:
    user = User(username=username, display_name=name, role=role.value)
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.flush()
    return user


def _play(app: Flask, clock: Clock, number: int) -> Recorded:
    """Run workshop 4 through the operations; the caller commits."""
    cohort = Cohort(name=f"Replay cohort {number}", starts_on=date(2026, 9, 7))
    db.session.add(cohort)
    db.session.flush()
    tutor = _user(f"replay-tutor-{number}", Role.TUTOR, "Camille")
    db.session.execute(cohort_tutors.insert().values(cohort_id=cohort.id, user_id=tutor.id))
    trainee = _user(f"replay-trainee-{number}", Role.TRAINEE, "Sacha")
    people = []
    for name in PEOPLE:
        person = create_participant(db.session, name, "en")
        consent.record(db.session, person, consent.ConsentAnswers(data_processing=True))
        operations.enrol(db.session, cohort, person)
        people.append(person)

    script = script_of(app)
    live = operations.start_session(db.session, cohort, script, W4, tutor)
    made = Recorded(live.id, tutor.username, trainee.username)
    staff = operations.staff(tutor)

    def do(kind: E, name: str | None = None, **payload: Any) -> int:
        seq = operations.record(db.session, live, kind, staff, payload).event.seq
        if name:
            made.seqs[name], made.ms[name] = seq, clock.at
        return seq

    def go(step: str) -> None:
        clock.wait(4)
        index = script.reference(W4).step_ids().index(step)  # a script may gain steps
        seq = operations.move_step(db.session, live, {"index": index}, tutor).event.seq
        made.seqs[f"step:{step}"], made.ms[f"step:{step}"] = seq, clock.at
        made.steps.append(step)

    def post(who: int, board: str, **fields: Any) -> int:
        clock.wait(3)
        actor = operations.participant_actor(people[who])
        return operations.post_card(db.session, live, actor, board, fields, None).event.seq

    def show(who: int, card: int) -> None:
        actor = operations.participant_actor(people[who])
        payload = {"card_id": card, "shown": True, "details": False}
        operations.record(db.session, live, E.CARD_SHOWN, actor, payload)

    for person in people:
        clock.wait(2)
        operations.arrive(db.session, live, person)

    go("my-experiences")
    do(E.TIMER_STARTED, "timer", seconds=90)
    # the experiences start hidden (a hidden-first step): the board waits for its reveal
    first = post(0, "experiences", what="Market stall in Dakar", setting="abroad", kind="paid")
    cook = post(1, "experiences", what="Cook for forty people", setting="france", kind="voluntary")
    odd = post(2, "experiences", what="Call me on 06 12 34 56 78", setting="france", kind="paid")
    for who, card in enumerate((first, cook, odd)):  # stories start hidden: each shows theirs
        show(who, card)
    clock.wait(5)
    do(E.NOTE_TAKEN, "note", text="Yusuf waited for the others before writing")
    clock.wait(8)
    do(E.BOARD_UNTIL_REVEAL, "reveal", step="my-experiences", on=False)
    clock.wait(QUIET_S)  # nobody writes: the room talks
    do(E.CARD_HIDDEN, "hide", card_id=odd, reason="a phone number")
    made.seqs["first-card"] = first

    go("competences")
    do(E.BOARD_UNTIL_REVEAL, step="competences", on=False)  # it starts unseen: shown at once
    post(0, "competences", name="Selling", category="professional")
    post(1, "competences", name="Cooking", category="professional")
    clock.wait(5)
    do(E.VOTING_SET, "vote", step="competences", budget=3)
    clock.wait(10)
    do(E.VOTING_SET, step="competences", budget=0)

    go("strengths")
    post(2, "free_text", text="I keep going")
    clock.wait(6)
    made.seqs["end"] = operations.end_session(db.session, live, tutor).event.seq
    made.ms["end"] = clock.at

    sharing.share(live, tutor, FOCUS)
    annotations.add(
        db.session,
        live,
        tutor,
        annotations.NewAnnotation(seq=made.seqs["reveal"], kind="why", body=WHY_REVEAL),
        may_annotate=True,
    )
    return made


def recorded_session(app: Flask) -> Recorded:
    """Workshop 4, played, ended, shared and annotated, in `app`'s database."""
    clock = Clock()
    with app.app_context(), _clock(clock):
        made = _play(app, clock, next(_numbers))
        db.session.commit()
        assert db.session.get(LiveSession, made.session_id).shareable
    return made


def app_on(server: ServerProcess) -> Flask:
    """An app of the test's own on `server`'s database (SQLite, in its instance folder)."""
    instance = Path(server.env["MIGRAPASS_INSTANCE_PATH"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MIGRAPASS_INSTANCE_PATH", str(instance))
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": (instance / "secret_key").read_text().strip(),
                "DATABASE_URL": f"sqlite:///{instance / 'migrapass.sqlite3'}",
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
            }
        )
