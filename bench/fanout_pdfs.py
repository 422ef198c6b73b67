"""Portfolio PDFs asked for from phones while a fan-out round runs (`fanout_under_pdf`).

Each requester is a phone doing what the portfolio page does: read `/me` (its form's
CSRF token), post `/me/portfolio.pdf`, wait on the export page, which reloads itself
every two seconds (`<meta http-equiv="refresh" content="2">`), and download the file
it offers. By default each asks once, all at the start of the round; `repeat` has each
ask again as soon as its file is down, so that this many PDFs are wanted for the whole
round (a harsher load: on two cores the PDF worker then holds one core throughout). The
requesters run in a process of their own: their threads never share the interpreter
(or its lock) with the client loop that times the room.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests

from tests.drivers import csrf_token

REFRESH_S = 2.0  # the export page's own meta refresh
READY_LINK = re.compile(r'data-testid="export-download"[^>]*href="([^"]+)"', re.S)


def _one_phone(
    url: str, cookies: dict[str, str], repeat: bool, stop: Any, made: list[float]
) -> None:
    phone = requests.Session()
    phone.cookies.update(cookies)
    token = csrf_token(phone.get(f"{url}/me", timeout=30).text)
    while not stop.is_set():
        asked_at = time.monotonic()
        asked = phone.post(
            f"{url}/me/portfolio.pdf",
            data={"csrf_token": token},
            allow_redirects=False,
            timeout=30,
        )
        if asked.status_code != 303:
            time.sleep(REFRESH_S)  # busy or refused: the page would say "try again"
            continue
        waiting = urljoin(url, asked.headers["Location"])
        while not stop.is_set():
            page = phone.get(waiting, timeout=30)
            if page.status_code != 202:
                break
            stop.wait(REFRESH_S)
        else:
            return
        link = READY_LINK.search(page.text)
        if page.status_code == 200 and link:
            pdf = phone.get(urljoin(url, link.group(1).replace("&amp;", "&")), timeout=30)
            if pdf.content.startswith(b"%PDF"):
                made.append(time.monotonic() - asked_at)
        if not repeat:
            return


def _run(url: str, phones: list[dict[str, str]], repeat: bool, stop: Any, said: Any) -> None:
    made: list[float] = []
    workers = [
        threading.Thread(target=_one_phone, args=(url, cookies, repeat, stop, made), daemon=True)
        for cookies in phones
    ]
    for worker in workers:
        worker.start()
    said.put("started")
    for worker in workers:
        worker.join(timeout=120)
    said.put(made)


@dataclass
class PdfRequests:
    """The requesters' process: `start()` before the round, `stop()` after it."""

    url: str
    phones: list[dict[str, str]]
    repeat: bool = False
    made: list[float] = field(default_factory=list)

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self._said = context.Queue()
        self._process = context.Process(
            target=_run,
            args=(self.url, self.phones, self.repeat, self._stop, self._said),
            daemon=True,
        )
        self._process.start()
        assert self._said.get(timeout=60) == "started"

    def stop(self) -> list[float]:
        """Once each: wait for every file. Repeating: stop asking, finish what is asked."""
        if self.repeat:
            self._stop.set()
        self.made = self._said.get(timeout=180)
        self._process.join(timeout=30)
        return self.made
