"""Attendance per meeting: who was there, for each meeting of the cycle already held.

Plain Python over the database: a workshop was held when a real (not rehearsal) live
session of it exists, and its attendance is the fold of that session's log; the
preparatory meeting, a one-to-one interview, was attended by whoever had theirs. A
tutor's correction made afterwards wins over both (the latest one for a person and a
meeting), and a meeting someone was marked present at afterwards was held.

The group counted is its enrolled people: those let in, and the anonymous stand-ins of
people who had their data deleted. Stand-ins count in every total; they are never a
row with a name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live.events import EventType
from app.models import (
    AttendanceCorrection,
    EventContent,
    Interview,
    LiveSession,
    Membership,
    MembershipStatus,
    Participant,
    SessionEvent,
)
from app.workshops import Script

ENROLLED = (MembershipStatus.ADMITTED.value, MembershipStatus.ERASED.value)


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
    corrected: tuple[bool, ...] = ()  # per meeting: a tutor corrected it afterwards


@dataclass(frozen=True)
class AttendanceTable:
    meetings: tuple[MeetingColumn, ...]
    rows: tuple[AttendanceRow, ...]
    # Per meeting: how many of the enrolled were there (stand-ins included), None if
    # not held; and how many are enrolled.
    totals: tuple[int | None, ...] = ()
    enrolled: int = 0


@dataclass(frozen=True)
class Presence:
    """Who is enrolled and who attended what, after merges and corrections."""

    enrolled: frozenset[int]  # stand-ins included
    listed: Mapping[int, str]  # those shown by name: admitted, not stand-ins
    present: Mapping[str, frozenset[int]]  # meeting held -> enrolled people there
    corrected: frozenset[tuple[int, str]]  # (participant, meeting) corrected afterwards
    # The meetings a completion counts: the cycle's, not an optional one (the recruiters'
    # workshop), whose presence is shown but never needed.
    counted: frozenset[str] = frozenset()

    def attended(self, participant_id: int) -> int:
        return sum(
            participant_id in there for slug, there in self.present.items() if slug in self.counted
        )


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


def _present_live(
    db: Session, cohort_id: int, script: Script, merged: Mapping[int, int]
) -> dict[str, set[int]]:
    """For each meeting held, the participants (after merges) who were there.

    Read from the log's attendance marks alone, not by folding each session: a year's
    report (or the coordinator's home) must not hold the live rooms' event loop while
    it folds every board of every group. The marks were checked when they were stored,
    and the people merged since are followed through `merged`."""
    present: dict[str, set[int]] = {}
    sessions = dict(
        db.execute(
            select(LiveSession.id, LiveSession.meeting_slug).where(
                LiveSession.cohort_id == cohort_id, LiveSession.is_rehearsal.is_(False)
            )
        ).all()
    )
    for slug in sessions.values():
        if slug in script.meetings:
            present.setdefault(slug, set())
    marks = db.execute(
        select(SessionEvent.session_id, EventContent.body)
        .join(EventContent, EventContent.id == SessionEvent.content_id)
        .where(
            SessionEvent.session_id.in_(list(sessions)),
            SessionEvent.type == EventType.ATTENDANCE_MARKED.value,
        )
        .order_by(SessionEvent.session_id, SessionEvent.seq)
    )
    for session_id, body in marks:
        slug = sessions[session_id]
        who = body.get("participant_id") if isinstance(body, dict) else None
        if slug not in present or not isinstance(who, int):
            continue
        if body.get("present"):
            present[slug].add(_resolve(merged, who))
        else:
            present[slug].discard(_resolve(merged, who))
    interviews = db.execute(
        select(Interview.meeting_slug, Interview.participant_id).where(
            Interview.cohort_id == cohort_id
        )
    )
    for slug, participant_id in interviews:
        if slug in script.meetings and script.reference(slug).is_interview:
            present.setdefault(slug, set()).add(_resolve(merged, participant_id))
    return present


def correctable(script: Script, slug: str, held: Mapping[str, object]) -> bool:
    """Whether a tutor may correct a meeting's attendance: only one held (run in the
    room, or for the preparatory meeting, at least one interview noted). A meeting
    still to come is not offered: one person marked there would mark the whole group
    absent from it."""
    return slug in script.meetings and slug in held


def _apply_corrections(
    db: Session,
    cohort_id: int,
    script: Script,
    merged: Mapping[int, int],
    present: dict[str, set[int]],
) -> frozenset[tuple[int, str]]:
    """Put the tutors' corrections over live presence, the latest for a person and a
    meeting winning; return which (person, meeting) were corrected. Only a "present"
    holds a meeting the room did not record (one run without the app): an "absent",
    or a "present" taken back, never leaves a meeting held by nobody."""
    latest: dict[tuple[int, str], bool] = {}
    rows = db.execute(
        select(
            AttendanceCorrection.participant_id,
            AttendanceCorrection.meeting_slug,
            AttendanceCorrection.present,
        )
        .where(AttendanceCorrection.cohort_id == cohort_id)
        .order_by(AttendanceCorrection.corrected_at, AttendanceCorrection.id)
    )
    for participant_id, slug, was_there in rows:
        if slug in script.meetings:
            latest[_resolve(merged, participant_id), slug] = was_there
    for (participant_id, slug), was_there in latest.items():
        if was_there:
            present.setdefault(slug, set()).add(participant_id)
        elif slug in present:
            present[slug].discard(participant_id)
    return frozenset(latest)


def presence(db: Session, cohort_id: int, script: Script) -> Presence:
    """The cohort's enrolled people and who of them attended each meeting held."""
    merged = _identities(db, cohort_id)
    present = _present_live(db, cohort_id, script, merged)
    corrected = _apply_corrections(db, cohort_id, script, merged, present)
    members = db.execute(
        select(Participant.id, Participant.display_name, Membership.status)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(
            Membership.cohort_id == cohort_id,
            Membership.status.in_(ENROLLED),
            Participant.merged_into_id.is_(None),
        )
    ).all()
    enrolled = frozenset(pid for pid, _name, _status in members)
    listed = {
        pid: name for pid, name, status in members if status == MembershipStatus.ADMITTED.value
    }
    held = {slug: frozenset(there & enrolled) for slug, there in present.items()}
    return Presence(enrolled, listed, held, corrected, frozenset(script.cycle_slugs()))


def attendance(db: Session, cohort_id: int, script: Script, locale: str) -> AttendanceTable:
    """The cohort's admitted participants against the cycle's meetings, in order, with
    each meeting's total of the enrolled (stand-ins of deleted people included)."""
    found = presence(db, cohort_id, script)
    columns = []
    for slug in script.slugs():
        meeting = script.meeting(slug, locale)
        columns.append(
            MeetingColumn(
                slug,
                meeting.number,
                meeting.title,
                short_title(meeting.title),
                slug in found.present,
            )
        )
    held = sum(column.held for column in columns if column.slug in found.counted)
    rows = []
    for pid, name in sorted(found.listed.items(), key=lambda row: (row[1].lower(), row[0])):
        marks = tuple(pid in found.present[c.slug] if c.held else None for c in columns)
        corrected = tuple((pid, c.slug) in found.corrected for c in columns)
        rows.append(AttendanceRow(pid, name, marks, found.attended(pid), held, corrected))
    totals = tuple(len(found.present[c.slug]) if c.held else None for c in columns)
    return AttendanceTable(tuple(columns), tuple(rows), totals, len(found.enrolled))
