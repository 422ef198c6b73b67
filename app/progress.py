"""Where a group is in its cycle: the meetings it has held, and the one that comes next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LiveSession
from app.session_status import SessionStatus
from app.workshops import Meeting


@dataclass(frozen=True)
class MeetingProgress:
    meeting: Meeting
    held_on: datetime | None  # when the group last held it (rehearsals do not count)
    is_next: bool

    @property
    def done(self) -> bool:
        return self.held_on is not None


def cycle_progress(db: Session, cohort_id: int, meetings: list[Meeting]) -> list[MeetingProgress]:
    """The meetings in cycle order, each with when it was held; the first one not held yet
    (the last one once all are) is the one the dashboard offers."""
    held: dict[str, datetime] = {}
    rows = db.execute(
        select(LiveSession.meeting_slug, LiveSession.started_at).where(
            LiveSession.cohort_id == cohort_id,
            LiveSession.is_rehearsal.is_(False),
            LiveSession.status == SessionStatus.ENDED.value,
        )
    )
    for slug, started in rows:
        if slug not in held or started > held[slug]:
            held[slug] = started
    ordered = sorted(meetings, key=lambda meeting: meeting.order)
    upcoming = [m.slug for m in ordered if m.slug not in held]
    next_slug = upcoming[0] if upcoming else (ordered[-1].slug if ordered else None)
    return [MeetingProgress(m, held.get(m.slug), m.slug == next_slug) for m in ordered]
