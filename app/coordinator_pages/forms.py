"""The coordinator's forms: they read what was posted and check the CSRF token; the
domain (app.coordinator_pages.groups, app.staff_accounts) checks the rest."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, NumberRange

from app.coordinator_pages.groups import CohortInput
from app.permissions import Role

ROLE_CHOICES = [
    SelectChoice(Role.TUTOR.value, _l("Tutor")),
    SelectChoice(Role.TRAINEE.value, _l("Trainee tutor")),
    SelectChoice(Role.COORDINATOR.value, _l("Coordinator")),
]


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the group"))
    starts_on = StringField(_l("First day"))
    ends_on = StringField(_l("Last day (if known)"))
    venue = StringField(_l("Place"))
    weeks = RadioField(
        _l("Length of the cycle"),
        choices=[SelectChoice("8", _l("8 weeks")), SelectChoice("9", _l("9 weeks"))],
        validate_choice=False,
        default="9",
    )
    tutors = SelectMultipleField(_l("Tutors"), coerce=int, validate_choice=False)

    def cohort_input(self) -> CohortInput:
        return CohortInput(
            name=self.name.data or "",
            starts_on=self.starts_on.data or "",
            ends_on=self.ends_on.data or "",
            venue=self.venue.data or "",
            weeks=self.weeks.data or "",
            tutor_ids=list(self.tutors.data or ()),
        )


class InviteForm(FlaskForm):
    display_name = StringField(_l("Name shown to participants"))
    username = StringField(_l("Username (to log in)"))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, validate_choice=False)
    cohorts = SelectMultipleField(_l("Groups (optional)"), coerce=int, validate_choice=False)


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password (at least 8 characters)"))
    again = PasswordField(_l("The same password again"))


class SettingsForm(FlaskForm):
    completion_meetings = IntegerField(
        _l("Meetings attended to complete the cycle"), validators=[InputRequired()]
    )
    retention_months = IntegerField(
        _l("Months after a group's end before its participants' data is deleted"),
        validators=[
            InputRequired(),
            NumberRange(1, 120, _l("Between %(min)s and %(max)s months.")),
        ],
    )
