"""What the server does once, before it takes traffic, so that no request pays for it.

Under eventlet or gevent every request shares one event loop: a one-off cost paid
during a request (compiling a template, forking a worker, walking the heap) is paid by
every live room at once.
"""

from __future__ import annotations

import gc

from flask import Flask

from app.portfolio_pages import documents


def warm_up(app: Flask) -> None:
    """Do, before the first request, what would otherwise hold the event loop during one."""
    documents.prepare(app)
    # Everything loaded by now (Flask, SQLAlchemy, Babel, templates: some 130,000 objects)
    # lives as long as the process. Left to the collector, every full collection walks it
    # all inside the event loop: 55-85 ms idle, 110-170 ms on a busy 2-core machine, and
    # every phone in the room waits. Frozen, a full collection walks only what was made
    # since (bench/gc_bench.py).
    gc.collect()
    gc.freeze()
