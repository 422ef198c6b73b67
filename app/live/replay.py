"""A finished session's log, ready to be played back: any moment found quickly, the
step changes and the tutor's moves marked, the quiet spans named.

The state at a moment is the same fold as live, started from the nearest keyframe: a
snapshot of the folded state at every step change and every KEYFRAME_EVERY events, so a
seek folds at most that many events. Keyframes are derived from the log, never a second
truth: they can be dropped and made again at any time.
"""

from __future__ import annotations

import bisect
import functools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.live.engine import apply
from app.live.events import ActorKind, Event, EventType
from app.live.state import SessionState

KEYFRAME_EVERY = 250
DECODED_KEPT = 16  # keyframes read from storage kept decoded, per recording
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
    """A session's whole log and its keyframes: given, read from storage when a seek
    needs one (`stored`: their seqs, and how to read one), or folded here once."""

    def __init__(
        self,
        events: Sequence[Event],
        every: int = KEYFRAME_EVERY,
        keyframes: Sequence[SessionState] | None = None,
        *,
        stored: tuple[Sequence[int], Callable[[int], SessionState]] | None = None,
    ) -> None:
        self.events = list(events)
        self.every = every
        self._times = [event.ts_ms for event in self.events]
        self._decoded: OrderedDict[int, SessionState] = OrderedDict()
        if stored is not None:
            seqs, self._read = stored
            self._keyframe_seqs = [0, *seqs]
            return
        if keyframes is None:
            keyframes = build_keyframes(self.events, every)
        given = {frame.seq: frame for frame in keyframes}
        self._keyframe_seqs = [0, *sorted(given)]
        self._read = given.__getitem__

    @functools.cached_property
    def people(self) -> list[int]:
        """Participant ids in the order they first appear: acting, let in, counted
        present, or named by a tutor's card typed for them."""
        order: list[int] = []
        for event in self.events:
            if event.actor is not None and event.actor.kind is ActorKind.PARTICIPANT:
                order.append(event.actor.id)
            for key in ("participant_id", "on_behalf_of", "kept", "absorbed"):
                value = event.payload.get(key)
                if isinstance(value, int) and not isinstance(value, bool):
                    order.append(value)
        return list(dict.fromkeys(order))

    def _keyframe(self, seq: int) -> SessionState:
        if seq == 0:
            return SessionState()
        state = self._decoded.get(seq)
        if state is None:
            state = self._read(seq)
            self._decoded[seq] = state
            while len(self._decoded) > DECODED_KEPT:
                self._decoded.popitem(last=False)
        else:
            self._decoded.move_to_end(seq)
        return state

    @property
    def keyframes(self) -> list[SessionState]:
        """Every keyframe but the empty state before the session."""
        return [self._keyframe(seq) for seq in self._keyframe_seqs[1:]]

    @property
    def final(self) -> SessionState:
        return self.state_at(self.last_seq)

    @property
    def last_seq(self) -> int:
        return len(self.events)

    def base_for(self, seq: int) -> SessionState:
        """The keyframe a seek to `seq` folds from (read from storage if need be)."""
        return self._keyframe(self.keyframe_for(seq))

    def state_at(self, seq: int, base: SessionState | None = None) -> SessionState:
        """The state just after event `seq` (0: before the session began), folded from
        `base` when given (`base_for(seq)`: read beforehand, this only computes)."""
        if not 0 <= seq <= self.last_seq:
            raise ValueError(f"seq {seq} is outside 0..{self.last_seq}")
        state = base if base is not None else self.base_for(seq)
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
        for event, step in zip(self.events, self.steps(), strict=True):
            if event.type in (EventType.SESSION_STARTED, EventType.STEP_MOVED):
                found.append(Marker(event.seq, event.ts_ms, "step", step))
            elif event.type in MARKED:
                found.append(Marker(event.seq, event.ts_ms, MARKED[event.type], step))
        return found

    def steps(self) -> list[str]:
        """The step on screen after each event, read off the step moves alone (no fold:
        a move is in the log only if the fold accepted it)."""
        ids: list[str] = []
        index, out = 0, []
        for event in self.events:
            if event.type == EventType.SESSION_STARTED:
                ids = [str(step.get("id", "")) for step in event.payload.get("steps", ())]
                index = 0
            elif event.type == EventType.STEP_MOVED and ids:
                moved = event.payload.get("index")
                if not isinstance(moved, int):
                    moved = index + int(event.payload.get("delta", 0))
                index = max(0, min(moved, len(ids) - 1))
            out.append(ids[index] if ids else "")
        return out

    def quiet_spans(self, longer_than_ms: int = QUIET_MS) -> list[QuietSpan]:
        """The gaps between two events longer than `longer_than_ms`."""
        return [
            QuietSpan(before.seq, before.ts_ms, after.ts_ms)
            for before, after in zip(self.events, self.events[1:], strict=False)
            if after.ts_ms - before.ts_ms > longer_than_ms
        ]
