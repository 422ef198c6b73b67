"""Error pages in the person's language: what went wrong, in words, and a way back."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

PAGES = {
    400: _l("This request is not valid. Go back and try again."),
    403: _l("You are not allowed to open this page."),
    404: _l("This page does not exist, or not any more."),
    405: _l("This page cannot be opened this way. Go back and use the page's buttons."),
    413: _l("What was sent is too large."),
    429: _l("Too many requests at once. Wait a moment, then try again."),
}


def init_app(app: Flask) -> None:
    for status in PAGES:
        app.register_error_handler(status, _page)


def _page(error: HTTPException) -> tuple[str, int]:
    status = error.code or 500
    return render_template("error.html", message=PAGES[status], status=status), status
