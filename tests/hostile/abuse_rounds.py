"""One room under abuse, measured: the tutor's console asks for the board over and over
while each abuse of `tests/hostile/abusers.py` runs against the real server.

Shared by the hostile test (is the room ever held?) and `bench/abuse_bench.py` (how
much slower does each abuse make it, against the same run's quiet round trips?).
"""

from __future__ import annotations

import multiprocessing
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from app.extensions import db
from app.models import LiveSession
from app.portfolio.own import OwnEventType
from app.portfolio.store import record
from tests.fixtures.servers import start_server
from tests.hostile import abusers
from tests.hostile.conftest import Site, site_on

ABUSE_S = 3.5  # long enough for each abuse to reach its full rate; the suite keeps to 10 min
PROBE_EVERY_S = 0.12  # eight a second: under the socket guard's budget for one connection


@dataclass
class Probe:
    """The tutor's console asking for the board, and /healthz, every few milliseconds."""

    site: Site
    console: object
    round_trips: list[tuple[float, float]] = field(default_factory=list)  # (when, ms)
    health: list[tuple[float, int]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        checker = requests.Session()
        last_health = 0.0
        while not self.stop.is_set():
            sent = time.monotonic()
            ack = self.console.call("sync")
            took = (time.monotonic() - sent) * 1000
            assert ack["ok"], ack
            self.round_trips.append((sent, took))
            if sent - last_health > 0.25:
                last_health = sent
                try:
                    status = checker.get(f"{self.site.url}/healthz", timeout=5).status_code
                except requests.RequestException:
                    status = 0
                self.health.append((sent, status))
            time.sleep(PROBE_EVERY_S)

    def window(self, start: float, end: float) -> tuple[list[float], list[int]]:
        trips = [ms for when, ms in self.round_trips if start <= when <= end]
        statuses = [status for when, status in self.health if start <= when <= end]
        return trips, statuses


@contextmanager
def abused_room(folder: Path) -> Iterator[tuple[Site, dict]]:
    """A workshop running, a tutor probing, and a participant with a full portfolio."""
    server = start_server(folder, "eventlet", MIGRAPASS_RATE_LIMIT_STAFF="1000/10 seconds")
    made = site_on(server)
    try:
        cohort = made.cohort("Responsive")
        tutor = made.staff(cohort)
        live = made.start(cohort, tutor)
        amina = made.person("Amina", cohort)
        made.do(lambda: _fill_portfolio(made, amina.id, 250))
        scene = {
            "live": live,
            "tutor": made.logged_in(tutor),
            "amina": made.phone(amina),
        }
        yield made, scene
    finally:
        for sock in made.sockets:
            sock.close()
        server.stop()
        db.engine.dispose()


def _fill_portfolio(site: Site, participant_id: int, entries: int) -> None:
    from app.models import Participant

    person = db.session.get(Participant, participant_id)
    for i in range(entries):
        payload = {
            "section": "evaluation",
            "board": "free_text",
            "fields": {"text": f"What I learnt, week {i}: **listening** and _patience_. " * 3},
        }
        record(db.session, person, OwnEventType.ENTRY_ADDED, payload, client_id=f"fill-{i}")


def abused(name: str, scene: dict, seconds: float) -> tuple[float, float, str]:
    """Run one abuse in a process of its own; return when it ran, and what it did."""
    context = multiprocessing.get_context("spawn")
    said = context.Queue()
    process = context.Process(target=abusers.run, args=(name, scene, seconds, said))
    process.start()
    kind, started = said.get(timeout=60)
    assert kind == "started"
    kind, what = said.get(timeout=seconds + 60)
    ended = time.monotonic()
    process.join(timeout=30)
    return started, ended, what


Row = tuple[str, str, list[float], list[int]]  # abuse, what it did, round trips, /healthz


def measure(site: Site, scene: dict) -> list[Row]:
    """The tutor's round trips and /healthz answers: quiet first, then under each abuse."""
    console = site.socket(scene["tutor"], "/tutor", scene["live"])
    probe = Probe(site, console)
    probing = threading.Thread(target=probe.run, daemon=True)
    probing.start()
    plain = {
        "url": site.url,
        "live_id": scene["live"].id,
        "join_code": site.get(LiveSession, scene["live"].id).join_code,
        "amina_cookies": dict(scene["amina"].cookies.items()),
    }
    rows: list[Row] = []
    try:
        time.sleep(ABUSE_S)
        rows.append(("nothing (baseline)", "", *probe.window(0, time.monotonic())))
        for name in abusers.ABUSES:
            started, ended, what = abused(name, plain, ABUSE_S)
            rows.append((name, what, *probe.window(started, ended)))
            time.sleep(0.5)  # let the server settle between two abuses
    finally:
        probe.stop.set()
        probing.join(timeout=15)
    return rows


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def table(rows: list[Row]) -> str:
    quiet = statistics.median(rows[0][2])
    lines = ["A tutor's sync round trip under each abuse (ms; × = p50 over the quiet p50):"]
    for name, what, trips, statuses in rows:
        p50 = statistics.median(trips)
        lines.append(
            f"  {name:32} n={len(trips):3} p50={p50:6.1f} ({p50 / quiet:4.1f}×)"
            f" p95={p95(trips):6.1f} max={max(trips):7.1f}"
            f"  healthz {abusers.count(statuses)}  | {what}"
        )
    return "\n".join(lines)
