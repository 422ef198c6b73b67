"""How much slower each abuse makes a live room, against the same run's quiet room.

Run with `make bench`. Starts the real server (eventlet, as in production), a running
workshop with a tutor's console asking for the board eight times a second, and runs
each abuse of the hostile suite for five seconds in a process of its own: a login
spray, PDF spam, a message flood from an admitted phone, refused connections,
half-open connections, a join flood, a portfolio reload loop.

Prints the tutor's round trips under each abuse, with p50 as a multiple of the quiet
p50 (read the ratios: the abusers share this machine's cores with the server). The
test suite asks only whether the room is ever held (tests/hostile/test_responsiveness.py);
the target here is a p50 within 3× of quiet and a p95 under 100 ms on a quiet machine.
Merges its keys into bench/results.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile.abuse_rounds import abused_room, measure, p95, table  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, abused_room(Path(folder)) as (site, scene):
        rows = measure(site, scene)
    print(table(rows))
    quiet = statistics.median(rows[0][2])
    figures = {
        f"abuse.{name}": {
            "p50_ms": round(statistics.median(trips), 1),
            "p95_ms": round(p95(trips), 1),
            "p50_over_quiet": round(statistics.median(trips) / quiet, 2),
        }
        for name, _what, trips, _statuses in rows
    }
    results = ROOT / "bench" / "results.json"
    merged = json.loads(results.read_text()) if results.exists() else {}
    merged.update(figures)
    results.write_text(json.dumps(merged, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
