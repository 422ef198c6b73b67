"""Guides for staff that are not a meeting: Markdown files beside the workshop scripts.

`workshops/guides/<name>.<locale>.md`, written by the association like the scripts; a
guide not translated yet is read in French, the language every script is written in
first. Read from the disk when it changes, so an edited guide shows without a restart.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from app.workshops import REFERENCE_LOCALE

URGENT = "urgent-situations"
# A guide is written as a document ("# Title", "## Part"); on the page it sits under the
# page's own title, and the one Markdown path keeps headings from level 3 down.
_HEADING = re.compile(r"^(#{1,4})(?=\s)", re.MULTILINE)


def guide_path(workshops_dir: Path, name: str, locale: str) -> Path | None:
    """The guide's file in this language, else in French; None when neither exists."""
    for language in (locale, REFERENCE_LOCALE):
        path = workshops_dir / "guides" / f"{name}.{language}.md"
        if path.is_file():
            return path
    return None


def urgent_guide(workshops_dir: Path, locale: str) -> tuple[str, str]:
    """What to do in an urgent situation, as Markdown, and the language it is in (an
    empty text when the file is missing)."""
    path = guide_path(workshops_dir, URGENT, locale)
    if path is None:
        return "", locale
    language = path.name.removesuffix(".md").rpartition(".")[2]
    return _read(str(path), path.stat().st_mtime_ns), language


@functools.lru_cache(maxsize=16)
def _read(path: str, _mtime_ns: int) -> str:
    return _HEADING.sub(r"##\1", Path(path).read_text(encoding="utf-8"))
