"""The one exception the live domain raises for a refused move."""

from __future__ import annotations

from app.refusals import Refused


class IllegalMove(Refused):
    """A move the session's rules refuse; `code` is stable, for translation and tests."""
