"""While a portfolio PDF renders, the live room keeps answering.

The real server process (eventlet, and gevent) renders in its worker subprocess; a
tutor's console asks for the board over and over during the render, and every round
trip stays under 50 ms.
"""

from __future__ import annotations

import gc
import re
import statistics
import threading
import time
from pathlib import Path

import pytest
import requests

from app.warmup import warm_up
from tests.drivers import Listener, csrf_token, logged_in_tutor, phone_joins, start_workshop
from tests.exports import fetch_pdf
from tests.fixtures.servers import start_server

ROUND_TRIP_LIMIT_S = 0.050
QUIET_TIMES = 4  # a round trip during a render, against this run's quiet median


def fill_portfolio(url: str, phone: requests.Session, entries: int) -> None:
    """A typical portfolio: forty entries over the sections, some long, one in Arabic."""
    form = phone.get(f"{url}/me/sections/competences/new", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    kinds = [
        (
            "competences",
            {
                "name": "Cooking for large groups",
                "category": "professional",
                "evidence": "Five years in a hotel kitchen in Tunis. " * 5,
            },
        ),
        ("migration_pathway", {"when": "2016-04", "place": "Tunis", "text": "طبخت لمئتي شخص"}),
        (
            "professional_experiences",
            {
                "what": "Cook",
                "where": "Tunis",
                "setting": "abroad",
                "kind": "paid",
                "details": "Menus, orders, a team of 4.",
            },
        ),
        ("social_experiences", {"what": "Food bank", "setting": "france", "kind": "voluntary"}),
        ("evaluation", {"text": "The group gave me confidence. " * 8}),
    ]
    for i in range(entries):
        section, fields = kinds[i % len(kinds)]
        reply = phone.post(
            f"{url}/me/sections/{section}/new",
            data={"csrf_token": token, "client_id": f"fill-{i}", **fields},
            timeout=5,
            allow_redirects=False,
        )
        assert reply.status_code == 302, reply.text


@pytest.mark.server
@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_the_room_keeps_answering_while_a_pdf_renders(mode: str, tmp_path: Path):
    # The probe syncs every 20 ms, far more than a console does: lift the tutor's limit.
    server = start_server(
        tmp_path,
        mode,
        MIGRAPASS_RATE_LIMIT_STAFF="1000/second",
        MIGRAPASS_RATE_LIMIT_PORTFOLIO_READS_PER_PERSON="1000/minute",  # forty entries
        MIGRAPASS_REQUEST_RATE_PER_CLIENT="1000/second",
        MIGRAPASS_SOCKET_MESSAGE_RATE="1000/second",
    )
    try:
        url = server.url
        tutor = logged_in_tutor(url)
        session_id, code = start_workshop(url, tutor)
        phone = phone_joins(url, code, "Amina")
        fill_portfolio(url, phone, 40)
        console = Listener(url, "/tutor", session_id, tutor)
        for _ in range(3):  # the first calls on a connection pay one-off costs
            assert console.call("sync")["ok"]
        quiet = []  # the same probe with nothing rendering: this run's own baseline
        for _ in range(10):
            sent = time.monotonic()
            assert console.call("sync")["ok"]
            quiet.append(time.monotonic() - sent)
            time.sleep(0.02)
        baseline = statistics.median(quiet)

        renders: list[float] = []

        token = csrf_token(phone.get(f"{url}/me", timeout=5).text)

        def download_twice() -> None:
            for _ in range(2):  # the first one also starts the worker
                started = time.monotonic()
                asked = phone.post(
                    f"{url}/me/portfolio.pdf",
                    data={"csrf_token": token},
                    timeout=10,
                    allow_redirects=False,
                )
                reply = fetch_pdf(phone, asked)
                assert reply.status_code == 200 and reply.content.startswith(b"%PDF")
                renders.append(time.monotonic() - started)

        downloading = threading.Thread(target=download_twice)
        downloading.start()
        round_trips: list[float] = []
        while downloading.is_alive():
            sent = time.monotonic()
            assert console.call("sync")["ok"]
            round_trips.append(time.monotonic() - sent)
            time.sleep(0.02)
        downloading.join()
        console.client.disconnect()

        print(
            f"\n{mode}: {len(round_trips)} round trips during {sum(renders):.2f} s of PDF"
            f" ({', '.join(f'{r:.2f}' for r in renders)} s): median"
            f" {statistics.median(round_trips) * 1000:.1f} ms,"
            f" max {max(round_trips) * 1000:.1f} ms at #{round_trips.index(max(round_trips))};"
            f" quiet median {baseline * 1000:.1f} ms"
        )
        assert len(renders) == 2
        assert len(round_trips) >= 10, "the PDF rendered too fast to show anything"
        # The first round trip overlaps the export request itself (loading the portfolio
        # and writing its HTML, in the server, ~40-60 ms on this 2-core machine); the
        # promise is about the render, which runs in the worker: every later one.
        # 50 ms, or four quiet round trips on a machine slower than that today: a render
        # held in the loop costs hundreds of milliseconds either way.
        assert max(round_trips[1:]) < max(ROUND_TRIP_LIMIT_S, QUIET_TIMES * baseline)
    finally:
        server.stop()


def test_warm_up_takes_the_startup_objects_out_of_every_collection(app):
    # A full collection walking them all held the event loop 60-170 ms: the stall this
    # probe caught in CI, mid-render, whenever the collector's turn came.
    try:
        warm_up(app)
        left_to_walk = len(gc.get_objects())
        assert gc.get_freeze_count() > 50 * left_to_walk
    finally:
        gc.unfreeze()
