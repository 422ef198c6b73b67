"""The chaos test: a room of phones posting while connections drop and the server dies.

Twenty phones (python-socketio clients over real websockets) each post thirty cards
through an outbox like the browser's: a card stays queued until the server acknowledges
it, and is resent with the same client id after any failure. Meanwhile connections are
cut at random, mid-call too, and the server process is killed with SIGKILL once and
started again on the same database. Then:
- every card is stored exactly once, and every acknowledged seq is in the database;
- every phone's board, kept from live messages and catch-ups, equals the database's;
- the session resumed at the same step with the same timer.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from tests.chaos_phone import ChaosPhone, assert_nothing_lost, tally, through_chaos
from tests.drivers import Listener, logged_in_tutor, phone_joins, start_workshop
from tests.fixtures.servers import ServerProcess

pytestmark = pytest.mark.server

PHONES = 20
POSTS_EACH = 30
RULES_STEP = 2  # workshop 1's group-rules board
DEADLINE_S = 150


def kill_and_restart(server: ServerProcess) -> None:
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    time.sleep(1.0)  # the phones notice, fail to reconnect, back off
    server.restart()


def stored_cards(database: Path, session_id: int) -> list[tuple[str, int]]:
    with sqlite3.connect(database) as conn:
        return conn.execute(
            "SELECT client_id, seq FROM session_events WHERE session_id = ? AND type = ?",
            (session_id, "card.posted"),
        ).fetchall()


def test_a_room_of_phones_loses_nothing_and_stores_nothing_twice_through_chaos(server, artefacts):
    url = server.url
    tutor = logged_in_tutor(url)
    session_id, code = start_workshop(url, tutor)
    names = [f"phone{n:02d}" for n in range(PHONES)]
    cookies = {name: phone_joins(url, code, name) for name in names}
    console = Listener(url, "/tutor", session_id, tutor)
    for person in console.call("sync")["board"]["waiting"]:
        assert console.call("admit", {"participant_id": person["id"]})["ok"]
    assert console.call("step", {"index": RULES_STEP})["ok"]
    assert console.call("timer_start", {"seconds": 1800})["ok"]
    before = console.call("sync")["board"]
    console.client.disconnect()

    phones = [ChaosPhone(url, session_id, name, cookies[name], POSTS_EACH) for name in names]
    acked_before_kill = through_chaos(phones, DEADLINE_S, lambda: kill_and_restart(server))
    try:
        database = Path(server.env["MIGRAPASS_INSTANCE_PATH"]) / "migrapass.sqlite3"
        rows = stored_cards(database, session_id)
        report = tally(phones, POSTS_EACH, rows, acked_before_kill)
        print("\n" + report)
        (artefacts / "chaos-counts.txt").write_text(report + "\n")
        assert_nothing_lost(phones, rows, POSTS_EACH)
        after = Listener(url, "/tutor", session_id, tutor)
        resumed = after.call("sync")["board"]
        after.client.disconnect()
        assert resumed["step_index"] == before["step_index"] == RULES_STEP
        assert resumed["timer"]["ends_ms"] == before["timer"]["ends_ms"]
        assert len(resumed["cards"]) == PHONES * POSTS_EACH
    finally:
        for phone in phones:
            phone.close()
