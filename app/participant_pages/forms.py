"""The join form."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField
from wtforms.validators import DataRequired, Optional

from app.participants.consent import ConsentAnswers


def answers_from(form: FlaskForm) -> ConsentAnswers:
    """Read the three consent boxes both the join form and the tutor's form carry."""
    return ConsentAnswers(
        data_processing=bool(form.consent_data.data),
        named_in_replays=bool(form.consent_replay.data),
        rehearsal_reuse=bool(form.consent_rehearsal.data),
    )


class JoinForm(FlaskForm):
    """A first visit: a name, a language, and consent per purpose."""

    # Its length is the domain's to judge, as a person counts characters (app/texts.py).
    name = StringField(_l("Your first name or a made-up name"))
    language = RadioField(_l("Language"), validators=[DataRequired()])
    consent_data = BooleanField(
        _l(
            "I agree that Migrapass keeps what I write in the workshops, "
            "for my portfolio and for the group. I can ask to see it or delete it at any time."
        )
    )
    consent_replay = BooleanField(
        _l(
            "Tutors in training may see my first name when they replay a workshop "
            "(otherwise I am shown under a pseudonym)."
        )
    )
    consent_rehearsal = BooleanField(
        _l("Tutors in training may use my cards again to practise. They do not see my name.")
    )

    def consent_answers(self) -> ConsentAnswers:
        return answers_from(self)

    def __init__(self, *args: Any, needs_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_name = needs_name
        self.name.validators = [DataRequired()] if needs_name else [Optional()]


class KnockForm(FlaskForm):
    """A known phone asks to join another group: one button, and the CSRF token that
    makes sure the person pressed it on this site."""
