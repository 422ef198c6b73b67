"""The phones' namespace: admitted participants post, edit, vote and take a stand."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request
from flask_socketio import join_room

from app.access import participant_principal
from app.extensions import db
from app.live import operations
from app.live.views import Audience, RoomNames
from app.live.wire import Ack
from app.messages import error_ack
from app.models import LiveSession, Participant
from app.participants import consent, device
from app.participants.operations import current_identity
from app.participants.phones import link_of, phone_owner
from app.permissions import Action, Principal, can
from app.sockets import emitter, payloads
from app.sockets.base import LiveNamespace, handler, read_this_event, refuse, session_id_from
from app.sockets.boundary import perform
from app.sockets.commands import PARTICIPANT_COMMANDS, POST, Command, card_fields


class ParticipantNamespace(LiveNamespace):
    audience = Audience.PARTICIPANTS
    commands = PARTICIPANT_COMMANDS

    def on_connect(self, auth: Any = None) -> None:
        """A phone connects; admitted members enter the room, newcomers wait for a tutor."""
        token = device.read(current_app, request)
        session_id = session_id_from(auth)  # both checked before the database is asked
        if token is None:
            raise refuse("not_in_room")
        live = db.session.get(LiveSession, session_id)
        link = link_of(db.session, token)
        participant = current_identity(db.session, token.participant_id) if link else None
        if live is None or participant is None:
            raise refuse("not_in_room")
        g.participant_locale = participant.locale
        # Everyone with a request at the door hears when they are let in.
        if operations.membership(db.session, live.cohort_id, participant.id) is None:
            raise refuse("not_in_room")
        self.keep("participant_id", participant.id)
        self.keep("locale", participant.locale)
        self.keep("phone", [token.participant_id, link])
        join_room(emitter.phone_room(link))
        join_room(emitter.personal_room(live.id, participant.id))
        self.let_in()
        if can(participant_principal(db.session, participant, live.cohort_id), Action.ENTER_ROOM):
            self.enter(live)
            self._arrive(live, participant)

    def _arrive(self, live: LiveSession, participant: Participant) -> None:
        """Count the phone's owner present (commit, then tell the tutor)."""
        # A refusal (a second phone of the same person won the race) is rolled back by
        # `perform`; the phone is in the room either way, so its ack is not needed.
        perform(live, lambda: operations.arrive(db.session, live, participant))

    def admits(self, live: LiveSession) -> bool:
        return self._allowed(live, Action.ENTER_ROOM) is not None

    def viewer_participant(self) -> int | None:
        return self.recall("participant_id")

    def sender(self) -> str | None:
        pid = self.recall("participant_id")
        return f"p:{pid}" if pid is not None else None

    def speak(self) -> None:
        # The phone's page is in the language the person chose, whatever the browser's:
        # so are its refusals (a change of language reloads the page, and reconnects).
        g.participant_locale = self.recall("locale")

    def _participant(self) -> Participant | None:
        """The person this phone speaks for, as long as its link holds (every event)."""
        phone = self.recall("phone")
        return phone_owner(db.session, *phone) if phone else None

    def _allowed(self, live: LiveSession, action: Action) -> Participant | None:
        """The person this phone speaks for, if they may do `action` in the session's
        cohort now: asked at every call, of what this event read of them."""
        checked = self._sender(live)
        if checked is None:
            return None
        participant, principal = checked
        return participant if can(principal, action) else None

    def _sender(self, live: LiveSession) -> tuple[Participant, Principal] | None:
        """The phone's owner and their tie to the session's cohort (its link, the person
        it follows, their membership), read once per event: the handler's wrapper asks
        whether they may be in the room, then the handler whether they may act, and
        nothing is written between the two. The next event reads them again."""
        read = read_this_event()
        key = ("sender", self.namespace, live.cohort_id)
        if key not in read:
            participant = self._participant()
            read[key] = (
                None
                if participant is None
                else (participant, participant_principal(db.session, participant, live.cohort_id))
            )
        found: tuple[Participant, Principal] | None = read[key]
        return found

    def extra_snapshot(self, live: LiveSession, names: RoomNames) -> dict[str, Any]:
        # The phone checks this against the person its page (and its outbox) is for.
        return {"you": self.viewer_participant()}

    def _someone_else(self, data: dict[str, Any]) -> bool:
        """A write queued on this phone for another person (`as`) is never sent as ours.

        On a shared phone, "This is not me" and a new sign-in can happen while an
        old page still holds the first person's unsent cards."""
        meant_for = data.pop("as", None)
        return meant_for is not None and meant_for != self.viewer_participant()

    @handler
    def on_post(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """A phone posts a card to the open board; the ack carries its seq (= card id)."""
        if self._someone_else(data):
            return error_ack("not_you")
        participant = self._allowed(live, Action.POST_CARD)
        if participant is None:
            return error_ack("not_allowed")
        if not consent.has_required(participant):
            return error_ack("consent_required")
        client_id = payloads.client_id(data)
        clean = POST.payload(data)
        if "on_behalf_of" in clean:
            return error_ack("not_allowed")
        fields = card_fields(clean)
        actor = operations.participant_actor(participant)
        return perform(
            live,
            lambda: operations.post_card(
                db.session, live, actor, clean["board"], fields, client_id
            ),
        )

    def run_command(self, live: LiveSession, command: Command, data: dict[str, Any]) -> Ack:
        if self._someone_else(data):
            return error_ack("not_you")
        participant = self._allowed(live, command.action)
        if participant is None:
            return error_ack("not_allowed")
        payload = command.payload(data)
        client_id = payloads.client_id(data, required=False)
        actor = operations.participant_actor(participant)
        return perform(
            live,
            lambda: operations.record(db.session, live, command.event, actor, payload, client_id),
        )
