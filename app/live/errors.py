"""The one exception the live domain raises for a refused move."""

from __future__ import annotations


class IllegalMove(Exception):
    """A move the session's rules refuse; `code` is stable, for translation and tests."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail
