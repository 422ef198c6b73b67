"""Staff log-in and log-out."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from app import ratelimit
from app.auth import known
from app.auth.forms import LoginForm
from app.extensions import db, login_manager
from app.messages import error_text
from app.models import User
from app.models.accounts import hash_password, needs_rehash, verify_password
from app.offload import off_the_loop, on_native_thread, turn
from app.permissions import Role
from app.redirects import safe_next
from app.sockets import emitter

bp = Blueprint("auth", __name__)
_USER_ID = re.compile(r"user:(?P<id>\d{1,12}):(?P<gen>\d{1,12})")


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The account a log-in cookie names, if that cookie's generation is still current
    (a log-out ends every copy) and the account is active: on every request and event."""
    found = _USER_ID.fullmatch(user_id)
    if found is None:
        return None
    user = db.session.get(User, int(found["id"]))
    if user is None or not user.is_active or user.session_generation != int(found["gen"]):
        return None
    return user


def home_url(user: User) -> str:
    """Where a member of staff lands: the coordinator on the organisation's home, anyone
    else on their groups."""
    if user.role == Role.COORDINATOR.value:
        return url_for("coordinator.home")
    return url_for("tutor.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    """Log a tutor in with username and password."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        username, address = form.username.data.strip(), request.remote_addr or "unknown"
        user = db.session.scalar(select(User).where(User.username == username))
        mine = user is not None and known.knows(current_app, request, user.id)
        limiter = ratelimit.current()
        stored = user.password_hash if user is not None and user.is_active else None
        # One attempt at a time: checked, hashed on a native thread (CPU that would
        # otherwise hold every live room) and counted, before the next is looked at.
        # Unknown names are checked against a throwaway hash: both answers take as long.
        with turn():
            if not limiter.may_log_in(username, address, known_browser=mine):
                flash(error_text("too_many_logins"), "error")
                return render_template("auth/login.html", form=form), 429
            right = on_native_thread(verify_password, stored, form.password.data)
            if not right:
                limiter.wrong_login(username, address, known_browser=mine)
        if right and user is not None:
            if needs_rehash(user.password_hash):
                user.password_hash = off_the_loop(hash_password, form.password.data)
                db.session.commit()
            login_user(user)
            response = redirect(safe_next(request.args.get("next"), home_url(user)))
            known.remember(current_app, response, user.id)
            return response
        flash(_("Wrong username or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():  # type: ignore[no-untyped-def]
    """Log the tutor out, on the server: no copy of the cookie opens anything after this."""
    user, ended = current_user._get_current_object(), current_user.session_generation
    user.end_sessions()
    db.session.commit()
    logout_user()
    emitter.staff_signed_out(user.id, ended)
    return redirect(url_for("participant.home"))
