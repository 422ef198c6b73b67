"""The group's page sets each member's named tutor: the tutor who follows their portfolio."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug import Response

from app.extensions import db
from app.messages import error_text
from app.participants.operations import InvalidInput, name_tutor
from app.permissions import Action
from app.tutor_pages import bp, cohort_for
from app.tutor_pages.forms import NamedTutorForm
from app.tutor_pages.routes import cohort_page


@bp.post("/cohorts/<int:cohort_id>/participants/<int:participant_id>/tutor")
@login_required
def set_named_tutor(cohort_id: int, participant_id: int) -> Response | tuple[str, int]:
    """Make one of the group's tutors a member's named tutor (or nobody)."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    form = NamedTutorForm()
    try:
        if not form.validate_on_submit():
            raise InvalidInput("bad_request")
        member = name_tutor(db.session, found, participant_id, form.tutor_id())
    except InvalidInput as refused:
        db.session.rollback()
        if refused.code == "no_such_participant":
            abort(404)
        flash(error_text(refused.code), "error")
        return cohort_page(found), 400
    db.session.commit()
    who = member.participant.display_name
    if member.tutor is None:
        flash(_("%(name)s has no named tutor now.", name=who))
    else:
        flash(
            _("%(tutor)s is now the tutor of %(name)s.", tutor=member.tutor.display_name, name=who)
        )
    return redirect(url_for("tutor.cohort", cohort_id=found.id, _anchor="members-title"))
