"""How long a seek takes in a long finished session, against folding from the start.

Run with `make bench`. A 10,000-event session (an evening of nine steps, people posting,
the tutor hiding, revealing and turning the wall's pages) is folded into keyframes once,
then 400 seeks land on random moments. Figures, medians and p95 in the same run (this
machine is noisy, so read the ratio too): a seek through the keyframes, and the same
seek folding the log from its start (what a seek costs without them). The target is a
seek of 50 ms or less; bench/replay_pages_bench.py measures it through the page, as a
browser gets it. Merges replay_fold_seek_p50_ms, replay_fold_seek_p95_ms and the
baseline's keys into bench/results.json.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.live.engine import fold  # noqa: E402
from app.live.events import Actor, ActorKind, Event  # noqa: E402
from app.live.events import EventType as E  # noqa: E402
from app.live.replay import Recording  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
EVENTS = 10_000
SEEKS = 400
TUTOR = Actor(ActorKind.STAFF, 1)
PEOPLE = [Actor(ActorKind.PARTICIPANT, 10 + n) for n in range(14)]
STEPS = [{"id": f"s{n}", "board": "group_rules" if n % 2 else "free_text"} for n in range(9)]


def evening(events: int) -> list[Event]:
    """A long session's log: mostly cards, with the tutor's moves among them."""
    chance = random.Random(15)
    log = [Event(1, E.SESSION_STARTED, 0, TUTOR, {"meeting": "w4", "steps": STEPS})]
    step, cards, clock = 0, [], 0
    while len(log) < events:
        seq, clock = len(log) + 1, clock + chance.randint(200, 4000)
        roll = chance.random()
        if roll < 0.01:
            step = (step + 1) % len(STEPS)
            log.append(Event(seq, E.STEP_MOVED, clock, TUTOR, {"index": step}))
        elif roll < 0.03 and cards:
            card = cards.pop(chance.randrange(len(cards)))
            log.append(Event(seq, E.CARD_HIDDEN, clock, TUTOR, {"card_id": card, "reason": ""}))
        elif roll < 0.05:
            page = {"step": STEPS[step]["id"], "page": chance.randint(0, 3)}
            log.append(Event(seq, E.WALL_PAGED, clock, TUTOR, page))
        else:
            board = STEPS[step]["board"]
            payload = {"board": board, "fields": {"text": f"Une idée, la numéro {seq}."}}
            log.append(Event(seq, E.CARD_POSTED, clock, chance.choice(PEOPLE), payload))
            cards.append(seq)
    return log


def timed(seek, moments: list[int]) -> list[float]:
    took = []
    for seq in moments:
        start = time.perf_counter()
        seek(seq)
        took.append((time.perf_counter() - start) * 1000)
    return took


def p95(values: list[float]) -> float:
    return sorted(values)[round(0.95 * (len(values) - 1))]


def main() -> None:
    log = evening(EVENTS)
    start = time.perf_counter()
    recording = Recording(log)
    built_ms = (time.perf_counter() - start) * 1000
    moments = [random.Random(3).randint(0, len(log)) for _ in range(SEEKS)]
    keyed = timed(recording.state_at, moments)
    from_start = timed(lambda seq: fold(log[:seq]), moments[:40])
    figures = {
        "replay_events": len(log),
        "replay_keyframes_build_ms": round(built_ms, 1),
        "replay_fold_seek_p50_ms": round(statistics.median(keyed), 2),
        "replay_fold_seek_p95_ms": round(p95(keyed), 2),
        "replay_seek_from_start_p50_ms": round(statistics.median(from_start), 2),
    }
    ratio = figures["replay_seek_from_start_p50_ms"] / max(figures["replay_fold_seek_p50_ms"], 0.01)
    print(
        f"{len(log)} events, keyframes built in {built_ms:.0f} ms; a seek: p50 "
        f"{figures['replay_fold_seek_p50_ms']} ms, p95 {figures['replay_fold_seek_p95_ms']} ms; "
        f"folding from the start instead: p50 {figures['replay_seek_from_start_p50_ms']} ms "
        f"({ratio:.0f}× slower)"
    )
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(figures)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
