"""Tutor forms: starting a session, adding a participant met in person."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.participant_pages.forms import answers_from
from app.participants.consent import ConsentAnswers
from app.participants.operations import MAX_NAME


class StartSessionForm(FlaskForm):
    meeting = SelectField(_l("Meeting"), validators=[DataRequired()])


class AddParticipantForm(FlaskForm):
    name = StringField(
        _l("First name or pseudonym"), validators=[DataRequired(), Length(max=MAX_NAME)]
    )
    language = SelectField(_l("Language"), validators=[DataRequired()])
    consent_data = BooleanField(
        _l("Agrees that Migrapass keeps what they write (required to take part)")
    )
    consent_replay = BooleanField(_l("May be named in replays for tutors in training"))
    consent_rehearsal = BooleanField(_l("Cards may be reused without name in rehearsals"))

    def consent_answers(self) -> ConsentAnswers:
        return answers_from(self)
