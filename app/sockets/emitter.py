"""The one place that emits: sends already-filtered messages to the right rooms.

What each message holds is described in `app/live/wire.py`.

Called only after the database transaction is committed (commit, then emit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from app.extensions import socketio
from app.live.views import CONSOLES, Audience, Message, RoomNames
from app.live.wire import Person, PersonalPatch, Waiting, WallPages

NAMESPACES = {
    Audience.TUTOR: "/tutor",
    Audience.OBSERVER: "/tutor",
    Audience.PROJECTOR: "/projector",
    Audience.PARTICIPANTS: "/participant",
}


def room(session_id: int, audience: Audience) -> str:
    """The room of a session's audience. Observers share the tutors' namespace, so they
    get a room of their own: what the tutors' room hears is not for them."""
    if audience is Audience.OBSERVER:
        return f"live:{session_id}:observers"
    return f"live:{session_id}"


def personal_room(session_id: int, participant_id: int) -> str:
    return f"live:{session_id}:p:{participant_id}"


def send(session_id: int, messages: Iterable[Message]) -> None:
    for message in messages:
        if message.to_participant is not None:
            _personal(session_id, message.to_participant, message.payload)
        else:
            _emit(session_id, message.audience, "board", message.payload)


def waiting(session_id: int, participant_id: int, people: RoomNames, since_ms: int) -> None:
    """Tell the consoles someone is waiting at the door (not a board event: no seq)."""
    for audience in CONSOLES:
        name = people.seen_by(audience).get(participant_id)
        person: Person = {"id": participant_id, "name": name, "since_ms": since_ms}
        arrived: Waiting = {"participant": person}
        _emit(session_id, audience, "waiting", arrived)


def wall_pages(session_id: int, step: str, pages: int) -> None:
    """Tell the consoles how many pages the projector needs for a board (its screen's
    measure, not the session's history: nothing is logged)."""
    measured: WallPages = {"step": step, "pages": pages}
    for audience in CONSOLES:
        _emit(session_id, audience, "wall_pages", measured)


def wall_pages_wanted(session_id: int) -> None:
    """Ask the session's projectors to say their page count again (a console opened)."""
    _emit(session_id, Audience.PROJECTOR, "wall_pages_wanted", {})


def declined(session_id: int, participant_ids: list[int]) -> None:
    """Tell the consoles who left the door, and each of them that they were turned away."""
    if not participant_ids:
        return
    gone: Waiting = {"declined": participant_ids}
    turned_away: PersonalPatch = {"declined": True}
    for audience in CONSOLES:
        _emit(session_id, audience, "waiting", gone)
    for pid in participant_ids:
        _personal(session_id, pid, turned_away)


def _emit(session_id: int, audience: Audience, event: str, payload: Mapping[str, Any]) -> None:
    socketio.emit(event, payload, to=room(session_id, audience), namespace=NAMESPACES[audience])


def _personal(session_id: int, participant_id: int, payload: Mapping[str, Any]) -> None:
    socketio.emit(
        "personal",
        payload,
        to=personal_room(session_id, participant_id),
        namespace=NAMESPACES[Audience.PARTICIPANTS],
    )


def phone_room(link_id: int) -> str:
    """Every socket of one phone (one device link), whatever session it is in."""
    return f"phone:{link_id}"


def staff_room(user_id: int, generation: int) -> str:
    """Every socket of one member of staff, under the log-in cookie's generation."""
    return f"staff:{user_id}:{generation}"


def phones_signed_out(link_ids: Iterable[int], *, tell: bool = True) -> None:
    """Close the open sockets of phones whose link just ended (after the commit); `tell`
    their pages first, unless a message of their own already said why (turned away)."""
    for link_id in link_ids:
        if tell:
            _close("/participant", phone_room(link_id))
        else:
            close_here("/participant", phone_room(link_id))


def person_erased(phones: Iterable[int], open_sessions: Iterable[int]) -> None:
    """After a person's deletion is committed: their phones close, and the screens of
    the sessions still running fetch their boards whole again."""
    phones_signed_out(phones)
    contents_changed(open_sessions)


def contents_changed(session_ids: Iterable[int]) -> None:
    """Tell every screen of these (open) sessions to fetch its board whole again: words
    were removed from their logs without a new event (a person deleted their data)."""
    for session_id in session_ids:
        for audience, namespace in NAMESPACES.items():
            socketio.emit("resync", {}, to=room(session_id, audience), namespace=namespace)


def staff_signed_out(user_id: int, generation: int) -> None:
    """Close the open sockets a member of staff had under a generation just ended."""
    for namespace in ("/tutor", "/projector"):
        _close(namespace, staff_room(user_id, generation))


def _close(namespace: str, room_name: str) -> None:
    # The page is told first (through the message queue, every process's clients are),
    # then this process closes the sockets it holds. Any other process closes its own at
    # its next sweep (app.sockets.sweep), and refuses their events meanwhile.
    socketio.emit("signed_out", {}, to=room_name, namespace=namespace)
    close_here(namespace, room_name)


def close_here(namespace: str, room_name: str) -> None:
    """Disconnect this process's sockets in a room."""
    server = socketio.server
    for sid, _eio_sid in list(server.manager.get_participants(namespace, room_name)):
        server.disconnect(sid, namespace=namespace, ignore_queue=True)
