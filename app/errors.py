"""Error pages in the person's language: what went wrong, in words, and a way back.

Every refused or failed request (any HTTP error, a form whose CSRF token expired, an
error in the code) is a page of the application, never the framework's bare English
page, and it offers what this kind of person can do instead: staff go back to their
groups, a participant's phone to the start (where the running workshop is) or their
portfolio, anyone else to the start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

from flask import Flask, current_app, g, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

PAGES = {
    400: _l("This request is not valid. Go back and try again."),
    403: _l("You are not allowed to open this page."),
    404: _l("This page does not exist, or not any more."),
    405: _l("This page cannot be opened this way. Go back and use the page's buttons."),
    413: _l("What you sent is too long. Go back. Make it shorter and send it again."),
    429: _l("Too many requests at once. Wait a moment, then try again."),
    500: _l(
        "Something went wrong on our side. What you just sent may not be saved: "
        "wait a moment, go back and try again."
    ),
}
OTHER = _l("This did not work. Go back and try again.")
CSRF = _l(
    "This form was open too long, or you logged in or out since. "
    "Go back, reload the page and send it again."
)
STAFF_403 = _l(
    "This page is for the tutors of this group. If you need it, ask the group's tutor "
    "or a coordinator."
)


@dataclass(frozen=True)
class WayBack:
    """A link the error page offers: where to, and in which words."""

    url: str
    label: str


def init_app(app: Flask) -> None:
    # A handler for the class catches every HTTP error Werkzeug raises (its redirects
    # excepted), and the 500 that Flask makes of any other exception.
    app.register_error_handler(HTTPException, _page)
    app.register_error_handler(CSRFError, _csrf_page)


class Refusal(HTTPException):
    """A refused page that says why in its own words (`refuse`)."""

    def __init__(self, status: int, message: LazyString | str) -> None:
        super().__init__()
        self.code = status
        self.message = message


def refuse(status: int, message: LazyString | str) -> NoReturn:
    """Stop the request with the error page for `status`, saying `message`."""
    raise Refusal(status, message)


def _page(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    if status == 500:
        _forget_unfinished_work()
    message = PAGES.get(status, OTHER)
    if status == 403 and _is_staff():
        message = STAFF_403
    if isinstance(error, Refusal):
        message = error.message
    return _render(status, message)


def _csrf_page(_error: CSRFError) -> tuple[str, int]:
    return _render(400, CSRF)


def ways_back() -> list[WayBack]:
    """What this kind of person can do instead, the first one first."""
    if _is_staff():
        return [WayBack(url_for("tutor.dashboard"), _("Back to my groups"))]
    if g.get("participant") is not None:
        return [
            WayBack(url_for("participant.home"), _("Back to the start")),
            WayBack(url_for("portfolio.portfolio"), _("My portfolio")),
        ]
    return [WayBack(url_for("participant.home"), _("Back to the start"))]


def _render(status: int, message: LazyString) -> tuple[str, int]:
    try:
        page = render_template("error.html", message=str(message), status=status, ways=ways_back())
    except Exception:  # the page itself failed (the database is gone): a plain one then
        current_app.logger.exception("The error page %s could not be drawn", status)
        page = _plain(message)
    return page, status


def _plain(message: LazyString) -> str:
    """The same words without the site around them, in English only if even the
    person's language cannot be known (it may be read from the database)."""
    try:
        title, words, back = _("That did not work"), str(message), _("Back to the start")
    except Exception:
        title, words, back = "That did not work", message._args[0], "Back to the start"
    return (
        '<!doctype html><html><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Migrapass Live</title><h1>{escape(title)}</h1>"
        f'<p>{escape(words)}</p><p><a href="/">{escape(back)}</a></p></html>'
    )


def _is_staff() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # the user could not be loaded (database down): not known as staff
        return False


def _forget_unfinished_work() -> None:
    """An error in the middle of a request can leave the session's transaction broken;
    the page (and the next request) must still be able to read."""
    from app.extensions import db

    try:
        db.session.rollback()
    except Exception:
        current_app.logger.exception("Rolling back after an error failed")
