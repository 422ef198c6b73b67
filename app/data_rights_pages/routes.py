"""A person's data rights: on their phone (see who opened their data, take it, delete
it), and the coordinator's page to do the same for someone who asks in person.

The phone's pages need no id: the device cookie says whose data it is. The staff pages
are the coordinator's alone: a deletion reaches every group the person was in.
"""

from __future__ import annotations

import json

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app import audit
from app.audit_wording import action_words
from app.data_rights import erasure
from app.data_rights_pages import bp
from app.downloads import attachment
from app.extensions import db
from app.models import AuditEntry, Participant, User
from app.participants import device, phones
from app.participants.operations import identities
from app.permissions import Role
from app.portfolio import export
from app.portfolio.store import load
from app.portfolio_pages.owner import file_names
from app.script_access import current_script
from app.sockets import emitter

CONFIRM = "delete"  # the box a person ticks: "I understand this cannot be undone"


def _owner() -> Participant:
    if g.get("participant") is None:
        abort(403)
    return g.participant


@bp.get("/me/data")
def mine() -> str:
    """What the programme holds about the person, who opened it, and the two rights."""
    person = _owner()
    return render_template(
        "rights/mine.html",
        person=person,
        groups=erasure.cohorts_of(db.session, person.id),
        entries=audit.about(db.session, identities(db.session, person)),
        staff=_staff_names(audit.about(db.session, identities(db.session, person))),
    )


@bp.get("/me/delete")
def confirm_delete() -> str:
    person = _owner()
    return render_template("rights/delete_mine.html", person=person)


@bp.post("/me/delete")
def delete_mine() -> str | tuple[str, int]:
    """Delete everything about the person, now; the phone forgets them."""
    person = _owner()
    if request.form.get("confirm") != CONFIRM:
        flash(_("Tick the box to say you understand, then press the button again."), "error")
        return render_template("rights/delete_mine.html", person=person), 400
    done = _erase(person, None, erasure.Origin.PERSON)
    # The phone forgets what it kept for them (drafts, outbox): their ids say which.
    page = render_template("rights/deleted.html", erased=sorted(done.people))
    response = current_app.make_response(page)
    device.forget(current_app, response)
    # What the phone kept for itself (drafts, the outbox, cached pages) goes too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'

    return response  # type: ignore[return-value]


def _erase(person: Participant, by: int | None, origin: erasure.Origin) -> erasure.Erased:
    """Delete the person: their phones are signed out first, in a transaction of their
    own (no card of theirs lands while their words are being removed), then everything
    goes; once committed, no copy is left here, and the screens are redrawn."""
    ended = phones.sign_out_phones(db.session, person, phones.EndedWhy.ERASED)
    db.session.commit()
    emitter.phones_signed_out(ended)
    done = erasure.erase(db.session, person, by=by, origin=origin)
    db.session.commit()
    current_app.extensions["migrapass.exports"].drop(set(done.people))
    if not erasure.after_commit(db.session, done):
        current_app.logger.warning(
            "A deletion's pages stay in the SQLite write-ahead log until the next checkpoint"
        )
    emitter.person_erased(done.phones, done.open_sessions)
    return done


def _coordinator() -> User:
    if Role(current_user.role) is not Role.COORDINATOR:
        abort(403)
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _person(participant_id: int) -> Participant:
    person = db.session.get(Participant, participant_id)
    if person is None or person.erased_at is not None or person.merged_into_id is not None:
        abort(404)
    return person


@bp.get("/participants/<int:participant_id>/data")
@login_required
def person(participant_id: int) -> str:
    """The coordinator's page for a request made in person: export, or delete."""
    _coordinator()
    found = _person(participant_id)
    entries = audit.about(db.session, identities(db.session, found))
    return render_template(
        "rights/person.html",
        person=found,
        groups=erasure.cohorts_of(db.session, found.id),
        entries=entries,
        staff=_staff_names(entries),
    )


@bp.post("/participants/<int:participant_id>/export.json")
@login_required
def export_for(participant_id: int) -> Response:
    """Everything about the person, for them, by the coordinator (recorded)."""
    by = _coordinator()
    found = _person(participant_id)
    portfolio = load(db.session, found, current_script())
    data = export.everything(db.session, found, portfolio, by_staff=True)
    audit.record(db.session, audit.AuditAction.DATA_EXPORTED, by=by.id, participant_id=found.id)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body, mimetype="application/json", headers=attachment(*file_names(found, "data", "json"))
    )


@bp.post("/participants/<int:participant_id>/delete")
@login_required
def delete_person(participant_id: int) -> BaseResponse | tuple[str, int]:
    """Delete a person on their request; the coordinator types their name to confirm."""
    by = _coordinator()
    found = _person(participant_id)
    typed = " ".join(request.form.get("name", "").split())
    if typed.casefold() != " ".join(found.display_name.split()).casefold():
        flash(_("Type the person's name exactly as shown to confirm the deletion."), "error")
        entries = audit.about(db.session, identities(db.session, found))
        page = render_template(
            "rights/person.html",
            person=found,
            groups=erasure.cohorts_of(db.session, found.id),
            entries=entries,
            staff=_staff_names(entries),
        )
        return page, 400
    _erase(found, by.id, erasure.Origin.COORDINATOR)
    flash(_("The person's data is deleted. Only anonymous counts remain."))
    return redirect(url_for("coordinator.home"))


def _staff_names(entries: list[AuditEntry]) -> dict[int, str]:
    """The names of the members of staff in these entries, by id."""
    ids = {e.actor_user_id for e in entries if e.actor_user_id is not None}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())


@bp.app_context_processor
def _audit_words() -> dict[str, object]:
    return {
        "action_words": action_words,
        "format_datetime": format_datetime,
    }
