"""Competence suggestions: the shipped list loads, and a broken file says where and what."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.workshops import ScriptError, ScriptErrors
from app.workshops.suggestions import COMPETENCE_CATEGORIES, Suggestion, load_suggestions

SHIPPED = Path(__file__).resolve().parent.parent / "workshops" / "competences.yaml"

GOOD_ENTRY = "  - category: migration\n    fr: Apprendre une langue\n    en: Learn a language\n"


@pytest.fixture(scope="module")
def shipped() -> tuple[Suggestion, ...]:
    return load_suggestions(SHIPPED)


def problems(tmp_path: Path, text: str) -> list[ScriptError]:
    """Write ``text`` as the editor would have saved it, and collect what the loader says."""
    folder = tmp_path / "workshops"
    folder.mkdir()
    path = folder / "competences.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScriptErrors) as raised:
        load_suggestions(path)
    for error in raised.value.errors:
        assert error.path == "workshops/competences.yaml"
    return raised.value.errors


# The shipped list


def test_the_shipped_list_loads(shipped: tuple[Suggestion, ...]) -> None:
    assert shipped
    assert all(isinstance(s, Suggestion) for s in shipped)


def test_participants_find_suggestions_in_every_category(
    shipped: tuple[Suggestion, ...],
) -> None:
    counts = Counter(s.category for s in shipped)
    assert set(counts) == set(COMPETENCE_CATEGORIES)
    for category in COMPETENCE_CATEGORIES:
        assert counts[category] >= 10, category


def test_every_suggestion_reads_in_french_and_in_english(
    shipped: tuple[Suggestion, ...],
) -> None:
    for suggestion in shipped:
        assert suggestion.names["fr"].strip(), suggestion
        assert suggestion.names["en"].strip(), suggestion
        assert suggestion.name("en") == suggestion.names["en"]


def test_no_competence_is_suggested_twice(shipped: tuple[Suggestion, ...]) -> None:
    for locale in ("fr", "en", "ar", "es"):
        names = [s.names[locale].casefold() for s in shipped if locale in s.names]
        assert len(names) == len(set(names)), [n for n, c in Counter(names).items() if c > 1]


def test_a_language_without_a_translation_shows_the_french_name(
    shipped: tuple[Suggestion, ...],
) -> None:
    suggestion = shipped[0]
    assert suggestion.name("tr") == suggestion.names["fr"]  # no Turkish names yet


# What an editor is told when the file is broken


def test_a_misspelt_category_is_shown_with_its_line_and_the_right_spelling(
    tmp_path: Path,
) -> None:
    text = (
        "competences:\n"
        + GOOD_ENTRY
        + "  - category: migrations\n    fr: Voyager\n    en: Travel\n"
    )
    [error] = problems(tmp_path, text)
    assert error.line == 5
    assert 'unknown category "migrations"' in error.problem
    assert 'did you mean "migration"?' in error.problem


def test_an_entry_without_english_is_shown_with_its_line(tmp_path: Path) -> None:
    text = "competences:\n" + GOOD_ENTRY + "  - category: social\n    fr: Aider ses voisins\n"
    [error] = problems(tmp_path, text)
    assert error.line == 5
    assert 'no "en:" line' in error.problem


def test_a_typo_in_a_key_is_an_error_not_silently_ignored(tmp_path: Path) -> None:
    text = "competences:\n" + GOOD_ENTRY.replace("    en:", "    eng:")
    no_english, unknown_key = problems(tmp_path, text)
    assert (no_english.line, unknown_key.line) == (2, 4)
    assert 'no "en:" line' in no_english.problem
    assert 'unknown key "eng"' in unknown_key.problem
    assert 'did you mean "en"?' in unknown_key.problem


def test_competences_written_as_a_single_line_are_refused_with_a_hint(tmp_path: Path) -> None:
    [error] = problems(tmp_path, "\n\ncompetences: Parler plusieurs langues\n")
    assert error.line == 3
    assert "must be a list" in error.problem
    assert '"- category: …"' in error.problem


def test_a_french_colon_left_unquoted_is_shown_with_its_line_and_the_fix(
    tmp_path: Path,
) -> None:
    text = "competences:\n" + GOOD_ENTRY.replace("une langue", "une langue : le français")
    [error] = problems(tmp_path, text)
    assert error.line == 3
    assert "between double quotes" in error.problem


def test_every_problem_of_the_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "competences:\n"
        + GOOD_ENTRY
        + "  - category: job\n    fr: Cuisiner\n    en: Cook\n"
        + GOOD_ENTRY.replace("Learn", "Study")
    )
    errors = problems(tmp_path, text)
    assert [e.line for e in errors] == [5, 9]
    assert "already in the list (line 3)" in errors[1].problem
    assert "2 problems" in str(ScriptErrors(errors))


# Where the CV puts a suggestion


def test_digital_skills_and_the_driving_licence_say_so_for_the_cv(
    shipped: tuple[Suggestion, ...],
) -> None:
    groups = Counter(s.europass for s in shipped if s.europass)
    assert groups["digital"] >= 3
    assert groups["driving"] >= 1
    computer = next(s for s in shipped if s.name("en") == "Use a computer")
    assert computer.europass == "digital"


def test_an_unknown_europass_group_is_refused_on_its_line(tmp_path: Path) -> None:
    text = "competences:\n" + GOOD_ENTRY + "    europass: languages\n"
    [error] = problems(tmp_path, text)
    assert error.line == 5
    assert 'unknown Europass group "languages"' in error.problem
