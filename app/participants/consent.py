"""Consent purposes and the version of their text, recorded per participant."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from app.models import Consent, Participant

# Bump when the consent wording changes: everyone is then asked again.
CONSENT_TEXT_VERSION = "2026-11"


class Purpose(StrEnum):
    DATA_PROCESSING = "data_processing"  # required to take part
    NAMED_IN_REPLAYS = "named_in_replays"  # optional: replays are pseudonymised otherwise
    REHEARSAL_REUSE = "rehearsal_reuse"  # optional: pseudonymised reuse for trainees


REQUIRED = frozenset({Purpose.DATA_PROCESSING})


@dataclass(frozen=True)
class ConsentAnswers:
    data_processing: bool
    named_in_replays: bool = False
    rehearsal_reuse: bool = False

    def by_purpose(self) -> dict[Purpose, bool]:
        return {purpose: bool(getattr(self, purpose.value)) for purpose in Purpose}


def record(
    db: Session, participant: Participant, answers: ConsentAnswers, tutor_id: int | None = None
) -> None:
    """Store one answer per purpose for the current text version."""
    for purpose, granted in answers.by_purpose().items():
        db.add(
            Consent(
                participant=participant,
                purpose=purpose.value,
                text_version=CONSENT_TEXT_VERSION,
                granted=granted,
                recorded_by_id=tutor_id,
            )
        )
    db.flush()


def current(participant: Participant) -> dict[str, bool]:
    """The latest answer per purpose, for the current text version only."""
    latest: dict[str, bool] = {}
    for consent in participant.consents:  # ordered by id: later answers win
        if consent.text_version == CONSENT_TEXT_VERSION:
            latest[consent.purpose] = consent.granted
    return latest


def has_required(participant: Participant) -> bool:
    answers = current(participant)
    return all(answers.get(purpose.value) for purpose in REQUIRED)
