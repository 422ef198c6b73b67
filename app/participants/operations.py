"""Creating participants and linking phones to them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import codes, texts
from app.models import (
    Cohort,
    DeviceLink,
    Membership,
    MembershipStatus,
    Participant,
    PortfolioEvent,
    RejoinCode,
    User,
)
from app.models.base import utcnow
from app.permissions import Role
from app.refusals import Refused

MAX_NAME = 60
REJOIN_CODE_LIFETIME = timedelta(hours=24)


class InvalidInput(Refused, ValueError):
    """Input a person can fix; `code` is stable, for translation and tests."""


def clean_name(raw: str) -> str:
    """A first name or pseudonym as the group will read it: NFC, no invisible characters,
    at least one letter, at most MAX_NAME characters as a person counts them."""
    name = texts.clean_line(raw)
    if not name:
        raise InvalidInput("name_required")
    if not texts.has_letter(name):
        raise InvalidInput("name_without_letters")
    if texts.too_long(name, MAX_NAME):
        raise InvalidInput("name_too_long")
    return name


def create_participant(db: Session, name: str, locale: str) -> Participant:
    participant = Participant(display_name=clean_name(name), locale=locale)
    db.add(participant)
    db.flush()
    return participant


def membership(db: Session, cohort_id: int, participant_id: int) -> Membership | None:
    return db.scalar(
        select(Membership).where(
            Membership.cohort_id == cohort_id, Membership.participant_id == participant_id
        )
    )


def beyond_the_wall(
    db: Session, cohort_id: int, participant: Participant, *, across_cohorts: bool
) -> str | None:
    """Why staff of a cohort may not act on this person, as an error code, or None.

    Staff act on a person only through a membership of the cohort where the person was
    let in: someone only knocking at its door is not the cohort's. A person let in to
    another group too is the coordinator's (`across_cohorts`) to rename, merge, re-link
    or change consent for: those reach the other group's data as well.
    """
    member = membership(db, cohort_id, participant.id)
    if member is None or not member.admitted or participant.merged_into_id is not None:
        return "no_such_participant"
    if not across_cohorts and other_cohorts(db, identities(db, participant), cohort_id):
        return "in_another_group"
    return None


def tutors_to_name(cohort: Cohort) -> list[User]:
    """The group's tutors a person may have as their named tutor: its tutors and any
    coordinator assigned to it, with an active account; never a trainee, who does not
    read portfolios."""
    return sorted(
        (
            user
            for user in cohort.tutors
            if user.is_active_account and Role(user.role) is not Role.TRAINEE
        ),
        key=lambda user: (user.display_name.lower(), user.id),
    )


def named_tutor(db: Session, participant: Participant, cohort: Cohort) -> User | None:
    """The person's named tutor in this group, while that tutor still tutors it."""
    member = membership(db, cohort.id, participant.id)
    if member is None or not member.admitted or member.tutor is None:
        return None
    return member.tutor if member.tutor in tutors_to_name(cohort) else None


def named_tutors(cohort: Cohort) -> dict[int, User]:
    """Each admitted member's named tutor in this group, by participant id, by the rule
    of `named_tutor` (one read of the group's members, for its page and its console)."""
    may = set(tutors_to_name(cohort))
    return {
        member.participant_id: member.tutor
        for member in cohort.memberships
        if member.admitted and member.tutor is not None and member.tutor in may
    }


def tutors_of(db: Session, participant: Participant) -> list[tuple[Cohort, User]]:
    """The person's named tutor in each current group of theirs (not archived)."""
    found = []
    for member in participant.memberships:
        cohort = member.cohort
        if cohort.archived_at is not None or cohort.practice:
            continue
        tutor = named_tutor(db, participant, cohort)
        if tutor is not None:
            found.append((cohort, tutor))
    return found


def name_tutor(
    db: Session, cohort: Cohort, participant_id: int, tutor_id: int | None
) -> Membership:
    """Make one of the group's tutors (None: nobody) this member's named tutor.

    A per-group link, so a person in two groups has one in each: no other group's data
    is reached, and this group's tutors may set it for anyone let in here.
    """
    member = membership(db, cohort.id, participant_id)
    if member is None or not member.admitted:
        raise InvalidInput("no_such_participant")
    if tutor_id is not None and tutor_id not in {user.id for user in tutors_to_name(cohort)}:
        raise InvalidInput("not_a_tutor_here")
    member.tutor_id = tutor_id
    db.flush()
    return member


def drop_named_tutors(db: Session, cohort: Cohort, tutor_ids: set[int]) -> None:
    """Tutors taken off a group stop being anyone's named tutor there."""
    if not tutor_ids:
        return
    for member in cohort.memberships:
        if member.tutor_id in tutor_ids:
            member.tutor_id = None
    db.flush()


def issue_rejoin_code(
    db: Session,
    cohort_id: int,
    participant_id: int,
    tutor_id: int,
    *,
    across_cohorts: bool = False,
) -> tuple[Participant, str]:
    """Create a personal code for linking a new phone; only its hash is stored.

    The code gives a phone all of the person's data: it is the cohort's to give only
    while the person is within its wall, checked here and again when it is used.
    """
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise InvalidInput("no_such_participant")
    refused = beyond_the_wall(db, cohort_id, participant, across_cohorts=across_cohorts)
    if refused:
        raise InvalidInput(refused)
    code = codes.new_code(codes.REJOIN_CODE_LENGTH)
    db.add(
        RejoinCode(
            participant_id=participant.id,
            cohort_id=cohort_id,
            code_hash=codes.digest(code),
            expires_at=utcnow() + REJOIN_CODE_LIFETIME,
            created_by_id=tutor_id,
        )
    )
    db.flush()
    return participant, code


def redeem_rejoin_code(db: Session, code: str) -> Participant:
    """Return the person a personal code now stands for, using the code up.

    The wall is checked again: a code given while the person was only this cohort's
    opens nothing once they are let in to another group (unless a coordinator gave it).
    """
    row = db.scalar(select(RejoinCode).where(RejoinCode.code_hash == codes.digest(code)))
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise InvalidInput("rejoin_code_invalid")
    participant = current_identity(db, row.participant_id)
    giver = db.get(User, row.created_by_id) if row.created_by_id is not None else None
    across = giver is not None and giver.role == Role.COORDINATOR.value
    if (
        participant is None
        or row.cohort_id is None
        or beyond_the_wall(db, row.cohort_id, participant, across_cohorts=across)
    ):
        raise InvalidInput("rejoin_code_invalid")
    row.used_at = utcnow()
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


def forget_strangers(db: Session, participant_ids: list[int]) -> list[int]:
    """Remove those of these people who have nothing else with the programme (no group,
    not even at a door, nothing written in a portfolio); return their phones' links, to
    sign out. A door flooded by a script leaves no trace."""
    keeps_something = (
        select(Membership.participant_id)
        .where(Membership.participant_id.in_(participant_ids))
        .union(
            select(PortfolioEvent.participant_id).where(
                PortfolioEvent.participant_id.in_(participant_ids)
            )
        )
    )
    strangers = set(participant_ids) - set(db.scalars(keeps_something))
    if not strangers:
        return []
    links = list(db.scalars(select(DeviceLink.id).where(DeviceLink.participant_id.in_(strangers))))
    db.execute(delete(Participant).where(Participant.id.in_(strangers)))
    db.flush()
    return links
