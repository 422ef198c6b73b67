"""The coordinator's views of one group: create it, change it and its tutors, archive it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug import Response
from wtforms import SelectChoice

from app.coordinator_pages import bp, coordinator_only, groups
from app.coordinator_pages.forms import CohortForm
from app.coordinator_pages.words import problem_text
from app.extensions import db
from app.models import Cohort, User
from app.permissions import Role
from app.sockets import emitter

_ROLE_ORDER = {Role.TUTOR.value: 0, Role.TRAINEE.value: 1, Role.COORDINATOR.value: 2}


def _form(cohort: Cohort | None = None) -> CohortForm:
    """The group's form, its tutor list offering every active account (and those already
    in the group, active or not, so that saving does not drop them unseen)."""
    form = CohortForm(obj=None)
    current = {user.id for user in cohort.tutors} if cohort else set()
    staff = db.session.scalars(select(User).order_by(User.display_name, User.username))
    offered = [u for u in staff if u.is_active_account or u.id in current]
    offered.sort(key=lambda u: _ROLE_ORDER.get(u.role, 3))
    form.tutors.choices = [SelectChoice(u.id, f"{u.display_name} ({u.username})") for u in offered]
    if cohort is not None and request.method == "GET":
        form.name.data = cohort.name
        form.starts_on.data = cohort.starts_on.isoformat()
        form.ends_on.data = cohort.ends_on.isoformat() if cohort.ends_on else ""
        form.venue.data = cohort.venue or ""
        form.weeks.data = str(cohort.weeks)
        form.tutors.data = sorted(current)
    return form


def _show(form: CohortForm, cohort: Cohort | None, status: int) -> tuple[str, int]:
    return render_template("coordinator/cohort_form.html", form=form, cohort=cohort), status


def _checked(form: CohortForm) -> groups.CohortFields | None:
    """The posted fields once checked; else None, with each problem beside its field."""
    if not form.validate_on_submit():
        return None
    try:
        return groups.check(db.session, form.cohort_input())
    except groups.CohortProblems as found:
        for name, code in found.problems.items():
            form[name].errors = [*form[name].errors, problem_text(code)]
        return None


@bp.route("/coordinator/cohorts/new", methods=["GET", "POST"])
@coordinator_only
def new_cohort() -> Response | tuple[str, int]:
    """Create a group: its name, dates, place, cycle length and tutors."""
    form = _form()
    if request.method == "GET":
        return _show(form, None, 200)
    fields = _checked(form)
    if fields is None:
        return _show(form, None, 400)
    cohort = groups.create(db.session, fields)
    db.session.commit()
    flash(_("The group %(name)s is created.", name=cohort.name))
    return redirect(url_for("coordinator.home"))


def _real_cohort(cohort_id: int) -> Cohort:
    cohort = groups.real_cohort(db.session, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


@bp.route("/coordinator/cohorts/<int:cohort_id>", methods=["GET", "POST"])
@coordinator_only
def edit_cohort(cohort_id: int) -> Response | tuple[str, int]:
    """Change a group's fields, and assign or unassign its tutors."""
    cohort = _real_cohort(cohort_id)
    form = _form(cohort)
    if request.method == "GET":
        return _show(form, cohort, 200)
    fields = _checked(form)
    if fields is None:
        return _show(form, cohort, 400)
    ended = groups.change(db.session, cohort, fields)
    db.session.commit()
    for user_id, generation in ended.items():  # their consoles on the group close
        emitter.staff_signed_out(user_id, generation)
    flash(_("The group %(name)s is saved.", name=cohort.name))
    return redirect(url_for("coordinator.home"))


@bp.post("/coordinator/cohorts/<int:cohort_id>/archive")
@coordinator_only
def archive_cohort(cohort_id: int) -> Response:
    """Put a group away: it leaves the current list, and still counts in its year."""
    cohort = _real_cohort(cohort_id)
    groups.archive(db.session, cohort)
    db.session.commit()
    flash(_("The group %(name)s is archived.", name=cohort.name))
    return redirect(url_for("coordinator.home"))


@bp.post("/coordinator/cohorts/<int:cohort_id>/unarchive")
@coordinator_only
def unarchive_cohort(cohort_id: int) -> Response:
    """Bring an archived group back to the lists."""
    cohort = _real_cohort(cohort_id)
    groups.unarchive(db.session, cohort)
    db.session.commit()
    flash(_("The group %(name)s is back from the archive.", name=cohort.name))
    return redirect(url_for("coordinator.home"))
