"""The catalogues are compiled wherever the app runs, and a stale compiled one is not
trusted: a coordinator who edits a translation sees it at the next start."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app import catalogues
from app.languages import CATALOGUES


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    """The project's catalogues as a clean clone has them: `.po` files only."""
    for po in CATALOGUES.glob("*/LC_MESSAGES/messages.po"):
        target = tmp_path / po.relative_to(CATALOGUES)
        target.parent.mkdir(parents=True)
        shutil.copy2(po, target)
    return tmp_path


def retranslate(directory: Path, code: str, msgid: str, words: str) -> None:
    po = directory / code / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalogue = read_po(handle, locale=code)
    catalogue[msgid].string = words
    with po.open("wb") as handle:
        write_po(handle, catalogue)


def test_without_compiled_files_the_interface_is_french(copied: Path):
    assert catalogues.translations("fr", copied).gettext("Log in") == "Se connecter"


def test_a_string_arabic_lacks_is_french_without_compiled_files(copied: Path):
    retranslate(copied, "ar", "Log in", "")
    arabic = catalogues.translations("ar", copied)
    assert arabic.gettext("Log in") == "Se connecter"
    assert arabic.gettext("Log in") != "Log in"


def test_english_the_language_of_the_interface_needs_no_catalogue(copied: Path):
    assert catalogues.translations("en", copied).gettext("Log in") == "Log in"


def test_a_catalogue_edited_after_it_was_compiled_is_read_from_its_new_words(copied: Path):
    po = copied / "fr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        compiled = read_po(handle, locale="fr")
    with po.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, compiled)
    assert catalogues.translations("fr", copied).gettext("Log in") == "Se connecter"

    retranslate(copied, "fr", "Log in", "Entrer")
    later = po.stat().st_mtime_ns + 1_000_000_000
    os.utime(po, ns=(later, later))
    assert catalogues.translations("fr", copied).gettext("Log in") == "Entrer"
