"""Domain verbs of a live session. Each validates, changes state and flushes;
the boundary (a view or a socket handler) commits once and then emits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import codes
from app.live.errors import IllegalMove
from app.live.events import Actor, ActorKind, EventType
from app.live.group_rules import adopted_texts, earlier_rules
from app.live.store import Appended, append, find_by_client_id, load_state
from app.models import (
    Cohort,
    Consent,
    LiveSession,
    Membership,
    MembershipStatus,
    Participant,
    ScriptVersion,
    User,
)
from app.models.base import utcnow
from app.participants.operations import beyond_the_wall, forget_strangers, membership
from app.session_status import SessionStatus
from app.vocabulary.boards import BOARDS
from app.workshops import Script

MAX_AT_THE_DOOR = 40  # people waiting to be let in at once: a room, with room to spare


def staff(user: User) -> Actor:
    return Actor(ActorKind.STAFF, user.id)


def participant_actor(participant: Participant) -> Actor:
    return Actor(ActorKind.PARTICIPANT, participant.id)


def pin_script_version(db: Session, script: Script, slug: str) -> ScriptVersion:
    """Return the stored copy of this meeting's script text, storing it the first time."""
    digest = script.digest(slug)
    version = db.scalar(select(ScriptVersion).where(ScriptVersion.digest == digest))
    if version is None:
        version = ScriptVersion(meeting_slug=slug, digest=digest, sources=script.sources(slug))
        db.add(version)
        db.flush()
    return version


def open_session_of(db: Session, cohort: Cohort, *, rehearsal: bool = False) -> LiveSession | None:
    return db.scalar(
        select(LiveSession).where(
            LiveSession.cohort_id == cohort.id,
            LiveSession.status == SessionStatus.OPEN,
            LiveSession.is_rehearsal.is_(rehearsal),
        )
    )


def start_session(
    db: Session,
    cohort: Cohort,
    script: Script,
    slug: str,
    tutor: User,
    *,
    rehearsal: bool = False,
) -> LiveSession:
    """Open a live session of one meeting for a cohort, with a fresh join code.

    A rehearsal runs beside the real sessions and never counts in attendance.
    """
    if slug not in script.meetings:
        raise IllegalMove("no_such_meeting")
    meeting = script.reference(slug)
    if meeting.is_interview:
        raise IllegalMove("meeting_is_interview")
    if open_session_of(db, cohort, rehearsal=rehearsal) is not None:
        raise IllegalMove("cohort_has_open_session")
    version = pin_script_version(db, script, slug)
    for _attempt in range(10):
        live = LiveSession(
            cohort_id=cohort.id,
            meeting_slug=slug,
            script_version_id=version.id,
            join_code=codes.new_code(),
            started_by_id=tutor.id,
            is_rehearsal=rehearsal,
        )
        try:
            with db.begin_nested():
                db.add(live)
                db.flush()
            break
        except IntegrityError:  # join code collision: draw another
            continue
    else:  # pragma: no cover - 31**6 codes make ten collisions in a row unthinkable
        raise IllegalMove("no_free_code")
    steps = [
        {
            "id": step.id,
            "board": step.board,
            "options": len(step.poll_options),
            "kind": step.kind,
            "visibility": step.visibility,
        }
        for step in meeting.steps
    ]
    append(db, live, EventType.SESSION_STARTED, staff(tutor), {"meeting": slug, "steps": steps})
    return live


def session_by_code(db: Session, code: str) -> LiveSession | None:
    return db.scalar(select(LiveSession).where(LiveSession.join_code == code))


def request_to_join(
    db: Session, live: LiveSession, participant: Participant
) -> tuple[Membership, bool]:
    """Ask to enter a cohort through its open session's code; a tutor admits newcomers.

    Returns the membership and whether this request created it.
    """
    if not live.is_open:
        raise IllegalMove("session_ended")
    existing = membership(db, live.cohort_id, participant.id)
    if existing is not None:
        return existing, False
    if live.joining_locked:
        raise IllegalMove("joining_locked")
    waiting = db.scalar(
        select(func.count(Membership.id)).where(
            Membership.cohort_id == live.cohort_id,
            Membership.status == MembershipStatus.PENDING.value,
        )
    )
    if waiting >= MAX_AT_THE_DOOR:  # a flood: the tutor turns them away, then it opens
        raise IllegalMove("door_full")
    member = Membership(cohort_id=live.cohort_id, participant_id=participant.id)
    db.add(member)
    db.flush()
    return member, True


def enrol(db: Session, cohort: Cohort, participant: Participant) -> Membership:
    """Put a participant straight into a cohort (a tutor added them in person)."""
    member = Membership(
        cohort_id=cohort.id,
        participant_id=participant.id,
        status=MembershipStatus.ADMITTED.value,
        admitted_at=utcnow(),
    )
    db.add(member)
    db.flush()
    return member


def open_session_for_participant(db: Session, participant_id: int) -> LiveSession | None:
    """The open session of a cohort the participant belongs to, if one is running."""
    return db.scalar(
        select(LiveSession)
        .join(Membership, Membership.cohort_id == LiveSession.cohort_id)
        .where(
            Membership.participant_id == participant_id,
            LiveSession.status == SessionStatus.OPEN,
            LiveSession.is_rehearsal.is_(False),
        )
        .order_by(LiveSession.started_at.desc())
        .limit(1)
    )


def admit(db: Session, live: LiveSession, participant_id: int, tutor: User) -> Appended:
    member = membership(db, live.cohort_id, participant_id)
    person = db.get(Participant, participant_id)
    if member is None or person is None or person.merged_into_id is not None:
        raise IllegalMove("no_such_participant")  # a name merged into another is gone
    if member.admitted:
        raise IllegalMove("already_admitted")
    member.status = MembershipStatus.ADMITTED.value
    member.admitted_at = utcnow()
    return append(
        db, live, EventType.PARTICIPANT_ADMITTED, staff(tutor), {"participant_id": participant_id}
    )


def admit_everyone(db: Session, live: LiveSession, tutor: User) -> list[Appended]:
    """Let in everyone waiting at the door of the session's group, in the order they
    knocked: one event each, in one transaction (the caller commits, then emits)."""
    waiting = db.scalars(
        select(Membership.participant_id)
        .join(Participant, Participant.id == Membership.participant_id)
        .where(
            Membership.cohort_id == live.cohort_id,
            Membership.status == MembershipStatus.PENDING.value,
            Participant.merged_into_id.is_(None),
        )
        .order_by(Membership.requested_at, Membership.participant_id)
    ).all()
    return [admit(db, live, participant_id, tutor) for participant_id in waiting]


def show_group_rules(
    db: Session, live: LiveSession, on: bool, tutor: User, client_id: str | None = None
) -> Appended:
    """Put the group's adopted rules on the wall, or take them off."""
    if on and not earlier_rules(db, live) and not adopted_texts(load_state(db, live.id)):
        raise IllegalMove("no_rules")
    return append(db, live, EventType.WALL_RULES, staff(tutor), {"on": on}, client_id)


@dataclass(frozen=True)
class Declined:
    """Who was turned away from the door: their ids, and the phones of those of them who
    had nothing else with the programme (their record is gone, so their phones are)."""

    participants: list[int]
    phones: list[int]


def decline(db: Session, live: LiveSession, participant_ids: list[int] | None) -> Declined:
    """Turn people away from the door of the session's group: those named, or everyone
    waiting (None). Only a request still waiting goes (a co-tutor may have let the person
    in a moment ago); those who have nothing else with the programme are forgotten."""
    waiting = [
        Membership.cohort_id == live.cohort_id,
        Membership.status == MembershipStatus.PENDING.value,
    ]
    if participant_ids is not None:
        waiting.append(Membership.participant_id.in_(participant_ids))
    gone = list(
        db.scalars(
            delete(Membership).where(*waiting).returning(Membership.participant_id),
            execution_options={"synchronize_session": False},
        )
    )
    if participant_ids is not None and len(gone) != len(set(participant_ids)):
        raise IllegalMove("no_such_participant")
    return Declined(gone, forget_strangers(db, gone))


def set_joining_locked(db: Session, live: LiveSession, locked: bool, tutor: User) -> Appended:
    kind = EventType.JOINING_LOCKED if locked else EventType.JOINING_UNLOCKED
    return append(db, live, kind, staff(tutor))


def move_step(db: Session, live: LiveSession, move: dict[str, int], tutor: User) -> Appended:
    """`move` is {"index": n} to jump, or {"delta": 1} / {"delta": -1} for next / previous."""
    return append(db, live, EventType.STEP_MOVED, staff(tutor), move)


def record(
    db: Session,
    live: LiveSession,
    kind: EventType,
    actor: Actor,
    payload: dict[str, Any] | None = None,
    client_id: str | None = None,
) -> Appended:
    """Append one move whose checks are all the engine's (board controls, votes, timer…)."""
    return append(db, live, kind, actor, payload, client_id)


def admitted_member(db: Session, live: LiveSession, participant_id: int) -> Membership:
    member = membership(db, live.cohort_id, participant_id)
    if member is None or not member.admitted:
        raise IllegalMove("no_such_participant")
    return member


def post_card(
    db: Session,
    live: LiveSession,
    actor: Actor,
    board: str,
    fields: dict[str, Any],
    client_id: str | None,
    on_behalf_of: int | None = None,
) -> Appended:
    """A card on the open board: a participant's own, or typed by a tutor for one.

    On an authorless board (the programme's anonymous feedback) the sender must be a
    participant let in and counted in the room; once checked, their name is kept out of
    the log: the event is stored with no actor, its payload names nobody."""
    payload: dict[str, Any] = {"board": board, "fields": fields}
    if on_behalf_of is not None:
        admitted_member(db, live, on_behalf_of)
        payload["on_behalf_of"] = on_behalf_of
    if board in BOARDS and BOARDS[board].authorless:
        if actor.kind is not ActorKind.PARTICIPANT or on_behalf_of is not None:
            raise IllegalMove("not_allowed")  # nobody answers for someone else here
        # A resend of an answer already stored is acknowledged as stored (by `append`),
        # even if its sender has left the room since.
        if client_id is None or find_by_client_id(db, live.id, client_id) is None:
            admitted_member(db, live, actor.id)
            state = load_state(db, live.id)
            if state.identity(actor.id) not in state.present:
                raise IllegalMove("not_present")
        return append(db, live, EventType.CARD_POSTED, None, payload, client_id)
    return append(db, live, EventType.CARD_POSTED, actor, payload, client_id)


def mark_attendance(
    db: Session, live: LiveSession, participant_id: int, present: bool, actor: Actor
) -> Appended:
    admitted_member(db, live, participant_id)
    return append(
        db,
        live,
        EventType.ATTENDANCE_MARKED,
        actor,
        {"participant_id": participant_id, "present": present},
    )


def arrive(db: Session, live: LiveSession, participant: Participant) -> Appended | None:
    """A phone entered the room: count its owner present, once.

    A second phone of the same person arriving at the same moment is refused by the
    engine ("no_change"), after the log's counter was taken: the boundary rolls back."""
    if not live.is_open or participant.id in load_state(db, live.id).present:
        return None
    return mark_attendance(db, live, participant.id, True, participant_actor(participant))


def merge_participants(
    db: Session,
    cohort: Cohort,
    absorbed_id: int,
    kept_id: int,
    tutor: User,
    *,
    across_cohorts: bool = False,
) -> Appended | None:
    """Fold a second identity of the same person into the first, everywhere.

    Both names must be let in to this group: someone only knocking at its door is not
    the group's to act on. A merge moves a person's data wherever they are, so if either
    name is also in another group it needs `across_cohorts` (the coordinator's right).
    The absorbed participant's phone keeps working: it now speaks as the kept one. The
    log is not rewritten; the open session, if any, records the merge as an event, and
    readers of past sessions follow `merged_into_id`.
    """
    if absorbed_id == kept_id:
        raise IllegalMove("cannot_merge")
    absorbed = db.get(Participant, absorbed_id)
    kept = db.get(Participant, kept_id)
    if absorbed is None or kept is None:
        raise IllegalMove("no_such_participant")
    for person in (absorbed, kept):
        if refused := beyond_the_wall(db, cohort.id, person, across_cohorts=across_cohorts):
            raise IllegalMove(refused)
    absorbed_member = membership(db, cohort.id, absorbed_id)
    if absorbed_member is None:  # not let in here: beyond_the_wall refuses them first
        raise IllegalMove("no_such_participant")
    absorbed.merged_into_id = kept.id
    absorbed_member.status = MembershipStatus.MERGED.value
    if not kept.consents:  # answers given under the other name still stand
        db.execute(
            update(Consent)
            .where(Consent.participant_id == absorbed.id)
            .values(participant_id=kept.id)
        )
    db.flush()
    live = open_session_of(db, cohort)
    if live is None:
        return None
    return append(
        db,
        live,
        EventType.PARTICIPANTS_MERGED,
        staff(tutor),
        {"absorbed": absorbed.id, "kept": kept.id},
    )


def end_session(db: Session, live: LiveSession, tutor: User) -> Appended:
    return append(db, live, EventType.SESSION_ENDED, staff(tutor))
