"""The coordinator's home, the organisation's settings and the audit trail; the other
views import themselves onto the blueprint from the modules imported at the bottom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug import Response
from wtforms.validators import InputRequired, NumberRange

from app import audit, organisation
from app.audit_wording import action_words
from app.coordinator_pages import bp, coordinator_only, groups
from app.coordinator_pages.forms import SettingsForm
from app.data_rights import retention
from app.extensions import db
from app.models import AuditEntry, Cohort, Participant, User
from app.outcomes.figures import year_figures
from app.script_access import current_script

AUDIT_PAGE = 50


@bp.get("/coordinator")
@coordinator_only
def home() -> str:
    """The organisation at a glance: its groups, this year's figures, data soon deleted."""
    today = date.today()
    return render_template(
        "coordinator/home.html",
        listing=groups.listing(db.session, today),
        figures=year_figures(db.session, today.year),
        due=retention.due_within(db.session, today),
        year=today.year,
        reports_url=url_for("reports.year"),
        format_date=format_date,
    )


def _meetings_in_script() -> int:
    return len(current_script().cycle_slugs())


@bp.route("/coordinator/settings", methods=["GET", "POST"])
@coordinator_only
def settings() -> str | Response | tuple[str, int]:
    """Change when a participant completed the cycle, and how long their data is kept."""
    meetings = _meetings_in_script()
    form = SettingsForm()
    form.completion_meetings.validators = [
        InputRequired(),
        NumberRange(1, meetings, _l("Between %(min)s and %(max)s meetings.")),
    ]
    if request.method == "GET":
        current = organisation.settings(db.session)
        form.completion_meetings.data = current.completion_meetings
        form.retention_months.data = current.retention_months
    elif form.validate_on_submit():
        organisation.change_settings(
            db.session,
            completion_meetings=form.completion_meetings.data,
            retention_months=form.retention_months.data,
            by=current_user.id,
        )
        db.session.commit()
        flash(_("The settings are saved."))
        return redirect(url_for("coordinator.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template("coordinator/settings.html", form=form, meetings=meetings), status


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit trail as the coordinator reads it."""

    id: int
    at: str
    who: str
    what: str
    about: str
    group: str


# Entries about no one in particular: their "about" column stays empty, not "deleted".
_ABOUT_NOBODY = {audit.AuditAction.FUNDERS_EXPORTED, audit.AuditAction.RETENTION_RUN}


def _audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    staff = _names(User, User.display_name, {e.actor_user_id for e in entries})
    people = dict(
        db.session.execute(
            select(Participant.id, Participant.display_name).where(
                Participant.id.in_({e.participant_id for e in entries if e.participant_id}),
                Participant.erased_at.is_(None),
            )
        ).all()
    )
    cohorts = _names(Cohort, Cohort.name, {e.cohort_id for e in entries})
    rows = []
    for entry in entries:
        action = _action(entry.action)
        if entry.actor_user_id is not None:
            who = staff.get(entry.actor_user_id, _("a deleted account"))
        elif action is audit.AuditAction.RETENTION_RUN:
            who = _("retention")
        else:
            who = _("the participant")
        if action in _ABOUT_NOBODY and entry.participant_id is None:
            about = "–"
        else:
            about = people.get(entry.participant_id or 0) or _("deleted person")
        rows.append(
            AuditRow(
                id=entry.id,
                at=format_datetime(entry.at, "short"),
                who=who,
                what=action_words(entry.action),
                about=about,
                group=cohorts.get(entry.cohort_id or 0, "–"),
            )
        )
    return rows


def _action(value: str) -> audit.AuditAction | None:
    try:
        return audit.AuditAction(value)
    except ValueError:  # recorded by a newer version: shown as stored
        return None


def _names(model: Any, column: Any, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(select(model.id, column).where(model.id.in_(wanted))).all())


@bp.get("/coordinator/audit")
@coordinator_only
def audit_trail() -> str:
    """Who opened, exported or deleted whose data, newest first, a page at a time."""
    before = request.args.get("before", type=int)
    entries = audit.latest(db.session, limit=AUDIT_PAGE + 1, before_id=before)
    more = len(entries) > AUDIT_PAGE
    rows = _audit_rows(entries[:AUDIT_PAGE])
    return render_template(
        "coordinator/audit.html",
        rows=rows,
        older=url_for("coordinator.audit_trail", before=rows[-1].id) if more else None,
        paged=before is not None,
    )


# The other views, onto `bp` (imported last: they import this package's names).
from app.coordinator_pages import cohort_views, invites, staff_views  # noqa: E402, F401
