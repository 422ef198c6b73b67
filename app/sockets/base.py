"""What every audience's namespace shares: finding the session, refusing clearly."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import session
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from app.access import names_in_cohort
from app.extensions import db
from app.live.store import load_state
from app.live.views import Audience, snapshot
from app.messages import error_ack, error_text
from app.models import LiveSession
from app.models.base import now_ms
from app.sockets import emitter
from app.sockets.payloads import BadPayload, as_dict


def refuse(code: str) -> ConnectionRefusedError:
    """A refused connection the client sees as `connect_error` with a code and a message."""
    return ConnectionRefusedError({"error": code, "message": error_text(code)})


def session_id_from(auth: Any) -> int:
    raw = auth.get("session_id") if isinstance(auth, dict) else None
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise refuse("bad_request")
    return raw


def handler(func: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn bad payloads into an error ack and require a joined room."""

    @functools.wraps(func)
    def wrapper(self: LiveNamespace, data: Any = None) -> dict[str, Any]:
        live = self.current_session()
        if live is None:
            return error_ack("not_in_room")
        try:
            return func(self, live, as_dict(data))
        except BadPayload:
            return error_ack("bad_request")

    return wrapper


class LiveNamespace(Namespace):
    audience: Audience

    def trigger_event(self, event: str, *args: Any) -> Any:
        """An event this namespace does not know gets an error ack, not silence."""
        if hasattr(self, f"on_{event or ''}"):
            return super().trigger_event(event, *args)
        return self.socketio._handle_event(self._unknown, event, self.namespace, *args)

    def _unknown(self, *_args: Any) -> dict[str, Any]:
        return error_ack("unknown_event")

    def current_session(self) -> LiveSession | None:
        live_id = session.get("live_id")
        return db.session.get(LiveSession, live_id) if live_id is not None else None

    def enter(self, live: LiveSession) -> None:
        session["live_id"] = live.id
        join_room(emitter.room(live.id))

    def viewer_participant(self) -> int | None:
        return None

    @handler
    def on_sync(self, live: LiveSession, _data: dict[str, Any]) -> dict[str, Any]:
        """Any client asks for the whole board as it may see it; the ack carries it."""
        state = load_state(db.session, live.id)
        names = names_in_cohort(db.session, live.cohort_id)
        body = snapshot(state, self.audience, names, now_ms(), self.viewer_participant())
        body.update(self.extra_snapshot(live))
        return {"ok": True, "board": body}

    def extra_snapshot(self, live: LiveSession) -> dict[str, Any]:
        return {}
