"""What a reconnecting client missed: the same messages it would have heard live.

A client that was offline names the last seq it applied. If few events came since, it
gets exactly the patches each of those events sent to its audience (and, for a phone,
its personal ones), replayed from the log, so it converges by the same path as every
other screen. A long gap, or a seq the log does not know, gets a snapshot instead:
past a few dozen events one snapshot costs less (bench/live_bench.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.live import store
from app.live.engine import apply, fold
from app.live.events import Event
from app.live.state import SessionState
from app.live.views import Audience, RoomNames, messages_for, snapshot

CATCH_UP_MAX = 50  # events; beyond this a snapshot is cheaper to compute and to send


def missed(
    before: SessionState,
    events: Sequence[Event],
    audience: Audience,
    names: RoomNames,
    now_ms: int,
    viewer_participant: int | None = None,
) -> list[dict[str, Any]]:
    """Each message an audience heard for `events` (the log after `before`), in order.

    Every replayed patch carries `now_ms` of this answer, so the client's clock offset
    stays right.
    """
    state = before
    out: list[dict[str, Any]] = []
    for event in events:
        before, state = state, apply(state, event)
        viewer = state.identity(viewer_participant) if viewer_participant is not None else None
        for message in messages_for(event, before, state, names):
            if message.audience is not audience:
                continue
            if message.to_participant is None:
                out.append({"type": "board", "msg": {**message.payload, "now_ms": now_ms}})
            elif message.to_participant == viewer:
                out.append({"type": "personal", "msg": message.payload})
    return out


def worth_it(after: int, last_seq: int) -> bool:
    """A catch-up for a gap this size; otherwise (or for a seq the log does not know)
    the client gets a snapshot."""
    return 0 <= after <= last_seq and last_seq - after <= CATCH_UP_MAX


def sync(
    db: Session,
    session_id: int,
    last_seq: int,
    after: int | None,
    audience: Audience,
    names: RoomNames,
    now_ms: int,
    viewer_participant: int | None = None,
) -> dict[str, Any]:
    """What a screen asking for the board gets: {"missed": [...], "seq"} for a small gap
    after `after`, otherwise (and without `after`) {"board": snapshot}.

    Only reads: the caller has nothing uncommitted, so the state read is remembered."""
    if after is not None and worth_it(after, last_seq):
        before = store.state_at(db, session_id, after)
        if before is None:  # not remembered here: fold the log up to `after`
            before = fold(store.events_after(db, session_id, upto=after))
        events = store.events_after(db, session_id, after)
        gone = missed(before, events, audience, names, now_ms, viewer_participant)
        return {"missed": gone, "seq": events[-1].seq if events else after}
    state = store.load_state(db, session_id)
    store.remember(db, session_id, state)
    seen = names.seen_by(audience)
    return {"board": snapshot(state, audience, seen, now_ms, viewer_participant)}
