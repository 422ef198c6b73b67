"""The socket handlers' transaction boundary: commit once, then emit, then acknowledge."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.access import room_names
from app.extensions import db
from app.live import store
from app.live.engine import IllegalMove
from app.live.store import Appended, DuplicateWrite
from app.live.views import Message, messages_for
from app.messages import error_ack
from app.models import LiveSession
from app.sockets import emitter


def perform_all(live: LiveSession, work: Callable[[], list[Appended]]) -> dict[str, Any]:
    """Run a verb that appends several events (letting everyone in): one commit, then
    every event's messages; the ack counts them and names the last seq."""
    try:
        appended = work()
        messages = _commit(live, appended)
    except DuplicateWrite as duplicate:
        db.session.rollback()
        return {"ok": True, "seq": duplicate.existing.seq, "duplicate": True}
    except IllegalMove as refused:
        db.session.rollback()
        return error_ack(refused.code)
    emitter.send(live.id, messages)
    ack: dict[str, Any] = {"ok": True, "count": len(appended)}
    if appended:
        ack["seq"] = appended[-1].event.seq
    return ack


def perform(live: LiveSession, work: Callable[[], Appended | None]) -> dict[str, Any]:
    """Run one domain verb; on success commit, emit the filtered messages and ack the seq.
    A verb that changed the database but no session's log is acked without a seq."""
    ack = perform_all(live, lambda: [] if (one := work()) is None else [one])
    ack.pop("count", None)
    return ack


def _commit(live: LiveSession, appended: list[Appended]) -> list[Message]:
    """The messages of the events just appended, computed before the commit (they read
    the names in the same transaction), then the commit: nothing is sent before it."""
    messages: list[Message] = []
    if appended:
        names = room_names(db.session, live.cohort_id)
        for one in appended:
            messages += messages_for(one.event, one.before, one.state, names)
    db.session.commit()
    if appended:
        store.remember(db.session, live.id, appended[-1].state)
    return messages
