"""Socket.IO: one namespace per audience (phones, tutor console, projector)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_socketio import SocketIO

from app.extensions import db
from app.messages import error_ack
from app.sockets.participant import ParticipantNamespace
from app.sockets.staff import ProjectorNamespace, TutorNamespace


def register_namespaces(socketio: SocketIO) -> None:
    """Register the namespaces once: the SocketIO object outlives each test's app."""
    if socketio.namespace_handlers:
        return
    socketio.on_namespace(ParticipantNamespace("/participant"))
    socketio.on_namespace(TutorNamespace("/tutor"))
    socketio.on_namespace(ProjectorNamespace("/projector"))
    socketio.on_error_default(_unexpected)


def _unexpected(_error: Exception) -> Any:
    """A handler failed (a bug, the database gone): log it with its traceback, leave
    nothing half-written, and answer; a connection that failed is refused, not let in."""
    current_app.logger.exception("socket event %s failed", request.event.get("message"))
    db.session.rollback()
    if request.event.get("message") == "connect":
        return False
    return error_ack("server_error")
