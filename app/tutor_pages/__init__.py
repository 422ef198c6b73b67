"""Pages for tutors: the blueprint, and how each view finds what it acts on.

The views live in `routes.py` (dashboard, group, console, projector), `named_tutor.py`
(a member's named tutor, set on the group's page), `urgent.py` (the urgent situations'
guide read by `guides.py`), `interviews.py` (the preparatory and closing interviews) and
`summary.py` (a session's boards to take away). They
import this package, never the other way round: the application factory imports them,
which puts their views on `bp`.
"""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from app.access import session_principal, staff_principal
from app.extensions import db
from app.models import Cohort, LiveSession
from app.permissions import Action, can

bp = Blueprint("tutor", __name__)


def cohort_for(cohort_id: int, action: Action) -> Cohort:
    """The cohort, if the person at the keyboard may take `action` on it (else 404, 403)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None:
        abort(404)
    if not can(staff_principal(db.session, current_user, cohort.id), action):
        abort(403)
    return cohort


def may_act_across(cohort: Cohort) -> bool:
    """Whether the person at the keyboard may change people who are in other groups too."""
    return can(staff_principal(db.session, current_user, cohort.id), Action.ACT_ACROSS_COHORTS)


def session_for(session_id: int, action: Action) -> LiveSession:
    """The live session, if the person at the keyboard may take `action` on it."""
    live = db.session.get(LiveSession, session_id)
    if live is None:
        abort(404)
    if not can(session_principal(db.session, current_user, live), action):
        abort(403)
    return live
