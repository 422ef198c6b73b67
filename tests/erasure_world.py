"""A group where one person, whose name and words are unique marker strings, took part
everywhere: the preparatory interview, a workshop's board, a note about them, an
annotation, their portfolio. Tests delete them and look for the markers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.live import operations
from app.live.events import EventType
from app.models import (
    Annotation,
    Base,
    Interview,
    LiveSession,
    Participant,
)

NAME = "Zorblaxine"  # nobody else is called this, and no word contains it
WORDS = "Quillfrond marmalade harbour with Amina"  # what she wrote on the board
# The same card as a rehearsal retells it: the names replaced, the words kept.
RETOLD = "Quillfrond marmalade harbour with Sam"
PORTFOLIO = "Vantablue weaving"  # what she wrote in her portfolio
MOTIVATION = "Pelicanstair bakery"  # what she told her tutor at the preparatory meeting
MARKERS = (NAME, "Quillfrond", PORTFOLIO, MOTIVATION)
RULES_STEP = 2  # workshop 1's group rules


@dataclass
class ErasureWorld:
    app: Flask
    cohort_id: int
    tutor_id: int
    person_id: int
    friend_id: int  # Amina, who stays
    session_id: int

    def person(self) -> Participant:
        return db.session.get_one(Participant, self.person_id)


def build(
    app: Flask, make_cohort, make_staff, make_participant, start_live, phone_client
) -> ErasureWorld:  # type: ignore[no-untyped-def]
    cohort = make_cohort("Spring group")
    tutor = make_staff(cohort)
    person = make_participant(cohort, name=NAME)
    friend = make_participant(cohort, name="Amina")
    live = start_live(cohort, tutor)
    phone = phone_client(person)
    added = phone.post("/me/sections/evaluation/new", data={"text": PORTFOLIO})
    assert added.status_code == 302, added.status_code
    with app.app_context():
        held = db.session.get_one(LiveSession, live.id)
        by = db.session.merge(tutor)
        staff = operations.staff(by)
        operations.move_step(db.session, held, {"index": RULES_STEP}, by)
        for who in (person, friend):
            operations.mark_attendance(db.session, held, who.id, True, staff)
        hers = operations.participant_actor(db.session.get_one(Participant, person.id))
        amina = operations.participant_actor(db.session.get_one(Participant, friend.id))
        operations.post_card(db.session, held, hers, "group_rules", {"text": WORDS}, None)
        operations.post_card(
            db.session, held, amina, "group_rules", {"text": f"Listen like {NAME} does"}, None
        )
        operations.record(
            db.session, held, EventType.NOTE_TAKEN, staff, {"text": f"{NAME} came late"}
        )
        operations.end_session(db.session, held, by)
        db.session.add(
            Interview(
                cohort_id=cohort.id,
                participant_id=person.id,
                tutor_id=tutor.id,
                meeting_slug="w0-preparatory",
                answers={
                    "motivation": {"why": MOTIVATION},
                    "referral": {"source": "friend", "detail": f"{NAME}'s cousin"},
                },
            )
        )
        db.session.add(
            Annotation(
                session_id=live.id,
                seq=4,
                kind="why",
                body=f"I let {NAME} speak first",
                author_id=tutor.id,
            )
        )
        db.session.commit()
    return ErasureWorld(app, cohort.id, tutor.id, person.id, friend.id, live.id)


def dump() -> str:
    """Every row of every table, as text."""
    rows: list[Any] = []
    for table in Base.metadata.sorted_tables:
        rows.extend(db.session.execute(select(table)).all())
    return "\n".join(map(repr, rows))


def sqlite_bytes(app: Flask) -> bytes:
    """The raw bytes of the SQLite file and its write-ahead log, as they are on disk."""
    path = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
