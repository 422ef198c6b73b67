"""Pages for learning from finished sessions: the list of replays, the replay itself
(its frames and slider as JSON), its annotations, sharing it with trainees, and
rehearsals with simulated participants. The rules are app.replay's and
app.permissions.replay_actions; these views find, check and render."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.access import staff_principal
from app.errors import refuse
from app.extensions import db
from app.models import LiveSession
from app.permissions import STAFF_ROLES, ReplayAction, Role, replay_actions
from app.session_status import SessionStatus

bp = Blueprint("replay", __name__)


def actions_on(live: LiveSession) -> frozenset[ReplayAction]:
    """What the person at the keyboard may do with this session's replay."""
    if Role(current_user.role) not in STAFF_ROLES:
        return frozenset()
    principal = staff_principal(db.session, current_user, live.cohort_id)
    return replay_actions(principal, live.shareable)


def replay_for(session_id: int, action: ReplayAction = ReplayAction.WATCH) -> LiveSession:
    """A finished real session the person may `action` (else 404 or 403). A rehearsal or a
    session still running has no replay."""
    live = db.session.get(LiveSession, session_id)
    if live is None or live.is_rehearsal or live.status != SessionStatus.ENDED:
        abort(404)
    allowed = actions_on(live)
    if action not in allowed:
        if not allowed and not live.shareable and Role(current_user.role) in STAFF_ROLES:
            refuse(403, NOT_SHARED)
        abort(403)
    return live


NOT_SHARED = _l(
    "Trainees see this session once its tutor has reviewed it and shared it for training. "
    "It is not shared (or no longer)."
)
