"""Which languages the app speaks, to whom, and which of its words a participant reads.

Plain data and Babel, no Flask: the locale selector, the README's workflow
(`flask i18n missing`) and the test that fails on an untranslated participant string
all read this one list.

- French and English cover every page, staff pages included.
- Arabic and Spanish cover what a participant sees: joining, the waiting page, the
  room, the portfolio, the CV, messages and errors, the PDFs and the workshop prompts.
  A string a catalogue lacks falls back to French (see app.i18n), never to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ROOT / "app" / "translations"

# The interface's own words are written in English (the msgids); French is the
# reference the programme runs in and every other catalogue falls back to it.
SOURCE_LANGUAGE = "en"
FALLBACK_LANGUAGE = "fr"
STAFF_LANGUAGES: tuple[str, ...] = ("fr", "en")
PARTICIPANT_LANGUAGES: tuple[str, ...] = ("fr", "en", "ar", "es")
# Catalogues written without a native speaker: the README lists them until one reviews.
AWAITING_REVIEW: tuple[str, ...] = ("ar", "es")

# The files whose strings a participant reads, on the phone or in their PDFs.
PARTICIPANT_FILES: tuple[str, ...] = (
    "app/errors.py",
    "app/messages.py",
    "app/access.py",
    "app/participant_pages/*.py",
    "app/portfolio_pages/owner.py",
    "app/portfolio_pages/documents.py",
    "app/portfolio_pages/entry_form.py",
    "app/portfolio_pages/wording.py",
    "app/phone_words.py",
    "templates/base.html",
    "templates/error.html",
    "templates/_macros.html",
    "templates/_board.html",
    "templates/_self_assessment.html",
    "templates/_icons.html",
    "templates/participant/*.html",
    "templates/portfolio/_entries.html",
    "templates/portfolio/cv_edit.html",
    "templates/portfolio/entry_form.html",
    "templates/portfolio/export.html",
    "templates/portfolio/mine.html",
    "templates/pdf/_base.html",
    "templates/pdf/cv.html",
    "templates/pdf/portfolio.html",
    "templates/rights/_audit.html",
    "templates/rights/delete_mine.html",
    "templates/rights/deleted.html",
    "templates/rights/mine.html",
)

# How the interface's words are found (`make messages` runs this module): the functions
# that mark a text for translation, the plural pairs of app.i18n.plural_attrs included.
_METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
_KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "plural_attrs": (2, 3),
    "counted": (1, 2),
    "beside": None,
}


@dataclass(frozen=True)
class Text:
    """One participant-facing string: its msgid (a pair for a plural) and where it is."""

    msgid: str | tuple[str, str]
    where: str

    @property
    def key(self) -> str:
        return self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid


@dataclass(frozen=True)
class Counted:
    """A count said by the rules of its language: the wording of each plural category
    (CLDR's zero, one, two, few, many, other; app.i18n.counted fills them in), picked
    for a number with Babel. Plain data: a PDF drawn off the event loop can use it."""

    locale: str
    forms: Mapping[str, str]

    def __call__(self, count: int) -> str:
        category = Locale.parse(self.locale).plural_form(count)
        wording = self.forms.get(category) or self.forms["other"]
        return wording.replace("{count}", str(count))


def participant_file(path: str) -> bool:
    return any(fnmatch(path, pattern) for pattern in PARTICIPANT_FILES)


def _searched(directory: str) -> bool:
    return Path(directory).name not in {"node_modules", "test-artefacts", "instance"} and not (
        Path(directory).name.startswith((".", "_"))
    )


def all_texts() -> list[Text]:
    """Every string of the interface, once each, in file order."""
    seen: dict[str, Text] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), _METHODS, keywords=_KEYWORDS, directory_filter=_searched
    ):
        path = filename.replace("\\", "/")
        text = Text(message if isinstance(message, str) else tuple(message[:2]), f"{path}:{line}")
        seen.setdefault(text.key, text)
    return list(seen.values())


def participant_texts() -> list[Text]:
    """Every string of the participant's files, once each, in file order."""
    return [text for text in all_texts() if participant_file(text.where.rsplit(":", 1)[0])]


def write_template(path: Path) -> int:
    """The catalogue template (messages.pot) of every string, sorted, without locations:
    a diff of it shows only what changed. Returns how many strings it holds."""
    template = Catalog(project="Migrapass Live", fuzzy=False)
    for text in all_texts():
        template.add(text.msgid)
    with path.open("wb") as out:
        write_po(out, template, width=10000, sort_output=True, omit_header=False)
    return len(template)


def catalogue(locale: str) -> dict[str, object]:
    """msgid → translation (a string, or a tuple of plural forms) of one catalogue."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as po:
        read = read_po(po, locale=locale)
    return {
        m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read if m.id and not m.fuzzy
    }


def untranslated(locale: str, texts: list[Text] | None = None) -> Iterator[Text]:
    """The participant's strings that `locale`'s catalogue leaves untranslated (or fuzzy)."""
    if locale == SOURCE_LANGUAGE:
        return iter(())
    known = catalogue(locale)
    wanted = participant_texts() if texts is None else texts

    def translated(value: object) -> bool:
        if isinstance(value, (tuple, list)):
            return all(value)
        return bool(value)

    return (text for text in wanted if not translated(known.get(text.key)))


def main(argv: list[str]) -> int:
    """`python -m app.languages` writes the template (make messages);
    `python -m app.languages missing ar` lists what Arabic still lacks for participants."""
    if argv[:1] == ["missing"]:
        for locale in argv[1:] or [code for code in PARTICIPANT_LANGUAGES if code != "en"]:
            left = list(untranslated(locale))
            print(f"{locale}: {len(left)} participant string(s) untranslated")
            for text in left:
                print(f"  {text.where}: {text.key}")
        return 0
    count = write_template(CATALOGUES / "messages.pot")
    print(f"{count} strings in app/translations/messages.pot")
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
