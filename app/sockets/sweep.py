"""Close the open sockets of credentials that ended elsewhere.

A phone signed out, a log-out or a deactivation in this process closes its sockets at
once (`emitter`); every event checks the credential again anyway. What this adds: the
sockets another process holds (several processes share a message queue), and a
deactivation from the command line, are closed within a sweep's period. The rooms
name what to check: "phone:<link>" and "staff:<user>:<generation>".
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.access import session_principal
from app.extensions import db, socketio
from app.models import DeviceLink, LiveSession, User
from app.permissions import Action, can
from app.sockets import emitter

PERIOD_S = 10.0


def start(app: Flask) -> None:
    """Sweep every PERIOD_S seconds for as long as the server runs."""
    socketio.start_background_task(_forever, app)


def _forever(app: Flask) -> None:
    while True:
        socketio.sleep(PERIOD_S)
        with app.app_context():
            try:
                sweep()
            except Exception:  # a database hiccup must not end the sweeping
                app.logger.exception("socket sweep failed")
            finally:
                db.session.remove()


def sweep() -> int:
    """Close this process's sockets whose phone link ended, whose staff log-in did not
    stay current, or whose member of staff may no longer be in the session's room they
    hear (taken off the group, another role); return how many were closed."""
    closed = _staff_out_of_place()
    phones = _rooms("/participant", "phone")
    if phones:
        ids = {int(parts[1]) for parts in phones.values()}
        live = set(
            db.session.scalars(
                select(DeviceLink.id).where(DeviceLink.id.in_(ids), DeviceLink.ended_at.is_(None))
            )
        )
        for room, parts in phones.items():
            if int(parts[1]) not in live:
                emitter.close_here("/participant", room)
                closed += 1
    for namespace in ("/tutor", "/projector"):
        staff = _rooms(namespace, "staff")
        if not staff:
            continue
        ids = {int(parts[1]) for parts in staff.values()}
        current = dict(
            db.session.execute(
                select(User.id, User.session_generation).where(
                    User.id.in_(ids), User.is_active_account.is_(True)
                )
            ).all()
        )
        for room, parts in staff.items():
            if current.get(int(parts[1])) != int(parts[2]):
                emitter.close_here(namespace, room)
                closed += 1
    return closed


# The staff namespaces, with the action that lets one in and whether its rooms split by
# audience ("live:<id>" for those who see backstage, "live:<id>:observers" otherwise).
_STAFF_ROOMS = {"/tutor": (Action.ENTER_ROOM, True), "/projector": (Action.VIEW_PROJECTOR, False)}


def _staff_out_of_place() -> int:
    manager = socketio.server.manager
    verdicts: dict[tuple[str, int, int, bool], bool] = {}
    closed = 0
    for namespace, (entry, split) in _STAFF_ROOMS.items():
        for room, parts in _rooms(namespace, "live").items():
            observers = parts[2:] == ["observers"]
            for sid, _eio_sid in list(manager.get_participants(namespace, room)):
                user_id = _staff_of(manager.get_rooms(sid, namespace))
                if user_id is None:
                    continue
                key = (namespace, int(parts[1]), user_id, observers)
                if key not in verdicts:
                    verdicts[key] = _fits(int(parts[1]), user_id, entry, split and observers)
                if not verdicts[key]:
                    socketio.server.disconnect(sid, namespace=namespace, ignore_queue=True)
                    closed += 1
    return closed


def _staff_of(rooms: list[str]) -> int | None:
    for room in rooms:
        if isinstance(room, str) and room.startswith("staff:"):
            return int(room.split(":")[1])
    return None


def _fits(live_id: int, user_id: int, entry: Action, as_observer: bool) -> bool:
    live, user = db.session.get(LiveSession, live_id), db.session.get(User, user_id)
    if live is None or user is None:
        return False
    principal = session_principal(db.session, user, live)
    if not can(principal, entry):
        return False
    if entry is Action.ENTER_ROOM:  # the console's room must be the audience's
        return can(principal, Action.SEE_BACKSTAGE) != as_observer
    return True


def _rooms(namespace: str, kind: str) -> dict[str, list[str]]:
    rooms = socketio.server.manager.rooms.get(namespace, {})
    return {
        room: room.split(":")
        for room in list(rooms)
        if isinstance(room, str) and room.startswith(f"{kind}:")
    }
