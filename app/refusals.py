"""The one base of every refusal the app tells a person: a stable code, and what it is about.

Each domain raises its own kind (the live engine `IllegalMove`, the portfolio
`PortfolioRefused`, a date `DateRefused`…), so a boundary catches the one it expects;
they share this base so the code and detail are read the same way everywhere.
"""

from __future__ import annotations


class Refused(Exception):
    """A refusal; `code` is stable (for translation and tests), `detail` names what."""

    def __init__(self, code: str, detail: str = "", message: str | None = None) -> None:
        if message is None:
            message = f"{code}: {detail}" if detail else code
        super().__init__(message)
        self.code = code
        self.detail = detail
