"""What every audience's namespace shares: finding the session, refusing clearly."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from app import ratelimit
from app.access import room_names
from app.extensions import db
from app.live import catchup, store
from app.live.engine import fold
from app.live.store import events_after, load_state
from app.live.views import Audience, snapshot
from app.messages import error_ack, error_text
from app.models import LiveSession
from app.models.base import now_ms
from app.sockets import emitter, payloads
from app.sockets.payloads import BadPayload, as_dict


def refuse(code: str) -> ConnectionRefusedError:
    """A refused connection the client sees as `connect_error`: its `message` in words,
    its `data` {error, message} for the page to act on (a single dict argument would
    reach the browser as that dict's Python spelling)."""
    text = error_text(code)
    return ConnectionRefusedError(text, {"error": code, "message": text})


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
        except BadPayload as bad:
            return error_ack(bad.code)

    return wrapper


class LiveNamespace(Namespace):
    audience: Audience

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Every event is counted against its sender's rate limit, then dispatched;
        one this namespace does not know gets an error ack, not silence."""
        if event == "connect" and self._from_the_server(args):
            return super().trigger_event(event, *args)
        # No namespace here handles "disconnect": the real one has nothing to answer, and
        # one a client sends by that name gets the unknown-event ack like any other.
        # A client may name its event "connect" too: it is then one more unknown event.
        target = None
        if isinstance(event, str) and event not in ("connect", "disconnect"):
            target = getattr(self, f"on_{event}", None)
        dispatch = functools.partial(self._dispatch, target)
        return self.socketio._handle_event(dispatch, event, self.namespace, *args)

    def _from_the_server(self, args: tuple[Any, ...]) -> bool:
        """python-socketio passes a client-sent event named "connect" on as if it were the
        real one; the real one carries the connection's own environ object."""
        return len(args) >= 2 and args[1] is self.server.get_environ(args[0], self.namespace)

    def _dispatch(self, target: Callable[..., Any] | None, *args: Any) -> Any:
        self.speak()
        who = self.sender()
        if who is not None and not ratelimit.current().socket_event(who):
            return error_ack("too_fast")
        if target is None:
            return error_ack("unknown_event")
        if len(args) > 1:  # every event takes one object
            return error_ack("bad_request")
        return target(*args)

    def sender(self) -> str | None:
        """Whom this connection's events count against ("p:<id>" or "u:<id>")."""
        return None

    def speak(self) -> None:
        """Set the language this event's answers are in, if the request does not say it."""

    # Flask-SocketIO keeps one session per connection, shared by every namespace on it:
    # what one namespace learnt (the room it entered, whose phone it is) is kept under
    # its own name, so that no other namespace on the same connection can borrow it.
    def recall(self, key: str) -> Any:
        return session.get(f"{self.namespace}:{key}")

    def keep(self, key: str, value: Any) -> None:
        session[f"{self.namespace}:{key}"] = value

    def current_session(self) -> LiveSession | None:
        """The session this namespace entered, if its sender may still be there: checked
        on every event, reads included (a tutor taken off the group, a phone signed out)."""
        live_id = self.recall("live_id")
        live = db.session.get(LiveSession, live_id) if live_id is not None else None
        return live if live is not None and self.admits(live) else None

    def admits(self, live: LiveSession) -> bool:
        """Whether the sender may be in this session's room now."""
        return False

    def audience_for(self, live: LiveSession) -> Audience:
        return self.audience

    def enter(self, live: LiveSession) -> None:
        self.keep("live_id", live.id)
        join_room(emitter.room(live.id, self.audience_for(live)))

    def let_in(self) -> None:
        """The connection was accepted: the socket guard stops counting it as a stranger."""
        current_app.extensions["migrapass.guard"].entered(request.environ)

    def viewer_participant(self) -> int | None:
        return None

    @handler
    def on_sync(self, live: LiveSession, data: dict[str, Any]) -> dict[str, Any]:
        """A client asks for the board: what it missed after `after`, or all of it.

        With {"after": seq} the ack is {"missed": [{type, msg}…], "seq"} when the gap
        is small; otherwise (and without `after`) it is {"board": snapshot}.
        """
        after = data.get("after")
        if after is not None:
            after = payloads.whole_number(after)
        names = room_names(db.session, live.cohort_id)
        audience = self.audience_for(live)
        now = now_ms()
        extra = self.extra_snapshot(live)
        if after is not None and catchup.worth_it(after, live.last_seq):
            before = store.state_at(db.session, live.id, after)
            if before is None:  # not remembered here: fold the log up to `after`
                before = fold(events_after(db.session, live.id, upto=after))
            events = events_after(db.session, live.id, after)
            gone = catchup.missed(before, events, audience, names, now, self.viewer_participant())
            seq = events[-1].seq if events else after
            return {"ok": True, "missed": gone, "seq": seq, **extra}
        state = load_state(db.session, live.id)
        store.remember(db.session, live.id, state)  # a read: nothing here is uncommitted
        body = snapshot(state, audience, names.seen_by(audience), now, self.viewer_participant())
        body.update(extra)
        return {"ok": True, "board": body}

    def extra_snapshot(self, live: LiveSession) -> dict[str, Any]:
        return {}
