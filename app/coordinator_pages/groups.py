"""The organisation's groups as a coordinator runs them: created, changed, archived, and
sorted into current, upcoming and archived.

Plain functions over the database (no Flask): the page reads the form into `CohortInput`,
these check it (every problem at once, by field, as stable codes) and flush; the page
commits. Practice groups (a trainee's rehearsal) are never listed nor changed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Cohort, User
from app.models.base import utcnow
from app.participants.operations import drop_named_tutors

MAX_NAME = 120
MAX_VENUE = 120
CYCLE_WEEKS = (8, 9)  # the programme ran 8 weeks, and now runs 9


@dataclass(frozen=True)
class CohortInput:
    """A group's form as posted: text, checked by `check`."""

    name: str = ""
    starts_on: str = ""
    ends_on: str = ""
    venue: str = ""
    weeks: str = "9"
    tutor_ids: Sequence[int] = ()


@dataclass(frozen=True)
class CohortFields:
    """A group's fields once checked."""

    name: str
    starts_on: date
    ends_on: date | None
    venue: str | None
    weeks: int
    tutors: list[User]


class CohortProblems(Exception):
    """The form's problems, by field: stable codes the page words beside each field."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def check(db: Session, given: CohortInput) -> CohortFields:
    """The fields, or every problem with them at once."""
    problems: dict[str, str] = {}
    name, venue = given.name.strip(), given.venue.strip()
    if not name:
        problems["name"] = "cohort_name_required"
    elif len(name) > MAX_NAME:
        problems["name"] = "cohort_name_too_long"
    starts_on = _day(given.starts_on)
    if starts_on is None:
        problems["starts_on"] = "date_required"
    ends_on = _day(given.ends_on) if given.ends_on.strip() else None
    if given.ends_on.strip() and ends_on is None:
        problems["ends_on"] = "date_invalid"
    elif starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "ends_before_start"
    if len(venue) > MAX_VENUE:
        problems["venue"] = "venue_too_long"
    weeks = int(given.weeks) if given.weeks.strip() in {str(w) for w in CYCLE_WEEKS} else None
    if weeks is None:
        problems["weeks"] = "weeks_invalid"
    wanted = set(given.tutor_ids)
    tutors = list(db.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
    if len(tutors) != len(wanted):
        problems["tutors"] = "tutor_unknown"
    if problems:
        raise CohortProblems(problems)
    assert starts_on is not None and weeks is not None  # for the type checker: checked above
    return CohortFields(name, starts_on, ends_on, venue or None, weeks, tutors)


def create(db: Session, fields: CohortFields) -> Cohort:
    """A new real group with these fields and tutors."""
    cohort = Cohort(practice=False)
    _fill(cohort, fields)
    db.add(cohort)
    db.flush()
    return cohort


def change(db: Session, cohort: Cohort, fields: CohortFields) -> dict[int, int]:
    """New fields and tutors for a group (tutors left out are unassigned). An unassigned
    tutor's log-ins end, so that a console open on the group closes, and they stop being
    anyone's named tutor there: returns their ids and ended generations, for the caller
    to close their sockets after the commit."""
    kept = {user.id for user in fields.tutors}
    ended = {user.id: user.session_generation or 0 for user in cohort.tutors if user.id not in kept}
    for user in cohort.tutors:
        if user.id in ended:
            user.end_sessions()
    drop_named_tutors(db, cohort, set(ended))
    _fill(cohort, fields)
    db.flush()
    return ended


def _fill(cohort: Cohort, fields: CohortFields) -> None:
    cohort.name = fields.name
    cohort.starts_on = fields.starts_on
    cohort.ends_on = fields.ends_on
    cohort.venue = fields.venue
    cohort.weeks = fields.weeks
    cohort.tutors = list(fields.tutors)


def archive(db: Session, cohort: Cohort, now: datetime | None = None) -> None:
    """Put a group away: still counted in its year's figures."""
    if cohort.archived_at is None:
        cohort.archived_at = now or utcnow()
    db.flush()


def unarchive(db: Session, cohort: Cohort) -> None:
    cohort.archived_at = None
    db.flush()


@dataclass(frozen=True)
class Listed:
    """A group on the coordinator's home: ended is a current group past its last day."""

    cohort: Cohort
    ended: bool = False


@dataclass(frozen=True)
class Listing:
    current: list[Listed] = field(default_factory=list)
    upcoming: list[Listed] = field(default_factory=list)
    archived: list[Listed] = field(default_factory=list)


def listing(db: Session, today: date) -> Listing:
    """Every real group: archived ones; then those starting later; the rest is current
    (a past group not archived yet stays there, marked ended)."""
    cohorts = db.scalars(
        select(Cohort)
        .where(Cohort.practice.is_(False))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    found = Listing()
    for cohort in cohorts:
        if cohort.archived_at is not None:
            found.archived.append(Listed(cohort))
        elif cohort.starts_on > today:
            found.upcoming.insert(0, Listed(cohort))  # the soonest first
        else:
            ended = cohort.ends_on is not None and cohort.ends_on < today
            found.current.append(Listed(cohort, ended))
    return found


def real_cohort(db: Session, cohort_id: int) -> Cohort | None:
    """The real group with this id; a practice group is not the coordinator's to edit."""
    cohort = db.get(Cohort, cohort_id)
    return cohort if cohort is not None and not cohort.practice else None
