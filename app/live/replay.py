"""A finished session's log, ready to be played back: any moment found quickly, the
step changes and the tutor's moves marked, the quiet spans named.

The state at a moment is the same fold as live, started from the nearest keyframe: a
snapshot of the folded state at every step change and every KEYFRAME_EVERY events, so a
seek folds at most that many events. Keyframes are derived from the log, never a second
truth: they can be dropped and made again at any time.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from app.live.engine import apply
from app.live.events import Event, EventType
from app.live.state import SessionState

KEYFRAME_EVERY = 250
QUIET_MS = 30_000  # no one did anything for longer than this: a span a viewer may skip

# The tutor's moves a trainee looks for on the slider, besides the step changes.
MARKED: dict[EventType, str] = {
    EventType.BOARD_UNTIL_REVEAL: "reveal",
    EventType.VOTING_SET: "vote",
    EventType.CARD_HIDDEN: "hide",
}


@dataclass(frozen=True)
class Marker:
    seq: int
    at_ms: int
    kind: str  # "step", or one of MARKED's values
    step: str  # the step the marker belongs to (the step moved to, for "step")


@dataclass(frozen=True)
class QuietSpan:
    """Nothing happened between the event `after_seq` and the next one."""

    after_seq: int
    start_ms: int
    end_ms: int


def is_keyframe(event: Event, every: int = KEYFRAME_EVERY) -> bool:
    """Whether the state right after `event` is kept as a keyframe."""
    return event.type == EventType.STEP_MOVED or event.seq % every == 0


def build_keyframes(events: Sequence[Event], every: int = KEYFRAME_EVERY) -> list[SessionState]:
    """The whole log folded once, keeping the state after each keyframe's event."""
    kept: list[SessionState] = []
    state = SessionState()
    for event in events:
        state = apply(state, event)
        if is_keyframe(event, every):
            kept.append(state)
    return kept


class Recording:
    """A session's whole log and its keyframes: given (read back from storage), or
    folded here once."""

    def __init__(
        self,
        events: Sequence[Event],
        every: int = KEYFRAME_EVERY,
        keyframes: Sequence[SessionState] | None = None,
    ) -> None:
        self.events = list(events)
        self.every = every
        if keyframes is None:
            keyframes = build_keyframes(self.events, every)
        self._keyframes = [SessionState(), *sorted(keyframes, key=lambda frame: frame.seq)]
        self._keyframe_seqs = [frame.seq for frame in self._keyframes]
        self._times = [event.ts_ms for event in self.events]

    @property
    def keyframes(self) -> list[SessionState]:
        """The stored ones: every state kept but the empty one before the session."""
        return self._keyframes[1:]

    @property
    def final(self) -> SessionState:
        return self.state_at(self.last_seq)

    @property
    def last_seq(self) -> int:
        return len(self.events)

    def state_at(self, seq: int) -> SessionState:
        """The state just after event `seq` (0: before the session began)."""
        if not 0 <= seq <= self.last_seq:
            raise ValueError(f"seq {seq} is outside 0..{self.last_seq}")
        state = self._keyframes[bisect.bisect_right(self._keyframe_seqs, seq) - 1]
        for event in self.events[state.seq : seq]:
            state = apply(state, event)
        return state

    def keyframe_for(self, seq: int) -> int:
        """The seq of the keyframe a seek to `seq` starts from: fewer than `every` events
        before it, and `seq` itself at a step change."""
        return self._keyframe_seqs[bisect.bisect_right(self._keyframe_seqs, seq) - 1]

    def seq_at(self, at_ms: int) -> int:
        """The last event at or before the clock time `at_ms` (0 before the first)."""
        return bisect.bisect_right(self._times, at_ms)

    def markers(self) -> list[Marker]:
        """Each step change and each of the tutor's marked moves, in order."""
        found: list[Marker] = []
        step = ""
        for event in self.events:
            if event.type in (EventType.SESSION_STARTED, EventType.STEP_MOVED):
                step = self._step_after(event.seq)
                found.append(Marker(event.seq, event.ts_ms, "step", step))
            elif event.type in MARKED:
                found.append(Marker(event.seq, event.ts_ms, MARKED[event.type], step))
        return found

    def quiet_spans(self, longer_than_ms: int = QUIET_MS) -> list[QuietSpan]:
        """The gaps between two events longer than `longer_than_ms`."""
        return [
            QuietSpan(before.seq, before.ts_ms, after.ts_ms)
            for before, after in zip(self.events, self.events[1:], strict=False)
            if after.ts_ms - before.ts_ms > longer_than_ms
        ]

    def _step_after(self, seq: int) -> str:
        state = self.state_at(seq)  # a step change is a keyframe: no fold
        return state.steps[state.step_index].id if state.steps else ""
