"""The coordinator's pages' wording for the stable codes their domain modules raise."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

PROBLEMS: dict[str, LazyString] = {
    "cohort_name_required": _l("Please give the group a name."),
    "cohort_name_too_long": _l("This name is too long (120 characters at most)."),
    "date_required": _l("Please give the first day, as a date."),
    "date_invalid": _l("This is not a date."),
    "ends_before_start": _l("The last day comes before the first one."),
    "venue_too_long": _l("This place is too long (120 characters at most)."),
    "weeks_invalid": _l("The cycle lasts 8 or 9 weeks."),
    "tutor_unknown": _l("One of these tutors does not exist any more. Choose again."),
    "staff_name_required": _l("Please write the person's name."),
    "staff_name_too_long": _l("This name is too long (80 characters at most)."),
    "username_invalid": _l(
        "A username has 2 to 80 letters without accents, digits, dots, dashes or underscores."
    ),
    "username_taken": _l("This username is already used. Choose another one."),
    "role_unknown": _l("Choose coordinator, tutor or trainee tutor."),
    "cohort_unknown": _l("One of these groups does not exist any more. Choose again."),
    "cannot_demote_self": _l(
        "You cannot take away your own coordinator role: ask another coordinator."
    ),
    "cannot_deactivate_self": _l("You cannot deactivate your own account."),
    "account_inactive": _l("This account is deactivated: reactivate it first."),
    "password_too_short": _l("The password needs at least 8 characters."),
    "password_too_long": _l("This password is too long (200 characters at most)."),
    "passwords_differ": _l("The two passwords are not the same. Type them again."),
}


def problem_text(code: str) -> str:
    return str(PROBLEMS.get(code, _l("This request is not valid.")))
