"""The coordinator's views of staff accounts: the list, invitations, roles, deactivation
and access given back. A link is shown once, on the page that answers the POST."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug import Response
from wtforms import SelectChoice

from app import staff_accounts
from app.coordinator_pages import bp, coordinator_only
from app.coordinator_pages.forms import ROLE_CHOICES, InviteForm
from app.coordinator_pages.words import problem_text
from app.extensions import db
from app.models import Cohort, User
from app.rendering import qr_svg
from app.sockets import emitter


def invite_url(token: str) -> str:
    """The one-time link, as a phone or another computer opens it."""
    return f"{current_app.config['PUBLIC_URL']}/invite/{token}"


def _staff_page(status: int = 200) -> tuple[str, int]:
    return render_template(
        "coordinator/staff.html",
        staff=staff_accounts.staff_list(db.session),
        roles=ROLE_CHOICES,
        me=current_user.id,
    ), status


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _refused(refused: staff_accounts.StaffRefused) -> tuple[str, int]:
    """The list again, saying why the change was refused; nothing was changed."""
    db.session.rollback()
    flash(problem_text(refused.code), "error")
    return _staff_page(400)


def _show_link(user: User, token: str, *, first: bool) -> str:
    url = invite_url(token)
    return render_template(
        "coordinator/invite_link.html", user=user, url=url, qr=qr_svg(url), first=first
    )


@bp.get("/coordinator/staff")
@coordinator_only
def staff() -> tuple[str, int]:
    """Every staff account: name, username, role, whether active, and groups."""
    return _staff_page()


def _invite_form() -> InviteForm:
    form = InviteForm()
    cohorts = db.session.scalars(
        select(Cohort)
        .where(Cohort.practice.is_(False), Cohort.archived_at.is_(None))
        .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
    )
    form.cohorts.choices = [SelectChoice(cohort.id, cohort.name) for cohort in cohorts]
    return form


@bp.route("/coordinator/staff/new", methods=["GET", "POST"])
@coordinator_only
def invite_staff() -> str | tuple[str, int]:
    """Create an account and show its one-time link, to copy or scan."""
    form = _invite_form()
    if request.method == "GET" or not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("coordinator/invite_form.html", form=form), status
    try:
        made = staff_accounts.invite(
            db.session,
            display_name=form.display_name.data or "",
            username=form.username.data or "",
            role=form.role.data or "",
            cohort_ids=form.cohorts.data or (),
            by=current_user,
        )
    except staff_accounts.StaffRefused as refused:
        db.session.rollback()
        field = form._fields.get(refused.field or "", form.display_name)
        field.errors = [*field.errors, problem_text(refused.code)]
        return render_template("coordinator/invite_form.html", form=form), 400
    db.session.commit()
    return _show_link(made.user, made.token, first=True)


@bp.post("/coordinator/staff/<int:user_id>/role")
@coordinator_only
def set_role(user_id: int) -> Response | tuple[str, int]:
    """Make someone a coordinator, a tutor or a trainee tutor."""
    user = _account(user_id)
    try:
        ended = staff_accounts.set_role(
            db.session, user, request.form.get("role", ""), by=current_user
        )
    except staff_accounts.StaffRefused as refused:
        return _refused(refused)
    db.session.commit()
    if ended is not None:  # after the commit: their open consoles and projectors close
        emitter.staff_signed_out(user.id, ended)
    flash(_("%(name)s's role is changed.", name=user.display_name))
    return redirect(url_for("coordinator.staff"))


def _set_active(user_id: int, active: bool) -> Response | tuple[str, int]:
    user = _account(user_id)
    try:
        ended = staff_accounts.set_active(db.session, user, active, by=current_user)
    except staff_accounts.StaffRefused as refused:
        return _refused(refused)
    db.session.commit()
    if ended is not None:  # after the commit: their open consoles and projectors close
        emitter.staff_signed_out(user.id, ended)
        flash(_("%(name)s's account is deactivated.", name=user.display_name))
    else:
        flash(_("%(name)s's account is active again.", name=user.display_name))
    return redirect(url_for("coordinator.staff"))


@bp.post("/coordinator/staff/<int:user_id>/deactivate")
@coordinator_only
def deactivate(user_id: int) -> Response | tuple[str, int]:
    """Refuse the account everywhere at once, its open sockets included."""
    return _set_active(user_id, False)


@bp.post("/coordinator/staff/<int:user_id>/reactivate")
@coordinator_only
def reactivate(user_id: int) -> Response | tuple[str, int]:
    """Let a deactivated account log in again, with the password it had."""
    return _set_active(user_id, True)


@bp.post("/coordinator/staff/<int:user_id>/reset-access")
@coordinator_only
def reset_access(user_id: int) -> str | tuple[str, int]:
    """Sign the account out everywhere, forget its password, show a new one-time link."""
    user = _account(user_id)
    try:
        reset = staff_accounts.reset_access(db.session, user, by=current_user)
    except staff_accounts.StaffRefused as refused:
        return _refused(refused)
    db.session.commit()
    emitter.staff_signed_out(user.id, reset.ended_generation)
    if user.id == current_user.id:  # their own: this browser is signed out too
        logout_user()
    return _show_link(user, reset.token, first=False)
