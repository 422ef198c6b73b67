"""The list of replays, and rehearsals: of any meeting with simulated participants, or
taken over from a moment of a replay."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app.extensions import db
from app.live.errors import IllegalMove
from app.live.pinned import meeting_of
from app.messages import error_text
from app.models import LiveSession
from app.permissions import STAFF_ROLES, ReplayAction, Role
from app.rehearsal import start as rehearsal
from app.replay import annotations, listing
from app.replay_pages import bp, replay_for
from app.script_access import current_script
from app.workshops import Meeting

MAX_SIMULATED = 20
DEFAULT_SIMULATED = 6


@dataclass(frozen=True)
class Row:
    live: LiveSession
    title: str
    cohort: str
    day: str
    shareable: bool
    annotations: int
    questions_open: int
    reviews: bool
    url: str


def _staff_only() -> None:
    if Role(current_user.role) not in STAFF_ROLES:
        abort(403)


def _meetings() -> list[tuple[str, str]]:
    script = current_script()
    locale = str(get_locale())
    found = (script.meeting(slug, locale) for slug in script.slugs())
    return [(m.slug, f"{m.number} · {m.title}") for m in found if not m.is_interview]


def _numbered(meeting: Meeting) -> str:
    """ "4 · Professional competences": trainees look for a workshop by its number."""
    return f"{meeting.number} · {meeting.title}"


def replay_rows() -> list[Row]:
    """The sessions the person at the keyboard may replay, for the list and dashboard."""
    locale = str(get_locale())
    script = current_script()
    open_by_session: dict[int, int] = {}
    for question in annotations.open_questions(db.session, current_user):
        open_by_session[question.session_id] = open_by_session.get(question.session_id, 0) + 1
    return [
        Row(
            live=item.live,
            title=_numbered(meeting_of(db.session, item.live, locale, script)),
            cohort=item.cohort.name,
            day=format_date(to_user_timezone(item.live.started_at), format="medium"),
            shareable=item.live.shareable,
            annotations=item.annotations,
            questions_open=open_by_session.get(item.live.id, 0),
            reviews=item.reviews,
            url=url_for("replay.replay", session_id=item.live.id),
        )
        for item in listing.replayable(db.session, current_user)
    ]


@bp.get("/replays")
@login_required
def replays() -> str:
    """Finished sessions to learn from, and a rehearsal to start."""
    _staff_only()
    return render_template(
        "replay/list.html",
        sessions=replay_rows(),
        meetings=_meetings(),
        rehearse_url=url_for("replay.rehearse"),
        default_people=DEFAULT_SIMULATED,
        max_people=MAX_SIMULATED,
    )


def _people(raw: str | None) -> int | None:
    try:
        count = int(raw or DEFAULT_SIMULATED)
    except ValueError:
        return None
    return count if 1 <= count <= MAX_SIMULATED else None


@bp.post("/rehearsals")
@login_required
def rehearse() -> Response:
    """Start a private rehearsal of a meeting with simulated participants."""
    _staff_only()
    slug = request.form.get("meeting", "")
    people = _people(request.form.get("people"))
    if slug not in dict(_meetings()) or people is None:
        flash(
            _("Choose a meeting and between 1 and %(max)s participants.", max=MAX_SIMULATED),
            "error",
        )
        return redirect(url_for("replay.replays"))
    try:
        live = rehearsal.start_rehearsal(
            db.session, current_user, current_script(), slug, people, locale=str(get_locale())
        )
    except IllegalMove as refused:
        db.session.rollback()
        flash(error_text(refused.code), "error")
        return redirect(url_for("replay.replays"))
    db.session.commit()
    return redirect(url_for("tutor.console", session_id=live.id))


@bp.post("/replays/<int:session_id>/take-over")
@login_required
def take_over(session_id: int) -> Response:
    """A rehearsal whose board starts as this session's was at the chosen moment."""
    source = replay_for(session_id, ReplayAction.WATCH)
    try:
        seq = int(request.form.get("seq", ""))
    except ValueError:
        seq = -1
    if not 1 <= seq <= source.last_seq:  # a moment of the session, its start at the least
        flash(error_text("no_such_moment"), "error")
        return redirect(url_for("replay.replay", session_id=source.id))
    try:
        live = rehearsal.take_over(db.session, current_user, source, seq, locale=str(get_locale()))
    except IllegalMove as refused:
        db.session.rollback()
        flash(error_text(refused.code), "error")
        return redirect(url_for("replay.replay", session_id=source.id))
    db.session.commit()
    return redirect(url_for("tutor.console", session_id=live.id))
