"""How people heard of Migrapass: the preparatory interview's answer, counted.

The seeds' first sign of success is former participants bringing their friends. Each
enrolled person (stand-ins of deleted people included: their interview keeps only this
answer) counts once per group, under the source noted at their interview, or
"not_asked". Plain Python.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.attendance import ENROLLED
from app.interviews import REFERRALS
from app.models import Interview, Membership, Participant

NOT_ASKED = "not_asked"
SOURCES: tuple[str, ...] = (*REFERRALS, NOT_ASKED)


def count_referrals(db: Session, cohort_ids: Sequence[int]) -> dict[str, int]:
    """Per source, in SOURCES order, how many of those enrolled in these cohorts."""
    counts = dict.fromkeys(SOURCES, 0)
    if not cohort_ids:
        return counts
    enrolled = db.execute(
        select(Membership.cohort_id, Membership.participant_id)
        .join(Participant, Participant.id == Membership.participant_id)
        .where(
            Membership.cohort_id.in_(list(cohort_ids)),
            Membership.status.in_(ENROLLED),
            Participant.merged_into_id.is_(None),
        )
    ).all()
    answers: dict[tuple[int, int], str] = {}
    interviews = db.execute(
        select(Interview.cohort_id, Interview.participant_id, Interview.answers)
        .where(Interview.cohort_id.in_(list(cohort_ids)))
        .order_by(Interview.id)
    )
    for cohort_id, participant_id, given in interviews:
        source = ((given or {}).get("referral") or {}).get("source") or ""
        if source in counts:
            answers[cohort_id, participant_id] = source  # the latest noted wins
    for cohort_id, participant_id in enrolled:
        counts[answers.get((cohort_id, participant_id), NOT_ASKED)] += 1
    return counts
