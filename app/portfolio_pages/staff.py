"""A tutor reads what a participant of their group shared, and leaves comments.

Only tutors of a group the person belongs to (and coordinators) come in; they see the
entries the person shared, never the private ones; trainees never read portfolios.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app import audit
from app.access import portfolio_principal, sessions_in_reach
from app.extensions import db
from app.messages import error_text
from app.models import Participant
from app.participants.operations import current_identity, identities
from app.permissions import Action, can
from app.portfolio import own
from app.portfolio.errors import PortfolioRefused
from app.portfolio.own import OwnEventType
from app.portfolio.projection import Portfolio
from app.portfolio.store import load, record
from app.portfolio_pages import wording
from app.script_access import current_script
from app.vocabulary import PORTFOLIO_SECTIONS

bp = Blueprint("portfolio_staff", __name__)
bp.context_processor(wording.context)


def _person(participant_id: int, action: Action) -> Participant:
    person = current_identity(db.session, participant_id)
    if person is None or person.erased_at is not None:  # a deleted person's stand-in
        abort(404)
    if not can(portfolio_principal(db.session, current_user, person), action):
        abort(403)
    return person


def _readable(person: Participant) -> Portfolio:
    """What this member of staff may read: what the person shared, from their groups."""
    whole = load(db.session, person, current_script())
    reach = sessions_in_reach(db.session, current_user, identities(db.session, person))
    return own.shared_with_tutor(whole, reach)


@bp.get("/participants/<int:participant_id>/portfolio")
@login_required
def shared_portfolio(participant_id: int) -> str:
    """Show a tutor what a member of their group shared, with a form to comment."""
    person = _person(participant_id, Action.READ_SHARED_PORTFOLIO)
    readable = _readable(person)
    audit.record(
        db.session, audit.AuditAction.PORTFOLIO_OPENED, by=current_user.id, participant_id=person.id
    )
    db.session.commit()
    return render_template(
        "portfolio/tutor.html",
        person=person,
        portfolio=readable,
        sections=PORTFOLIO_SECTIONS,
        error=None,
    )


@bp.post("/participants/<int:participant_id>/portfolio/comments")
@login_required
def comment(participant_id: int) -> Response | tuple[str, int]:
    """Leave a comment on a shared entry, or on the whole portfolio."""
    person = _person(participant_id, Action.COMMENT_PORTFOLIO)
    readable = _readable(person)
    key = request.form.get("key") or None
    try:
        payload = own.comment(readable, key, request.form.get("text"))
    except PortfolioRefused as refused:
        page = render_template(
            "portfolio/tutor.html",
            person=person,
            portfolio=readable,
            sections=PORTFOLIO_SECTIONS,
            error={"key": key, "message": error_text(refused.code)},
        )
        return page, 400
    record(
        db.session,
        person,
        OwnEventType.COMMENT_ADDED,
        payload,
        client_id=request.form.get("client_id"),
        staff=current_user,
    )
    db.session.commit()
    flash(
        _(
            "Your comment is saved. %(name)s will see it in their portfolio.",
            name=person.display_name,
        )
    )
    anchor = f"entry-{key}" if key else "comments"
    return redirect(url_for(".shared_portfolio", participant_id=person.id, _anchor=anchor))
