"""Consent purposes and the version of their text, recorded per participant."""

from __future__ import annotations

from collections.abc import Mapping
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
    # Optional, asked at the preparatory interview: the use of what the person writes in
    # the room for their portfolio. No answer is a yes (the data-processing consent says
    # "for my portfolio"); only an explicit no keeps the room's cards out of it.
    PORTFOLIO = "portfolio"


REQUIRED = frozenset({Purpose.DATA_PROCESSING})
# A no given to these holds until it is changed, whatever the version of the text: a new
# wording asks again for what needs a yes, and must not undo someone's opt-out.
OUTLIVES_THE_TEXT = frozenset({Purpose.PORTFOLIO})
# The boxes every way of joining asks (the phone, the tutor's forms).
ON_JOINING = (Purpose.DATA_PROCESSING, Purpose.NAMED_IN_REPLAYS, Purpose.REHEARSAL_REUSE)


@dataclass(frozen=True)
class ConsentAnswers:
    data_processing: bool
    named_in_replays: bool = False
    rehearsal_reuse: bool = False
    portfolio: bool | None = None  # None: not asked here, nothing to record

    def by_purpose(self) -> dict[Purpose, bool]:
        """One answer per purpose that was answered (a purpose not asked is left out)."""
        given = {purpose: getattr(self, purpose.value) for purpose in Purpose}
        return {purpose: bool(granted) for purpose, granted in given.items() if granted is not None}


def record(
    db: Session, participant: Participant, answers: ConsentAnswers, tutor_id: int | None = None
) -> None:
    """Store one answer per purpose answered, for the current text version."""
    record_answers(db, participant, answers.by_purpose(), tutor_id)


def record_answers(
    db: Session,
    participant: Participant,
    answers: Mapping[Purpose, bool],
    tutor_id: int | None = None,
) -> None:
    """Store these answers (some purposes only) for the current text version."""
    for purpose, granted in answers.items():
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
    """The latest answer per purpose, for the current text version only, except an
    opt-out (OUTLIVES_THE_TEXT), whose latest answer holds whatever the version."""
    latest: dict[str, bool] = {}
    for consent in participant.consents:  # ordered by id: later answers win
        if consent.text_version == CONSENT_TEXT_VERSION or consent.purpose in OUTLIVES_THE_TEXT:
            latest[consent.purpose] = consent.granted
    return latest


def has_required(participant: Participant) -> bool:
    answers = current(participant)
    return all(answers.get(purpose.value) for purpose in REQUIRED)


def portfolio_withheld(participant: Participant) -> bool:
    """Whether the person said no to their contributions going into their portfolio.

    No answer means yes. A no is an opt-out, so it holds whatever the version of the
    consent text: a new wording asks everyone again for what needs a yes, and must not
    pour back the cards of someone who said no. They still post in the room; the
    portfolio then takes nothing from it (app.portfolio.queries)."""
    return current(participant).get(Purpose.PORTFOLIO.value) is False
