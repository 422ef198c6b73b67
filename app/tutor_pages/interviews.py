"""The interviews' pages: the preparatory meeting, where a tutor and a person fill in the
interview together, and the closing one at workshop 7, where they reread it."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug import Response

from app import audit, interviews
from app.access import sessions_in_reach
from app.extensions import db
from app.live import operations
from app.messages import error_text
from app.models import Cohort, Membership, Participant
from app.participants import consent
from app.participants.operations import identities
from app.permissions import Action
from app.portfolio.own import shared_with_tutor
from app.portfolio.projection import Entry
from app.portfolio.store import load
from app.rendering import render_markdown
from app.script_access import current_script
from app.tutor_pages import bp, cohort_for, may_act_across
from app.tutor_pages.forms import ClosingForm, InterviewForm
from app.workshops import Meeting

Page = str | Response | tuple[str, int]


@bp.route("/cohorts/<int:cohort_id>/interviews/new", methods=["GET", "POST"])
@login_required
def new_interview(cohort_id: int) -> Page:
    """Hold the preparatory interview with someone new, who then joins the group."""
    return _interview_page(cohort_for(cohort_id, Action.MANAGE_COHORT), None)


@bp.route("/cohorts/<int:cohort_id>/interviews/<int:participant_id>", methods=["GET", "POST"])
@login_required
def interview(cohort_id: int, participant_id: int) -> Page:
    """Hold, or read again and correct, a member's preparatory interview."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    member = _member(found, participant_id)
    if request.method == "GET":
        _opened(audit.AuditAction.INTERVIEW_OPENED, member)
    return _interview_page(found, member.participant)


def _member(cohort: Cohort, participant_id: int) -> Membership:
    member = operations.membership(db.session, cohort.id, participant_id)
    if member is None or not member.admitted:  # at the door, or merged into another name
        abort(404)
    return member


def _opened(action: audit.AuditAction, member: Membership) -> None:
    """Note in the audit that this member of staff opened the person's interview."""
    audit.record(
        db.session,
        action,
        by=current_user.id,
        participant_id=member.participant_id,
        cohort_id=member.cohort_id,
    )
    db.session.commit()


def _meeting() -> Meeting:
    script = current_script()
    if interviews.MEETING_SLUG not in script.meetings:
        abort(404)
    return script.meeting(interviews.MEETING_SLUG, str(get_locale()))


def _interview_page(cohort: Cohort, participant: Participant | None) -> Page:
    meeting = _meeting()
    locked = participant is not None and interviews.identity_shared(
        db.session, cohort, participant, across_cohorts=may_act_across(cohort)
    )
    if request.method == "POST":
        form = InterviewForm()
        if not form.validate_on_submit():
            flash(error_text("bad_request"), "error")
            return _render(cohort, participant, meeting, form, locked), 400
        person = participant
        try:
            answers = interviews.clean_answers(form.raw_answers())
            if person is None:
                name = answers["profile"]["display_name"]
                locale = str(get_locale())
                person = interviews.welcome_newcomer(db.session, cohort, name, locale)
            interviews.save_interview(
                db.session,
                cohort,
                person,
                answers,
                form.consent_answers(),
                current_user,
                current_script(),
                identity_locked=locked,
            )
        except interviews.InvalidAnswers as err:
            db.session.rollback()
            form.show_problems(err.problems)
            flash(_("Please check the answers marked below."), "error")
            return _render(cohort, participant, meeting, form, locked), 400
        db.session.commit()
        flash(_("Interview saved"))
        return redirect(url_for("tutor.cohort", cohort_id=cohort.id))
    saved = None
    data: dict[str, Any] = {}
    if participant is not None:
        saved = interviews.find_interview(db.session, cohort.id, participant.id)
        data.update(InterviewForm.ticked(consent.current(participant)))
    data.update(interviews.initial_answers(saved, participant))
    return _render(cohort, participant, meeting, InterviewForm(data=data), locked)


def _render(
    cohort: Cohort,
    participant: Participant | None,
    meeting: Meeting,
    form: InterviewForm,
    locked: bool,
) -> str:
    sections = [
        (
            step,
            part,
            render_markdown(step.guide_md) if step else None,
            render_markdown(step.prompt_md) if step else None,
        )
        for step, part in interviews.form_layout(meeting)
    ]
    action = (
        url_for("tutor.interview", cohort_id=cohort.id, participant_id=participant.id)
        if participant is not None
        else url_for("tutor.new_interview", cohort_id=cohort.id)
    )
    return render_template(
        "tutor/interview.html",
        cohort=cohort,
        participant=participant,
        meeting=meeting,
        sections=sections,
        form=form.for_cohort(cohort.weeks),
        action=action,
        identity_locked=locked,
        consents=consent.current(participant) if participant is not None else {},
    )


@bp.route(
    "/cohorts/<int:cohort_id>/participants/<int:participant_id>/closing",
    methods=["GET", "POST"],
)
@login_required
def closing(cohort_id: int, participant_id: int) -> Page:
    """Hold the closing interview: reread the expectations and the action plan, note how
    it went."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    member = _member(found, participant_id)
    person = member.participant
    if request.method == "GET":
        _opened(audit.AuditAction.CLOSING_OPENED, member)
        saved = interviews.find_closing(db.session, found.id, person.id)
        return _render_closing(found, person, ClosingForm(data=interviews.closing_answers(saved)))
    form = ClosingForm()
    if not form.validate_on_submit():
        flash(error_text("bad_request"), "error")
        return _render_closing(found, person, form), 400
    try:
        answers = interviews.clean_closing(form.raw_answers())
    except interviews.InvalidAnswers as err:
        form.show_problems(err.problems)
        flash(_("Please check the answers marked below."), "error")
        return _render_closing(found, person, form), 400
    interviews.save_closing(db.session, found, person, answers, current_user)
    db.session.commit()
    flash(_("Closing interview saved"))
    return redirect(url_for("tutor.cohort", cohort_id=found.id))


def _action_plan(person: Participant) -> list[Entry]:
    """The person's action plan as this member of staff may read it: what they shared,
    from the groups this member of staff tutors (the coordinator: all)."""
    whole = load(db.session, person, current_script())
    reach = sessions_in_reach(db.session, current_user, identities(db.session, person))
    return shared_with_tutor(whole, reach).entries("action_plan")


def _render_closing(cohort: Cohort, person: Participant, form: ClosingForm) -> str:
    preparatory = interviews.find_interview(db.session, cohort.id, person.id)
    return render_template(
        "tutor/closing.html",
        cohort=cohort,
        participant=person,
        expectations=interviews.expectations_to_reread(preparatory),
        preparatory_held=preparatory is not None,
        action_plan=_action_plan(person),
        withheld=consent.portfolio_withheld(person),
        form=form,
    )
