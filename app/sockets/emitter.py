"""The one place that emits: sends already-filtered messages to the right rooms.

Called only after the database transaction is committed (commit, then emit).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.extensions import socketio
from app.live.views import Audience, Message

NAMESPACES = {
    Audience.TUTOR: "/tutor",
    Audience.PROJECTOR: "/projector",
    Audience.PARTICIPANTS: "/participant",
}


def room(session_id: int) -> str:
    return f"live:{session_id}"


def personal_room(session_id: int, participant_id: int) -> str:
    return f"live:{session_id}:p:{participant_id}"


def send(session_id: int, messages: Iterable[Message]) -> None:
    for message in messages:
        target = (
            personal_room(session_id, message.to_participant)
            if message.to_participant is not None
            else room(session_id)
        )
        socketio.emit(
            "personal" if message.to_participant is not None else "board",
            message.payload,
            to=target,
            namespace=NAMESPACES[message.audience],
        )


def waiting(session_id: int, participant_id: int, name: str) -> None:
    """Tell the tutors someone is waiting at the door (not a board event: no seq)."""
    socketio.emit(
        "waiting",
        {"participant": {"id": participant_id, "name": name}},
        to=room(session_id),
        namespace=NAMESPACES[Audience.TUTOR],
    )
