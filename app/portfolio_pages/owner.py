"""The participant's own portfolio, on their phone: read, complete, share, take away.

Only the phone that carries the person's device cookie reaches these pages: there is
no id in the URL to guess, so no one can read someone else's portfolio through them.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from app import audit, ratelimit
from app.downloads import attachment, download_names, organisation_today
from app.extensions import db
from app.live import operations
from app.messages import error_text
from app.models import Participant
from app.outcomes.self_assessment import QUESTIONS, own_answers
from app.participants.consent import portfolio_withheld
from app.participants.operations import tutors_of
from app.pdf.exports import Busy, ExportQueue
from app.portfolio import cv as cv_model
from app.portfolio import export, own
from app.portfolio.errors import PortfolioRefused
from app.portfolio.own import OwnEventType
from app.portfolio.projection import Portfolio
from app.portfolio.schemas import schema
from app.portfolio.store import forget_contact, load, record
from app.portfolio_pages import documents, wording
from app.portfolio_pages.entry_form import error_field, raw_fields
from app.script_access import current_script
from app.vocabulary import PORTFOLIO_SECTIONS

bp = Blueprint("portfolio", __name__, url_prefix="/me")
bp.context_processor(wording.context)

CV_ROWS = {"work": 2, "volunteering": 2, "education": 2, "skills": 3}  # empty rows offered


def _owner() -> Participant:
    if g.get("participant") is None:
        abort(403)
    return g.participant


def _portfolio(person: Participant) -> Portfolio:
    """The person's portfolio; reading it (then drawing its page) is the costly part of
    these pages, so it is counted per person: a reload loop meets a limit."""
    if request.method == "GET" and not ratelimit.current().take_portfolio_read(person.id):
        abort(429)
    return load(db.session, person, current_script())


@bp.errorhandler(429)
def _too_fast(_error: Exception) -> BaseResponse:
    return _export_refused("too_fast_pages", 429)


def _client_id() -> str:
    """A fresh id for a form: sending the same form twice stores it once."""
    return secrets.token_urlsafe(12)


def _suggestions() -> tuple[Any, ...]:
    """The competence names offered in the form; a competence named after one keeps
    that one's ESCO skill."""
    return current_app.extensions["migrapass.suggestions"]


def _store(person: Participant, kind: OwnEventType, payload: dict[str, Any]) -> None:
    record(db.session, person, kind, payload, client_id=request.form.get("client_id"))
    db.session.commit()


@bp.get("")
def portfolio() -> str:
    """Every section with its entries, where each came from, and the tutor's comments;
    while the person's group holds a workshop, a way back to its room first."""
    person = _owner()
    return render_template(
        "portfolio/mine.html",
        person=person,
        portfolio=_portfolio(person),
        sections=PORTFOLIO_SECTIONS,
        current=operations.open_session_for_participant(db.session, person.id),
        self_assessment=own_answers(db.session, person.id),
        self_questions=QUESTIONS,
        withheld=portfolio_withheld(person),
        tutors=tutors_of(db.session, person),
    )


@bp.route("/sections/<section>/new", methods=["GET", "POST"])
def add_entry(section: str) -> str | BaseResponse | tuple[str, int]:
    """Write a new, private entry into one section."""
    person = _owner()
    if section not in PORTFOLIO_SECTIONS:
        abort(404)
    board = schema(PORTFOLIO_SECTIONS[section])
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = raw_fields(board, request.form.get, _suggestions())
        try:
            payload = own.new_entry(_portfolio(person), section, values)
        except PortfolioRefused as refused:
            return _form_again(
                "portfolio/entry_form.html",
                refused,
                section=section,
                board=board,
                values=values,
                entry=None,
            )
        _store(person, OwnEventType.ENTRY_ADDED, payload)
        flash(_("Added to your portfolio. Nobody else sees it. You can share it if you want."))
        return redirect(url_for("portfolio.portfolio", _anchor=section))
    return render_template(
        "portfolio/entry_form.html",
        section=section,
        board=board,
        values=values,
        entry=None,
        client_id=_client_id(),
        error=None,
    )


@bp.route("/entries/<key>/edit", methods=["GET", "POST"])
def edit_entry(key: str) -> str | BaseResponse | tuple[str, int]:
    """Rewrite an entry in the portfolio; a card from the room stays as the group saw it."""
    person = _owner()
    current = _portfolio(person)
    entry = current.find(key)
    if entry is None:
        abort(404)
    board = schema(entry.board)
    values: dict[str, Any] = dict(entry.fields)
    if request.method == "POST":
        values = raw_fields(board, request.form.get, _suggestions())
        try:
            payload = own.changed_entry(current, key, values)
        except PortfolioRefused as refused:
            return _form_again(
                "portfolio/entry_form.html",
                refused,
                section=entry.section,
                board=board,
                values=values,
                entry=entry,
            )
        _store(person, OwnEventType.ENTRY_EDITED, payload)
        flash(_("Your change is saved."))
        return redirect(url_for("portfolio.portfolio", _anchor=f"entry-{key}"))
    return render_template(
        "portfolio/entry_form.html",
        section=entry.section,
        board=board,
        values=values,
        entry=entry,
        client_id=_client_id(),
        error=None,
    )


@bp.post("/entries/<key>/share")
def share_entry(key: str) -> BaseResponse:
    """Share an entry with the tutor, or make it private again."""
    person = _owner()
    shared = request.form.get("shared") == "1"
    try:
        payload = own.sharing(_portfolio(person), key, shared)
    except PortfolioRefused as refused:
        flash(error_text(refused.code), "error")
        return redirect(url_for("portfolio.portfolio"))
    _store(person, OwnEventType.ENTRY_SHARED, payload)
    flash(_("Shared with your tutor.") if shared else _("Private: only you can see it."))
    return redirect(url_for("portfolio.portfolio", _anchor=f"entry-{key}"))


@bp.post("/entries/<key>/remove")
def remove_entry(key: str) -> BaseResponse:
    """Take an entry out of the portfolio (a card stays on the group's board)."""
    person = _owner()
    try:
        payload = own.removed_entry(_portfolio(person), key)
    except PortfolioRefused as refused:
        flash(error_text(refused.code), "error")
        return redirect(url_for("portfolio.portfolio"))
    _store(person, OwnEventType.ENTRY_REMOVED, payload)
    flash(_("The entry is out of your portfolio."))
    return redirect(url_for("portfolio.portfolio"))


@bp.post("/portfolio.pdf")
def portfolio_pdf() -> BaseResponse | tuple[str, int]:
    """Ask for the portfolio as a PDF: it is prepared while the phone waits on a page."""
    person = _owner()
    if busy := _export_waiting(person):
        return busy
    html = documents.portfolio_html(_portfolio(person), person)
    return _export(person, "portfolio", html)


@bp.route("/cv", methods=["GET", "POST"])
def cv() -> str | Response | BaseResponse | tuple[str, int]:
    """Edit the CV built from the portfolio, save it, or export it with contact details."""
    person = _owner()
    current = _portfolio(person)
    if request.method == "GET":
        return _cv_page(current, cv_model.current(current), current.contact or {}, None)
    action = request.form.get("action", "save")
    if action == "rebuild":
        _store(person, OwnEventType.CV_SAVED, {"cv": None})
        flash(_("We made your CV again from your portfolio."))
        return redirect(url_for("portfolio.cv"))
    rows = {name: _int(request.form.get(f"{name}-rows")) for name in CV_ROWS}
    raw = cv_model.from_form(request.form.get, rows)
    try:
        draft = cv_model.clean(raw)
        contact = own.contact_details(request.form)
        language = cv_model.language(request.form.get("cv_language"), person.locale)
    except PortfolioRefused as refused:
        return _cv_page(current, raw, request.form, refused), 400
    if action == "save":
        _store(person, OwnEventType.CV_SAVED, {"cv": draft})
        flash(_("Your CV is saved."))
        return redirect(url_for("portfolio.cv"))
    if busy := _export_waiting(person):
        return busy
    html = documents.cv_html(draft, current, person, contact, language)
    answer = _export(person, "cv", html)
    if answer.status_code == 303:  # asked for: only then is the contact kept or forgotten
        # Contact details go into this PDF only, unless the person asked to keep them.
        if request.form.get("remember_contact"):
            record(db.session, person, OwnEventType.CONTACT_SAVED, contact)
            db.session.commit()
        elif current.contact is not None:
            forget_contact(db.session, person)
            db.session.commit()
    return answer


@bp.get("/export.json")
def export_json() -> Response:
    """Everything the programme holds about the person, to take elsewhere."""
    person = _owner()
    data = export.everything(db.session, person, _portfolio(person))
    audit.record(db.session, audit.AuditAction.DATA_EXPORTED, by=None, participant_id=person.id)
    db.session.commit()
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body, mimetype="application/json", headers=attachment(*file_names(person, "data", "json"))
    )


def _int(raw: str | None) -> int:
    try:
        return max(0, int(raw or 0))
    except ValueError:
        return 0


def _form_again(template: str, refused: PortfolioRefused, **context: Any) -> tuple[str, int]:
    """The same form, filled in as sent, with what is wrong: nothing was stored."""
    page = render_template(
        template,
        client_id=request.form.get("client_id") or _client_id(),
        error={"field": error_field(refused.detail), "message": error_text(refused.code)},
        **context,
    )
    return page, 400


def _cv_page(current: Portfolio, draft: Any, contact: Any, refused: PortfolioRefused | None) -> str:
    error = None
    if refused is not None:
        error = {"field": refused.detail.split(":", 1)[0], "message": error_text(refused.code)}
    return render_template(
        "portfolio/cv_edit.html",
        cv=draft,
        portfolio=current,
        contact=contact,
        remembered=current.contact is not None,
        rows=CV_ROWS,
        client_id=_client_id(),
        error=error,
    )


def _exports() -> ExportQueue:
    return current_app.extensions["migrapass.exports"]


def _export_waiting(person: Participant) -> BaseResponse | None:
    """Say no before any work: one export waiting per person, a queue with room, and a
    few per minute (counted last: a refusal for a full queue spends nothing)."""
    waiting = _exports().waiting_for(person.id)
    if waiting is not None:
        return redirect(url_for("portfolio.export_status", token=waiting.token), 303)
    if _exports().full():
        return _export_refused("pdf_busy", 503)
    if not ratelimit.current().take_export(person.id):
        return _export_refused("too_many_exports", 429)
    return None


def _export(person: Participant, kind: str, html: str) -> BaseResponse:
    utf8, ascii_name = file_names(person, kind, "pdf")
    try:
        job = _exports().submit(
            person.id, kind, utf8, html, documents.stylesheet(), ascii_filename=ascii_name
        )
    except Busy:
        return _export_refused("pdf_busy", 503)
    audit.record(
        db.session,
        audit.AuditAction.PDF_EXPORTED,
        by=None,
        participant_id=person.id,
        detail={"kind": kind},
    )
    db.session.commit()
    return redirect(url_for("portfolio.export_status", token=job.token), 303)


def _export_refused(code: str, status: int) -> BaseResponse:
    page = render_template("participant/code_error.html", message=error_text(code))
    return make_response(page, status)


@bp.get("/exports/<token>")
def export_status(token: str) -> tuple[str, int]:
    """The PDF being prepared, then ready to download (or failed, with a way to retry)."""
    person = _owner()
    job = _exports().find(person.id, token)
    if job is None:
        abort(404)
    page = render_template(
        "portfolio/export.html", job=job, failed_message=error_text("pdf_failed")
    )
    return page, 202 if job.waiting else 200


@bp.get("/exports/<token>/file")
def export_file(token: str) -> Response:
    """The finished PDF, for its owner only."""
    person = _owner()
    job = _exports().find(person.id, token)
    if job is None or job.pdf is None:
        abort(404)
    return Response(
        job.pdf,
        mimetype="application/pdf",
        headers={
            **attachment(job.filename, job.ascii_filename or job.filename),
            "Cache-Control": "no-store",
        },
    )


def file_names(person: Participant, kind: str, extension: str) -> tuple[str, str]:
    """The (UTF-8, ASCII) names of one of the person's downloads: what it is, whose, and
    the day, e.g. migrapass-portfolio-amina-2026-11-29.pdf (a name in a script with no
    ASCII spelling gives a neutral word in the ASCII name)."""
    what = {"portfolio": _("portfolio"), "cv": _("cv"), "data": _("data")}[kind]
    return download_names(
        [what, person.display_name], organisation_today(), extension, neutral=_("participant")
    )
