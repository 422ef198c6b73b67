"""What a reconnecting client missed: the same messages it would have heard live.

A client that was offline names the last seq it applied. If few events came since, it
gets exactly the patches each of those events sent to its audience (and, for a phone,
its personal ones), replayed from the log, so it converges by the same path as every
other screen. A long gap, or a seq the log does not know, gets a snapshot instead:
past a few hundred events one snapshot is smaller than the patches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.live.engine import apply, fold
from app.live.events import Event
from app.live.views import Audience, messages_for

CATCH_UP_MAX = 200  # events; beyond this a snapshot is cheaper to send and to draw


def missed(
    events: Sequence[Event],
    after: int,
    audience: Audience,
    names: Mapping[int, str],
    now_ms: int,
    viewer_participant: int | None = None,
) -> list[dict[str, Any]] | None:
    """Each message an audience heard after seq `after`, in order; None means "snapshot".

    `events` is the session's whole log in seq order. Every replayed patch carries
    `now_ms` of this answer, so the client's clock offset stays right.
    """
    last = events[-1].seq if events else 0
    if after < 0 or after > last or last - after > CATCH_UP_MAX:
        return None
    split = next((i for i, event in enumerate(events) if event.seq > after), len(events))
    state = fold(events[:split])
    out: list[dict[str, Any]] = []
    for event in events[split:]:
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
