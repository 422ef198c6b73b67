"""Fetching a PDF export as a phone does: ask, wait on the page that checks by itself,
then download the file it offers."""

from __future__ import annotations

import html
import re
import time
from typing import Any
from urllib.parse import urljoin

DOWNLOAD_LINK = re.compile(r'data-testid="export-download"[^>]*href="([^"]+)"', re.S)


def fetch_pdf(browser: Any, asked: Any, timeout: float = 90) -> Any:
    """`asked` is the answer to the export request (Flask test client or requests)."""
    status = getattr(asked, "status_code", None)
    assert status == 303, status
    base = getattr(asked, "url", "")  # requests knows where it was; the test client is local
    page_url = urljoin(base, asked.headers["Location"])
    deadline = time.monotonic() + timeout
    while True:
        page = browser.get(page_url)
        if page.status_code != 202:
            break
        assert time.monotonic() < deadline, "the PDF was never ready"
        time.sleep(0.1)
    text = page.text if hasattr(page, "text") else page.get_data(as_text=True)
    assert page.status_code == 200, (page.status_code, text[:500])
    link = DOWNLOAD_LINK.search(text)
    assert link, "the ready page offers no download"
    return browser.get(urljoin(base, html.unescape(link.group(1))))
