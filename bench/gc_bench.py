"""What a full garbage collection costs the server's event loop, before and after warm-up.

Run with `make bench`. Builds the app as `python -m app.serve` does (threading mode, so
nothing is monkey patched here), then times a full collection (median of 7) with every
startup object still in the collector's care, and again after `app.warmup.warm_up`,
which freezes them. Under eventlet or gevent a collection runs inside the event loop:
its length is how long every live room waits. Merges its keys into bench/results.json.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results.json"
RUNS = 7


def full_collection_ms() -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        gc.collect()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as instance:
        os.environ["MIGRAPASS_INSTANCE_PATH"] = instance
        os.environ["MIGRAPASS_ASYNC_MODE"] = "threading"
        from app import create_app
        from app.pdf import renderer
        from app.portfolio_pages import documents
        from app.warmup import warm_up

        app = create_app()
        documents.prepare(app)
        tracked = len(gc.get_objects())
        before = full_collection_ms()
        warm_up(app)
        after = full_collection_ms()
        renderer.shutdown()

    print(f"a full collection with the {tracked} startup objects tracked: {before:.1f} ms")
    # What is left to walk is only what the server makes once it serves: rooms' states,
    # requests in flight. A fresh process has next to nothing.
    print(f"after warm_up froze them ({gc.get_freeze_count()} frozen): {after:.2f} ms")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update({"gc_full_ms": round(before, 2), "gc_full_frozen_ms": round(after, 2)})
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
