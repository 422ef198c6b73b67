"""A replay as a trainee's browser gets it: the first frame, a seek, the data's size.

Run with `make bench`. A finished three-hour session of 10,000 events (workshop 4's
script, 14 people posting about 1,200 cards and editing them as they type, the tutor
moving steps, timing, hiding, spotlighting, paging and taking notes) is stored
in a database, then read through the app's own pages as a coordinator would:

- the first frame: the replay page, its slider (timeline.json) and the frame of the
  first step, with the keyframes stored and this process's memory cold (another
  process's first viewer); and the same when no keyframe was stored yet (the very
  first replay of the session folds its whole log once, off the event loop);
- a seek: 200 frames at random moments (median, p95), with the log's fold from the
  start for the same moments as the baseline of the same run;
- the data: the slider and the frame of every step change, gzipped (what a viewer who
  steps through the session downloads), and one frame's mean size.

Targets: a seek ≤ 50 ms, the first frame ≤ 1.5 s, the session's data ≤ 500 KB gzipped.
Merges replay_seek_p50_ms, replay_seek_p95_ms, replay_first_frame_ms,
replay_payload_kb and their companions into bench/results.json.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete  # noqa: E402

from app import create_app  # noqa: E402
from app.db import upgrade  # noqa: E402
from app.extensions import db  # noqa: E402
from app.live import operations  # noqa: E402
from app.live.engine import fold  # noqa: E402
from app.live.events import Actor, ActorKind  # noqa: E402
from app.live.events import EventType as E  # noqa: E402
from app.live.store import events_after  # noqa: E402
from app.models import (  # noqa: E402
    Cohort,
    EventContent,
    LiveSession,
    ReplayKeyframe,
    SessionEvent,
    User,
)
from app.participants import consent  # noqa: E402
from app.participants.operations import create_participant  # noqa: E402
from app.ratelimit import Rules  # noqa: E402
from app.replay import recordings  # noqa: E402
from app.session_status import SessionStatus  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
EVENTS = 10_000
HOURS = 3
SEEKS = 200
NAMES = [
    "Amina",
    "Boris",
    "Chen",
    "Dalia",
    "Emre",
    "Fatou",
    "Goran",
    "Hana",
    "Idris",
    "Jana",
    "Karim",
    "Lina",
    "Mehdi",
    "Nour",
]


def _card(step: str, board: str, seq: int) -> dict | None:
    if board == "competences":
        return {
            "board": board,
            "fields": {"name": f"Je sais faire {seq}", "category": "professional"},
        }
    if board == "experiences":
        fields = {"what": f"Cuisinière {seq}", "setting": "abroad", "kind": "paid"}
        return {"board": board, "fields": fields}
    if board == "free_text":
        return {"board": board, "fields": {"text": f"Une force, la numéro {seq}."}}
    return None


def _evening(steps: list[dict], people: list[int], tutor: int, start_ms: int) -> list[tuple]:
    """(seq, type, ms, actor, payload) after the session's start, to the end: a busy
    evening of about 1,200 cards, each edited a few times as people type, with the tutor
    paging the wall, timing, hiding, spotlighting and taking notes."""
    chance = random.Random(16)
    staff = Actor(ActorKind.STAFF, tutor)
    spacing = HOURS * 3_600_000 // EVENTS
    boards = [s for s in range(len(steps)) if steps[s]["board"] not in ("none", "poll")]
    step = boards[0]
    clock, rows = start_ms, [(2, E.STEP_MOVED, start_ms, staff, {"index": step})]
    cards: list[tuple[int, int, dict]] = []  # this step's: (id, author, payload)
    spotlit = None
    for person in people:
        rows.append(
            (
                len(rows) + 2,
                E.ATTENDANCE_MARKED,
                clock,
                staff,
                {"participant_id": person, "present": True},
            )
        )
    while len(rows) < EVENTS - 2:
        seq = len(rows) + 2
        clock += chance.randint(spacing // 4, spacing * 7 // 4)
        roll = chance.random()
        if roll < 0.004:
            step = boards[(boards.index(step) + 1) % len(boards)]
            cards, spotlit = [], None
            rows.append((seq, E.STEP_MOVED, clock, staff, {"index": step}))
        elif roll < 0.13:
            author = chance.choice(people)
            payload = _card(steps[step]["id"], steps[step]["board"], seq)
            rows.append((seq, E.CARD_POSTED, clock, Actor(ActorKind.PARTICIPANT, author), payload))
            cards.append((seq, author, payload))
        elif roll < 0.80 and cards:
            card, author, payload = chance.choice(cards)
            fields = {**payload["fields"]}
            key = next(iter(fields))
            fields[key] = f"{fields[key]} ·{seq}"[-100:]
            rows.append(
                (
                    seq,
                    E.CARD_EDITED,
                    clock,
                    Actor(ActorKind.PARTICIPANT, author),
                    {"card_id": card, "fields": fields},
                )
            )
        elif roll < 0.90:
            page = {"step": steps[step]["id"], "page": chance.randint(0, 3)}
            rows.append((seq, E.WALL_PAGED, clock, staff, page))
        elif roll < 0.94:
            rows.append((seq, E.TIMER_STARTED, clock, staff, {"seconds": 600}))
        elif roll < 0.96 and cards:
            card = cards.pop(chance.randrange(len(cards)))[0]
            spotlit = None if card == spotlit else spotlit  # a hidden card leaves the wall
            rows.append((seq, E.CARD_HIDDEN, clock, staff, {"card_id": card, "reason": ""}))
        elif roll < 0.99 and cards and spotlit is None:
            spotlit = chance.choice(cards)[0]
            rows.append((seq, E.WALL_SPOTLIGHT, clock, staff, {"card_id": spotlit}))
        elif roll < 0.99 and spotlit is not None:
            spotlit = None
            rows.append((seq, E.WALL_SPOTLIGHT, clock, staff, {"card_id": None}))
        else:
            rows.append((seq, E.NOTE_TAKEN, clock, staff, {"text": f"Une note, {seq}"}))
    rows.append((len(rows) + 2, E.SESSION_ENDED, clock + 1000, staff, {}))
    return rows


def _store(live: LiveSession, rows: list[tuple]) -> None:
    for seq, kind, ms, actor, payload in rows:
        staff = actor.kind is ActorKind.STAFF
        db.session.add(
            SessionEvent(
                session_id=live.id,
                seq=seq,
                type=kind.value,
                actor_user_id=actor.id if staff else None,
                actor_participant_id=None if staff else actor.id,
                created_ms=ms,
                content=EventContent(body=payload) if payload else None,
            )
        )
    live.last_seq = rows[-1][0]
    live.status = SessionStatus.ENDED


def _timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def p95(values: list[float]) -> float:
    return sorted(values)[round(0.95 * (len(values) - 1))]


def main() -> None:
    with tempfile.TemporaryDirectory() as instance:
        os.environ["MIGRAPASS_INSTANCE_PATH"] = instance
        url = f"sqlite:///{instance}/bench.sqlite3"
        upgrade(url)
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "DATABASE_URL": url,
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
                "WTF_CSRF_ENABLED": False,
                # One browser asks for hundreds of frames in a row here: the
                # fair share per client (its own bench) would space them out.
                "REQUEST_RATE_PER_CLIENT": "1000000/second",
                "REQUEST_RATE_PER_ADDRESS": "1000000/second",
            }
        )
        app.extensions["migrapass.limiter"].rules = Rules("1000000/second", "1000000/second")
        with app.app_context():
            cohort = Cohort(name="Bench", starts_on=date(2026, 9, 7))
            coordinator = User(username="coordinator", display_name="Claire", role="coordinator")
            coordinator.set_password("bench-password")
            db.session.add_all([cohort, coordinator])
            db.session.flush()
            people = []
            for name in NAMES:
                person = create_participant(db.session, name, "fr")
                consent.record(db.session, person, consent.ConsentAnswers(data_processing=True))
                operations.enrol(db.session, cohort, person)
                people.append(person.id)
            live = operations.start_session(
                db.session,
                cohort,
                app.extensions["migrapass.script"],
                "w4-professional-competences",
                coordinator,
            )
            db.session.flush()
            started = events_after(db.session, live.id)[0]
            steps = started.payload["steps"]
            _store(live, _evening(steps, people, coordinator.id, started.ts_ms))
            db.session.commit()
            live_id = live.id
        browser = app.test_client()
        browser.post("/login", data={"username": "coordinator", "password": "bench-password"})
        base = f"/replays/{live_id}"

        def first_frame() -> int:
            browser.get(base)
            slider = browser.get(f"{base}/timeline.json").get_json()
            step = next(m["seq"] for m in slider["markers"] if m["kind"] == "step" and m["seq"] > 1)
            assert browser.get(f"{base}/frame/{step}").status_code == 200
            return step

        def forget(stored_too: bool) -> None:
            with app.app_context():
                recordings.forget(db.session, [live_id])
                if stored_too:
                    db.session.execute(delete(ReplayKeyframe))
                    db.session.commit()

        forget(stored_too=True)
        cold_ms = _timed(first_frame)  # folds the whole log, stores the keyframes
        forget(stored_too=False)
        first_ms = _timed(first_frame)  # keyframes read back from the database
        slider = browser.get(f"{base}/timeline.json")
        last = slider.get_json()["last_seq"]
        moments = [random.Random(3).randint(0, last) for _ in range(SEEKS)]
        seeks = [_timed(lambda seq=seq: browser.get(f"{base}/frame/{seq}")) for seq in moments]
        with app.app_context():
            log = events_after(db.session, live_id)
        from_start = [_timed(lambda seq=seq: fold(log[:seq])) for seq in moments[:20]]
        step_seqs = [m["seq"] for m in slider.get_json()["markers"] if m["kind"] == "step"]
        frames = [browser.get(f"{base}/frame/{seq}").data for seq in step_seqs]
        payload = len(gzip.compress(slider.data)) + sum(len(gzip.compress(f)) for f in frames)
        sampled = [
            len(gzip.compress(browser.get(f"{base}/frame/{seq}").data)) for seq in moments[:40]
        ]
    figures = {
        "replay_http_events": last,
        "replay_first_frame_ms": round(first_ms, 1),
        "replay_first_frame_cold_ms": round(cold_ms, 1),
        "replay_seek_p50_ms": round(statistics.median(seeks), 2),
        "replay_seek_p95_ms": round(p95(seeks), 2),
        "replay_fold_from_start_p50_ms": round(statistics.median(from_start), 2),
        "replay_payload_kb": round(payload / 1024, 1),
        "replay_timeline_kb": round(len(gzip.compress(slider.data)) / 1024, 1),
        "replay_frame_mean_kb": round(statistics.mean(sampled) / 1024, 1),
    }
    print(
        f"{last} events over {HOURS} h. First frame {figures['replay_first_frame_ms']} ms "
        f"(keyframes stored; {figures['replay_first_frame_cold_ms']} ms for the very first "
        f"replay, which folds and stores them). A seek through the page: p50 "
        f"{figures['replay_seek_p50_ms']} ms, p95 {figures['replay_seek_p95_ms']} ms; folding "
        f"from the start instead: p50 {figures['replay_fold_from_start_p50_ms']} ms. Data: "
        f"{figures['replay_payload_kb']} KB gzipped (the slider "
        f"{figures['replay_timeline_kb']} KB and the frame of each of {len(frames)} step "
        f"changes); one frame {figures['replay_frame_mean_kb']} KB on average."
    )
    merged = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    merged.update(figures)
    RESULTS.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
