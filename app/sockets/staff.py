"""The tutor console's and the projector's namespaces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_login import current_user
from flask_socketio import join_room

from app.access import roster, session_principal
from app.extensions import db
from app.live import operations
from app.live.checks import MAX_WALL_PAGES
from app.live.errors import IllegalMove
from app.live.store import Appended
from app.live.views import Audience, RoomNames
from app.live.wire import Ack, Roster
from app.messages import error_ack
from app.models import LiveSession
from app.permissions import Action, can
from app.sockets import emitter, payloads
from app.sockets.base import LiveNamespace, handler, refuse, session_id_from
from app.sockets.boundary import perform, perform_all
from app.sockets.commands import POST, TUTOR_COMMANDS, Command, card_fields


class StaffNamespace(LiveNamespace):
    entry_action: Action

    def on_connect(self, auth: Any = None) -> None:
        """A logged-in tutor's page connects to one session's room."""
        session_id = session_id_from(auth)
        if not current_user.is_authenticated:
            raise refuse("not_allowed")
        live = db.session.get(LiveSession, session_id)
        if live is None:
            raise refuse("not_in_room")
        if not self.admits(live):
            raise refuse("not_allowed")
        self.enter(live)
        join_room(emitter.staff_room(current_user.id, current_user.session_generation))
        self.let_in()

    def sender(self) -> str | None:
        return f"u:{current_user.id}" if current_user.is_authenticated else None

    def admits(self, live: LiveSession) -> bool:
        return current_user.is_authenticated and self.may(live, self.entry_action)

    def may(self, live: LiveSession, action: Action) -> bool:
        return can(session_principal(db.session, current_user, live), action)


class ProjectorNamespace(StaffNamespace):
    audience = Audience.PROJECTOR
    entry_action = Action.VIEW_PROJECTOR

    @handler
    def on_wall_pages(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The projector says how many pages a board takes on its screen; the consoles
        are told, so the tutor's page buttons can say "page 2 of 3"."""
        if not self.may(live, self.entry_action):
            return error_ack("not_allowed")
        step = payloads.text_of(40)(data.get("step"))
        pages = payloads.integer(data, "pages")
        if not 1 <= pages <= MAX_WALL_PAGES or set(data) != {"step", "pages"}:
            return error_ack("bad_request")
        db.session.rollback()  # the reads are over: nothing is sent inside a transaction
        emitter.wall_pages(live.id, step, pages)
        return {"ok": True}


class TutorNamespace(StaffNamespace):
    audience = Audience.TUTOR
    entry_action = Action.ENTER_ROOM
    commands = TUTOR_COMMANDS

    def on_connect(self, auth: Any = None) -> None:
        super().on_connect(auth)
        live_id = self.recall("live_id")
        db.session.rollback()  # the reads are over: nothing is sent inside a transaction
        emitter.wall_pages_wanted(live_id)  # a console just opened: the projector says again

    def audience_for(self, live: LiveSession) -> Audience:
        """Those who run the session see it all; a trainee watching is an observer."""
        return Audience.TUTOR if self.may(live, Action.SEE_BACKSTAGE) else Audience.OBSERVER

    def extra_snapshot(self, live: LiveSession, names: RoomNames) -> Roster:
        # The door and the group, named as this console's audience sees them.
        return roster(db.session, live.cohort_id, names.seen_by(self.audience_for(live)))

    def _run(self, live: LiveSession, action: Action, work: Callable[[], Appended | None]) -> Ack:
        if not self.may(live, action):
            return error_ack("not_allowed")
        return perform(live, work)

    def run_command(self, live: LiveSession, command: Command, data: dict[str, Any]) -> Ack:
        payload = command.payload(data)
        client_id = payloads.client_id(data, required=False)
        actor = operations.staff(current_user)
        return self._run(
            live,
            command.action,
            lambda: operations.record(db.session, live, command.event, actor, payload, client_id),
        )

    @handler
    def on_admit(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor lets a waiting participant in; their phone is told."""
        pid = payloads.integer(data, "participant_id")
        return self._run(
            live,
            Action.MANAGE_COHORT,  # admission is to the group, beyond this session
            lambda: operations.admit(db.session, live, pid, current_user),
        )

    @handler
    def on_admit_all(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor lets in everyone waiting at the door, with one confirmation."""
        # A resend finds nobody left at the door (admitted: 0), so no client id is needed
        # to store it once; one is still taken, as the console sends one with every write.
        if set(data) - {"client_id"}:
            return error_ack("bad_request")
        if not self.may(live, Action.MANAGE_COHORT):
            return error_ack("not_allowed")
        ack = perform_all(live, lambda: operations.admit_everyone(db.session, live, current_user))
        if ack.get("ok"):
            ack["admitted"] = ack.pop("count")
        return ack

    @handler
    def on_wall_rules(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The group's adopted rules on the wall, or off it."""
        on = payloads.boolean(data, "on")
        client_id = payloads.client_id(data, required=False)
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.show_group_rules(db.session, live, on, current_user, client_id),
        )

    @handler
    def on_decline(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor turns someone away from the door (a stranger, a wrong room)."""
        return self._turn_away(live, [payloads.integer(data, "participant_id")])

    @handler
    def on_clear_door(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor turns away everyone waiting at the door (a door flooded by a script)."""
        return self._turn_away(live, None)

    def _turn_away(self, live: LiveSession, ids: list[int] | None) -> Ack:
        if not self.may(live, Action.MANAGE_COHORT):  # the door is the group's, as admitting
            return error_ack("not_allowed")
        try:
            declined = operations.decline(db.session, live, ids)
            db.session.commit()
        except IllegalMove as refused:
            db.session.rollback()
            return error_ack(refused.code)
        emitter.declined(live.id, declined.participants)  # each phone is told why
        emitter.phones_signed_out(declined.phones, tell=False)
        return {"ok": True, "declined": len(declined.participants)}

    @handler
    def on_step(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """Next, previous ({"delta": 1 | -1}) or a jump to a step ({"index": n})."""
        key = "delta" if "delta" in data else "index"
        move = {key: payloads.integer(data, key)}
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.move_step(db.session, live, move, current_user),
        )

    @handler
    def on_lock(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor closes or opens the door to newcomers."""
        locked = payloads.boolean(data, "locked")
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.set_joining_locked(db.session, live, locked, current_user),
        )

    @handler
    def on_attendance(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor ticks who is in the room, phone or not."""
        pid = payloads.integer(data, "participant_id")
        present = payloads.boolean(data, "present")
        actor = operations.staff(current_user)
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.mark_attendance(db.session, live, pid, present, actor),
        )

    @handler
    def on_post(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """The tutor types a card for a participant without a phone (or for the group)."""
        clean = POST.payload(data)
        fields = card_fields(clean)
        client_id = payloads.client_id(data, required=False)
        actor = operations.staff(current_user)
        on_behalf = clean.get("on_behalf_of")
        return self._run(
            live,
            Action.RUN_SESSION,
            lambda: operations.post_card(
                db.session, live, actor, clean["board"], fields, client_id, on_behalf
            ),
        )

    @handler
    def on_merge(self, live: LiveSession, data: dict[str, Any]) -> Ack:
        """Two names are the same person: keep one, fold the other into it."""
        absorbed = payloads.integer(data, "absorbed")
        kept = payloads.integer(data, "kept")
        cohort = live.cohort
        across = self.may(live, Action.ACT_ACROSS_COHORTS)
        return self._run(
            live,
            Action.MANAGE_COHORT,
            lambda: operations.merge_participants(
                db.session, cohort, absorbed, kept, current_user, across_cohorts=across
            ),
        )
