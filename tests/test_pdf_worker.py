"""The PDF worker: renders in its own low-priority process and never fetches anything."""

from __future__ import annotations

import base64
import importlib
import io
import os
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import pytest
from pypdf import PdfReader

from app.paths import ROOT
from app.pdf import PdfError, render_pdf
from app.pdf.renderer import shutdown, worker_pid

PORTFOLIO = "<h1>Portfolio</h1><p>Bonjour Amina</p>"


@pytest.fixture(autouse=True)
def fresh_worker() -> Iterator[None]:
    yield
    shutdown()


@pytest.fixture
def fetcher() -> ModuleType:
    """Import app.pdf.fetcher here, the one place this process needs WeasyPrint."""
    with warnings.catch_warnings():
        # WeasyPrint warns on import while libharfbuzz-subset0 is not installed.
        warnings.simplefilter("ignore", DeprecationWarning)
        return importlib.import_module("app.pdf.fetcher")


class CountingServer(ThreadingHTTPServer):
    """An HTTP server that counts every connection, even ones that never send a request."""

    connections = 0

    def verify_request(self, request: object, client_address: object) -> bool:
        self.connections += 1
        return True


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[CountingServer]:
    server = CountingServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def png(width: int = 4, height: int = 4) -> bytes:
    """Return a small red PNG, built by hand to need no imaging library."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF")
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in read(pdf).pages)


def image_count(pdf: bytes) -> int:
    return sum(len(page.images) for page in read(pdf).pages)


def test_a_portfolio_renders_with_its_text() -> None:
    pdf = render_pdf(f"<html><body>{PORTFOLIO}</body></html>")

    assert pdf.startswith(b"%PDF")
    assert "Bonjour Amina" in text_of(pdf)


def test_the_extra_stylesheet_applies() -> None:
    pdf = render_pdf(PORTFOLIO, stylesheet="p::after { content: ' et bienvenue' }")

    assert "Bonjour Amina et bienvenue" in text_of(pdf)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "FILE:///etc/hostname",
        " file:///etc/hostname",
        "/etc/hostname",
        "//example.org/photo.png",
        "http://127.0.0.1/x",
        "https://example.org/style.css",
        "ftp://example.org/photo.png",
    ],
)
def test_the_fetcher_refuses_anything_but_data(fetcher: ModuleType, url: str) -> None:
    with pytest.raises(fetcher.FetchRefused):
        fetcher.RefusingFetcher()(url)


def test_the_fetcher_reads_data_uris(fetcher: ModuleType) -> None:
    data = "data:text/plain;base64," + base64.b64encode(b"Amina").decode()
    response = fetcher.RefusingFetcher()(data)
    try:
        assert response.read() == b"Amina"
    finally:
        response.close()


def test_no_reference_reaches_the_network(http_server: CountingServer) -> None:
    base = f"http://127.0.0.1:{http_server.server_port}"
    html = f"""
        <link rel="stylesheet" href="{base}/linked.css">
        <link rel="attachment" href="{base}/attached.txt">
        <style>
          @import url("{base}/imported.css");
          @font-face {{ font-family: Remote; src: url("{base}/font.woff"); }}
          body {{ background: url("{base}/background.png"); font-family: Remote, serif; }}
        </style>
        {PORTFOLIO}
        <img src="{base}/photo.png">
        <img src="https://127.0.0.1:{http_server.server_port}/photo.png">
        <svg width="20" height="20"><image href="{base}/in-svg.png" width="20" height="20"/></svg>
    """
    stylesheet = f'@import url("{base}/extra.css"); p {{ background: url("{base}/p.png") }}'

    pdf = render_pdf(html, stylesheet=stylesheet)

    assert "Bonjour Amina" in text_of(pdf)
    assert image_count(pdf) == 0
    # The server does answer: this request is the only connection it ever saw.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base}/control.css", timeout=5) as response:
        assert response.status == 200
    assert http_server.connections == 1


def test_a_file_image_renders_without_being_embedded(tmp_path: Path) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(png())
    inline = "data:image/png;base64," + base64.b64encode(png()).decode()

    from_file = render_pdf(f'{PORTFOLIO}<img src="{photo.as_uri()}" width="40">')
    from_data = render_pdf(f'{PORTFOLIO}<img src="{inline}" width="40">')

    assert image_count(from_file) == 0
    assert "Bonjour Amina" in text_of(from_file)
    assert image_count(from_data) == 1  # the same picture, inline, does embed


def test_a_file_attachment_is_not_embedded() -> None:
    inline = "data:text/plain;base64," + base64.b64encode(b"Amina").decode()

    from_file = render_pdf(f'{PORTFOLIO}<link rel="attachment" href="file:///etc/hostname">')
    from_data = render_pdf(f'{PORTFOLIO}<link rel="attachment" href="{inline}">')

    assert read(from_file).attachments == {}
    assert len(read(from_data).attachments) == 1


def test_the_worker_runs_at_lower_priority() -> None:
    render_pdf(PORTFOLIO)
    pid = worker_pid()

    assert pid is not None and pid != os.getpid()
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    assert os.getpriority(os.PRIO_PROCESS, pid) >= min(ours + 10, 19)


def test_two_threads_rendering_at_once_both_get_their_pdf() -> None:
    start = threading.Barrier(2)

    def render(name: str) -> bytes:
        start.wait()
        return render_pdf(f"<p>Bonjour {name}</p>")

    with ThreadPoolExecutor(2) as pool:
        amina, yusuf = pool.map(render, ["Amina", "Yusuf"])
        pid = worker_pid()

    assert "Bonjour Amina" in text_of(amina)
    assert "Bonjour Yusuf" in text_of(yusuf)
    assert worker_pid() == pid  # one worker served both


@pytest.mark.parametrize("wait_for_death", [False, True], ids=["at-once", "after-death"])
def test_a_killed_worker_is_replaced(wait_for_death: bool) -> None:
    render_pdf(PORTFOLIO)
    killed = worker_pid()
    assert killed is not None
    os.kill(killed, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while wait_for_death and worker_pid() is not None and time.monotonic() < deadline:
        time.sleep(0.01)

    pdf = render_pdf(PORTFOLIO)

    assert "Bonjour Amina" in text_of(pdf)
    assert worker_pid() not in (None, killed)


def test_a_render_past_its_timeout_kills_the_worker() -> None:
    render_pdf(PORTFOLIO)
    slow = worker_pid()

    with pytest.raises(PdfError, match="longer than"):
        render_pdf("<div>" * 20_000 + "deep", timeout=1)

    assert slow is not None
    with pytest.raises(ProcessLookupError):
        os.kill(slow, 0)
    assert "Bonjour Amina" in text_of(render_pdf(PORTFOLIO))


@pytest.mark.parametrize(
    "html",
    [
        "",
        "<p>a\x00b</p>",
        "<html><body><p>unclosed <div><table><tr><td>x</b></i><<<>>>&&&;",
        "<style>p { color: </style><p style='width: calc(('>x",
        "<p>\udc80</p>",
        "</html></body><head><title>late</title></head>",
    ],
    ids=["empty", "nul", "unclosed", "broken-css", "lone-surrogate", "backwards"],
)
def test_malformed_html_renders_or_fails_cleanly(html: str) -> None:
    try:
        pdf = render_pdf(html, timeout=30)
    except PdfError as error:
        assert str(error)
    else:
        assert pdf.startswith(b"%PDF")
    assert render_pdf(PORTFOLIO).startswith(b"%PDF")


def test_an_error_reply_leaves_the_worker_running() -> None:
    render_pdf(PORTFOLIO)
    pid = worker_pid()

    with pytest.raises(PdfError, match="surrogate"):
        render_pdf("<p>\udc80</p>")

    assert worker_pid() == pid


def test_shutdown_stops_the_worker() -> None:
    render_pdf(PORTFOLIO)
    pid = worker_pid()
    assert pid is not None

    shutdown()

    assert worker_pid() is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_the_worker_module_stays_light() -> None:
    check = (
        "import sys, app.pdf.worker; "
        "assert not {'flask', 'weasyprint'} & set(sys.modules), sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", check], cwd=ROOT, check=True, timeout=30)
