"""The audit trail: who opened or took whose data, and who deleted whom.

Plain functions over the database (no Flask): the pages call `record` in the same
transaction as what they record, so an export that failed leaves no entry and an entry
never outlives a rollback. An entry names the member of staff and the participant by id
only; its detail never holds a name (a deleted person's entry must not keep theirs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry


class AuditAction(StrEnum):
    PORTFOLIO_OPENED = "portfolio.opened"  # staff read what the person shared
    CV_OPENED = "cv.opened"
    INTERVIEW_OPENED = "interview.opened"
    CLOSING_OPENED = "closing.opened"  # the closing interview, with the action plan
    DATA_EXPORTED = "data.exported"  # the machine-readable export of everything
    PDF_EXPORTED = "pdf.exported"  # the portfolio or CV as a PDF
    PARTICIPANT_DELETED = "participant.deleted"
    ATTENDANCE_CORRECTED = "attendance.corrected"
    FUNDERS_EXPORTED = "funders.exported"  # anonymous figures, no person
    RETENTION_RUN = "retention.run"


def record(
    db: Session,
    action: AuditAction,
    *,
    by: int | None,
    participant_id: int | None = None,
    cohort_id: int | None = None,
    detail: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Add an entry; the caller commits it with what it records. `by` is the member of
    staff, None when the participant acted on their own data (or the retention job)."""
    entry = AuditEntry(
        action=action.value,
        actor_user_id=by,
        participant_id=participant_id,
        cohort_id=cohort_id,
        detail=dict(detail or {}),
    )
    db.add(entry)
    db.flush()
    return entry


def latest(db: Session, limit: int = 200, before_id: int | None = None) -> list[AuditEntry]:
    """The newest entries first, for the coordinator; `before_id` pages further back."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(db.scalars(query))


def about(db: Session, participant_ids: Iterable[int]) -> list[AuditEntry]:
    """The entries about one person's data (under every name merged into them), newest
    first: what they may read."""
    return list(
        db.scalars(
            select(AuditEntry)
            .where(AuditEntry.participant_id.in_(list(participant_ids)))
            .order_by(AuditEntry.id.desc())
        )
    )
