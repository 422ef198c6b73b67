"""The PDF worker process: `python -m app.pdf.worker`, driven by app.pdf.renderer.

It answers the renderer's frames (described there) on stdin and stdout, one at a time, and
exits when stdin reaches end of file. It imports neither Flask nor the app factory: only
WeasyPrint, the refusing fetcher and the renderer's protocol constants.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from typing import BinaryIO

# The package imports the renderer anyway; its constants cost nothing more here.
from app.pdf.renderer import ERROR, HEADER, MAX_MISSING, OK, REPLY_HEADER

# The HTML the base URL would resolve against is a string, not a page anywhere: relative
# references stay unresolved and WeasyPrint skips them with a warning.
BASE_URL = None


def read_frame(stream: BinaryIO) -> bytes | None:
    """Read one length-prefixed frame; None at end of file."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (length,) = HEADER.unpack(header)
    payload = stream.read(length)
    return payload if len(payload) == length else None


def write_reply(stream: BinaryIO, status: int, payload: bytes, notes: bytes = b"") -> None:
    """Write one reply frame and flush it."""
    stream.write(REPLY_HEADER.pack(status, len(notes), len(payload)))
    stream.write(notes)
    stream.write(payload)
    stream.flush()


class MissingGlyphs(logging.Handler):
    """Collect the characters WeasyPrint drew as empty boxes, each once, in drawing order.

    WeasyPrint says so only in a warning, one per glyph drawn, whose arguments are the
    character and its code point. The warning still goes on to the server's log.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.characters: dict[str, None] = {}

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the character of a `.notdef` warning."""
        args = record.args
        notdef = str(record.msg).startswith(".notdef glyph") and isinstance(args, tuple)
        if notdef and args and len(self.characters) < MAX_MISSING:
            self.characters[str(args[0])] = None


def render(request: bytes) -> tuple[bytes, list[str]]:
    """Render one JSON request to PDF bytes, with the characters no font could draw."""
    import weasyprint

    from app.pdf.fetcher import RefusingFetcher

    fields = json.loads(request)
    fetcher = RefusingFetcher()
    stylesheets = []
    if fields.get("stylesheet"):
        # CSS() fetches its own @import and url() references: it needs the fetcher too.
        stylesheets.append(
            weasyprint.CSS(string=fields["stylesheet"], base_url=BASE_URL, url_fetcher=fetcher)
        )
    html = weasyprint.HTML(string=fields["html"], base_url=BASE_URL, url_fetcher=fetcher)
    missing = MissingGlyphs()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(missing)
    try:
        pdf = html.write_pdf(stylesheets=stylesheets)
    finally:
        logger.removeHandler(missing)
    return pdf, list(missing.characters)


def main() -> None:
    """Serve render requests until stdin closes."""
    # The protocol owns the real stdout; anything else that writes to fd 1 (a stray print,
    # a C library) lands on stderr instead of corrupting a frame.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    requests = sys.stdin.buffer
    # Ctrl+C in the server's terminal reaches this process too; the server closes our
    # stdin when it stops, and that is the signal to leave.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(10)
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="pdf worker: %(levelname)s %(message)s"
    )
    import weasyprint  # noqa: F401  (paid once here, not on the first request)

    while (request := read_frame(requests)) is not None:
        try:
            pdf, missing = render(request)
        except Exception as error:
            message = f"{type(error).__name__}: {error}"
            write_reply(replies, ERROR, message.encode(errors="replace"))
        else:
            write_reply(replies, OK, pdf, json.dumps({"missing": missing}).encode())


if __name__ == "__main__":
    main()
