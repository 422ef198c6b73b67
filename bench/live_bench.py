"""What a post costs as the board grows, and what a returning phone's catch-up costs.

Run with `make bench`. One process, SQLite on disk, posts through the Socket.IO handler
as a phone sends them. Figures, all medians over the same run (this machine is noisy,
so compare ratios, not absolute times):
- a post on a short board (the first 20 cards) and on a long one (cards 580-600);
- the same long-board post when the process has no remembered state (the baseline the
  state cache saves: every post folding the whole log);
- a `sync` that catches up 100 missed events, against a whole snapshot.
Merges its keys into bench/results.json.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from app.db import upgrade  # noqa: E402
from app.extensions import db, socketio  # noqa: E402
from app.live import operations, store  # noqa: E402
from app.models import Cohort, Participant, User, cohort_tutors  # noqa: E402
from app.participants import consent, device  # noqa: E402
from app.participants.operations import create_participant  # noqa: E402
from app.participants.phones import LinkedVia, link_phone  # noqa: E402
from app.ratelimit import Rules  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
CARDS = 600


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


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
            }
        )
        app.extensions["migrapass.limiter"].rules = Rules("1000000/second", "1000000/second")
        with app.app_context():
            cohort = Cohort(name="Bench", starts_on=date(2026, 9, 7))
            tutor = User(username="bench", display_name="Camille", role="tutor")
            tutor.set_password("bench-password")
            db.session.add_all([cohort, tutor])
            db.session.flush()
            db.session.execute(cohort_tutors.insert().values(cohort_id=cohort.id, user_id=tutor.id))
            person = create_participant(db.session, "Amina", "fr")
            consent.record(db.session, person, consent.ConsentAnswers(data_processing=True))
            operations.enrol(db.session, cohort, person)
            live = operations.start_session(
                db.session, cohort, app.extensions["migrapass.script"], "w1-presentation", tutor
            )
            db.session.commit()
            live_id, person_id = live.id, person.id

        staff = app.test_client()
        staff.post("/login", data={"username": "bench", "password": "bench-password"})
        console = socketio.test_client(
            app, namespace="/tutor", auth={"session_id": live_id}, flask_test_client=staff
        )
        console.emit("step", {"index": 2}, namespace="/tutor", callback=True)
        phone_browser = app.test_client()
        with app.app_context():
            person = db.session.get(Participant, person_id)
            link = link_phone(db.session, person, LinkedVia.JOIN)
            db.session.commit()
            token = device.token_for(app, link)
        phone_browser.set_cookie(device.COOKIE_NAME, token)
        phone = socketio.test_client(
            app,
            namespace="/participant",
            auth={"session_id": live_id},
            flask_test_client=phone_browser,
        )

        def post(n: int) -> None:
            ack = phone.emit(
                "post",
                {"client_id": f"bench-{n:08d}", "board": "group_rules", "text": f"Rule {n}"},
                namespace="/participant",
                callback=True,
            )
            assert ack["ok"], ack
            phone.get_received("/participant")
            console.get_received("/tutor")

        short = [timed(lambda n=n: post(n)) for n in range(20)]
        for n in range(20, CARDS - 20):
            post(n)
        long = [timed(lambda n=n: post(n)) for n in range(CARDS - 20, CARDS)]

        def post_without_cache(n: int) -> None:
            with app.app_context():
                store._cache(db.session).clear()
            post(n)

        cold = [timed(lambda n=n: post_without_cache(n)) for n in range(CARDS, CARDS + 10)]

        def sync(data: dict[str, object]) -> None:
            ack = phone.emit("sync", data, namespace="/participant", callback=True)
            assert ack["ok"], ack

        with app.app_context():
            last = store.load_state(db.session, live_id).seq
        catch_up = [timed(lambda: sync({"after": last - 40})) for _ in range(7)]
        snapshot = [timed(lambda: sync({})) for _ in range(7)]

    figures = {
        "post_short_board_ms": statistics.median(short) * 1000,
        "post_long_board_ms": statistics.median(long) * 1000,
        "post_long_board_uncached_ms": statistics.median(cold) * 1000,
        "sync_catch_up_40_ms": statistics.median(catch_up) * 1000,
        "sync_snapshot_ms": statistics.median(snapshot) * 1000,
    }
    print(f"post, first 20 cards:        {figures['post_short_board_ms']:7.1f} ms (median)")
    print(f"post, cards {CARDS - 20}-{CARDS}:       {figures['post_long_board_ms']:7.1f} ms")
    growth = figures["post_long_board_ms"] / figures["post_short_board_ms"]
    print(f"  long / short:              {growth:7.2f}x")
    print(f"post, {CARDS} cards, no cache: {figures['post_long_board_uncached_ms']:7.1f} ms")
    saving = figures["post_long_board_uncached_ms"] / figures["post_long_board_ms"]
    print(f"  uncached / cached:         {saving:7.2f}x")
    print(f"sync, catch up 40 events :   {figures['sync_catch_up_40_ms']:7.1f} ms")
    print(f"sync, whole snapshot:        {figures['sync_snapshot_ms']:7.1f} ms")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update({key: round(value, 2) for key, value in figures.items()})
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
