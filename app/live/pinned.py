"""The script a live session runs: the version it started with, not today's files.

An association may edit a meeting while a cycle runs; a session keeps showing the
guides, prompts and poll choices it started with, read from the text stored with it.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session

from app.models import LiveSession, ScriptVersion
from app.workshops import REFERENCE_LOCALE, Meeting, Script
from app.workshops.loader import load_pinned


@lru_cache(maxsize=64)
def _parsed(digest: str, slug: str, sources: tuple[tuple[str, str], ...]) -> dict[str, Meeting]:
    return load_pinned(slug, dict(sources))


def meeting_of(db: Session, live: LiveSession, locale: str, script: Script) -> Meeting:
    """The session's meeting in `locale` (French when that language was not stored)."""
    version = db.get(ScriptVersion, live.script_version_id)
    if version is None:  # pragma: no cover - every session pins its version at start
        return script.meeting(live.meeting_slug, locale)
    sources = tuple(sorted(version.sources.items()))
    meetings = _parsed(version.digest, live.meeting_slug, sources)
    return meetings.get(locale) or meetings[REFERENCE_LOCALE]
