"""Groups with attendance, for the tests of completion, reports and the funders' export:
real (or practice) cohorts in a given year, people enrolled, meetings attended."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.live import operations
from app.models import (
    AttendanceCorrection,
    Cohort,
    Interview,
    Membership,
    MembershipStatus,
    Participant,
    User,
    cohort_tutors,
)
from app.models.base import utcnow
from app.participants.operations import create_participant
from app.script_access import script_of

EN = {"Accept-Language": "en"}
MEETINGS = (
    "w1-presentation",
    "w2-migration",
    "w3-professional-experience",
    "w4-professional-competences",
    "w5-social-experience",
    "forum-visit",
    "w6-action-plan",
    "w7-cv-evaluation",
)


@dataclass
class Group:
    cohort: Cohort
    people: list[Participant] = field(default_factory=list)


@pytest.fixture
def make_group(app: Flask) -> Callable[..., Group]:
    """A cohort with `enrolled` people named after `prefix`; the first `attended` came to
    the first `meetings` workshops (recorded as tutors' corrections) unless told otherwise."""

    def make(
        name: str = "Spring group",
        starts_on: date = date(2017, 3, 6),
        ends_on: date | None = date(2017, 5, 5),
        enrolled: int = 0,
        attended: int = 0,
        meetings: int = 6,
        prefix: str = "Person",
        practice: bool = False,
        tutors: Sequence[User] = (),
    ) -> Group:
        with app.app_context():
            cohort = Cohort(
                name=name, starts_on=starts_on, ends_on=ends_on, practice=practice, weeks=9
            )
            db.session.add(cohort)
            db.session.flush()
            for tutor in tutors:
                db.session.execute(
                    cohort_tutors.insert().values(cohort_id=cohort.id, user_id=tutor.id)
                )
            group = Group(cohort)
            for number in range(enrolled):
                person = create_participant(db.session, f"{prefix}{number:02d}", "fr")
                operations.enrol(db.session, cohort, person)
                group.people.append(person)
            db.session.flush()
            for person in group.people[:attended]:
                for slug in MEETINGS[:meetings]:
                    db.session.add(
                        AttendanceCorrection(
                            cohort_id=cohort.id,
                            meeting_slug=slug,
                            participant_id=person.id,
                            present=True,
                        )
                    )
            db.session.commit()
            return group

    return make


@pytest.fixture
def interview(app: Flask) -> Callable[..., None]:
    """Record a preparatory interview with a referral source."""

    def make(cohort: Cohort, person: Participant, source: str = "") -> None:
        with app.app_context():
            db.session.add(
                Interview(
                    cohort_id=cohort.id,
                    participant_id=person.id,
                    meeting_slug="w0-preparatory",
                    answers={"referral": {"source": source, "detail": ""}},
                )
            )
            db.session.commit()

    return make


@pytest.fixture
def attend(app: Flask) -> Callable[..., None]:
    """A tutor's correction: `person` was (or was not) at `slug`."""

    def mark(cohort: Cohort, person: Participant, slug: str, present: bool = True) -> None:
        with app.app_context():
            db.session.add(
                AttendanceCorrection(
                    cohort_id=cohort.id,
                    meeting_slug=slug,
                    participant_id=person.id,
                    present=present,
                    corrected_at=utcnow(),
                )
            )
            db.session.commit()

    return mark


@pytest.fixture
def stand_in(app: Flask) -> Callable[..., Participant]:
    """The anonymous stand-in of a deleted person, as app.data_rights leaves it."""

    def make(cohort: Cohort) -> Participant:
        with app.app_context():
            person = Participant(display_name="⊘", locale="fr", erased_at=utcnow())
            db.session.add(person)
            db.session.flush()
            db.session.add(
                Membership(
                    cohort_id=cohort.id,
                    participant_id=person.id,
                    status=MembershipStatus.ERASED.value,
                )
            )
            db.session.commit()
            return person

    return make


@pytest.fixture
def script(app: Flask) -> Any:
    return script_of(app)
