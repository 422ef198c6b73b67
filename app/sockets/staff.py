"""The tutor console's and the projector's namespaces."""

from __future__ import annotations

from typing import Any

from flask_login import current_user
from sqlalchemy import select

from app.access import staff_principal
from app.extensions import db
from app.live import operations
from app.live.engine import MAX_HIDE_REASON
from app.live.views import Audience
from app.messages import error_ack
from app.models import LiveSession, Membership, MembershipStatus, Participant
from app.permissions import Action, can
from app.sockets import payloads
from app.sockets.base import LiveNamespace, handler, refuse, session_id_from
from app.sockets.boundary import perform


class StaffNamespace(LiveNamespace):
    entry_action: Action

    def on_connect(self, auth: Any = None) -> None:
        """A logged-in tutor's page connects to one session's room."""
        if not current_user.is_authenticated:
            raise refuse("not_allowed")
        live = db.session.get(LiveSession, session_id_from(auth))
        if live is None:
            raise refuse("not_in_room")
        if not can(staff_principal(db.session, current_user, live.cohort_id), self.entry_action):
            raise refuse("not_allowed")
        self.enter(live)

    def may(self, live: LiveSession, action: Action) -> bool:
        return can(staff_principal(db.session, current_user, live.cohort_id), action)


class ProjectorNamespace(StaffNamespace):
    audience = Audience.PROJECTOR
    entry_action = Action.VIEW_PROJECTOR


class TutorNamespace(StaffNamespace):
    audience = Audience.TUTOR
    entry_action = Action.ENTER_ROOM

    def extra_snapshot(self, live: LiveSession) -> dict[str, Any]:
        rows = db.session.execute(
            select(Participant.id, Participant.display_name, Membership.status)
            .join(Membership, Membership.participant_id == Participant.id)
            .where(Membership.cohort_id == live.cohort_id)
            .order_by(Participant.display_name)
        )
        people = [{"id": pid, "name": name, "status": status} for pid, name, status in rows]
        return {
            "waiting": [p for p in people if p["status"] == MembershipStatus.PENDING],
            "members": [p for p in people if p["status"] == MembershipStatus.ADMITTED],
        }

    def _run(self, live: LiveSession, action: Action, work) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        if not self.may(live, action):
            return error_ack("not_allowed")
        return perform(live, work)

    @handler
    def on_admit(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """The tutor lets a waiting participant in; their phone is told."""
        pid = payloads.integer(data, "participant_id")
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.admit(db.session, live, pid, current_user),
        )

    @handler
    def on_hide(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """The tutor hides a card from the room; its author sees it was hidden, and why."""
        card_id = payloads.integer(data, "card_id")
        reason = payloads.text(data, "reason", MAX_HIDE_REASON, required=False)
        client_id = payloads.client_id(data, required=False)
        return self._run(
            live,
            Action.MODERATE,
            lambda: operations.hide_card(
                db.session, live, card_id, reason, current_user, client_id
            ),
        )

    @handler
    def on_step(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """The tutor moves the room to another step of the script."""
        index = payloads.integer(data, "index")
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.move_step(db.session, live, index, current_user),
        )

    @handler
    def on_lock(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """The tutor closes or opens the door to newcomers."""
        locked = payloads.boolean(data, "locked")
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.set_joining_locked(db.session, live, locked, current_user),
        )

    @handler
    def on_end(self, live: LiveSession, _data: dict[str, Any]) -> dict[str, Any]:
        """The tutor ends the workshop; the session becomes read-only."""
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.end_session(db.session, live, current_user),
        )
