"""Human wording for the stable error codes the domain raises, in one place."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.interviews import MAX_ANSWER
from app.live.wire import Ack

ERRORS: dict[str, LazyString] = {
    "session_ended": _l("This workshop has ended."),
    "session_not_started": _l("This workshop has not started yet."),
    "already_started": _l("This workshop has already started."),
    "no_steps": _l("This workshop script has no steps."),
    "no_such_step": _l("There is no such step in this workshop."),
    "no_such_participant": _l("This person is not in the group."),
    "already_admitted": _l("This person is already in the room."),
    "board_closed": _l("The board is not open for posting right now."),
    "text_too_long": _l("This text is too long."),
    "too_large": _l("This is too large to send. Make it shorter, then send it again."),
    "no_such_card": _l("This card does not exist."),
    "already_hidden": _l("This card is already hidden."),
    "cohort_has_open_session": _l("This group already has a workshop running."),
    "joining_locked": _l("The tutor has closed the door for now. Ask the tutor to open it."),
    "code_unknown": _l("We don't know this code. Check the letters and try again."),
    "code_malformed": _l(
        "A workshop code has 6 letters and numbers, like K7M2QX."
        " A personal code has 8 letters and numbers."
    ),
    "rejoin_code_invalid": _l(
        "This personal code does not work. Check it. Or ask your tutor for a new one."
    ),
    "name_required": _l("Please write your first name or a made-up name."),
    "name_too_long": _l("This name is too long."),
    "name_without_letters": _l("Please write your name with letters we can read."),
    "consent_required": _l("To take part, you need to agree to the first point."),
    "not_allowed": _l("You are not allowed to do this."),
    "not_a_tutor_here": _l("Choose one of this group's tutors."),
    "no_author": _l("You cannot change or take back an answer with no name."),
    "not_present": _l("Only the people in the room can answer here."),
    "not_hidden_first": _l("The group already sees the cards of this board."),
    "not_shown": _l("Its author has not chosen to show this card."),
    "details_need_shown": _l("To show the place and date, first show the card to the group."),
    "not_in_room": _l("You are not in this workshop's room."),
    "bad_request": _l("This request is not valid."),
    "annotation_empty": _l("Write something before you send the note."),
    "no_such_moment": _l("This moment is not in the session."),
    "no_such_annotation": _l("This note no longer exists."),
    "bad_annotation_kind": _l("Choose what kind of note this is."),
    "questions_only": _l("As a trainee you can ask questions and reply; notes are for tutors."),
    "no_focus_prompt": _l("This session has no question to answer."),
    "not_removable": _l("Only a card or a note can be removed from the replay."),
    "server_error": _l("Something went wrong on the server. Please try again."),
    "unknown_event": _l("This action is not known."),
    "out_of_order": _l("Please try again."),
    "not_you": _l("Someone else wrote these cards on this phone. We did not send them."),
    "too_fast": _l("Too many actions at once. Wait a moment and try again."),
    "door_full": _l("Many people are waiting at the door just now. Ask the tutor to let you in."),
    "door_busy": _l(
        "Many people asked to join from here just now. Wait a few minutes, or ask the tutor."
    ),
    "too_many_logins": _l(
        "Too many wrong passwords for this name or from this place. Wait a quarter of an"
        " hour, then try again."
    ),
    "too_many_codes": _l(
        "Too many wrong codes. Wait a few minutes, then ask your tutor for the code."
    ),
    "no_such_meeting": _l("There is no such meeting in the script."),
    "meeting_is_interview": _l(
        "The preparatory meeting is a one-to-one interview: open it from the group's page."
    ),
    "already_there": _l("The room is already at this step."),
    "no_change": _l("Nothing to change: it is already so."),
    "cannot_merge": _l("These two names cannot be merged."),
    "in_another_group": _l(
        "This person is also in another group: only a coordinator can do this for them."
    ),
    "participants_only": _l("Only participants can do this."),
    "bad_field": _l("One of the answers is not valid."),
    "missing_field": _l("Please fill in the required boxes."),
    "answer_one": _l("Answer at least one question."),
    "bad_date": _l(
        "Write a year (2015), a month and year (03/2015 or March 2015) or a date (21/03/2015)."
    ),
    "impossible_date": _l("This date does not exist: check the day and the month."),
    "two_digit_year": _l("Write the year with its 4 digits: 2015, not 15."),
    "future_date": _l("This date is too far in the future: check the year."),
    "date_before_1900": _l("Write a year from 1900 onwards."),
    "end_before_start": _l("The end comes before the start: check the two dates."),
    "unknown_board": _l("This board type is not known."),
    "no_board": _l("This step has no board."),
    "not_current_step": _l("This step is not the one on the screen now."),
    "bad_page": _l("There is no such page of the board."),
    "no_rules": _l("The group has not adopted any rule yet."),
    "not_your_card": _l("You can only change your own cards."),
    "card_hidden": _l("The tutor has hidden this card."),
    "not_hidden": _l("This card is not hidden."),
    "no_such_cluster": _l("This group of cards does not exist."),
    "no_stance_here": _l("You cannot agree or disagree with this card."),
    "not_adoptable": _l("Only rules can be adopted."),
    "not_revealed_yet": _l("The cards are hidden until the tutor reveals them."),
    "bad_budget": _l("The number of votes per person must be between 0 and 10."),
    "bad_vote_target": _l("You cannot vote for this."),
    "no_votes_on_people": _l(
        "There is no vote on a person's experiences or competences: only on rules, groups"
        " and poll choices."
    ),
    "voting_closed": _l("Voting is not open."),
    "no_votes_left": _l("You have used all your votes. Take one back to vote again."),
    "no_vote_to_take_back": _l("You have no vote here to take back."),
    "bad_duration": _l("The time must be between 1 second and 4 hours."),
    "timer_not_running": _l("The timer is not running."),
    "timer_not_paused": _l("The timer is not paused."),
    "no_timer": _l("There is no timer to change."),
    "unknown_section": _l("This part of the portfolio does not exist."),
    "no_such_entry": _l("This entry is not in your portfolio any more."),
    "portfolio_full": _l("Your portfolio is full. Remove an entry to add another."),
    "pdf_failed": _l("We could not make the PDF just now. Please try again in a minute."),
    "pdf_busy": _l("We are making many PDFs just now. Please try again in a minute."),
    "too_many_requests": _l("Too many requests at once. Wait a moment, then try again."),
    "too_fast_pages": _l("This page was opened many times in a row. Wait a moment."),
    "too_many_exports": _l("You asked for many PDFs in a short time. Wait a few minutes."),
    "answer_too_long": _l("This answer is too long: %(max)s characters at most.", max=MAX_ANSWER),
}


def error_text(code: str) -> str:
    return str(ERRORS.get(code, ERRORS["bad_request"]))


def error_ack(code: str) -> Ack:
    """The acknowledgement a refused socket event gets: never a silent drop."""
    return {"ok": False, "error": code, "message": error_text(code)}
