"""A participant reads every word in their own language: French, English, Arabic or
Spanish. An untranslated string or prompt fails here, with the list of what is missing."""

from __future__ import annotations

import re

import pytest

from app.languages import AWAITING_REVIEW, PARTICIPANT_LANGUAGES, SOURCE_LANGUAGE, STAFF_LANGUAGES
from app.paths import ROOT
from app.translation_check import (
    PARTICIPANT_FILES,
    catalogue,
    participant_texts,
    untranslated,
)
from app.workshops import REFERENCE_LOCALE, Script, load_script

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
TRANSLATED = [code for code in PARTICIPANT_LANGUAGES if code != SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def texts():
    return participant_texts()


@pytest.fixture(scope="module")
def script() -> Script:
    return load_script(ROOT / "workshops", PARTICIPANT_LANGUAGES)


def test_every_participant_file_named_exists():
    for pattern in PARTICIPANT_FILES:
        assert list(ROOT.glob(pattern)), f"{pattern} names no file"


def test_a_string_used_by_staff_first_and_a_participant_too_is_still_checked(texts):
    time_is_up = next(text for text in texts if text.key == "Time is up")
    assert any("templates/participant/room.html" in place for place in time_is_up.places)


def test_the_participant_files_are_the_ones_a_participant_reads(texts):
    files = {place.rsplit(":", 1)[0] for text in texts for place in text.places}
    assert {"templates/participant/room.html", "templates/pdf/portfolio.html"} <= files
    assert {"app/messages.py", "templates/portfolio/cv_edit.html"} <= files
    keys = {text.key for text in texts}
    assert "Start the break timer" not in keys  # the console's, not a participant's


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_participant_string_is_translated(texts, locale):
    missing = [f"{text.where}: {text.key}" for text in untranslated(locale, texts)]
    assert not missing, f"{len(missing)} untranslated in {locale}:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_a_translation_keeps_every_placeholder_of_its_string(locale):
    wrong = []
    for msgid, translation in catalogue(locale).items():
        forms = translation if isinstance(translation, tuple) else (translation,)
        wanted = set(PLACEHOLDER.findall(msgid))
        for form in filter(None, forms):
            found = set(PLACEHOLDER.findall(form))
            # A plural form may leave its number out ("صوتان": two votes), never add one.
            if found - wanted or (len(forms) == 1 and found != wanted):
                wrong.append(f"{msgid!r} -> {form!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("locale", [c for c in PARTICIPANT_LANGUAGES if c != REFERENCE_LOCALE])
def test_every_workshop_prompt_is_written_in_each_participant_language(script, locale):
    missing = []
    for slug in script.slugs():
        french = script.meetings[slug][REFERENCE_LOCALE]
        if french.is_interview:
            continue  # the tutor fills the preparatory interview in, in their language
        mine = script.meetings[slug].get(locale)
        if mine is None:
            missing.append(f"{slug}: no {slug}.{locale}.md")
            continue
        for theirs, step in zip(french.steps, mine.steps, strict=True):
            if theirs.prompt_md.strip() and not step.prompt_md.strip():
                missing.append(f"{slug}.{locale}.md: step {step.id} has no prompt")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("locale", STAFF_LANGUAGES)
def test_the_staff_languages_have_every_tutor_guide_too(script, locale):
    for slug in script.slugs():
        mine = script.meetings[slug][locale]
        french = script.meetings[slug][REFERENCE_LOCALE]
        for theirs, step in zip(french.steps, mine.steps, strict=True):
            assert step.guide_md != theirs.guide_md or locale == REFERENCE_LOCALE, (slug, step.id)


def test_the_readme_says_which_catalogues_await_a_native_speakers_review():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("awaiting a native speaker's review", 1)
    assert len(section) == 2, "the README has no list of catalogues awaiting review"
    listed = section[1][:600]
    for code in AWAITING_REVIEW:
        assert f"`{code}`" in listed
