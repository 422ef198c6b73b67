"""Attendance per meeting: who was there, for each meeting of the cycle already held.

Plain Python over the database: a workshop was held when a real (not rehearsal) live
session of it exists, and its attendance is the fold of that session's log; the
preparatory meeting, a one-to-one interview, was attended by whoever had theirs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.store import load_state
from app.models import Interview, LiveSession, Membership, MembershipStatus, Participant
from app.workshops import Script


@dataclass(frozen=True)
class MeetingColumn:
    slug: str
    number: int | str
    title: str
    short_title: str
    held: bool


@dataclass(frozen=True)
class AttendanceRow:
    participant_id: int
    name: str
    marks: tuple[bool | None, ...]  # per meeting: present, absent, or None if not held
    attended: int
    held: int


@dataclass(frozen=True)
class AttendanceTable:
    meetings: tuple[MeetingColumn, ...]
    rows: tuple[AttendanceRow, ...]


def short_title(title: str) -> str:
    """A title short enough for a table header: before " / ", without a last "(…)"."""
    short = title.split(" / ")[0]
    if short.endswith(")") and " (" in short:
        short = short[: short.rindex(" (")]
    return short.strip() or title


def _identities(db: Session, cohort_id: int) -> Mapping[int, int]:
    """absorbed -> kept, for the merges recorded on the cohort's participants."""
    rows = db.execute(
        select(Participant.id, Participant.merged_into_id)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id, Participant.merged_into_id.is_not(None))
    )
    return {pid: kept for pid, kept in rows if kept is not None}


def _resolve(merged: Mapping[int, int], participant_id: int) -> int:
    seen: set[int] = set()
    while participant_id in merged and participant_id not in seen:
        seen.add(participant_id)
        participant_id = merged[participant_id]
    return participant_id


def _present_by_meeting(
    db: Session, cohort_id: int, script: Script, merged: Mapping[int, int]
) -> dict[str, set[int]]:
    """For each meeting held, the participants (after merges) who were there."""
    present: dict[str, set[int]] = {}
    sessions = db.scalars(
        select(LiveSession)
        .where(LiveSession.cohort_id == cohort_id, LiveSession.is_rehearsal.is_(False))
        .order_by(LiveSession.id)
    )
    for live in sessions:
        if live.meeting_slug not in script.meetings:
            continue
        state = load_state(db, live.id)
        there = present.setdefault(live.meeting_slug, set())
        there.update(_resolve(merged, state.identity(pid)) for pid in state.present)
    interviews = db.execute(
        select(Interview.meeting_slug, Interview.participant_id).where(
            Interview.cohort_id == cohort_id
        )
    )
    for slug, participant_id in interviews:
        if slug in script.meetings and script.reference(slug).is_interview:
            present.setdefault(slug, set()).add(_resolve(merged, participant_id))
    return present


def attendance(db: Session, cohort_id: int, script: Script, locale: str) -> AttendanceTable:
    """The cohort's admitted participants against the cycle's meetings, in order."""
    merged = _identities(db, cohort_id)
    present = _present_by_meeting(db, cohort_id, script, merged)
    columns = []
    for slug in script.slugs():
        meeting = script.meeting(slug, locale)
        columns.append(
            MeetingColumn(
                slug, meeting.number, meeting.title, short_title(meeting.title), slug in present
            )
        )
    members = db.execute(
        select(Participant.id, Participant.display_name)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(
            Membership.cohort_id == cohort_id,
            Membership.status == MembershipStatus.ADMITTED.value,
            Participant.merged_into_id.is_(None),
        )
    )
    held = sum(column.held for column in columns)
    rows = []
    for pid, name in sorted(members, key=lambda row: (row[1].lower(), row[0])):
        marks = tuple(pid in present[c.slug] if c.held else None for c in columns)
        rows.append(AttendanceRow(pid, name, marks, sum(m is True for m in marks), held))
    return AttendanceTable(tuple(columns), tuple(rows))
