"""What every audience's namespace shares: finding the session, refusing clearly."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from flask import current_app, request, session
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from app import ratelimit
from app.access import room_names
from app.extensions import db
from app.live import catchup
from app.live.views import Audience, RoomNames
from app.live.wire import Ack, SyncAck
from app.messages import error_ack, error_text
from app.models import LiveSession
from app.models.base import now_ms
from app.sockets import emitter, payloads
from app.sockets.commands import Command
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


def read_this_event() -> dict[Any, Any]:
    """What this one event has read from the database already, to read it once.

    Flask-SocketIO makes a new request for every event (and keeps the event's own facts
    on it: sid, namespace, event), so what is kept here is gone with the event: the next
    event reads everything again, whatever changed in between."""
    read: dict[Any, Any] | None = getattr(request, "migrapass_read", None)
    if read is None:
        read = {}
        request.migrapass_read = read  # type: ignore[attr-defined]
    return read


def handler(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn bad payloads into an error ack and require a joined room."""

    @functools.wraps(func)
    def wrapper(self: LiveNamespace, data: Any = None) -> Any:
        live = self.current_session()
        if live is None:
            return error_ack("not_in_room")
        try:
            return func(self, live, as_dict(data))
        except BadPayload as bad:
            return error_ack(bad.code)

    return wrapper


# Who sends a namespace's commands, in the generated handlers' docstrings.
_SENDERS = {Audience.TUTOR: "the tutor's console", Audience.PARTICIPANTS: "a participant's phone"}


def _command_handler(owner: type[LiveNamespace], name: str, command: Command) -> Callable[..., Ack]:
    @handler
    def on_command(self: LiveNamespace, live: LiveSession, data: dict[str, Any]) -> Ack:
        return self.run_command(live, command, data)

    # Named like a handler written by hand, so tracebacks, profiles and help() say which.
    on_command.__name__ = f"on_{name}"
    on_command.__qualname__ = f"{owner.__qualname__}.on_{name}"
    sender = _SENDERS.get(owner.audience, owner.audience.value)
    on_command.__doc__ = (
        f"`{name}`, sent by {sender} ({owner.__name__}): appends `{command.event.value}`."
    )
    return on_command


class LiveNamespace(Namespace):
    audience: Audience
    # The writes of a command table (app/sockets/commands.py): each becomes an `on_<name>`
    # handler of the class that declares the table, run by its `run_command`.
    commands: ClassVar[dict[str, Command]] = {}

    # A namespace with commands says who may send one, then performs it (each audience
    # checks its own sender: a phone, or a member of staff).
    run_command: Callable[[LiveSession, Command, dict[str, Any]], Ack]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("commands") and not hasattr(cls, "run_command"):
            raise TypeError(f"{cls.__name__} has commands but no run_command to check senders")
        for name, command in cls.__dict__.get("commands", {}).items():
            if hasattr(cls, f"on_{name}"):  # a command would silently replace a handler
                raise TypeError(f"{cls.__name__} already handles {name!r}")
            setattr(cls, f"on_{name}", _command_handler(cls, name, command))

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
    def on_sync(self, live: LiveSession, data: dict[str, Any]) -> SyncAck:
        """A client asks for the board: what it missed after `after`, or all of it.

        With {"after": seq} the ack is {"missed": [{type, msg}…], "seq"} when the gap
        is small; otherwise (and without `after`) it is {"board": snapshot}.
        """
        after = data.get("after")
        if after is not None:
            after = payloads.whole_number(after)
        names = room_names(db.session, live.cohort_id)
        audience = self.audience_for(live)
        extra = self.extra_snapshot(live, names)
        body = catchup.sync(
            db.session,
            live.id,
            live.last_seq,
            after,
            audience,
            names,
            now_ms(),
            self.viewer_participant(),
        )
        if "board" in body:
            body["board"].update(extra)
            return {"ok": True, "board": body["board"]}
        return {"ok": True, **body, **extra}

    def extra_snapshot(self, live: LiveSession, names: RoomNames) -> dict[str, Any]:
        """What this audience's screen gets with the board besides the board itself."""
        return {}
