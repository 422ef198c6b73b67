"""Human wording for the stable error codes the domain raises, in one place."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

ERRORS: dict[str, LazyString] = {
    "session_ended": _l("This workshop has ended."),
    "session_not_started": _l("This workshop has not started yet."),
    "already_started": _l("This workshop has already started."),
    "no_steps": _l("This workshop script has no steps."),
    "no_such_step": _l("There is no such step in this workshop."),
    "no_such_participant": _l("This person is not in the group."),
    "already_admitted": _l("This person is already in the room."),
    "board_closed": _l("The board is not open for posting right now."),
    "empty_text": _l("Please write something first."),
    "text_too_long": _l("This text is too long."),
    "reason_too_long": _l("This reason is too long."),
    "no_such_card": _l("This card does not exist."),
    "already_hidden": _l("This card is already hidden."),
    "cohort_has_open_session": _l("This group already has a workshop running."),
    "joining_locked": _l("The tutor has closed the door for now. Ask the tutor to open it."),
    "code_unknown": _l("We don't know this code. Check the letters and try again."),
    "code_malformed": _l("A code has 6 letters and digits, like K7M2QX."),
    "rejoin_code_invalid": _l("This personal code is not valid any more. Ask your tutor."),
    "name_required": _l("Please write your first name or a pseudonym."),
    "name_too_long": _l("This name is too long."),
    "consent_required": _l("To take part, you need to agree to the first point."),
    "not_allowed": _l("You are not allowed to do this."),
    "not_in_room": _l("You are not in this workshop's room."),
    "bad_request": _l("This request is not valid."),
    "unknown_event": _l("This action is not known."),
    "out_of_order": _l("Please try again."),
}


def error_text(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["bad_request"]))


def error_ack(code: str) -> dict[str, object]:
    """The acknowledgement a refused socket event gets: never a silent drop."""
    return {"ok": False, "error": code, "message": error_text(code)}
