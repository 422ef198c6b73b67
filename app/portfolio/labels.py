"""Where an entry came from, in words: the meeting and the step, in the reader's language."""

from __future__ import annotations

from app.portfolio.projection import Provenance
from app.workshops import Meeting, Script, Step


def origin(script: Script, locale: str, provenance: Provenance) -> tuple[Meeting, Step] | None:
    """The meeting and step a card was posted in, or None if the script no longer has them."""
    try:
        meeting = script.meeting(provenance.meeting, locale)
        return meeting, meeting.step(provenance.step)
    except KeyError:
        return None
