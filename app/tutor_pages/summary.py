"""A session's boards to take away, during or after it: Markdown, CSV or PDF.

For those who run the session (its tutors, a coordinator, a trainee in their own
rehearsal): a trainee watching a real session sees pseudonyms and no hidden card on the
console, so the summary, which names people, is refused to them.
"""

from __future__ import annotations

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, get_locale, to_user_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as BaseResponse

from app.access import room_names
from app.downloads import attachment, download_names
from app.extensions import db
from app.i18n import plural_forms
from app.live.pinned import meeting_of
from app.live.store import load_state
from app.live.summary import SessionSummary, Words, build_summary
from app.live.summary_text import to_csv, to_markdown
from app.live.views import Audience
from app.messages import error_text
from app.models import LiveSession
from app.pdf import PdfError, render_pdf
from app.permissions import Action
from app.portfolio_pages.documents import has_long_word, stylesheet
from app.portfolio_pages.wording import CHOICE_LABELS
from app.script_access import current_script
from app.textdir import direction_of
from app.tutor_pages import bp, session_for
from app.workshops import Meeting

MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _title(meeting: Meeting) -> str:
    if isinstance(meeting.number, int):
        return _("Workshop %(number)s · %(step)s", number=meeting.number, step=meeting.title)
    return meeting.title


def _words(live: LiveSession, meeting: Meeting) -> Words:
    """The summary's words in the language of the person downloading it."""
    day = format_date(to_user_timezone(live.started_at), format="long")
    return Words(
        title=_title(meeting),
        about=_("Summary of the boards · %(group)s · %(date)s", group=live.cohort.name, date=day),
        step=_("Step"),
        group=_("Group"),
        group_votes=_("Votes for the group"),
        card=_("Card"),
        details=_("Details"),
        author=_("Author"),
        votes=_("Votes"),
        agree=_("Agree"),
        disagree=_("Disagree"),
        adopted=_("Adopted rule"),
        yes=_("Yes"),
        no_group=_("No group"),
        no_cards=_("No cards on this board."),
        by_votes=_("In order of votes."),
        anonymous=_("Anonymous"),
        typed_by_tutor=_("Typed by a tutor"),
        adopted_rule=_("Adopted rule"),
        stances=_("{agree} agree · {disagree} disagree"),
        votes_counted=plural_forms("{count} vote", "{count} votes"),
        by_date=_("by {date}"),
        evidence=_("What shows it: {evidence}"),
        resources=_("Help: {resources}"),
        helped=_("What helped: {text}"),
        change=_("To change: {text}"),
        answers_counted=plural_forms("{count} answer", "{count} answers"),
        confidence=_(
            "Today, do you feel more or less confident about your competences"
            " than at the start of Migrapass?"
        ),
        choices={
            "abroad": _("Abroad"),
            "france": _("In France"),
            "paid": _("Paid"),
            "voluntary": _("Voluntary"),
            **{value: str(label) for value, label in CHOICE_LABELS["category"].items()},
            **{value: str(label) for value, label in CHOICE_LABELS["confidence"].items()},
        },
    )


@bp.get("/sessions/<int:session_id>/summary.<fmt>")
@login_required
def session_summary(session_id: int, fmt: str) -> BaseResponse:
    """Download the summary of a session's boards as Markdown, CSV or PDF."""
    if fmt not in MEDIA_TYPES:
        abort(404)
    live = session_for(session_id, Action.SEE_BACKSTAGE)
    meeting = meeting_of(db.session, live, str(get_locale()), current_script())
    names = room_names(db.session, live.cohort_id).seen_by(Audience.TUTOR)
    summary = build_summary(load_state(db.session, live.id), meeting, names, _words(live, meeting))
    day = to_user_timezone(live.started_at).date()
    filename = download_names([live.cohort.name, meeting.title], day, fmt)
    if fmt == "md":
        body: str | bytes = to_markdown(summary)
    elif fmt == "csv":
        body = to_csv(summary)
    else:
        html = _pdf_html(summary, live.cohort.name)
        # Nothing more is read: the database connection goes back to the pool while
        # the worker draws.
        db.session.close()
        asker = current_user.id
        if asker in _drawing:  # a second click waits for nothing: the first is drawing
            flash(error_text("pdf_busy"), "error")
            return redirect(url_for("tutor.console", session_id=session_id), 303)
        _drawing.add(asker)
        try:
            # WeasyPrint runs in the PDF worker process; this request waits for it
            # without holding the event loop (app.pdf.renderer), and never longer than
            # a participant's export would: the worker is theirs first.
            body = render_pdf(html, stylesheet(), timeout=SUMMARY_PDF_WAIT_S)
        except PdfError:
            current_app.logger.exception("session summary PDF failed")
            flash(error_text("pdf_failed"), "error")
            return redirect(url_for("tutor.console", session_id=session_id), 303)
        finally:
            _drawing.discard(asker)
    headers = {**attachment(*filename), "Cache-Control": "no-store"}
    return Response(body, content_type=MEDIA_TYPES[fmt], headers=headers)


# One summary PDF at a time per staff member in this process; the worker is shared.
SUMMARY_PDF_WAIT_S = 30
_drawing: set[int] = set()


def _pdf_html(summary: SessionSummary, group: str) -> str:
    return render_template(
        "pdf/summary.html",
        summary=summary,
        words=summary.words,
        name=group,
        direction_of=direction_of,
        has_long_word=has_long_word,
    )
