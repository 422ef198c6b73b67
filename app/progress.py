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

    @property
    def optional(self) -> bool:
        """Outside the cycle's count: not held is not missing."""
        return self.meeting.optional


def cycle_progress(db: Session, cohort_id: int, meetings: list[Meeting]) -> list[MeetingProgress]:
    """The meetings in cycle order, each with when it was held; the first one of the cycle
    not held yet (the last one once all are) is the one the dashboard offers.

    An optional meeting (the recruiters' workshop) is listed, and can be started, but it
    is outside the cycle's count: never the one still missing, never the one offered.
    """
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
    cycle = [m for m in ordered if not m.optional]
    upcoming = [m.slug for m in cycle if m.slug not in held]
    next_slug = upcoming[0] if upcoming else (cycle[-1].slug if cycle else None)
    return [MeetingProgress(m, held.get(m.slug), m.slug == next_slug) for m in ordered]
