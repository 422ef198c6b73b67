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

from app.extensions import db, socketio
from app.models import DeviceLink, User
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
    """Close this process's sockets whose phone link ended or whose staff log-in did not
    stay current; return how many rooms were closed."""
    closed = 0
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


def _rooms(namespace: str, kind: str) -> dict[str, list[str]]:
    rooms = socketio.server.manager.rooms.get(namespace, {})
    return {
        room: room.split(":")
        for room in list(rooms)
        if isinstance(room, str) and room.startswith(f"{kind}:")
    }
