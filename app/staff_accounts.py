"""Staff accounts as a coordinator manages them: invitations by one-time link, roles,
deactivation and access given back.

Plain functions over the database (no Flask): they check, change and flush; the page
commits once, then closes the sockets of a session it ended. A refusal raises
`StaffRefused` with a stable code the page words. Only a digest of a link's token is
kept: the link itself is shown once, to copy or scan.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models import Cohort, StaffInvite, User
from app.models.base import utcnow
from app.permissions import STAFF_ROLES, Role

INVITE_DAYS = 7
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MAX_NAME = 80
# No stored hash has this form: verify_password fails on it, so nobody logs in with a
# password until they set one through their invitation.
NO_PASSWORD = "!"
_USERNAME = re.compile(r"[A-Za-z0-9._-]{2,80}")


class StaffRefused(Exception):
    """A change to a staff account refused, with a stable code (and the field at fault)."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class IssuedInvite:
    """An invitation just made: the account, and the token its link carries (shown once)."""

    user: User
    token: str


def digest(token: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def staff_role(value: str) -> Role:
    """The staff role named by `value`; participants have no account."""
    try:
        role = Role(value)
    except ValueError:
        raise StaffRefused("role_unknown", "role") from None
    if role not in STAFF_ROLES:
        raise StaffRefused("role_unknown", "role")
    return role


def invite(
    db: Session,
    *,
    display_name: str,
    username: str,
    role: str,
    cohort_ids: Iterable[int] = (),
    by: User,
    now: datetime | None = None,
) -> IssuedInvite:
    """Create an account without a password, in these groups, and its first invitation."""
    name, login = display_name.strip(), username.strip()
    if not name:
        raise StaffRefused("staff_name_required", "display_name")
    if len(name) > MAX_NAME:
        raise StaffRefused("staff_name_too_long", "display_name")
    if not _USERNAME.fullmatch(login):
        raise StaffRefused("username_invalid", "username")
    chosen = staff_role(role)
    cohorts = real_cohorts(db, cohort_ids)
    if db.scalar(select(User.id).where(User.username == login)) is not None:
        raise StaffRefused("username_taken", "username")
    user = User(username=login, display_name=name, role=chosen.value, password_hash=NO_PASSWORD)
    user.cohorts = cohorts
    db.add(user)
    db.flush()
    return IssuedInvite(user, issue_invite(db, user, by=by, now=now))


def real_cohorts(db: Session, cohort_ids: Iterable[int]) -> list[Cohort]:
    """The real (not practice) groups these ids name; an unknown one is refused."""
    wanted = set(cohort_ids)
    if not wanted:
        return []
    found = list(
        db.scalars(select(Cohort).where(Cohort.id.in_(wanted), Cohort.practice.is_(False)))
    )
    if len(found) != len(wanted):
        raise StaffRefused("cohort_unknown", "cohorts")
    return found


def issue_invite(db: Session, user: User, *, by: User, now: datetime | None = None) -> str:
    """A new one-time link for `user`, valid INVITE_DAYS; any earlier link stops working."""
    now = now or utcnow()
    for earlier in _open_invites(db, user.id):
        earlier.used_at = now
    token = secrets.token_urlsafe(24)
    db.add(
        StaffInvite(
            user_id=user.id,
            token_hash=digest(token),
            created_by_id=by.id,
            created_at=now,
            expires_at=now + timedelta(days=INVITE_DAYS),
        )
    )
    db.flush()
    return token


def _open_invites(db: Session, user_id: int) -> list[StaffInvite]:
    return list(
        db.scalars(
            select(StaffInvite).where(StaffInvite.user_id == user_id, StaffInvite.used_at.is_(None))
        )
    )


def open_invite(db: Session, token: str, now: datetime | None = None) -> StaffInvite | None:
    """The invitation this token opens: not used, not expired, for an active account."""
    if not token or len(token) > 100:
        return None
    found = db.scalar(select(StaffInvite).where(StaffInvite.token_hash == digest(token)))
    if found is None or found.used_at is not None:
        return None
    if found.expires_at <= (now or utcnow()):
        return None
    user = db.get(User, found.user_id)
    if user is None or not user.is_active_account:
        return None
    return found


def check_new_password(password: str, again: str) -> None:
    """Refuse a password too short or too long, or typed differently twice."""
    if len(password) < MIN_PASSWORD:
        raise StaffRefused("password_too_short", "password")
    if len(password) > MAX_PASSWORD:
        raise StaffRefused("password_too_long", "password")
    if password != again:
        raise StaffRefused("passwords_differ", "again")


def accept_invite(
    db: Session, found: StaffInvite, password_hash: str, now: datetime | None = None
) -> User | None:
    """Set the account's password (hashed by the caller, off the loop) and spend the link;
    None if it was spent meanwhile (the same link sent twice at once: one wins)."""
    spent = db.execute(
        update(StaffInvite)
        .where(StaffInvite.id == found.id, StaffInvite.used_at.is_(None))
        .values(used_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        return None
    user = db.get_one(User, found.user_id)
    user.password_hash = password_hash
    db.flush()
    return user


def set_role(db: Session, user: User, role: str, *, by: User) -> int | None:
    """Give `user` another staff role; a coordinator never demotes themself. A changed
    role ends their log-ins (the ended generation is returned, for the caller to close
    their sockets after the commit): an open console keeps the rooms it joined, and a
    tutor made trainee must stop hearing what only tutors hear at once."""
    chosen = staff_role(role)
    if user.id == by.id and chosen is not Role.COORDINATOR:
        raise StaffRefused("cannot_demote_self", "role")
    if user.role == chosen.value:
        return None
    user.role = chosen.value
    ended = user.session_generation or 0
    user.end_sessions()
    db.flush()
    return ended


def set_active(db: Session, user: User, active: bool, *, by: User) -> int | None:
    """Deactivate or reactivate an account. Deactivating ends its log-ins: the ended
    generation is returned, for the caller to close its sockets after the commit."""
    if user.id == by.id and not active:
        raise StaffRefused("cannot_deactivate_self")
    user.is_active_account = active
    ended = None
    if not active:
        ended = user.session_generation or 0
        user.end_sessions()
    db.flush()
    return ended


@dataclass(frozen=True)
class AccessReset:
    """Access given back: the log-in generation ended, and the new link's token."""

    ended_generation: int
    token: str


def reset_access(db: Session, user: User, *, by: User, now: datetime | None = None) -> AccessReset:
    """End every log-in of the account, forget its password, and issue a new link."""
    if not user.is_active_account:
        raise StaffRefused("account_inactive")
    ended = user.session_generation or 0
    user.end_sessions()
    user.password_hash = NO_PASSWORD
    return AccessReset(ended, issue_invite(db, user, by=by, now=now))


def staff_list(db: Session) -> list[User]:
    """Every staff account, the active ones first, by name."""
    return list(
        db.scalars(
            select(User).order_by(User.is_active_account.desc(), User.display_name, User.username)
        )
    )
