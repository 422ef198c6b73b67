"""The interface's words, found in the code, and what each catalogue still lacks.

`python -m app.translation_check` writes app/translations/messages.pot (`make messages`);
`python -m app.translation_check missing ar` lists the participant strings Arabic lacks,
with their file and line; tests/test_translations_complete.py fails on any of them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.languages import CATALOGUES, PARTICIPANT_LANGUAGES, SOURCE_LANGUAGE

ROOT = CATALOGUES.parent.parent

# The files whose strings a participant reads, on the phone or in their PDFs.
PARTICIPANT_FILES: tuple[str, ...] = (
    "app/errors.py",
    "app/messages.py",
    "app/access.py",
    "app/audit_wording.py",  # "My data": who opened what, in the person's words
    "app/data_rights_pages/routes.py",
    "app/participant_pages/*.py",
    "app/portfolio_pages/owner.py",
    "app/portfolio_pages/documents.py",
    "app/portfolio_pages/entry_form.py",
    "app/portfolio_pages/wording.py",
    "templates/base.html",
    "templates/error.html",
    "templates/_macros.html",
    "templates/_board.html",
    "templates/_self_assessment.html",
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

# How the interface's words are found: the functions that mark a text for translation,
# the plural pairs of app.i18n's plural_attrs and plural_forms included.
_METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
_KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "plural_attrs": (2, 3),
    "plural_forms": (1, 2),
    "beside": None,
}


@dataclass(frozen=True)
class Text:
    """One string of the interface: its msgid (a pair for a plural) and where it is."""

    msgid: str | tuple[str, str]
    places: tuple[str, ...]  # every "file:line" it is used at

    @property
    def key(self) -> str:
        return self.msgid[0] if isinstance(self.msgid, tuple) else self.msgid

    @property
    def where(self) -> str:
        return self.places[0]


def participant_file(path: str) -> bool:
    return any(fnmatch(path, pattern) for pattern in PARTICIPANT_FILES)


def _searched(directory: str) -> bool:
    name = Path(directory).name
    return name not in {"node_modules", "test-artefacts", "instance"} and not name.startswith(
        (".", "_")
    )


def all_texts() -> list[Text]:
    """Every string of the interface, once each (with every place it is used), in the
    order first met."""
    places: dict[str, list[str]] = {}
    msgids: dict[str, str | tuple[str, str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(ROOT), _METHODS, keywords=_KEYWORDS, directory_filter=_searched
    ):
        msgid = message if isinstance(message, str) else tuple(message[:2])
        key = msgid if isinstance(msgid, str) else msgid[0]
        # A plural wins over the same words said once: the catalogue keeps the pair.
        if key not in msgids or isinstance(msgid, tuple):
            msgids[key] = msgid
        places.setdefault(key, []).append(f"{filename.replace(chr(92), '/')}:{line}")
    return [Text(msgids[key], tuple(found)) for key, found in places.items()]


def participant_texts() -> list[Text]:
    """Every string a participant reads: used at least once in one of their files."""
    return [
        text
        for text in all_texts()
        if any(participant_file(place.rsplit(":", 1)[0]) for place in text.places)
    ]


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
    """msgid → translation (a string, or the plural forms) of one catalogue, fuzzy
    entries left out: gettext does not use them."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as po:
        read = read_po(po, locale=locale)
    return {
        m.id if isinstance(m.id, str) else m.id[0]: m.string for m in read if m.id and not m.fuzzy
    }


def untranslated(locale: str, texts: list[Text] | None = None) -> Iterator[Text]:
    """The participant's strings (or `texts`) that `locale`'s catalogue lacks."""
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
    raise SystemExit(main(sys.argv[1:]))
