"""The translation catalogues, compiled wherever the app runs.

`make translations` compiles each `messages.po` into a `messages.mo` beside it. A
deployment that never runs make (`pip install .`, the Procfile's release) has only the
`.po` files: there, each catalogue is compiled here, in memory, once per process, so the
interface is French by default however the app was installed. A `.mo` older than its
`.po` (a catalogue edited since the last `make translations`) is compiled again too.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.languages import CATALOGUES, FALLBACK_LANGUAGE, SOURCE_LANGUAGE

DOMAIN = "messages"


def _files(code: str, directory: Path) -> tuple[Path, Path]:
    folder = directory / code / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


def _fingerprint(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_mtime_ns, stat.st_size


def translations(code: str, directory: Path = CATALOGUES) -> support.Translations:
    """`code`'s catalogue, with French underneath for a language other than French or
    English (a string still untranslated there shows the programme's French)."""
    own = _compiled(code, directory, *map(_fingerprint, _files(code, directory)))
    if code in (FALLBACK_LANGUAGE, SOURCE_LANGUAGE):
        return own
    layered = support.Translations()
    layered.merge(own)
    layered.plural = own.plural  # merge() copies the messages, not the plural rule
    layered.add_fallback(translations(FALLBACK_LANGUAGE, directory))
    return layered


@lru_cache(maxsize=32)
def _compiled(
    code: str, directory: Path, po: tuple[int, int] | None, mo: tuple[int, int] | None
) -> support.Translations:
    """The catalogue as of these files' fingerprints: a changed file is read again."""
    po_path, mo_path = _files(code, directory)
    if mo is not None and (po is None or mo[0] >= po[0]):
        with mo_path.open("rb") as handle:
            return support.Translations(handle, domain=DOMAIN)
    if po is None:  # English, the language the interface is written in: no catalogue
        return support.Translations()
    with po_path.open("rb") as handle:
        catalogue = read_po(handle, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)  # fuzzy entries left out, as `pybabel compile` does
    compiled.seek(0)
    return support.Translations(compiled, domain=DOMAIN)


def warm(codes: tuple[str, ...], directory: Path = CATALOGUES) -> None:
    """Compile every catalogue now, at start-up, rather than inside the first request
    of each language (75 ms a catalogue, while every room waits)."""
    for code in codes:
        translations(code, directory)
