"""Tutor forms: starting a session, adding a participant, the preparatory and closing
interviews, a named tutor, merging.

The forms only read what was posted (and check the CSRF token); the domain validates.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import gettext as _
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
from app.participants.operations import InvalidInput


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
    # The page words it with the group's own length (Cohort.weeks): see `for_cohort`.
    available = _choice(
        _l("Free every week of the cycle"),
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


PORTFOLIO_ANSWERS = {"yes": True, "no": False}


class InterviewForm(TutorConsentForm):
    """Every part of the preparatory meeting's form; consent boxes are the tutor's own."""

    profile = FormField(ProfileAnswers)
    languages = FormField(LanguageAnswers)
    motivation = FormField(MotivationAnswers)
    referral = FormField(ReferralAnswers)
    # Yes or no, not a box: no answer (nothing chosen) is not a no, it leaves the use
    # allowed, and a no must be something the tutor chose with the person.
    consent_portfolio = _choice(
        _l("What they write in the workshops may go into their portfolio"),
        [("yes", _l("Yes")), ("no", _l("No"))],
        radio=True,
    )

    def for_cohort(self, weeks: int) -> InterviewForm:
        """Word the availability question with the group's own cycle length."""
        self.motivation.form.available.label.text = _(
            "Free every week for the %(weeks)s weeks of the cycle", weeks=weeks
        )
        return self

    def consent_answers(self) -> ConsentAnswers:
        answers = answers_from(self)
        given = PORTFOLIO_ANSWERS.get(self.consent_portfolio.data or "")
        return replace(answers, portfolio=given)

    @staticmethod
    def ticked(current: dict[str, bool]) -> dict[str, Any]:
        """The boxes, and the portfolio's yes or no, as the recorded answers stand."""
        portfolio = current.get(Purpose.PORTFOLIO.value)
        chosen = "" if portfolio is None else "yes" if portfolio else "no"
        return {**TutorConsentForm.ticked(current), "consent_portfolio": chosen}

    def raw_answers(self) -> dict[str, dict[str, Any]]:
        return {part: self[part].data for part in interviews.FIELDS}

    def show_problems(self, problems: dict[tuple[str, str], str]) -> None:
        """Put the domain's error messages beside the fields they are about."""
        for (part, name), code in problems.items():
            field = self[part][name]
            field.errors = [*field.errors, error_text(code)]


class ClosingForm(FlaskForm):
    """The closing interview's outcome, as the tutor notes it with the person."""

    expectations_met = _choice(
        _l("Were their expectations met?"),
        [("yes", _l("Yes")), ("partly", _l("Partly")), ("no", _l("No"))],
        radio=True,
    )
    takeaways = TextAreaField(_l("What they take away"))
    next_steps = TextAreaField(_l("Next steps agreed"))
    referred_to = TextAreaField(_l("Referral to another service (optional)"))

    def raw_answers(self) -> dict[str, Any]:
        return {name: self[name].data for name in interviews.CLOSING_FIELDS}

    def show_problems(self, problems: dict[tuple[str, str], str]) -> None:
        for (_part, name), code in problems.items():
            self[name].errors = [*self[name].errors, error_text(code)]


class NamedTutorForm(FlaskForm):
    """A member's named tutor: the domain checks it is one of the group's tutors."""

    tutor = SelectField(_l("Tutor"), validate_choice=False, default="")

    def tutor_id(self) -> int | None:
        """The chosen tutor's id; None for "nobody"."""
        raw = (self.tutor.data or "").strip()
        if not raw:
            return None
        if not raw.isdecimal():
            raise InvalidInput("not_a_tutor_here")
        return int(raw)


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
