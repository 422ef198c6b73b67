"""Creating participants and linking phones to them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.live import joincode
from app.models import Participant, RejoinCode
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


def issue_rejoin_code(db: Session, participant: Participant, tutor_id: int) -> str:
    """Create a personal code for linking a new phone; only its hash is stored."""
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
    return code


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
