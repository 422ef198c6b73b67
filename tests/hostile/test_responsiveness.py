"""One phone, or nobody logged in at all, must not stop a room.

A tutor's console asks for the board over and over (as a probe) while each abuse runs
against the real server for a few seconds (ABUSE_S): a login spray, PDF spam, a message flood from
an admitted phone, a flood of refused connections, a thousand half-open connections, a
join flood, a portfolio reload loop. Throughout, the tutor keeps getting answers and
/healthz answers.

What is asserted is that the room is not held: every probe is answered, at a steady
pace, and the slow ones stay far below what a held loop costs (one argon2 hash or one
PDF rendered on the loop, queued behind eight abusers, is half a second to seconds).
How quick the room stays is a speed figure, not a test: `bench/abuse_bench.py` prints
each abuse's round trips as a ratio of the same run's quiet ones. The abusers, the
probe and the server share this machine's two cores, so absolute times here measure
the machine as much as the server.
"""

from __future__ import annotations

import pytest

from tests.hostile.abuse_rounds import abused_room, measure, p95, table

pytestmark = pytest.mark.server

# Held, not slow: a held loop shows as a p95 of half a second or more and as missing
# round trips. The bound is absolute, so a slowdown of every round trip is caught too.
HELD_P95_MS = 300.0
MIN_ROUND_TRIPS = 14  # of about twenty-eight a probe makes in an abuse when nothing holds it


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory):
    with abused_room(tmp_path_factory.mktemp("responsive")) as made:
        yield made


def test_no_abuse_holds_the_room(room):
    rows = measure(*room)
    print("\n" + table(rows))
    failures = []
    for name, _what, trips, statuses in rows:
        held = p95(trips) >= HELD_P95_MS or len(trips) < MIN_ROUND_TRIPS
        if held or any(status != 200 for status in statuses):
            failures.append(name)
    assert failures == [], f"the room was held during: {failures}"
