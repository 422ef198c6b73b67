"""The transaction boundary of the live log: commit once, then emit, then acknowledge.

Every event appended to a running session's log goes through `perform` (or
`perform_all`): the socket handlers, a phone's arrival, and the pages that change a
running session (a merge from the group's page). So every appended event is committed
before anyone hears of it, and its committed state is remembered for the next read.
One event is appended elsewhere: `session.started`, which the tutor's start page
commits by hand (tutor_pages/routes.py `start_session`): the session it opens has
nobody in its rooms yet to tell, and the first read folds it from the log.

Other paths commit, then emit, by hand, because they append no log event (they change
rows, not the session's log, so there is no seq to ack and no state to remember):
`_enter_or_wait` (participant_pages/routes.py: someone knocks at the door, the consoles
hear "waiting"), `_turn_away` (sockets/staff.py: the tutor declines people at the door,
their phones are told and signed out) and `sign_out_phones` (tutor_pages/routes.py: a
member's phones are signed out); likewise the other sign-outs (a personal code redeemed
and "not me" in participant_pages/routes.py, a tutor's sign-out in auth/routes.py). The
projector's page count (`on_wall_pages`, sockets/staff.py) is relayed, never stored: it
commits nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from app.access import room_names
from app.extensions import db
from app.live import store
from app.live.errors import IllegalMove
from app.live.store import Appended, DuplicateWrite
from app.live.views import Message, messages_for
from app.live.wire import Ack
from app.messages import error_ack
from app.models import LiveSession
from app.sockets import emitter


def perform_all(live: LiveSession | None, work: Callable[[], list[Appended]]) -> Ack:
    """Run a verb that appends several events (letting everyone in): one commit, then
    every event's messages; the ack counts them and names the last seq.

    `live` is the session the verb appends to; None when the group has none open (the
    verb then changes the database only)."""
    try:
        appended = work()
        messages = _commit(live, appended)
    except DuplicateWrite as duplicate:
        db.session.rollback()
        return {"ok": True, "seq": duplicate.existing.seq, "duplicate": True}
    except IllegalMove as refused:
        db.session.rollback()
        return error_ack(refused.code)
    if live is not None:
        emitter.send(live.id, messages)
    ack: Ack = {"ok": True, "count": len(appended)}
    if appended:
        ack["seq"] = appended[-1].event.seq
    return ack


def perform(live: LiveSession | None, work: Callable[[], Appended | None]) -> Ack:
    """Run one domain verb; on success commit, emit the filtered messages and ack the seq.
    A verb that changed the database but no session's log is acked without a seq."""
    ack = perform_all(live, lambda: [] if (one := work()) is None else [one])
    ack.pop("count", None)
    return ack


def _commit(live: LiveSession | None, appended: list[Appended]) -> list[Message]:
    """The messages of the events just appended, computed before the commit (they read
    the names in the same transaction), then the commit: nothing is sent before it."""
    # Without a session (one opened between the caller's look and the verb's), nobody
    # is told: the event is kept, and every screen reads it from the log when it syncs.
    told = live if appended else None
    messages: list[Message] = []
    if told is not None:
        names = room_names(db.session, told.cohort_id)
        for one in appended:
            messages += messages_for(one.event, one.before, one.state, names)
    db.session.commit()
    if told is not None:
        store.remember(db.session, told.id, appended[-1].state)
    return messages
