"""Which languages the app speaks, to whom, and how a count is said in each.

Plain data and Babel, no Flask: the configuration's default, the locale selector, the
workshop loader and the translation check (app.translation_check) read these facts.

- French and English cover every page, staff pages and tutor guides included.
- Arabic and Spanish cover what a participant sees: joining, the waiting page, the
  room, the portfolio, the CV, messages and errors, the PDFs and the workshop prompts.
  A string a catalogue lacks falls back to French (see app.i18n), never to nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel import Locale

CATALOGUES = Path(__file__).resolve().parent / "translations"

# The interface's own words are written in English (the msgids); French is the
# reference the programme runs in, and every other catalogue falls back to it.
SOURCE_LANGUAGE = "en"
FALLBACK_LANGUAGE = "fr"
STAFF_LANGUAGES: tuple[str, ...] = ("fr", "en")
PARTICIPANT_LANGUAGES: tuple[str, ...] = ("fr", "en", "ar", "es")
# Catalogues written without a native speaker: the README lists them until one reviews.
AWAITING_REVIEW: tuple[str, ...] = ("ar", "es")


@dataclass(frozen=True)
class Counted:
    """A count said by the rules of its language: the wording of each plural category
    (CLDR's zero, one, two, few, many, other; app.i18n.plural_forms fills them in),
    picked for a number with Babel. Plain data: a PDF drawn off the event loop uses it."""

    locale: str
    forms: Mapping[str, str]

    def __call__(self, count: int) -> str:
        category = Locale.parse(self.locale).plural_form(count)
        wording = self.forms.get(category) or self.forms["other"]
        return wording.replace("{count}", str(count))
