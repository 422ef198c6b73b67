"""Creating participants and linking phones to them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live import joincode
from app.models import Membership, MembershipStatus, Participant, RejoinCode
from app.models.base import utcnow

MAX_NAME = 60
REJOIN_CODE_LIFETIME = timedelta(hours=24)


class InvalidInput(ValueError):
    """Input a person can fix; `code` is stable, for translation and tests."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name:
        raise InvalidInput("name_required")
    if len(name) > MAX_NAME:
        raise InvalidInput("name_too_long")
    return name


def create_participant(db: Session, name: str, locale: str) -> Participant:
    participant = Participant(display_name=clean_name(name), locale=locale)
    db.add(participant)
    db.flush()
    return participant


def issue_rejoin_code(
    db: Session,
    cohort_id: int,
    participant_id: int,
    tutor_id: int,
    *,
    across_cohorts: bool = False,
) -> tuple[Participant, str]:
    """Create a personal code for linking a new phone; only its hash is stored.

    The code gives a phone all of the person's data, so it is for someone let in to
    this group, and, if they are in another group too, for the coordinator to give.
    """
    member = db.scalar(
        select(Membership).where(
            Membership.cohort_id == cohort_id, Membership.participant_id == participant_id
        )
    )
    participant = db.get(Participant, participant_id)
    if member is None or not member.admitted or participant is None:
        raise InvalidInput("no_such_participant")
    if not across_cohorts and other_cohorts(db, identities(db, participant), cohort_id):
        raise InvalidInput("in_another_group")
    code = joincode.new_code(joincode.REJOIN_CODE_LENGTH)
    db.add(
        RejoinCode(
            participant_id=participant.id,
            code_hash=joincode.digest(code),
            expires_at=utcnow() + REJOIN_CODE_LIFETIME,
            created_by_id=tutor_id,
        )
    )
    db.flush()
    return participant, code


def redeem_rejoin_code(db: Session, code: str) -> Participant:
    """Return the participant a personal code belongs to, using the code up."""
    row = db.scalar(select(RejoinCode).where(RejoinCode.code_hash == joincode.digest(code)))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise InvalidInput("rejoin_code_invalid")
    row.used_at = utcnow()
    participant = db.get(Participant, row.participant_id)
    if participant is None:
        raise InvalidInput("rejoin_code_invalid")
    db.flush()
    return participant


def identities(db: Session, participant: Participant) -> set[int]:
    """Every id that now stands for this participant: theirs and those merged into it."""
    ids = {participant.id}
    frontier = [participant.id]
    while frontier:
        absorbed = db.scalars(
            select(Participant.id).where(Participant.merged_into_id.in_(frontier))
        ).all()
        frontier = [pid for pid in absorbed if pid not in ids]
        ids.update(frontier)
    return ids


def current_identity(db: Session, participant_id: int | None) -> Participant | None:
    """The participant a phone's remembered id stands for now, following merges."""
    seen: set[int] = set()
    participant = db.get(Participant, participant_id) if participant_id is not None else None
    while participant is not None and participant.merged_into_id is not None:
        if participant.id in seen:  # pragma: no cover - merges never form a loop
            break
        seen.add(participant.id)
        participant = db.get(Participant, participant.merged_into_id)
    return participant


def other_cohorts(db: Session, participant_ids: set[int], cohort_id: int) -> list[int]:
    """Groups besides `cohort_id` where these people hold data (let in there, or merged).

    A request still waiting at another group's door holds nothing there yet, so it does
    not count: any site can make a phone knock at a door (it takes a tap since).
    """
    return sorted(
        db.scalars(
            select(Membership.cohort_id)
            .where(
                Membership.participant_id.in_(participant_ids),
                Membership.cohort_id != cohort_id,
                Membership.status != MembershipStatus.PENDING.value,
            )
            .distinct()
        )
    )
