"""The programme's figures over a year: groups, enrolled, completed, rate, referrals.

A year's groups are the real (not practice) cohorts starting that year; archived ones
still count. Plain Python: the script and the completion threshold are the caller's,
or the running app's and the organisation's when left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Cohort
from app.organisation import settings
from app.outcomes import completion
from app.outcomes.completion import CohortCompletion
from app.outcomes.referrals import count_referrals
from app.outcomes.self_assessment import SelfAssessmentFigures, group_figures
from app.workshops import Script


@dataclass(frozen=True)
class CohortFigures:
    cohort: Cohort
    completion: CohortCompletion


@dataclass(frozen=True)
class YearFigures:
    year: int
    cohorts: int
    enrolled: int
    completed: int
    rate: int | None
    referrals: dict[str, int]
    in_progress: bool = False  # a group of the year has not finished its cycle


def cohorts_of_year(db: Session, year: int, among: Sequence[int] | None = None) -> list[Cohort]:
    """The real cohorts starting in `year`, by start date (only `among` these ids if given)."""
    query = (
        select(Cohort)
        .where(
            Cohort.practice.is_(False),
            Cohort.starts_on >= date(year, 1, 1),
            Cohort.starts_on < date(year + 1, 1, 1),
        )
        .order_by(Cohort.starts_on, Cohort.id)
    )
    if among is not None:
        query = query.where(Cohort.id.in_(list(among)))
    return list(db.scalars(query))


def _script() -> Script:
    from app.script_access import current_script  # the running app's: only when not given

    return current_script()


def cohort_figures(
    db: Session,
    cohorts: Sequence[Cohort],
    script: Script | None = None,
    threshold: int | None = None,
    today: date | None = None,
) -> list[CohortFigures]:
    """Each cohort's completion, in the order given."""
    script = script or _script()
    threshold = threshold if threshold is not None else settings(db).completion_meetings
    return [
        CohortFigures(c, completion.cohort_completion(db, c.id, script, threshold, today))
        for c in cohorts
    ]


def add_up(year: int, rows: Sequence[CohortFigures], referrals: dict[str, int]) -> YearFigures:
    """The year's totals from its cohorts' figures."""
    enrolled = sum(row.completion.enrolled for row in rows)
    completed = sum(row.completion.completed for row in rows)
    return YearFigures(
        year,
        len(rows),
        enrolled,
        completed,
        completion.rate(completed, enrolled),
        referrals,
        any(row.completion.in_progress for row in rows),
    )


def year_figures(
    db: Session,
    year: int,
    script: Script | None = None,
    threshold: int | None = None,
    today: date | None = None,
) -> YearFigures:
    """The year's figures over every real cohort of the organisation starting that year."""
    cohorts = cohorts_of_year(db, year)
    rows = cohort_figures(db, cohorts, script, threshold, today)
    return add_up(year, rows, count_referrals(db, [c.id for c in cohorts]))


def self_assessment_figures(
    db: Session, cohort_ids: Sequence[int], labels: Mapping[str, str]
) -> SelfAssessmentFigures | None:
    """The groups' before and after, the questions in `labels`' words; None when too few
    answered, or nobody could (no group)."""
    if not cohort_ids:
        return None
    return group_figures(db, list(cohort_ids), labels=labels)
