"""Tutor forms: starting a session, adding a participant, the preparatory interview, merging.

The forms only read what was posted (and check the CSRF token); the domain validates.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Form,
    FormField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired

from app import interviews
from app.messages import error_text
from app.participant_pages.forms import answers_from
from app.participants.consent import ConsentAnswers, Purpose


class StartSessionForm(FlaskForm):
    meeting = RadioField(_l("Which meeting?"), validators=[DataRequired()])
    rehearsal = BooleanField(_l("Rehearsal (does not count in attendance)"))


class TutorConsentForm(FlaskForm):
    """The three consent boxes, as a tutor ticks them with the person in front of them."""

    consent_data = BooleanField(
        _l("Agrees that Migrapass keeps what they write (required to take part)")
    )
    consent_replay = BooleanField(_l("May be named in replays for tutors in training"))
    consent_rehearsal = BooleanField(_l("Cards may be reused without name in rehearsals"))

    def consent_answers(self) -> ConsentAnswers:
        return answers_from(self)

    @staticmethod
    def ticked(current: dict[str, bool]) -> dict[str, bool]:
        """The boxes as they stand for the answers already recorded (see `answers_from`)."""
        return {
            "consent_data": current.get(Purpose.DATA_PROCESSING.value, False),
            "consent_replay": current.get(Purpose.NAMED_IN_REPLAYS.value, False),
            "consent_rehearsal": current.get(Purpose.REHEARSAL_REUSE.value, False),
        }


class AddParticipantForm(TutorConsentForm):
    name = StringField(
        _l("First name or pseudonym"),
        validators=[DataRequired()],  # length: the domain's
    )
    language = SelectField(_l("Language"), validators=[DataRequired()])


# --- the preparatory interview -------------------------------------------------------


def _choice(label: Any, choices: list[tuple[str, Any]], radio: bool = False) -> Any:
    """A choice the domain checks, so that a refused value gets its own message."""
    field = RadioField if radio else SelectField
    options = [SelectChoice(value, text) for value, text in choices]
    return field(label, choices=options, validate_choice=False, default="")


class ProfileAnswers(Form):
    display_name = StringField(_l("First name or pseudonym"))
    countries = TextAreaField(_l("Countries they have lived in"))
    situation = TextAreaField(_l("Their life today, in their own words"))


class LanguageAnswers(Form):
    spoken = TextAreaField(_l("Languages they speak"))
    french_level = _choice(
        _l("Level of French we agreed on"),
        [
            ("", _l("Not noted yet")),
            *((level, level) for level in interviews.FRENCH_LEVELS[:-1]),
            ("to_check", _l("To check")),
        ],
    )
    remarks = TextAreaField(_l("Remarks"))


class MotivationAnswers(Form):
    why = TextAreaField(_l("Why they want to take part in Migrapass"))
    expectations = TextAreaField(_l("What they expect, and what they want to have at the end"))
    available = _choice(
        _l("Free every week for the 8 weeks"),
        [("yes", _l("Yes")), ("not_sure", _l("Not sure yet")), ("no", _l("No"))],
        radio=True,
    )


class ReferralAnswers(Form):
    source = _choice(
        _l("How they heard of Migrapass"),
        [
            ("", _l("Not noted yet")),
            ("former_participant", _l("A former participant")),
            ("friend", _l("A friend")),
            ("association", _l("An association")),
            ("social_worker", _l("A social worker")),
            ("poster_or_website", _l("A poster or a website")),
            ("other", _l("Other")),
        ],
    )
    detail = TextAreaField(_l("Details, if they wish"))


class InterviewForm(TutorConsentForm):
    """Every part of the preparatory meeting's form; consent boxes are the tutor's own."""

    profile = FormField(ProfileAnswers)
    languages = FormField(LanguageAnswers)
    motivation = FormField(MotivationAnswers)
    referral = FormField(ReferralAnswers)

    def raw_answers(self) -> dict[str, dict[str, Any]]:
        return {part: self[part].data for part in interviews.FIELDS}

    def show_problems(self, problems: dict[tuple[str, str], str]) -> None:
        """Put the domain's error messages beside the fields they are about."""
        for (part, name), code in problems.items():
            field = self[part][name]
            field.errors = [*field.errors, error_text(code)]


class MergeForm(FlaskForm):
    """Two names of one person: the domain checks both belong to the group."""

    kept = SelectField(
        _l("Name to keep"), coerce=int, validate_choice=False, validators=[InputRequired()]
    )
    absorbed = SelectField(
        _l("Name to merge into it"),
        coerce=int,
        validate_choice=False,
        validators=[InputRequired()],
    )
