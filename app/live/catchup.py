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

from app.live.engine import SessionState, apply
from app.live.events import Event
from app.live.views import Audience, RoomNames, messages_for

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
