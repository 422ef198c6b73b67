"""Socket.IO: one namespace per audience (phones, tutor console, projector)."""

from __future__ import annotations

from flask_socketio import SocketIO

from app.sockets.participant import ParticipantNamespace
from app.sockets.staff import ProjectorNamespace, TutorNamespace


def register_namespaces(socketio: SocketIO) -> None:
    """Register the namespaces once: the SocketIO object outlives each test's app."""
    if socketio.namespace_handlers:
        return
    socketio.on_namespace(ParticipantNamespace("/participant"))
    socketio.on_namespace(TutorNamespace("/tutor"))
    socketio.on_namespace(ProjectorNamespace("/projector"))
