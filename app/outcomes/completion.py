"""Completion: who followed the cycle to the end, and the group's rate.

A person completed the cycle when they attended at least the organisation's number of
meetings (`OrganisationSettings.completion_meetings`, of the script's meetings; the
preparatory interview is one). The rate is completed over enrolled, as a whole percent
rounded half up: the seeds' 38 enrolled and 32 completed make 84 %. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from app.attendance import presence
from app.models import Cohort
from app.workshops import Script


@dataclass(frozen=True)
class CohortCompletion:
    enrolled: int
    completed: int
    rate: int | None  # whole percent; None with nobody enrolled
    in_progress: bool = False  # the cycle has not ended: figures so far


def rate(completed: int, enrolled: int) -> int | None:
    """Completed over enrolled as a whole percent, rounded half up (None if nobody)."""
    if enrolled <= 0:
        return None
    return (200 * completed + enrolled) // (2 * enrolled)


def cycle_end(cohort: Cohort) -> date:
    """The last day of the cohort's cycle: its end date, or its start plus its weeks."""
    if cohort.ends_on is not None:
        return cohort.ends_on
    return cohort.starts_on + timedelta(weeks=cohort.weeks or 9)


def in_progress(cohort: Cohort, today: date) -> bool:
    """Whether the cohort's cycle is still running (or not begun) on `today`."""
    return cohort.archived_at is None and cycle_end(cohort) >= today


def cohort_completion(
    db: Session, cohort_id: int, script: Script, threshold: int, today: date | None = None
) -> CohortCompletion:
    """The cohort's enrolled (stand-ins of deleted people included), how many of them
    attended at least `threshold` meetings, and the rate."""
    found = presence(db, cohort_id, script)
    completed = sum(found.attended(pid) >= threshold for pid in found.enrolled)
    enrolled = len(found.enrolled)
    cohort = db.get(Cohort, cohort_id)
    running = cohort is not None and in_progress(cohort, today or date.today())
    return CohortCompletion(enrolled, completed, rate(completed, enrolled), running)
