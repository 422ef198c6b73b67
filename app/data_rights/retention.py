"""Keeping participants' data no longer than the organisation says: N months after the
end of their group's cycle (a setting), each person is deleted as if they had asked.

A person in a later group too keeps their data until that group is due as well. Practice
groups (rehearsals) hold no real person and are left alone.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.data_rights.erasure import Erased, Origin, erase
from app.models import Cohort, Membership, Participant
from app.organisation import settings
from app.outcomes.completion import cycle_end

WARN_DAYS = 30  # the coordinator's home warns this long before a deletion


def plus_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def delete_on(cohort: Cohort, months: int) -> date:
    return plus_months(cycle_end(cohort), months)


@dataclass(frozen=True)
class RetentionDue:
    """A group whose participants' data will be deleted on `delete_on`."""

    cohort_id: int
    cohort_name: str
    delete_on: date
    people: int  # real people still held (not the anonymous stand-ins)


def _real_groups(db: Session) -> list[Cohort]:
    return list(db.scalars(select(Cohort).where(Cohort.practice.is_(False))))


def _people(db: Session, cohort_id: int) -> list[Participant]:
    return list(
        db.scalars(
            select(Participant)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(
                Membership.cohort_id == cohort_id,
                Participant.erased_at.is_(None),
                Participant.merged_into_id.is_(None),
            )
            .order_by(Participant.id)
        )
    )


def due_within(db: Session, today: date | None = None, days: int = WARN_DAYS) -> list[RetentionDue]:
    """Groups whose deletion day falls within `days` (or has passed with people left)."""
    today = today or date.today()
    months = settings(db).retention_months
    due = []
    for cohort in _real_groups(db):
        when = delete_on(cohort, months)
        if when <= today + timedelta(days=days):
            people = len(_people(db, cohort.id))
            if people:
                due.append(RetentionDue(cohort.id, cohort.name, when, people))
    return sorted(due, key=lambda d: (d.delete_on, d.cohort_id))


def expired(db: Session, today: date | None = None) -> list[Participant]:
    """The people whose every group passed its deletion day."""
    today = today or date.today()
    months = settings(db).retention_months
    groups = {cohort.id: delete_on(cohort, months) for cohort in _real_groups(db)}
    over = {cid for cid, when in groups.items() if when <= today}
    found: dict[int, Participant] = {}
    for cohort_id in sorted(over):
        for person in _people(db, cohort_id):
            theirs = set(
                db.scalars(
                    select(Membership.cohort_id).where(Membership.participant_id == person.id)
                )
            )
            if theirs <= over:
                found[person.id] = person
    return list(found.values())


def run(db: Session, today: date | None = None) -> list[Erased]:
    """Delete every expired person, one commit each (a failure keeps the others done);
    the caller calls `erasure.after_commit` for each."""
    done = []
    for person in expired(db, today):
        done.append(erase(db, person, by=None, origin=Origin.RETENTION))
        db.commit()
    if done:
        audit.record(db, audit.AuditAction.RETENTION_RUN, by=None, detail={"people": len(done)})
        db.commit()
    return done
