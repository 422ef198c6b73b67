"""Builds the `Principal` for a person and a cohort from the database, and the names a
room's screens show for the people in it."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from flask_babel import lazy_gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import texts
from app.live.views import ObservedNames, RoomNames
from app.live.wire import Roster, RosterEntry
from app.models import (
    Cohort,
    Consent,
    LiveSession,
    Membership,
    MembershipStatus,
    Participant,
    User,
    cohort_tutors,
)
from app.models.base import ms_of
from app.participants.consent import CONSENT_TEXT_VERSION, Purpose
from app.participants.operations import named_tutors
from app.permissions import Principal, Role
from app.renaming import first_names


def staff_principal(db: Session, user: User, cohort_id: int) -> Principal:
    teaches = db.scalar(
        select(cohort_tutors.c.user_id).where(
            cohort_tutors.c.user_id == user.id, cohort_tutors.c.cohort_id == cohort_id
        )
    )
    return Principal(Role(user.role), user.id, in_cohort=teaches is not None)


def session_principal(db: Session, user: User, live: LiveSession) -> Principal:
    """A staff member facing one live session: their own rehearsal is theirs to run."""
    principal = staff_principal(db, user, live.cohort_id)
    owns = live.is_rehearsal and live.started_by_id == user.id
    return replace(principal, owns_rehearsal=owns) if owns else principal


def participant_principal(db: Session, participant: Participant, cohort_id: int) -> Principal:
    admitted = db.scalar(
        select(Membership.id).where(
            Membership.cohort_id == cohort_id,
            Membership.participant_id == participant.id,
            Membership.status == MembershipStatus.ADMITTED.value,
        )
    )
    return Principal(Role.PARTICIPANT, participant.id, in_cohort=admitted is not None)


def room_names(db: Session, cohort_id: int) -> RoomNames:
    """Everyone who asked to join the cohort, for the board's views: their names, and the
    pseudonym observers see unless the person agreed to be named in replays."""
    rows = tuple(
        (pid, name)
        for pid, name in db.execute(
            select(Participant.id, Participant.display_name)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(Membership.cohort_id == cohort_id)
            .order_by(Membership.id)
        )
    )
    named = frozenset(named_in_replays(db, [pid for pid, _name in rows]))
    # Translated once here, not once per person: a pseudonym for each of forty people on
    # every post asked the catalogue forty times.
    return _names_of(rows, named, str(_("Participant %(number)s")))


# The names are read from the database on every call (any process may have renamed,
# admitted or asked someone's consent since); only what is made of them is kept, under
# everything it is made of, so a change in any of it makes them again. Telling look-alike
# names apart over the whole group on every post was most of the server's time per post.
@functools.lru_cache(maxsize=64)
def _names_of(
    rows: tuple[tuple[int, str], ...], named: frozenset[int], pseudonym: str
) -> RoomNames:
    real = dict(rows)
    observed = {
        pid: name if pid in named else pseudonym % {"number": number}
        for number, (pid, name) in enumerate(rows, start=1)
    }
    seen = texts.told_apart(observed, label_with_number)
    hidden = {
        word: seen[pid]
        for pid, name in real.items()
        if pid not in named
        for word in first_names(name)
    }
    # Shared by every caller with the same names: read-only views, so none can change
    # another's (ObservedNames is read only by the views, app/live/view_cards.py).
    return RoomNames(
        MappingProxyType(real),
        MappingProxyType(texts.told_apart(real, label_with_number)),
        ObservedNames(seen, MappingProxyType(hidden)),
    )


def agreed_to(db: Session, participant_ids: Iterable[int], purpose: Purpose) -> set[int]:
    """Those of these people whose latest answer to `purpose` (this consent text) is yes."""
    answers = db.execute(
        select(Consent.participant_id, Consent.granted)
        .where(
            Consent.participant_id.in_(list(participant_ids)),
            Consent.purpose == purpose.value,
            Consent.text_version == CONSENT_TEXT_VERSION,
        )
        .order_by(Consent.id)
    )
    latest = dict(answers.all())  # the latest answer wins
    return {pid for pid, granted in latest.items() if granted}


def named_in_replays(db: Session, participant_ids: Iterable[int]) -> set[int]:
    """Those of these people who agreed to be named in replays."""
    return agreed_to(db, participant_ids, Purpose.NAMED_IN_REPLAYS)


def cohort_names(db: Session, cohort_id: int) -> dict[int, str]:
    """Everyone who ever asked to join the cohort, by id: their names."""
    rows = db.execute(
        select(Participant.id, Participant.display_name)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id)
    )
    return dict(rows.all())


def roster(db: Session, cohort_id: int, names: Mapping[int, str]) -> Roster:
    """The consoles' door and group: who waits to be let in, who is in, by name (`names`
    as the console's audience sees them)."""
    rows = db.execute(
        select(Participant.id, Membership.status, Membership.requested_at)
        .join(Membership, Membership.participant_id == Participant.id)
        .where(Membership.cohort_id == cohort_id)
    )
    cohort = db.get(Cohort, cohort_id)
    named = named_tutors(cohort) if cohort is not None else {}
    tutors = {pid: user.display_name for pid, user in named.items()}
    people: list[RosterEntry] = sorted(
        # One turned away between the two queries is simply gone from both lists.
        (
            {
                "id": pid,
                "name": names[pid],
                "status": status,
                "since_ms": ms_of(asked),
                "tutor": tutors.get(pid),
            }
            for pid, status, asked in rows
            if pid in names
        ),
        key=lambda person: (person["name"], person["id"]),
    )
    return {
        "waiting": [p for p in people if p["status"] == MembershipStatus.PENDING],
        "members": [p for p in people if p["status"] == MembershipStatus.ADMITTED],
    }


def label_with_number(name: str, participant_id: int) -> str:
    """A name told apart from another that looks the same, in a member of staff's list
    and on the person's own phone. The same in every language: a board message is made
    once, in the language of whoever caused it, for tutors who may read another."""
    return f"{name} #{participant_id}"


def portfolio_principal(db: Session, user: User, participant: Participant) -> Principal:
    """A staff member facing a participant's portfolio: do they teach one of their groups?"""
    teaches = db.scalar(
        select(Membership.id)
        .join(cohort_tutors, cohort_tutors.c.cohort_id == Membership.cohort_id)
        .where(
            cohort_tutors.c.user_id == user.id,
            Membership.participant_id == participant.id,
            Membership.status == MembershipStatus.ADMITTED.value,
        )
        .limit(1)
    )
    return Principal(Role(user.role), user.id, in_cohort=teaches is not None)


def sessions_in_reach(db: Session, user: User, participant_ids: set[int]) -> set[int] | None:
    """The live sessions whose cards about these people `user` may read: those of groups
    the user tutors where the person was let in. None: every one (the coordinator)."""
    if Role(user.role) is Role.COORDINATOR:
        return None
    cohorts = (
        select(Membership.cohort_id)
        .join(cohort_tutors, cohort_tutors.c.cohort_id == Membership.cohort_id)
        .where(
            cohort_tutors.c.user_id == user.id,
            Membership.participant_id.in_(participant_ids),
            Membership.status != MembershipStatus.PENDING.value,
        )
    )
    return set(db.scalars(select(LiveSession.id).where(LiveSession.cohort_id.in_(cohorts))))
