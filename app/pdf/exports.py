"""PDF exports as jobs: a request asks for one and is answered at once; one worker task
renders them in turn; the phone fetches the file when it is ready.

A request that waited for its PDF held a database connection, and thirty of them from
one phone emptied the pool for every room. Here nothing waits: an export is a few
kilobytes of HTML in a bounded queue, each person has at most one waiting, and the
finished file is kept for a few minutes for its owner only. Exports live in this
process's memory: with several processes, the proxy's sticky sessions bring a phone back
to the process that holds its file (README, "Several processes").
"""

from __future__ import annotations

import hashlib
import queue
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from app.pdf.renderer import MAX_MISSING

MAX_WAITING = 20  # exports queued in this process; more get "try again in a minute"
KEEP_S = 10 * 60  # a finished file waits this long for its owner
GIVE_UP_S = 5 * 60  # an export still waiting after this is reported as failed
SHOWN_MISSING = 5  # characters the ready page names when some could not be drawn


class Busy(Exception):
    """The queue is full: the person is asked to try again in a minute."""


@dataclass
class Export:
    token: str
    owner: int  # the participant whose export it is: nobody else fetches it
    kind: str  # "portfolio" or "cv"
    filename: str  # as the person would write it (UTF-8): see app.downloads
    html: str = field(repr=False)
    stylesheet: str | None = field(repr=False)
    ascii_filename: str = ""  # for browsers that cannot read the UTF-8 name
    created: float = field(default_factory=time.monotonic)
    state: str = "waiting"  # waiting, ready, failed
    pdf: bytes | None = field(default=None, repr=False)
    # Characters no installed font could draw: the PDF shows them as empty boxes, and the
    # ready page says so instead of handing them over in silence.
    missing: tuple[str, ...] = ()
    finished: float | None = None
    # What the file holds, kept once the words are dropped: the same document asked for
    # again (a double tap, a reload of the form) is the same file, not a second render.
    digest: str = ""

    @property
    def waiting(self) -> bool:
        return self.state == "waiting"

    def missing_shown(self, count: int = SHOWN_MISSING) -> list[tuple[str, str]]:
        """The first few characters drawn as boxes, each with its code (U+E000)."""
        return [(char, f"U+{ord(char):04X}") for char in self.missing[:count]]

    @property
    def missing_uncounted(self) -> bool:
        """Whether the worker stopped listing them: "and N more" would say too few."""
        return len(self.missing) >= MAX_MISSING


class ExportQueue:
    """Exports of one process, rendered one after the other by `render`."""

    def __init__(
        self,
        # A plain `bytes` will do (tests draw nothing); app.pdf.render_pdf's Pdf also says
        # which characters it could not draw.
        render: Callable[[str, str | None], bytes],
        start_worker: Callable[[Callable[[], None]], object],
        on_error: Callable[[Export], None] = lambda export: None,
    ) -> None:
        self.render = render  # public: tests replace the drawing
        self._start_worker = start_worker
        self._on_error = on_error
        self._exports: dict[str, Export] = {}
        self._todo: queue.Queue[Export] = queue.Queue()
        self._lock = threading.Lock()
        self._worker_started = False

    def waiting_for(self, owner: int) -> Export | None:
        """The export this person already waits for, if any: one at a time each."""
        self._forget_old()
        return next((e for e in self._exports.values() if e.owner == owner and e.waiting), None)

    def full(self) -> bool:
        return sum(e.waiting for e in self._exports.values()) >= MAX_WAITING

    def submit(
        self,
        owner: int,
        kind: str,
        filename: str,
        html: str,
        stylesheet: str | None,
        ascii_filename: str = "",
    ) -> Export:
        """Queue an export, or give back the one this person already waits for or the
        finished one with the very same content. Only the newest finished export of each
        person is kept: memory holds one PDF a person."""
        already = self.waiting_for(owner)
        if already is not None:
            return already
        digest = _digest(kind, html, stylesheet)
        same = next(
            (e for e in self._exports.values() if e.owner == owner and e.state == "ready"),
            None,
        )
        if same is not None and same.digest == digest:
            return same
        if self.full():
            raise Busy
        for token, older in list(self._exports.items()):
            if older.owner == owner:
                del self._exports[token]
        export = Export(
            secrets.token_urlsafe(16), owner, kind, filename, html, stylesheet, ascii_filename
        )
        export.digest = digest
        self._exports[export.token] = export
        self._todo.put(export)
        self._ensure_worker()
        return export

    def drop(self, owners: set[int]) -> None:
        """Forget these people's exports, waiting or ready (they were deleted): the
        worker skips one it finds given up."""
        for token, export in list(self._exports.items()):
            if export.owner in owners:
                export.state, export.html, export.pdf = "failed", "", b""
                del self._exports[token]

    def find(self, owner: int, token: str) -> Export | None:
        """An export by its token, for its owner only."""
        self._forget_old()
        export = self._exports.get(token)
        return export if export is not None and export.owner == owner else None

    def _ensure_worker(self) -> None:
        with self._lock:
            if not self._worker_started:
                self._worker_started = True
                self._start_worker(self._work)

    def _work(self) -> None:
        while True:
            export = self._todo.get()
            if not export.waiting:  # given up on while it waited
                continue
            try:
                pdf = self.render(export.html, export.stylesheet)
                export.pdf, export.missing = pdf, tuple(getattr(pdf, "missing", ()))
                export.state = "ready"
            except Exception:
                export.state = "failed"
                self._on_error(export)
            export.html, export.stylesheet = "", None  # the words are not kept longer
            export.finished = time.monotonic()

    def _forget_old(self) -> None:
        now = time.monotonic()
        for token, export in list(self._exports.items()):
            if export.waiting and now - export.created > GIVE_UP_S:
                export.state, export.finished = "failed", now
            elif export.finished is not None and now - export.finished > KEEP_S:
                del self._exports[token]


def _digest(kind: str, html: str, stylesheet: str | None) -> str:
    return hashlib.sha256("\0".join((kind, html, stylesheet or "")).encode()).hexdigest()
