"""The preparatory meeting: what a tutor notes with a person, one interview per cohort.

Plain Python (no Flask): the page reads and validates a form, then calls these verbs,
which clean the answers, save them and flush; the page commits once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import texts
from app.live.operations import enrol, pin_script_version
from app.models import Cohort, Interview, Participant, User
from app.models.base import utcnow
from app.participants import consent
from app.participants.consent import ConsentAnswers
from app.participants.operations import (
    InvalidInput,
    beyond_the_wall,
    clean_name,
    create_participant,
)
from app.refusals import Refused
from app.workshops import Meeting, Script, Step

MEETING_SLUG = "w0-preparatory"
MAX_ANSWER = 500  # characters in any free-text answer

FRENCH_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2", "to_check")
AVAILABILITY: tuple[str, ...] = ("yes", "not_sure", "no")
REFERRALS: tuple[str, ...] = (
    "former_participant",
    "friend",
    "association",
    "social_worker",
    "poster_or_website",
    "other",
)

# The parts of the form stored in `Interview.answers`, and their fields in order.
# ("consent" is a part of the form too, but it is recorded in `consents`.)
FIELDS: dict[str, tuple[str, ...]] = {
    "profile": ("display_name", "countries", "situation"),
    "languages": ("spoken", "french_level", "remarks"),
    "motivation": ("why", "expectations", "available"),
    "referral": ("source", "detail"),
}
# Fields answered by picking one of a few values; an empty answer means "not noted yet".
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("languages", "french_level"): FRENCH_LEVELS,
    ("motivation", "available"): AVAILABILITY,
    ("referral", "source"): REFERRALS,
}
CONSENT_PART = "consent"


class InvalidAnswers(Refused, ValueError):
    """Answers a tutor can fix: one stable error code per (part, field), in `problems`."""

    def __init__(self, problems: Mapping[tuple[str, str], str]) -> None:
        listed = ", ".join(f"{p}.{f}: {code}" for (p, f), code in problems.items())
        super().__init__("invalid_answers", message=listed)
        self.problems = dict(problems)


def _clean_text(raw: Any) -> str:
    """Trim the ends and drop the carriage returns browsers send; keep the person's lines."""
    text = raw if isinstance(raw, str) else ""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_answers(raw: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Return the answers ready to store, or raise InvalidAnswers listing every problem.

    The name is cleaned as everywhere else; free text is limited to MAX_ANSWER
    characters; a choice must be one of its values or left empty.
    """
    answers: dict[str, dict[str, str]] = {}
    problems: dict[tuple[str, str], str] = {}
    for part, fields in FIELDS.items():
        given = raw.get(part) or {}
        answers[part] = {}
        for name in fields:
            value = _clean_text(given.get(name))
            if (part, name) == ("profile", "display_name"):
                try:
                    value = clean_name(value)
                except InvalidInput as err:
                    problems[part, name] = err.code
            elif (part, name) in CHOICES:
                if value and value not in CHOICES[part, name]:
                    problems[part, name] = "bad_field"
            elif texts.too_long(value, MAX_ANSWER):
                problems[part, name] = "answer_too_long"
            answers[part][name] = value
    if problems:
        raise InvalidAnswers(problems)
    return answers


def form_layout(meeting: Meeting) -> list[tuple[Step | None, str | None]]:
    """Each step of the meeting with the form part it fills in, in the script's order.

    A part no step names (an association edited the script) comes last, without a
    step, so that nothing the interview must record is ever left off the page.
    """
    layout: list[tuple[Step | None, str | None]] = [(step, step.form) for step in meeting.steps]
    named = {part for _step, part in layout}
    layout.extend((None, part) for part in (*FIELDS, CONSENT_PART) if part not in named)
    return layout


def _record(db: Session, cohort_id: int, participant_id: int, slug: str) -> Interview | None:
    """The person's first record of this kind in this group (preparatory or closing)."""
    return db.scalar(
        select(Interview)
        .where(
            Interview.cohort_id == cohort_id,
            Interview.participant_id == participant_id,
            Interview.meeting_slug == slug,
        )
        .order_by(Interview.id)
        .limit(1)
    )


def find_interview(db: Session, cohort_id: int, participant_id: int) -> Interview | None:
    return _record(db, cohort_id, participant_id, MEETING_SLUG)


def initial_answers(
    interview: Interview | None, participant: Participant | None
) -> dict[str, dict[str, str]]:
    """What the form shows before anything is typed: the saved answers, the current name."""
    saved = interview.answers if interview is not None else {}
    answers = {
        part: {name: str((saved.get(part) or {}).get(name, "")) for name in fields}
        for part, fields in FIELDS.items()
    }
    if participant is not None:
        answers["profile"]["display_name"] = participant.display_name
    return answers


def welcome_newcomer(db: Session, cohort: Cohort, name: str, locale: str) -> Participant:
    """Someone met for the first time at the preparatory meeting joins the group."""
    participant = create_participant(db, name, locale)
    enrol(db, cohort, participant)
    return participant


def _record_consent(
    db: Session, participant: Participant, answers: ConsentAnswers, tutor: User
) -> bool:
    """Record the answers if they change anything; return whether they were recorded.

    Nothing ticked for someone never asked means "not decided yet": they will be asked
    on their phone at their first workshop, so those boxes are not recorded (an answer
    about the portfolio, asked only here, still is).
    """
    current = consent.current(participant)
    wanted = answers.by_purpose()
    never_asked = all(current.get(purpose.value) is None for purpose in consent.ON_JOINING)
    if never_asked and not any(wanted[purpose] for purpose in consent.ON_JOINING):
        wanted = {p: granted for p, granted in wanted.items() if p not in consent.ON_JOINING}
    if all(current.get(purpose.value) == granted for purpose, granted in wanted.items()):
        return False
    consent.record_answers(db, participant, wanted, tutor_id=tutor.id)
    return True


def identity_shared(
    db: Session, cohort: Cohort, participant: Participant, *, across_cohorts: bool
) -> bool:
    """Whether the person's name and consents are another group's too, out of this page's
    reach: they hold for every group, so only a coordinator (`across_cohorts`) changes
    them for someone who is in two."""
    refused = beyond_the_wall(db, cohort.id, participant, across_cohorts=across_cohorts)
    return refused == "in_another_group"


def save_interview(
    db: Session,
    cohort: Cohort,
    participant: Participant,
    answers: dict[str, dict[str, str]],
    consents: ConsentAnswers,
    tutor: User,
    script: Script,
    *,
    identity_locked: bool = False,
) -> Interview:
    """Store the cleaned answers (one interview per person and cohort) and the consents.

    The script's text is pinned, so the interview can later be read with the guide the
    tutor had in front of them. With `identity_locked` (see `identity_shared`) the name
    must stay as it is and the consents are left alone.
    """
    # Compared as cleaned: a name stored before names were cleaned still matches itself.
    kept_name = texts.clean_line(participant.display_name)
    if identity_locked and answers["profile"]["display_name"] != kept_name:
        raise InvalidAnswers({("profile", "display_name"): "in_another_group"})
    version = pin_script_version(db, script, MEETING_SLUG)
    interview = find_interview(db, cohort.id, participant.id)
    if interview is None:
        interview = Interview(
            cohort_id=cohort.id,
            participant_id=participant.id,
            tutor_id=tutor.id,
            meeting_slug=MEETING_SLUG,
        )
        db.add(interview)
    interview.script_version_id = version.id
    interview.answers = answers
    interview.updated_at = utcnow()
    if not identity_locked:  # the name and consents are the coordinator's to change
        participant.display_name = answers["profile"]["display_name"]
        _record_consent(db, participant, consents, tutor)
    db.flush()
    return interview


# --- the closing interview (workshop 7) ----------------------------------------------
# Five minutes with each person at the last workshop: the tutor and the person reread the
# expectations noted at the preparatory meeting and the action plan, and the tutor notes
# how it went. It has a record of its own: a preparatory interview's record counts as
# having come to the preparatory meeting (app.attendance), and the closing must not.

CLOSING_SLUG = "closing"  # its records' `meeting_slug`: no meeting of the script has it
CLOSING_PART = "closing"  # its part of `Interview.answers`
EXPECTATIONS_MET: tuple[str, ...] = ("yes", "partly", "no")
CLOSING_FIELDS: tuple[str, ...] = ("expectations_met", "takeaways", "next_steps", "referred_to")


def clean_closing(raw: Mapping[str, Any]) -> dict[str, str]:
    """The closing answers ready to store, or InvalidAnswers listing every problem.

    "Expectations met" is one of EXPECTATIONS_MET, or empty (not noted yet); the texts
    are limited to MAX_ANSWER characters, as in the preparatory interview.
    """
    answers: dict[str, str] = {}
    problems: dict[tuple[str, str], str] = {}
    for name in CLOSING_FIELDS:
        value = _clean_text(raw.get(name))
        if name == "expectations_met":
            if value and value not in EXPECTATIONS_MET:
                problems[CLOSING_PART, name] = "bad_field"
        elif texts.too_long(value, MAX_ANSWER):
            problems[CLOSING_PART, name] = "answer_too_long"
        answers[name] = value
    if problems:
        raise InvalidAnswers(problems)
    return answers


def find_closing(db: Session, cohort_id: int, participant_id: int) -> Interview | None:
    return _record(db, cohort_id, participant_id, CLOSING_SLUG)


def closing_answers(closing: Interview | None) -> dict[str, str]:
    """What the closing form shows: the answers saved, or empty boxes."""
    saved = ((closing.answers or {}).get(CLOSING_PART) or {}) if closing is not None else {}
    return {name: str(saved.get(name, "")) for name in CLOSING_FIELDS}


def expectations_to_reread(preparatory: Interview | None) -> dict[str, str]:
    """The motivation noted at the preparatory meeting: why the person came, and what
    they expected to have at the end (empty when nobody noted them)."""
    answers = (preparatory.answers or {}) if preparatory is not None else {}
    motivation = answers.get("motivation") or {}
    return {name: str(motivation.get(name) or "") for name in ("why", "expectations")}


def save_closing(
    db: Session, cohort: Cohort, participant: Participant, answers: dict[str, str], tutor: User
) -> Interview:
    """Store the cleaned closing answers: one closing record per person and cohort."""
    closing = find_closing(db, cohort.id, participant.id)
    if closing is None:
        closing = Interview(
            cohort_id=cohort.id,
            participant_id=participant.id,
            tutor_id=tutor.id,
            meeting_slug=CLOSING_SLUG,
        )
        db.add(closing)
    closing.answers = {CLOSING_PART: answers}
    closing.updated_at = utcnow()
    db.flush()
    return closing
