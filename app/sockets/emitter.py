"""The one place that emits: sends already-filtered messages to the right rooms.

Called only after the database transaction is committed (commit, then emit).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.extensions import socketio
from app.live.views import CONSOLES, Audience, Message, RoomNames

NAMESPACES = {
    Audience.TUTOR: "/tutor",
    Audience.OBSERVER: "/tutor",
    Audience.PROJECTOR: "/projector",
    Audience.PARTICIPANTS: "/participant",
}


def room(session_id: int, audience: Audience | None = None) -> str:
    """The room of a session's audience. Observers share the tutors' namespace, so they
    get a room of their own: what the tutors' room hears is not for them."""
    if audience is Audience.OBSERVER:
        return f"live:{session_id}:observers"
    return f"live:{session_id}"


def personal_room(session_id: int, participant_id: int) -> str:
    return f"live:{session_id}:p:{participant_id}"


def send(session_id: int, messages: Iterable[Message]) -> None:
    for message in messages:
        target = (
            personal_room(session_id, message.to_participant)
            if message.to_participant is not None
            else room(session_id, message.audience)
        )
        socketio.emit(
            "personal" if message.to_participant is not None else "board",
            message.payload,
            to=target,
            namespace=NAMESPACES[message.audience],
        )


def waiting(session_id: int, participant_id: int, people: RoomNames) -> None:
    """Tell the consoles someone is waiting at the door (not a board event: no seq)."""
    for audience in CONSOLES:
        name = people.seen_by(audience).get(participant_id)
        socketio.emit(
            "waiting",
            {"participant": {"id": participant_id, "name": name}},
            to=room(session_id, audience),
            namespace=NAMESPACES[audience],
        )
