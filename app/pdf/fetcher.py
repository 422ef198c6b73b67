"""A WeasyPrint URL fetcher that fetches nothing from disk or network."""

from __future__ import annotations

from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class FetchRefused(ValueError):
    """A document referred to a resource outside itself."""


class RefusingFetcher(URLFetcher):
    """Let inline `data:` URIs through and refuse every other URL.

    Portfolio HTML holds participants' text: a `file://` or `http://` reference in it must
    never read the server's disk or reach the network. WeasyPrint logs a warning for each
    refusal and renders without the resource. Fonts come from fontconfig, not from here.
    """

    def __init__(self) -> None:
        # The allow-list in the base class is a second lock on the same door.
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the content of a `data:` URI; raise FetchRefused for anything else."""
        if urlsplit(url.strip()).scheme.lower() != "data":
            raise FetchRefused(f"external resource refused: {url[:200]}")
        return super().fetch(url, headers)
