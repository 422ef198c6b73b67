"""Run CPU-heavy calls on a native thread, so that the event loop keeps serving the rooms.

Under eventlet or gevent every request shares one loop; a password hash (about a tenth
of a second of CPU) inside it would hold every live room for as long. Here it runs on
the hub's pool of real threads, at a lower priority than the loop, one at a time (the
others wait without blocking the loop). In threading mode (the in-process tests) it
simply runs.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
# One at a time: a hash already runs four threads (argon2's lanes); on a small server more
# would only take the cores from the rooms' loop.
MAX_AT_ONCE = 1
NICENESS = 10

# Made at import, after the server's monkey patching: a green semaphore under eventlet
# and gevent, a real one in threading mode.
_slots = threading.BoundedSemaphore(MAX_AT_ONCE)


@contextmanager
def turn() -> Iterator[None]:
    """Hold the one turn for heavy work: what a caller checks, computes and counts inside
    it, no one else does meanwhile (a burst of attempts is judged one after the other)."""
    with _slots:
        yield


def off_the_loop(func: Callable[..., T], *args: object) -> T:
    """Return func(*args), computed on a native thread, in its turn."""
    with turn():
        return on_native_thread(func, *args)


def on_native_thread(func: Callable[..., T], *args: object) -> T:
    """Return func(*args), computed on a native thread when a green hub is running (the
    caller holds the `turn`)."""
    if _patched_by("eventlet"):
        from eventlet import tpool

        return tpool.execute(_lowered, func, *args)
    if _patched_by("gevent"):
        import gevent

        return gevent.get_hub().threadpool.apply(_lowered, (func, *args))
    return func(*args)


def pause(seconds: float) -> None:
    """Wait without holding the loop (a green sleep under eventlet or gevent)."""
    if _patched_by("eventlet"):
        import eventlet

        eventlet.sleep(seconds)
    elif _patched_by("gevent"):
        import gevent

        gevent.sleep(seconds)
    else:
        time.sleep(seconds)


def breathing(items: Iterable[T], every: int = 8) -> Iterator[T]:
    """The items, letting the other rooms run every few: a Jinja filter for the long
    lists of a page or a document (`{% for entry in entries | breathing %}`), so that
    drawing a full portfolio is many short turns of the loop instead of one long one."""
    for count, item in enumerate(items, start=1):
        if count % every == 0:
            breathe()
        yield item


def breathe() -> str:
    """Let the other rooms run for a moment."""
    if _patched_by("eventlet"):
        import eventlet

        eventlet.sleep(0)
    elif _patched_by("gevent"):
        import gevent

        gevent.sleep(0)
    return ""


def _lowered(func: Callable[..., T], *args: object) -> T:
    # On Linux, "process" priority with who=0 is the calling thread's: the loop keeps its
    # own, and the threads argon2 starts inherit this one.
    try:
        if os.getpriority(os.PRIO_PROCESS, 0) < NICENESS:
            os.setpriority(os.PRIO_PROCESS, 0, NICENESS)
    except (AttributeError, OSError):  # not Linux, or not allowed: run as we are
        pass
    return func(*args)


def _patched_by(hub: str) -> bool:
    if hub == "eventlet" and "eventlet.patcher" in sys.modules:
        return bool(sys.modules["eventlet.patcher"].is_monkey_patched("thread"))
    if hub == "gevent" and "gevent.monkey" in sys.modules:
        return bool(sys.modules["gevent.monkey"].is_module_patched("threading"))
    return False
