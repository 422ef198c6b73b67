"""The page an invited member of staff opens from their one-time link: they set their
password, and are logged in.

A wrong, spent or expired link gets one answer (404) that says nothing of which accounts
exist; wrong links are counted like wrong codes at a room's door (per browser and per
address), so nobody tries tokens in bulk.
"""

from __future__ import annotations

import secrets

from flask import current_app, flash, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from werkzeug import Response

from app import ratelimit, staff_accounts
from app.auth import known
from app.auth.routes import home_url
from app.coordinator_pages import bp
from app.coordinator_pages.forms import SetPasswordForm
from app.coordinator_pages.words import problem_text
from app.errors import refuse
from app.extensions import db
from app.models import StaffInvite, User
from app.models.accounts import hash_password
from app.offload import off_the_loop

LINK_DEAD = _l(
    "This invitation link does not work: it was already used, it is more than 7 days "
    "old, or it was not copied whole. Ask a coordinator for a new link."
)
TOO_MANY = _l("Too many wrong links from here. Wait a few minutes, then try again.")


def _guesser() -> tuple[str, str]:
    """This browser (a random id in its session) and its address."""
    if "browser" not in session:
        session["browser"] = secrets.token_hex(8)
    return session["browser"], request.remote_addr or "unknown"


def _open_or_refuse(token: str) -> StaffInvite:
    """The invitation, or the same refusal for every kind of wrong link (counted)."""
    limiter, (browser, address) = ratelimit.current(), _guesser()
    if not (limiter.browser_may_try_code(browser) and limiter.address_may_try_code(address)):
        refuse(429, TOO_MANY)
    found = staff_accounts.open_invite(db.session, token)
    if found is None:
        limiter.wrong_code(browser, address)
        refuse(404, LINK_DEAD)
    return found


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str) -> str | Response | tuple[str, int]:
    """Set the password of an invited account, then log in."""
    found = _open_or_refuse(token)
    user = db.session.get_one(User, found.user_id)
    form = SetPasswordForm()
    if request.method == "GET":
        return render_template("coordinator/accept_invite.html", form=form, user=user)
    if form.validate_on_submit():
        try:
            staff_accounts.check_new_password(form.password.data or "", form.again.data or "")
        except staff_accounts.StaffRefused as refused:
            field = form[refused.field or "password"]
            field.errors = [*field.errors, problem_text(refused.code)]
        else:
            hashed = off_the_loop(hash_password, form.password.data)
            accepted = staff_accounts.accept_invite(db.session, found, hashed)
            if accepted is None:  # the same link, sent twice at once: spent by the other
                db.session.rollback()
                refuse(404, LINK_DEAD)
            db.session.commit()
            user = accepted
            login_user(user)
            response = redirect(home_url(user))
            known.remember(current_app, response, user.id)
            flash(_("Welcome, %(name)s. Your password is set.", name=user.display_name))
            return response
    return render_template("coordinator/accept_invite.html", form=form, user=user), 400
