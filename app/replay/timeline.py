"""A replay's slider: every event's time, the markers (steps, the tutor's moves,
annotations) and the quiet spans, for the page to lay out and to step through."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.live.events import EventType
from app.live.replay import QuietSpan, Recording
from app.replay.frames import moment_ms
from app.replay.wire import Timeline, TimelineMarker


def timeline(
    recording: Recording,
    step_titles: dict[str, str],
    annotated: Iterable[tuple[int, str]],
    quiet_label: Callable[[int], str],
) -> Timeline:
    """The slider's data. `annotated`: (seq, label) of the annotations the viewer reads;
    `quiet_label(minutes)` names a quiet span."""
    events = recording.events
    found = recording.markers()
    step_of = {m.seq: m.step for m in found if m.kind == "step"}
    step = ""
    items = []
    for event in events:
        step = step_of.get(event.seq, step)
        items.append(
            {
                "seq": event.seq,
                "ms": event.ts_ms,
                "step": step,
                "card": event.type == EventType.CARD_POSTED,
            }
        )
    markers: list[TimelineMarker] = [
        {
            "seq": m.seq,
            "ms": m.at_ms,
            "kind": m.kind,
            "step": m.step,
            "label": step_titles.get(m.step, m.step) if m.kind == "step" else m.kind,
        }
        for m in found
    ]
    markers += [
        {"seq": seq, "ms": moment_ms(recording, seq), "kind": "annotation", "label": label}
        for seq, label in annotated
    ]
    markers.sort(key=lambda m: (m["seq"], m["kind"] != "step"))
    steps = []
    seen: set[str] = set()
    for marker in markers:
        if marker["kind"] == "step" and marker["step"] not in seen:
            seen.add(marker["step"])
            steps.append({"id": marker["step"], "seq": marker["seq"], "title": marker["label"]})
    quiet = [
        {
            "after_seq": span.after_seq,
            "start_ms": span.start_ms,
            "end_ms": span.end_ms,
            "label": quiet_label(span_minutes(span)),
        }
        for span in recording.quiet_spans()
    ]
    first = events[0].ts_ms if events else 0
    return {
        "started_ms": first,
        "ended_ms": events[-1].ts_ms if events else first,
        "last_seq": recording.last_seq,
        "events": items,
        "markers": markers,
        "steps": steps,
        "quiet": quiet,
    }


def span_minutes(span: QuietSpan) -> int:
    """A quiet span's length as the slider names it, in whole minutes (1 at least)."""
    return max(1, round((span.end_ms - span.start_ms) / 60_000))
