"""Pages for tutors: dashboard, cohort members, the live console and the projector."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import format_date, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from werkzeug import Response
from wtforms import SelectChoice

from app import i18n, texts
from app.access import label_with_number, session_principal, staff_principal
from app.attendance import attendance
from app.extensions import db
from app.live import operations
from app.live.errors import IllegalMove
from app.live.group_rules import earlier_rules
from app.live.pinned import meeting_of
from app.messages import error_text
from app.models import Cohort, LiveSession, Membership, MembershipStatus, Participant, User
from app.participants import consent, phones
from app.participants.operations import (
    InvalidInput,
    beyond_the_wall,
    create_participant,
    issue_rejoin_code,
    named_tutors,
    tutors_to_name,
)
from app.permissions import Action, Role, can
from app.portfolio_pages.wording import CHOICE_LABELS
from app.progress import MeetingProgress, cycle_progress
from app.rendering import join_url, qr_svg, render_markdown
from app.replay import annotations
from app.replay.listing import running_rehearsals
from app.replay_pages.rehearsals import replay_rows
from app.script_access import current_script
from app.sockets import emitter
from app.sockets.boundary import perform
from app.tutor_pages import bp, cohort_for, may_act_across, session_for
from app.tutor_pages.forms import (
    AddParticipantForm,
    MergeForm,
    StartSessionForm,
)
from app.vocabulary.boards import BOARDS
from app.workshops import Meeting


def _room_meetings() -> list[Meeting]:
    """The meetings run live in the room; the preparatory interview has its own page."""
    locale = str(get_locale())
    script = current_script()
    meetings = (script.meeting(slug, locale) for slug in script.slugs())
    return [meeting for meeting in meetings if not meeting.is_interview]


def _meeting_choices(meetings: list[Meeting] | None = None) -> list[tuple[str, str]]:
    return [(m.slug, f"{m.number} · {m.title}") for m in meetings or _room_meetings()]


@dataclass(frozen=True)
class CohortCard:
    """One group on the dashboard: its running workshop, or where it is in its cycle."""

    cohort: Cohort
    live: LiveSession | None
    form: StartSessionForm
    progress: list[MeetingProgress]
    may_manage: bool  # the group's people and consent (a trainee may not open them)


def _groups_of(user: User) -> list[Cohort]:
    """The groups on someone's dashboard: those they tutor; every real group of the
    organisation for the coordinator (who tutors none, and answers for all)."""
    if Role(user.role) is Role.COORDINATOR:
        return list(
            db.session.scalars(
                select(Cohort)
                .where(Cohort.practice.is_(False))
                .order_by(Cohort.starts_on.desc(), Cohort.id.desc())
            )
        )
    return [cohort for cohort in user.cohorts if not cohort.practice]


@bp.get("/tutor")
@login_required
def dashboard() -> str:
    """The tutor's groups: the workshop running, or the meetings held and the next one."""
    meetings = _room_meetings()
    choices = _meeting_choices(meetings)
    cards = []
    for cohort in _groups_of(current_user):
        form = StartSessionForm(prefix=f"c{cohort.id}")
        form.meeting.choices = choices
        progress = cycle_progress(db.session, cohort.id, meetings)
        form.meeting.data = next((p.meeting.slug for p in progress if p.is_next), None)
        live = operations.open_session_of(db.session, cohort)
        principal = staff_principal(db.session, current_user, cohort.id)
        may_manage = can(principal, Action.MANAGE_COHORT)
        cards.append(CohortCard(cohort, live, form, progress, may_manage))
    return render_template(
        "tutor/dashboard.html",
        cohorts=cards,
        format_date=format_date,
        learning=Role(current_user.role) is Role.TRAINEE,
        replays=replay_rows()[:DASHBOARD_REPLAYS],
        questions=annotations.open_questions(db.session, current_user),
        rehearsals=running_rehearsals(db.session, current_user),
    )


DASHBOARD_REPLAYS = 5  # the newest; the replays page lists them all
LISTED = (MembershipStatus.PENDING, MembershipStatus.ADMITTED)


@bp.post("/cohorts/<int:cohort_id>/sessions")
@login_required
def start_session(cohort_id: int) -> Response:
    """Start a live session of one meeting for the cohort."""
    cohort = cohort_for(cohort_id, Action.RUN_SESSION)
    form = StartSessionForm(prefix=f"c{cohort.id}")
    form.meeting.choices = _meeting_choices()
    if not form.validate_on_submit():
        flash(_("Choose a meeting to start."), "error")
        return redirect(url_for("tutor.dashboard"))
    try:
        live = operations.start_session(
            db.session,
            cohort,
            current_script(),
            form.meeting.data,
            current_user,
            rehearsal=bool(form.rehearsal.data),
        )
    except IllegalMove as refused:
        db.session.rollback()
        flash(error_text(refused.code), "error")
        return redirect(url_for("tutor.dashboard"))
    db.session.commit()
    return redirect(url_for("tutor.console", session_id=live.id))


def _merge_choices(members: list[Membership], labels: dict[int, str]) -> list[SelectChoice]:
    """Each name once, told apart by a number when two look the same."""
    return [SelectChoice(str(m.participant_id), labels[m.participant_id]) for m in members]


@bp.get("/cohorts/<int:cohort_id>")
@login_required
def cohort(cohort_id: int) -> str:
    """Show a cohort's participants, their attendance, and forms to add, link and merge."""
    return cohort_page(cohort_for(cohort_id, Action.MANAGE_COHORT))


def cohort_page(found: Cohort) -> str:
    form = AddParticipantForm()
    form.language.choices = [(c, i18n.language_name(c)) for c in i18n.supported()]
    members = sorted(
        # A second name folded into another, and the stand-in of a deleted person (counted
        # in the figures, never listed) are not people to manage.
        (m for m in found.memberships if m.status in LISTED),
        key=lambda m: (m.participant.display_name.lower(), m.participant_id),
    )
    merge_form = MergeForm(prefix="merge")
    labels = texts.told_apart(
        {m.participant_id: m.participant.display_name for m in members}, label_with_number
    )
    admitted = [m for m in members if m.admitted]
    merge_form.kept.choices = _merge_choices(admitted, labels)
    merge_form.absorbed.choices = _merge_choices(admitted, labels)
    return render_template(
        "tutor/cohort.html",
        cohort=found,
        members=members,
        labels=labels,
        form=form,
        merge_form=merge_form,
        consents={m.participant_id: consent.current(m.participant) for m in admitted},
        tutors=tutors_to_name(found),
        named=named_tutors(found),
        attendance=attendance(db.session, found.id, current_script(), str(get_locale())),
        live=operations.open_session_of(db.session, found),
    )


@bp.post("/cohorts/<int:cohort_id>/participants")
@login_required
def add_participant(cohort_id: int) -> Response | tuple[str, int]:
    """Add a participant met at the preparatory meeting, with the consent they gave."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    form = AddParticipantForm()
    form.language.choices = [(c, i18n.language_name(c)) for c in i18n.supported()]
    if not form.validate_on_submit():
        flash(_("Please fill in the name and the language."), "error")
        return redirect(url_for("tutor.cohort", cohort_id=found.id))
    try:
        participant = create_participant(db.session, form.name.data, form.language.data)
    except InvalidInput as err:
        db.session.rollback()
        flash(error_text(err.code), "error")
        return redirect(url_for("tutor.cohort", cohort_id=found.id))
    operations.enrol(db.session, found, participant)
    if form.consent_data.data:
        consent.record(db.session, participant, form.consent_answers(), tutor_id=current_user.id)
    db.session.commit()
    flash(_("%(name)s is in the group.", name=participant.display_name))
    return redirect(url_for("tutor.cohort", cohort_id=found.id))


@bp.post("/cohorts/<int:cohort_id>/merge")
@login_required
def merge(cohort_id: int) -> Response:
    """Fold a second name of the same person into the first, here and in the live room."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    back = redirect(url_for("tutor.cohort", cohort_id=found.id))
    form = MergeForm(prefix="merge")
    if not form.validate_on_submit():
        flash(error_text("cannot_merge"), "error")
        return back
    absorbed, kept_id, across = form.absorbed.data, form.kept.data, may_act_across(found)
    done = perform(
        operations.open_session_of(db.session, found),  # where the room hears of it
        lambda: operations.merge_participants(
            db.session, found, absorbed, kept_id, current_user, across_cohorts=across
        ),
    )
    if not done["ok"]:
        flash(error_text(done["error"]), "error")
        return back
    kept = db.session.get_one(Participant, kept_id)  # the merge found them in the group
    flash(_("The two names are now one person: %(name)s.", name=kept.display_name))
    return back


@bp.post("/cohorts/<int:cohort_id>/participants/<int:participant_id>/rejoin-code")
@login_required
def rejoin_code(cohort_id: int, participant_id: int) -> str | Response:
    """Give a member of the group a personal code that links a new phone to them."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    try:
        participant, code = issue_rejoin_code(
            db.session,
            found.id,
            participant_id,
            current_user.id,
            across_cohorts=may_act_across(found),
        )
    except InvalidInput as refused:
        db.session.rollback()
        if refused.code == "no_such_participant":
            abort(404)
        flash(error_text(refused.code), "error")
        return redirect(url_for("tutor.cohort", cohort_id=found.id))
    db.session.commit()
    return render_template(
        "tutor/rejoin_code.html", cohort=found, participant=participant, code=code
    )


@bp.post("/cohorts/<int:cohort_id>/participants/<int:participant_id>/sign-out-phones")
@login_required
def sign_out_phones(cohort_id: int, participant_id: int) -> Response:
    """Sign out every phone of a member (a lost phone, a code given to the wrong person)."""
    found = cohort_for(cohort_id, Action.MANAGE_COHORT)
    back = redirect(url_for("tutor.cohort", cohort_id=found.id))
    person = db.session.get(Participant, participant_id)
    refused = person and beyond_the_wall(
        db.session, found.id, person, across_cohorts=may_act_across(found)
    )
    if person is None or refused == "no_such_participant":
        abort(404)
    if refused:
        flash(error_text(refused), "error")
        return back
    ended = phones.sign_out_phones(db.session, person, phones.EndedWhy.TUTOR)
    db.session.commit()
    emitter.phones_signed_out(ended)
    flash(
        ngettext(
            "%(name)s: %(num)s phone signed out. Give them a personal code to come back.",
            "%(name)s: %(num)s phones signed out. Give them a personal code to come back.",
            len(ended),
            name=person.display_name,
        )
        if ended
        else _("%(name)s had no phone signed in.", name=person.display_name)
    )
    return back


@bp.get("/sessions/<int:session_id>/console")
@login_required
def console(session_id: int) -> str:
    """The tutor's console: the guide, the door, the board and every control."""
    live = session_for(session_id, Action.ENTER_ROOM)
    meeting = meeting_of(db.session, live, str(get_locale()), current_script())
    guides = [
        (step, render_markdown(step.guide_md), render_markdown(step.prompt_md))
        for step in meeting.steps
    ]
    may_run = can(session_principal(db.session, current_user, live), Action.RUN_SESSION)
    return render_template(
        "tutor/console.html",
        live=live,
        meeting=meeting,
        guides=guides,
        may_run=may_run,
        group_rules=earlier_rules(db.session, live),
        summary_urls=_summary_urls(live) if may_run else {},
        board_types=BOARDS,  # which boards take votes, and on what
        join_url=join_url(current_app.config["PUBLIC_URL"], live.join_code),
        suggestions=current_app.extensions["migrapass.suggestions"],
        choice_labels=CHOICE_LABELS,  # the words of a card's choices (the feedback's answer)
    )


def _summary_urls(live: LiveSession) -> dict[str, str]:
    """The downloads of a session's boards, by format."""
    return {
        fmt: url_for("tutor.session_summary", session_id=live.id, fmt=fmt)
        for fmt in ("md", "csv", "pdf")
    }


@bp.get("/sessions/<int:session_id>/projector")
@login_required
def projector(session_id: int) -> str:
    """The projected view: join code and QR code, the step, the live board."""
    live = session_for(session_id, Action.VIEW_PROJECTOR)
    meeting = meeting_of(db.session, live, str(get_locale()), current_script())
    url = join_url(current_app.config["PUBLIC_URL"], live.join_code)
    # Those expected are the group as it was when the session began: people let in
    # tonight are arriving, and a projector reloaded mid-evening must not count them.
    expected = db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.cohort_id == live.cohort_id,
            Membership.status == MembershipStatus.ADMITTED.value,
            Membership.admitted_at < live.started_at,
        )
    )
    return render_template(
        "tutor/projector.html",
        live=live,
        meeting=meeting,
        join_url=url,
        qr=qr_svg(url),
        prompts=[(step, render_markdown(step.prompt_md)) for step in meeting.steps],
        objectives=meeting.objectives,
        group_rules=earlier_rules(db.session, live),
        expected=expected or 0,
        choice_labels=CHOICE_LABELS,
    )
