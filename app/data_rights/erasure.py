"""Deleting a person: everything about them goes, and the programme's counts stay.

The person (under every name merged into them) is replaced by an anonymous stand-in per
identity: a participant row with no name, phone, consent or text, whose membership
(status ERASED) keeps the group's enrolled count, whose preparatory interview keeps only
how they heard of the programme, and who takes their place in every session's log. The
log keeps its shape (every event, its seq and its type), so boards and replays fold as
before; what the person wrote is replaced by REMOVED with the same mechanism as a
tutor's removal from replays (app.replay.redaction), and their names are taken out of
what others wrote in their groups (notes, cards, annotations).

Plain functions over the database; the caller commits, then calls `after_commit` (the
sockets and the database file are not touched inside the transaction).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app import audit
from app.data_rights.traces import (
    CARD_EVENTS,
    name_remover,
    rename_around,
    rename_in_groups,
    renamed_body,
    retold_copies,
    words_in,
)
from app.live import store
from app.live.events import EventType
from app.models import (
    AttendanceCorrection,
    Cohort,
    DeviceLink,
    EventContent,
    Interview,
    LiveSession,
    Membership,
    MembershipStatus,
    Participant,
    SessionEvent,
)
from app.models.base import utcnow
from app.offload import off_the_loop
from app.participants.operations import identities
from app.renaming import Renamer
from app.replay import recordings
from app.replay.redaction import forget_keyframes, removed_body
from app.session_status import SessionStatus
from app.vocabulary import REMOVED

# Payload keys that name a participant by id (app.live.events gives each type's payload).
PERSON_KEYS = ("participant_id", "absorbed", "kept", "on_behalf_of")
# Events of others whose words may name the person: cards, notes, clusters, reasons.
RENAMED_EVENTS = {
    *CARD_EVENTS,
    EventType.NOTE_TAKEN.value,
    EventType.CLUSTER_CREATED.value,
    EventType.CLUSTER_RENAMED.value,
    EventType.CARD_HIDDEN.value,
}
STAND_IN_LOCALE = "fr"


@dataclass(frozen=True)
class Erased:
    """What a deletion did, in counts only: it is shown, audited and logged."""

    identities: int
    cohort_ids: tuple[int, ...]
    sessions: int  # logs rewritten
    contributions: int  # events whose words were removed
    phones: tuple[int, ...]  # device links ended: their sockets close after the commit
    people: frozenset[int] = frozenset()  # the ids deleted (their PDFs in memory go too)
    changed: tuple[int, ...] = ()  # sessions whose logs changed
    open_sessions: tuple[int, ...] = ()  # of those, running now: their screens resync


class Origin(StrEnum):
    """Who asked for a deletion, as the audit says it."""

    PERSON = "person"  # from their phone
    COORDINATOR = "coordinator"  # on a request made in person
    RETENTION = "retention"  # their keeping time was over


def erase(db: Session, person: Participant, *, by: int | None, origin: Origin) -> Erased:
    """Delete `person` and every identity merged into them; record it in the audit,
    without their name. `by` is the coordinator (None for the person or the retention
    job). Flushes; the caller commits, then calls `after_commit(db, erased)` and tells the
    sockets (`app.sockets.emitter.person_erased`)."""
    ids = identities(db, person)
    people = {p.id: p for p in db.scalars(select(Participant).where(Participant.id.in_(ids)))}
    names = [p.display_name for p in people.values()]
    cohort_ids = tuple(
        sorted(
            set(db.scalars(select(Membership.cohort_id).where(Membership.participant_id.in_(ids))))
        )
    )
    # Their phones' links go with them (the sockets close after the commit).
    ended = list(
        db.scalars(
            select(DeviceLink.id).where(
                DeviceLink.participant_id.in_(ids), DeviceLink.ended_at.is_(None)
            )
        )
    )
    stand_in = _stand_ins(db, people)
    _move_memberships(db, stand_in)
    _keep_referrals(db, stand_in)
    db.execute(
        update(AttendanceCorrection)
        .where(AttendanceCorrection.participant_id.in_(ids))
        .values(reason=None)
    )
    for old, new in stand_in.items():
        db.execute(
            update(AttendanceCorrection)
            .where(AttendanceCorrection.participant_id == old)
            .values(participant_id=new)
        )
    remover = name_remover(names)
    sessions, removed = _rewrite_logs(db, stand_in, cohort_ids, remover)
    rename_in_groups(db, cohort_ids, remover, names)
    db.execute(delete(Participant).where(Participant.id.in_(ids)))
    audit.record(
        db,
        audit.AuditAction.PARTICIPANT_DELETED,
        by=by,
        cohort_id=cohort_ids[0] if len(cohort_ids) == 1 else None,
        detail={
            "origin": origin.value,
            "groups": len(cohort_ids),
            "sessions": len(sessions),
            "contributions": removed,
        },
    )
    db.flush()
    running = db.scalars(
        select(LiveSession.id).where(
            LiveSession.id.in_(sessions), LiveSession.status == SessionStatus.OPEN
        )
    )
    return Erased(
        len(ids),
        cohort_ids,
        len(sessions),
        removed,
        tuple(ended),
        frozenset(ids),
        tuple(sorted(sessions)),
        tuple(running),
    )


def after_commit(db: Session, erased: Erased) -> bool:
    """Once the deletion is committed, leave no copy of it in this process nor in the
    database file (SQLite: the write-ahead log is folded into the file and emptied;
    `secure_delete` already zeroed the freed space). False if the log could not be
    emptied yet (readers held it): the next checkpoint does it."""
    # A request between the rewrite and its commit may have cached the old state again.
    forget_keyframes_cached(db, erased.changed)
    return wipe_free_space(db)


def forget_keyframes_cached(db: Session, session_ids: Iterable[int]) -> None:
    """Drop this process's folded states and recordings of these sessions."""
    store.forget(db, session_ids)
    recordings.forget(db, session_ids)


CHECKPOINT_TRIES = 5
CHECKPOINT_PAUSE_S = 0.2


def wipe_free_space(db: Session) -> bool:
    """SQLite keeps old pages in its write-ahead log until a checkpoint: fold it into the
    file and truncate it; readers of the live rooms may hold it for a moment, so it is
    tried again a few times. Waits on a native thread (the busy timeout must not hold
    the event loop). PostgreSQL keeps dead rows until VACUUM (see the README)."""
    engine = db.get_bind()
    if engine.dialect.name != "sqlite":
        return True

    def checkpoint() -> bool:
        for attempt in range(CHECKPOINT_TRIES):
            with engine.connect() as connection:
                busy, *_pages = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
            if not busy:
                return True
            time.sleep(CHECKPOINT_PAUSE_S * (attempt + 1))
        return False

    return off_the_loop(checkpoint)


def _stand_ins(db: Session, people: Mapping[int, Participant]) -> dict[int, int]:
    """One anonymous row per identity: old id -> stand-in id, merges kept between them."""
    now = utcnow()
    made = {
        pid: Participant(display_name=REMOVED, locale=STAND_IN_LOCALE, erased_at=now)
        for pid in people
    }
    db.add_all(made.values())
    db.flush()
    for pid, person in people.items():
        if person.merged_into_id in made:
            made[pid].merged_into_id = made[person.merged_into_id].id
    db.execute(update(Participant).where(Participant.id.in_(people)).values(merged_into_id=None))
    db.flush()
    return {pid: row.id for pid, row in made.items()}


def _move_memberships(db: Session, stand_in: Mapping[int, int]) -> None:
    """The stand-in keeps the place (and its dates) in each group the person was let in
    to; a request never answered leaves nothing."""
    rows = db.scalars(select(Membership).where(Membership.participant_id.in_(stand_in)))
    for member in list(rows):
        if member.status != MembershipStatus.PENDING:
            status = (
                MembershipStatus.MERGED
                if member.status == MembershipStatus.MERGED
                else MembershipStatus.ERASED
            )
            db.add(
                Membership(
                    cohort_id=member.cohort_id,
                    participant_id=stand_in[member.participant_id],
                    status=status.value,
                    requested_at=member.requested_at,
                    admitted_at=member.admitted_at,
                )
            )
        db.delete(member)
    db.flush()


def _keep_referrals(db: Session, stand_in: Mapping[int, int]) -> None:
    """A preparatory interview keeps only how the person heard of the programme (counted
    for the funders) and that it was held (attendance); the rest goes."""
    for interview in list(
        db.scalars(select(Interview).where(Interview.participant_id.in_(stand_in)))
    ):
        source = (interview.answers or {}).get("referral", {}).get("source") or ""
        db.add(
            Interview(
                cohort_id=interview.cohort_id,
                participant_id=stand_in[interview.participant_id],
                script_version_id=interview.script_version_id,
                meeting_slug=interview.meeting_slug,
                held_at=interview.held_at,
                updated_at=interview.held_at,
                answers={"referral": {"source": source}} if source else {},
            )
        )
        db.delete(interview)
    db.flush()


def _rewrite_logs(
    db: Session, stand_in: Mapping[int, int], cohort_ids: tuple[int, ...], names: Renamer
) -> tuple[set[int], int]:
    """Put the stand-ins in the person's place in every log, remove the words of what they
    wrote, and their names from what others wrote in their groups. Returns the sessions
    changed and how many of the person's events lost their words."""
    ids = set(stand_in)
    sessions = set(
        db.scalars(select(LiveSession.id).where(LiveSession.cohort_id.in_(cohort_ids)))
    ) | set(
        db.scalars(
            select(SessionEvent.session_id).where(SessionEvent.actor_participant_id.in_(ids))
        )
    )
    changed: set[int] = set()
    removed = 0
    rows = db.execute(
        select(SessionEvent, EventContent)
        .outerjoin(EventContent, EventContent.id == SessionEvent.content_id)
        .where(SessionEvent.session_id.in_(sessions))
        .order_by(SessionEvent.session_id, SessionEvent.seq)
    ).all()
    theirs: dict[int, set[int]] = {}  # session -> seqs of the cards the person wrote
    boards: dict[tuple[int, int], str] = {}  # (session, card seq) -> its board
    copied_words: set[str] = set()
    for event, content in rows:
        body: dict[str, Any] = dict(content.body) if content is not None else {}
        mine = event.actor_participant_id in ids
        if event.type == EventType.CARD_POSTED.value:
            boards[(event.session_id, event.seq)] = str(body.get("board", ""))
            if mine or body.get("on_behalf_of") in ids:
                theirs.setdefault(event.session_id, set()).add(event.seq)
        card = body.get("card_id")
        wrote = (
            event.type == EventType.CARD_POSTED.value
            and event.seq in theirs.get(event.session_id, set())
        ) or (
            event.type == EventType.CARD_EDITED.value
            and card in theirs.get(event.session_id, set())
        )
        new_body = {k: stand_in.get(v, v) if k in PERSON_KEYS else v for k, v in body.items()}
        if wrote and content is not None:
            copied_words |= words_in(body)
            board = boards.get((event.session_id, event.seq if card is None else card))
            new_body = removed_body(new_body, board)
            content.redacted_at = utcnow()
            removed += 1
        elif content is not None and event.type in RENAMED_EVENTS:
            board = boards.get((event.session_id, event.seq if card is None else card))
            new_body = renamed_body(new_body, board, names)
        if mine:
            event.actor_participant_id = stand_in[event.actor_participant_id]
        if content is not None and new_body != body:
            content.body = new_body
            changed.add(event.session_id)
        elif mine:
            changed.add(event.session_id)
    changed |= retold_copies(db, theirs, copied_words)
    rename_around(db, sessions, names)
    if changed:
        forget_keyframes(db, changed)
        db.execute(
            update(LiveSession)
            .where(LiveSession.id.in_(changed))
            .values(contents_version=LiveSession.contents_version + 1)
        )
    db.flush()
    return changed, removed


def cohorts_of(db: Session, participant_id: int) -> list[Cohort]:
    """The groups a person asked to join, for the confirmation page."""
    return list(
        db.scalars(
            select(Cohort)
            .join(Membership, Membership.cohort_id == Cohort.id)
            .where(Membership.participant_id == participant_id)
            .order_by(Cohort.starts_on)
        )
    )
