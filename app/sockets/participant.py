"""The phones' namespace: admitted participants post to the open board."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, session
from flask_socketio import join_room

from app.access import participant_principal
from app.extensions import db
from app.live import operations
from app.live.engine import MAX_CARD_TEXT
from app.live.views import Audience
from app.messages import error_ack
from app.models import LiveSession, Participant
from app.participants import consent, device
from app.permissions import Action, can
from app.sockets import emitter, payloads
from app.sockets.base import LiveNamespace, handler, refuse, session_id_from
from app.sockets.boundary import perform


class ParticipantNamespace(LiveNamespace):
    audience = Audience.PARTICIPANTS

    def on_connect(self, auth: Any = None) -> None:
        """A phone connects; admitted members enter the room, newcomers wait for a tutor."""
        live = db.session.get(LiveSession, session_id_from(auth))
        pid = device.participant_id_from(current_app, request)
        participant = db.session.get(Participant, pid) if pid is not None else None
        if live is None or participant is None:
            raise refuse("not_in_room")
        session["participant_id"] = participant.id
        # Everyone with a request at the door hears when they are let in.
        if operations.membership(db.session, live.cohort_id, participant.id) is None:
            raise refuse("not_in_room")
        join_room(emitter.personal_room(live.id, participant.id))
        if can(participant_principal(db.session, participant, live.cohort_id), Action.ENTER_ROOM):
            self.enter(live)

    def current_session(self) -> LiveSession | None:
        live = super().current_session()
        participant = self._participant()
        if live is None or participant is None:
            return None
        principal = participant_principal(db.session, participant, live.cohort_id)
        return live if can(principal, Action.ENTER_ROOM) else None

    def viewer_participant(self) -> int | None:
        return session.get("participant_id")

    def _participant(self) -> Participant | None:
        pid = session.get("participant_id")
        return db.session.get(Participant, pid) if pid is not None else None

    @handler
    def on_post(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """A phone posts a card to the open board; the ack carries its seq (= card id)."""
        participant = self._participant()
        assert participant is not None  # current_session checked it
        principal = participant_principal(db.session, participant, live.cohort_id)
        if not can(principal, Action.POST_CARD):
            return error_ack("not_allowed")
        if not consent.has_required(participant):
            return error_ack("consent_required")
        client_id = payloads.client_id(data)
        board = payloads.text(data, "board", 40)
        text = payloads.text(data, "text", MAX_CARD_TEXT * 2)
        actor = operations.participant_actor(participant)
        return perform(
            live,
            lambda: operations.post_card(db.session, live, actor, board, text, client_id),
        )
