"""Views on this package's blueprint: the year's and a group's reports, attendance
corrections, and the funders' anonymous export."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import abort
from werkzeug.wrappers import Response as BaseResponse

from app import audit, texts
from app.attendance import attendance, correctable, presence
from app.audit import AuditAction
from app.downloads import attachment, download_names, organisation_today
from app.errors import refuse
from app.extensions import db
from app.messages import error_text
from app.models import AttendanceCorrection, Cohort
from app.organisation import settings
from app.outcomes import disclosure, funders
from app.outcomes.figures import (
    CohortFigures,
    YearFigures,
    add_up,
    cohort_figures,
    cohorts_of_year,
    self_assessment_figures,
)
from app.outcomes.referrals import count_referrals
from app.pdf import PdfError, render_pdf
from app.permissions import Action, Role
from app.portfolio_pages.documents import has_long_word, stylesheet
from app.report_pages import bp, building
from app.report_pages.wording import funders_words, question_labels
from app.script_access import current_script
from app.textdir import direction_of
from app.tutor_pages import cohort_for

MAX_REASON = 500  # characters of a correction's reason
YEARS_SHOWN = 5  # the completion across years: this one and the four before
FIRST_YEAR, LAST_YEAR = 2000, 2100
FUNDERS_PDF_WAIT_S = 30
_drawing: set[int] = set()  # one funders' PDF at a time per coordinator, in this process

BAD_YEAR = _l("Write the year with four digits, for example 2026.")
ONLY_COORDINATOR = _l("Only a coordinator downloads the funders' export.")
ONLY_STAFF_OF_GROUPS = _l("Reports are for tutors and coordinators.")


def _year() -> int:
    raw = request.args.get("year", "").strip()
    if not raw:
        return organisation_today().year
    if not raw.isascii() or not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        refuse(400, BAD_YEAR)
    return int(raw)


def _coordinator() -> bool:
    return Role(current_user.role) is Role.COORDINATOR


def _scope() -> list[int] | None:
    """The cohorts whose figures this person reads: every one (None) for the
    coordinator, their own groups for a tutor; trainees read none."""
    role = Role(current_user.role)
    if role is Role.COORDINATOR:
        return None
    if role is not Role.TUTOR:
        refuse(403, ONLY_STAFF_OF_GROUPS)
    return [c.id for c in current_user.cohorts if not c.practice]


def _years_of(among: list[int] | None, year: int) -> list[YearFigures]:
    """The completion of this year and the ones before, those with groups."""
    script, threshold = current_script(), settings(db.session).completion_meetings
    years = []
    for each in range(year - YEARS_SHOWN + 1, year + 1):
        cohorts = cohorts_of_year(db.session, each, among)
        if cohorts:
            rows = cohort_figures(db.session, cohorts, script, threshold)
            years.append(add_up(each, rows, {}))
    return years


@bp.get("/reports")
@login_required
def year() -> str:
    """Show a year's figures: the coordinator's over every group, a tutor's over theirs."""
    chosen = _year()
    among = _scope()
    cohorts = cohorts_of_year(db.session, chosen, among)
    rows: list[CohortFigures] = cohort_figures(db.session, cohorts)
    ids = [c.id for c in cohorts]
    total = add_up(chosen, rows, count_referrals(db.session, ids))
    figures = self_assessment_figures(db.session, ids, question_labels())
    names = {c.id: c.name for c in cohorts}
    charts = [
        building.cohorts_completion_chart(rows, names) if rows else None,
        building.years_completion_chart(_years_of(among, chosen)),
        building.referrals_chart(total.referrals) if rows else None,
        building.self_assessment_chart(figures),
    ]
    return render_template(
        "reports/year.html",
        year=chosen,
        total=total,
        rows=rows,
        charts=[chart for chart in charts if chart is not None],
        threshold=settings(db.session).completion_meetings,
        meetings=len(current_script().cycle_slugs()),
        coordinator=_coordinator(),
        self_assessment_shown=figures is not None,
        counted=disclosure.count_text,
        percent=disclosure.percent_text,
    )


@bp.get("/cohorts/<int:cohort_id>/report")
@login_required
def cohort_report(cohort_id: int) -> str:
    """Show a group's attendance, completion, referrals and before/after as charts."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    if found.practice:
        abort(404)
    script = current_script()
    [row] = cohort_figures(db.session, [found], script)
    table = attendance(db.session, found.id, script, str(get_locale()))
    figures = self_assessment_figures(db.session, [found.id], question_labels())
    charts = [
        building.attendance_chart(table),
        building.referrals_chart(count_referrals(db.session, [found.id])),
        building.self_assessment_chart(figures),
    ]
    return render_template(
        "reports/cohort.html",
        cohort=found,
        completion=row.completion,
        charts=[chart for chart in charts if chart is not None],
        threshold=settings(db.session).completion_meetings,
        meetings=len(script.cycle_slugs()),
        self_assessment_shown=figures is not None,
        counted=disclosure.count_text,
        percent=disclosure.percent_text,
    )


def _correction_refused(found: Cohort, message: str) -> tuple[str, int]:
    """The correction form again, as it was sent, with what is wrong: nothing stored."""
    table = attendance(db.session, found.id, current_script(), str(get_locale()))
    page = render_template(
        "reports/correction.html",
        cohort=found,
        attendance=table,
        message=message,
        sent=request.form,
    )
    return page, 400


@bp.post("/cohorts/<int:cohort_id>/attendance/corrections")
@login_required
def correct_attendance(cohort_id: int) -> BaseResponse | tuple[str, int]:
    """Correct whether a member of the group attended a meeting; record who did it."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    script = current_script()
    form = request.form
    now = presence(db.session, found.id, script)
    listed = now.listed
    raw_id = form.get("participant_id", "")
    participant_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None
    slug = form.get("meeting_slug", "")
    present = form.get("present", "")
    reason = form.get("reason", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if participant_id is None or participant_id not in listed:
        return _correction_refused(found, _("Choose a member of the group."))
    if not correctable(script, slug, now.present):
        return _correction_refused(
            found, _("Choose a meeting the group has held: there is nothing to correct yet.")
        )
    if present not in ("yes", "no"):
        return _correction_refused(found, _("Say whether they were present or absent."))
    if texts.too_long(reason, MAX_REASON):
        return _correction_refused(found, error_text("answer_too_long"))
    db.session.add(
        AttendanceCorrection(
            cohort_id=found.id,
            meeting_slug=slug,
            participant_id=participant_id,
            present=present == "yes",
            reason=reason or None,
            corrected_by_id=current_user.id,
        )
    )
    audit.record(
        db.session,
        AuditAction.ATTENDANCE_CORRECTED,
        by=current_user.id,
        participant_id=participant_id,
        cohort_id=found.id,
        detail={"meeting": slug, "present": present == "yes"},
    )
    db.session.commit()
    meeting = script.meeting(slug, str(get_locale())).title
    flash(
        _(
            "%(name)s was present at %(meeting)s: corrected.",
            name=listed[participant_id],
            meeting=meeting,
        )
        if present == "yes"
        else _(
            "%(name)s was absent from %(meeting)s: corrected.",
            name=listed[participant_id],
            meeting=meeting,
        )
    )
    return redirect(url_for("tutor.cohort", cohort_id=found.id, _anchor="attendance-title"), 303)


def _funders_report(chosen: int) -> funders.FundersReport:
    if not _coordinator():
        refuse(403, ONLY_COORDINATOR)
    script, locale = current_script(), str(get_locale())
    titles = {slug: script.meeting(slug, locale).title for slug in script.slugs()}
    return funders.build(
        db.session,
        chosen,
        script,
        settings(db.session).completion_meetings,
        titles,
        funders_words(),
        question_labels(),
    )


def _funders_file(chosen: int, extension: str) -> tuple[str, str]:
    return download_names([_("funders"), str(chosen)], organisation_today(), extension)


@bp.get("/reports/funders.csv")
@login_required
def funders_csv() -> Response:
    """Download the year's anonymous figures as CSV (coordinator only)."""
    chosen = _year()
    report = _funders_report(chosen)
    body = funders.to_csv(report, funders_words())
    audit.record(
        db.session,
        AuditAction.FUNDERS_EXPORTED,
        by=current_user.id,
        detail={"year": chosen, "format": "csv"},
    )
    db.session.commit()
    headers = {**attachment(*_funders_file(chosen, "csv")), "Cache-Control": "no-store"}
    return Response(body, content_type="text/csv; charset=utf-8", headers=headers)


@bp.get("/reports/funders.pdf")
@login_required
def funders_pdf() -> BaseResponse:
    """Download the year's anonymous figures as a PDF report (coordinator only)."""
    chosen = _year()
    report = _funders_report(chosen)
    html = _funders_html(report)
    back = redirect(url_for("reports.year", year=chosen), 303)
    # Nothing more is read while the worker draws: the connection goes back to the pool.
    db.session.close()
    asker = current_user.id
    if asker in _drawing:  # a second click waits for nothing: the first is drawing
        flash(error_text("pdf_busy"), "error")
        return back
    _drawing.add(asker)
    try:
        # WeasyPrint runs in the PDF worker process (app.pdf.renderer): this request
        # waits for it without holding the event loop, and never long.
        body = render_pdf(html, stylesheet(), timeout=FUNDERS_PDF_WAIT_S)
    except PdfError:
        current_app.logger.exception("funders' PDF failed")
        flash(error_text("pdf_failed"), "error")
        return back
    finally:
        _drawing.discard(asker)
    audit.record(
        db.session,
        AuditAction.FUNDERS_EXPORTED,
        by=asker,
        detail={"year": chosen, "format": "pdf"},
    )
    db.session.commit()
    headers = {**attachment(*_funders_file(chosen, "pdf")), "Cache-Control": "no-store"}
    return Response(body, content_type="application/pdf", headers=headers)


def _funders_html(report: funders.FundersReport) -> str:
    return render_template(
        "pdf/funders.html",
        report=report,
        words=funders_words(),
        charts=building.funders_charts(report),
        made_on=organisation_today(),
        name="Migrapass",
        direction_of=direction_of,
        has_long_word=has_long_word,
    )
