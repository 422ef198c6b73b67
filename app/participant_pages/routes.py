"""Pages for participants: home, joining with a code, waiting, the phone room."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug import Response

from app import codes, i18n, ratelimit, static_files
from app.access import room_names
from app.auth.routes import home_url
from app.extensions import db
from app.live import operations
from app.live.errors import IllegalMove
from app.live.pinned import meeting_of
from app.messages import error_text
from app.models import DeviceLink, LiveSession, Participant
from app.models.base import ms_of
from app.participant_pages.forms import JoinForm, KnockForm
from app.participants import consent, device
from app.participants.operations import (
    InvalidInput,
    create_participant,
    current_identity,
    redeem_rejoin_code,
    tutors_of,
)
from app.participants.phones import (
    EndedWhy,
    LinkedVia,
    end_link,
    link_of,
    link_phone,
    sign_out_phones,
)
from app.portfolio_pages.wording import CHOICE_LABELS
from app.redirects import safe_next
from app.rendering import render_markdown
from app.script_access import current_script
from app.sockets import emitter
from app.workshops import REFERENCE_LOCALE

bp = Blueprint("participant", __name__)


@bp.before_app_request
def _load_participant() -> None:
    """Whose phone this is, if its link still holds (checked on every request but for a
    static file, which is the same for everyone and must not cost a query)."""
    g.participant = g.device_link = None
    if request.endpoint == "static":
        return
    token = device.read(current_app, request)
    if token is not None:
        g.device_link = link_of(db.session, token)
        if g.device_link is not None:
            g.participant = current_identity(db.session, token.participant_id)
            g.renew_device_cookie = token.link_id is None  # an old cookie gets its link
        else:  # signed out elsewhere: say so once, and drop the cookie
            g.phone_signed_out = True
    if g.participant is not None:
        g.participant_locale = g.participant.locale


@bp.after_app_request
def _renew_device_cookie(response: Response) -> Response:
    """Give a phone whose cookie came from before device links one naming its link, and
    take back a cookie whose link has ended."""
    if g.get("renew_device_cookie") and g.get("device_link") is not None:
        link = db.session.get(DeviceLink, g.device_link)
        if link is not None:
            device.remember(current_app, response, link)
    elif g.get("phone_signed_out") and request.endpoint == "participant.home":
        device.forget(current_app, response)
    return response


def _friendly_error(code: str, status: int) -> tuple[str, int]:
    return render_template("participant/code_error.html", message=error_text(code)), status


@bp.get("/")
def home() -> str | Response:
    """Show the code form, or send a logged-in member of staff to their home."""
    if current_user.is_authenticated:
        return redirect(home_url(current_user))
    current, tutors = None, []
    if g.participant is not None:
        current = operations.open_session_for_participant(db.session, g.participant.id)
        tutors = tutors_of(db.session, g.participant)
    return render_template(
        "participant/home.html",
        current=current,
        tutors=tutors,
        signed_out=g.get("phone_signed_out", False),
        turned_away=request.args.get("door") == "closed",
    )


def _guesser() -> tuple[str, str]:
    """Who is typing codes: this browser (a random id in its session) and its address."""
    if "browser" not in session:
        session["browser"] = secrets.token_hex(8)
    return session["browser"], request.remote_addr or "unknown"


def _too_many_own_codes() -> tuple[str, int] | None:
    """A browser past its own limit of wrong codes is refused any code, right or wrong:
    these are its own mistakes, and it can tell nothing from the answer."""
    if ratelimit.current().browser_may_try_code(_guesser()[0]):
        return None
    return _friendly_error("too_many_codes", 429)


def _too_many_codes_here() -> tuple[str, int] | None:
    """Past either limit (this browser's, or everyone's behind its address): refused."""
    if ratelimit.current().address_may_try_code(_guesser()[1]):
        return _too_many_own_codes()
    return _friendly_error("too_many_codes", 429)


def _wrong_code(code: str, status: int) -> tuple[str, int]:
    """A wrong code, counted per browser and per address; past either limit, say so.

    A room's code is looked up before the address's count is read: a right one always
    opens its door, so a room behind one Wi-Fi (or a proxy) is never shut out by the
    mistakes of others. A guesser who drops cookies learns right from wrong past the
    address's limit too, but a door is all a room's code opens (the tutor lets people
    in), 31^6 codes at the fair share's pace is years of guessing, and codes end with
    their session.
    """
    limiter, guesser = ratelimit.current(), _guesser()
    refused = _too_many_codes_here()
    if refused is not None:
        return refused
    limiter.wrong_code(*guesser)
    return _friendly_error(code, status)


@bp.post("/join")
def join_by_typed_code() -> Response | tuple[str, int]:
    """Take a code typed on the home page: a room's code, or a personal re-join code."""
    code = codes.normalise(request.form.get("code", ""))
    if codes.looks_valid(code, codes.JOIN_CODE_LENGTH):
        return redirect(url_for("participant.join", code=code))
    if codes.looks_valid(code, codes.REJOIN_CODE_LENGTH):
        # A personal code opens a person, not a door: both limits hold before it is tried.
        refused = _too_many_codes_here()
        if refused is not None:
            return refused
        try:
            participant = redeem_rejoin_code(db.session, code)
        except InvalidInput as err:
            db.session.rollback()
            return _wrong_code(err.code, 404)
        # This phone replaces the others: a code someone else was given cannot leave a
        # second, silent phone speaking for the person.
        link = link_phone(db.session, participant, LinkedVia.REJOIN_CODE)
        retired = sign_out_phones(db.session, participant, EndedWhy.NEW_PHONE, keep=link.id)
        db.session.commit()
        emitter.phones_signed_out(retired)
        response = redirect(url_for("participant.home"))
        device.remember(current_app, response, link)
        # Said in the person's own language: this request did not know who they were yet.
        with force_locale(participant.locale):
            welcome = _("Welcome back, %(name)s. This phone is now yours.")
        flash(welcome % {"name": participant.display_name})
        return response
    return _wrong_code("code_malformed", 400)


@bp.route("/j/<code>", methods=["GET", "POST"])
def join(code: str) -> str | Response | tuple[str, int]:
    """Join a live session with its code: a name, a language and consent, once.

    A GET never knocks at the door: a link on any site can send a phone here, so a
    phone already known only sees the group's name and a button that asks to join.
    """
    code = codes.normalise(code)
    refused = _too_many_own_codes()
    if refused is not None:
        return refused
    live = operations.session_by_code(db.session, code) if code else None
    if live is None:
        return _wrong_code("code_unknown", 404)
    if not live.is_open:
        return _friendly_error("session_ended", 410)
    participant: Participant | None = g.participant
    member = participant is not None and operations.membership(
        db.session, live.cohort_id, participant.id
    )
    if member and consent.has_required(participant):
        return redirect(url_for("participant.room", session_id=live.id))
    if live.joining_locked and not member:
        return _friendly_error("joining_locked", 403)
    if participant is not None and consent.has_required(participant):
        if request.method == "GET":
            return render_template("participant/knock.html", live=live, form=KnockForm())
        if not KnockForm().validate_on_submit():
            return _friendly_error("bad_request", 400)
        if not _door_open(live):
            return _friendly_error("door_busy", 429)
        return _enter_or_wait(live, participant)
    form = JoinForm(needs_name=participant is None)
    form.language.choices = [(c, i18n.language_name(c)) for c in i18n.supported()]
    if request.method == "GET":
        form.language.data = participant.locale if participant else i18n.select_locale()
    if form.validate_on_submit():
        if not member and not _door_open(live):
            return _friendly_error("door_busy", 429)
        if not form.consent_data.data:
            flash(error_text("consent_required"), "error")
            return render_template("participant/join.html", form=form, live=live), 400
        link = None
        try:
            if participant is None:
                participant = create_participant(db.session, form.name.data, form.language.data)
                link = link_phone(db.session, participant, LinkedVia.JOIN)
            participant.locale = form.language.data
            consent.record(db.session, participant, form.consent_answers())
        except InvalidInput as err:
            db.session.rollback()
            flash(error_text(err.code), "error")
            return render_template("participant/join.html", form=form, live=live), 400
        response = _enter_or_wait(live, participant)
        if link is not None and response.status_code == 302:  # stored: the phone is theirs
            device.remember(current_app, response, link)
        return response
    status = 400 if request.method == "POST" else 200
    return render_template("participant/join.html", form=form, live=live), status


def _door_open(live: LiveSession) -> bool:
    """Whether this address may still put new people at the door (counts the request)."""
    return ratelimit.current().take_knock(request.remote_addr or "unknown")


def _enter_or_wait(live: LiveSession, participant: Participant) -> Response:
    try:
        member, created = operations.request_to_join(db.session, live, participant)
    except IllegalMove as refused:
        db.session.rollback()
        return make_response(_friendly_error(refused.code, 403))
    # The names are read before the commit, in the same transaction: a read after it would
    # open another one, and nothing is sent inside a transaction.
    people = room_names(db.session, live.cohort_id) if created else None
    since_ms = ms_of(member.requested_at)
    db.session.commit()
    if people is not None:
        emitter.waiting(live.id, participant.id, people, since_ms)
    return redirect(url_for("participant.room", session_id=live.id))


@bp.get("/s/<int:session_id>")
def room(session_id: int) -> str | Response | tuple[str, int]:
    """The phone's view of the room: waiting at the door, or the board and a form to post."""
    participant: Participant | None = g.participant
    live = db.session.get(LiveSession, session_id)
    if participant is None or live is None:
        return redirect(url_for("participant.home"))
    member = operations.membership(db.session, live.cohort_id, participant.id)
    if member is None:  # not this group's: no redirect that would show the room's code
        return redirect(url_for("participant.home"))
    if not consent.has_required(participant):
        return redirect(url_for("participant.join", code=live.join_code))
    if not live.is_open:
        return _friendly_error("session_ended", 410)
    # As the tutor's lists show the person: "Amina #3" when another Amina is in the group.
    shown_name = room_names(db.session, live.cohort_id).listed.get(participant.id)
    if not member.admitted:
        return render_template(
            "participant/waiting.html", live=live, participant=participant, shown_name=shown_name
        )
    meeting = meeting_of(db.session, live, participant.locale, current_script())
    prompts = [(step, render_markdown(step.prompt_md)) for step in meeting.steps]
    # "Show French with my language": each step's French title and prompt under the
    # person's own, as the tutor says them and the projector shows them.
    french = french_title = None
    if i18n.french_beside() and meeting.locale != REFERENCE_LOCALE:
        reference = meeting_of(db.session, live, REFERENCE_LOCALE, current_script())
        french = {s.id: (s.title, render_markdown(s.prompt_md)) for s in reference.steps}
        french_title = reference.title
    return render_template(
        "participant/room.html",
        live=live,
        participant=participant,
        shown_name=shown_name,
        meeting=meeting,
        prompts=prompts,
        french=french,
        french_title=french_title,
        room_language=REFERENCE_LOCALE,  # what a card typed in the room is read aloud in
        suggestions=current_app.extensions["migrapass.suggestions"],
        portfolio_withheld=consent.portfolio_withheld(participant),
        choice_labels=CHOICE_LABELS,  # the feedback's answers, as the portfolio words them
    )


@bp.get("/sw.js")
def service_worker() -> Response:
    """The phone's service worker, from the app's root (a proxy's prefix included) so that
    its scope holds the room pages; under its plain name.

    Kept an hour (room.js registers it with updateViaCache "all"): a warm visit asks the
    network for the page alone. A new version reaches the phone at the next reload even
    so: the worker sends pages to the network first, and the new page's files have new
    names; only a change to the worker itself waits for the hour."""
    response = static_files.serve_unhashed("js/sw.js")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.post("/not-me")
def not_me() -> Response:
    """Sign the person out of this (shared) phone, and any copy of its cookie with it."""
    ended = []
    if g.device_link is not None:
        ended = end_link(db.session, g.device_link, EndedWhy.NOT_ME)
        db.session.commit()
    emitter.phones_signed_out(ended)
    response = redirect(url_for("participant.home"))
    device.forget(current_app, response)
    # The phone goes on in the language it spoke (the message below is in it), not in
    # its browser's, which may be one its person does not read.
    _remember_language(response, i18n.select_locale())
    # The browser's cache holds the person's pages (Back would show them): it goes. Not
    # "storage": that would take the other people's unsent cards on a shared phone too;
    # the service worker's kept rooms go by static/js/outbox.js.
    response.headers["Clear-Site-Data"] = '"cache"'
    flash(_("You are signed out of this phone. Your work is safe."))
    return response


@bp.post("/language/french-beside")
def choose_french_beside() -> Response:
    """Show the workshop's French under the person's own language, or stop showing it."""
    person: Participant | None = g.participant
    response = redirect(safe_next(request.form.get("next"), url_for("participant.home")))
    if person is None:
        abort(403)
    person.french_beside = request.form.get("show") == "1"
    db.session.commit()
    return response


@bp.post("/language")
def choose_language() -> Response:
    """Switch the interface language, and remember it for the participant."""
    code = request.form.get("language", "")
    response = redirect(safe_next(request.form.get("next"), url_for("participant.home")))
    if code in i18n.supported():
        _remember_language(response, code)
        if g.participant is not None:
            g.participant.locale = code
            db.session.commit()
    return response


def _remember_language(response: Response, code: str) -> None:
    """The phone's language, for the pages it opens before anyone is signed in on it."""
    response.set_cookie(
        i18n.LANG_COOKIE,
        code,
        max_age=400 * 24 * 3600,
        samesite="Lax",
        path=current_app.config["APPLICATION_ROOT"],
    )
