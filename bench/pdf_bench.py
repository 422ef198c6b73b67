"""How long a typical portfolio takes to become a PDF, through the worker as in production.

Run with `make bench`. Prints the figures and merges `pdf_median_s` and `pdf_runs` into
bench/results.json, which other benchmarks share.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the app and the test sample live there

from app import create_app  # noqa: E402
from app.pdf import render_pdf  # noqa: E402
from app.pdf.renderer import shutdown  # noqa: E402
from app.portfolio_pages.documents import portfolio_html, stylesheet  # noqa: E402
from tests.portfolio_sample import sample_portfolio  # noqa: E402

RUNS = 7
RESULTS = ROOT / "bench" / "results.json"


def main() -> None:
    """Render the sample portfolio once to warm up, then RUNS times, and record the median."""
    with tempfile.TemporaryDirectory() as instance:
        # Nothing of the bench's is left in the real instance folder.
        os.environ["MIGRAPASS_INSTANCE_PATH"] = instance
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "DATABASE_URL": "sqlite://",
                "ASYNC_MODE": "threading",
                "SOCKETIO_MESSAGE_QUEUE": None,
            }
        )
        portfolio = sample_portfolio()
        participant = SimpleNamespace(display_name="Amina", locale="en")
        times = []
        try:
            with app.app_context():
                for run in range(RUNS + 1):
                    started = time.perf_counter()
                    html = portfolio_html(portfolio, participant)
                    pdf = render_pdf(html, stylesheet())
                    elapsed = time.perf_counter() - started
                    if run:  # the first run starts the worker and warms WeasyPrint up
                        times.append(elapsed)
        finally:
            shutdown()
    median = statistics.median(times)
    print(f"portfolio PDF: {len(portfolio)} entries, {len(pdf) // 1024} KiB")
    print("runs (s): " + ", ".join(f"{t:.3f}" for t in times))
    print(f"median: {median:.3f} s   min: {min(times):.3f} s   max: {max(times):.3f} s")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results.update({"pdf_median_s": round(median, 4), "pdf_runs": len(times)})
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
