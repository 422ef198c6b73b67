"""Render HTML to PDF in one long-lived worker process, one document at a time.

Rendering is CPU-bound and would stall every websocket under eventlet or gevent, where
threads are green; a separate process at lower priority keeps the live sessions moving.
Only the standard library's subprocess, selectors and threading are used: after monkey
patching they are the cooperative versions, so waiting for the worker yields to other
greenlets. Import this module after patching (app.serve patches first), or the lock below
would be a real one.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import selectors
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import IO

from app.paths import ROOT

# The frames between renderer and worker (app.pdf.worker), one request at a time:
# request = 4-byte big-endian length + UTF-8 JSON {"html": str, "stylesheet": str | null};
# reply = 1 status byte (OK or ERROR) + two 4-byte big-endian lengths, of the notes and of
# the body, then the notes (UTF-8 JSON {"missing": [str]}, empty on ERROR) and the body
# (PDF bytes, or the UTF-8 error).
HEADER = struct.Struct(">I")
REPLY_HEADER = struct.Struct(">BII")
OK, ERROR = 0, 1
# A document of nothing but private-use characters names a few of them, not thousands.
MAX_MISSING = 50


class PdfError(RuntimeError):
    """A document could not be rendered."""


class Pdf(bytes):
    """A rendered PDF, which also says which characters no installed font could draw.

    A `bytes`, so that every caller that only wants the file keeps it as it was; the
    export queue reads `missing` to tell the person their PDF shows boxes.
    """

    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, content: bytes, missing: tuple[str, ...]) -> Pdf:
        """The PDF `content`, with the characters drawn as empty boxes."""
        pdf = cls(content)
        pdf.missing = missing
        return pdf


class _WorkerGone(Exception):
    """The worker exited, or closed its pipes, in the middle of a request."""


@dataclass(frozen=True)
class _Worker:
    """The worker process and the two pipes it is spoken to through."""

    process: subprocess.Popen[bytes]
    requests: IO[bytes]
    replies: IO[bytes]

    @classmethod
    def spawn(cls) -> _Worker:
        # stderr is inherited: WeasyPrint's warnings belong in the server's log.
        process = subprocess.Popen(
            [sys.executable, "-m", "app.pdf.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        if process.stdin is None or process.stdout is None:  # pragma: no cover - PIPE gives both
            process.kill()
            process.wait()
            raise PdfError("the PDF worker started without its pipes")
        return cls(process, process.stdin, process.stdout)


_lock = threading.Lock()
_worker: _Worker | None = None


def render_pdf(html: str, stylesheet: str | None = None, timeout: float = 60) -> Pdf:
    """Return the PDF rendering of `html`, with `stylesheet` as extra CSS, and the
    characters it could not draw (`Pdf.missing`).

    `timeout` covers waiting for an earlier render as well as this one. Raise PdfError if
    WeasyPrint fails, the worker dies twice, or time runs out (a worker still rendering
    then is killed; the next call starts another).
    """
    request = json.dumps({"html": html, "stylesheet": stylesheet}).encode()
    frame = HEADER.pack(len(request)) + request
    deadline = time.monotonic() + timeout
    if not _lock.acquire(timeout=max(timeout, 0)):
        raise PdfError(f"the PDF worker stayed busy for {timeout} s")
    try:
        status, notes, payload = _exchange_with_retry(frame, deadline, timeout)
    finally:
        _lock.release()
    if status != OK:
        raise PdfError(payload.decode(errors="replace"))
    missing = json.loads(notes)["missing"] if notes else []
    return Pdf.of(payload, tuple(str(char) for char in missing))


def start() -> None:
    """Start the worker now rather than at the first render (the server calls it before
    taking traffic: forking a large process holds the event loop for a moment)."""
    with _lock:
        _ensure_worker()


def worker_pid() -> int | None:
    """Return the process id of the running worker, if there is one."""
    worker = _worker
    return worker.process.pid if worker is not None and worker.process.poll() is None else None


def shutdown() -> None:
    """Stop the worker; the next render starts a new one."""
    with _lock:
        _stop(kill=False)


atexit.register(shutdown)


def _exchange_with_retry(frame: bytes, deadline: float, timeout: float) -> tuple[int, bytes, bytes]:
    for attempt in range(2):
        worker, fresh = _ensure_worker()
        try:
            return _exchange(worker, frame, deadline)
        except TimeoutError:
            _stop(kill=True)
            raise PdfError(f"rendering took longer than {timeout} s") from None
        except _WorkerGone:
            _stop(kill=True)
            # A worker that died between renders (killed, out of memory) is noticed only
            # when it fails to answer; a fresh one deserves the request once. A fresh
            # worker dying means the document itself kills it.
            if fresh or attempt:
                raise PdfError("the PDF worker exited while rendering") from None
    raise AssertionError("unreachable")


def _ensure_worker() -> tuple[_Worker, bool]:
    """Return the running worker, starting one if needed, and whether it is new."""
    global _worker
    if _worker is not None and _worker.process.poll() is None:
        return _worker, False
    _stop(kill=True)
    _worker = _Worker.spawn()
    return _worker, True


def _stop(*, kill: bool) -> None:
    global _worker
    worker, _worker = _worker, None
    if worker is None:
        return
    process = worker.process
    if kill:
        process.kill()
    with contextlib.suppress(OSError):  # its read end may already be gone
        worker.requests.close()  # end of file: an idle worker exits by itself
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    worker.replies.close()


def _exchange(worker: _Worker, frame: bytes, deadline: float) -> tuple[int, bytes, bytes]:
    try:
        worker.requests.write(frame)
        worker.requests.flush()
    except OSError:
        raise _WorkerGone from None
    fd = worker.replies.fileno()
    header = _read_exactly(fd, REPLY_HEADER.size, deadline)
    status, notes_length, length = REPLY_HEADER.unpack(header)
    notes = _read_exactly(fd, notes_length, deadline)
    return status, notes, _read_exactly(fd, length, deadline)


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    # Wait on a selector, then read what is there: a plain blocking read could neither time
    # out nor, where the pipe is not green, let other greenlets run.
    data = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(data) < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                raise TimeoutError
            try:
                chunk = os.read(fd, min(size - len(data), 1 << 20))
            except BlockingIOError:
                continue  # woken without data; gevent and eventlet make the pipe non-blocking
            if not chunk:
                raise _WorkerGone
            data += chunk
    return bytes(data)
