"""Workshop scripts: what ships loads, and a broken file says where and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.workshops import Script, ScriptError, ScriptErrors, load_script
from app.workshops.loader import load_pinned

SHIPPED = Path(__file__).resolve().parent.parent / "workshops"
W1 = "w1-presentation"


@pytest.fixture(scope="module")
def shipped() -> Script:
    return load_script(SHIPPED)


def step_md(
    step_id: str,
    *,
    title: str = "A step",
    duration: int | str = 30,
    board: str = "none",
    feeds: str = "none",
    extra: str = "",
    guide: str = "Say hello.",
    prompt: str = "Hello.",
) -> str:
    return (
        f"## {title} {{#{step_id}}}\n\nduration: {duration}\nboard: {board}\n"
        f"feeds: {feeds}\n{extra}\n### Guide\n\n{guide}\n\n### Prompt\n\n{prompt}\n\n"
    )


def meeting_md(
    *,
    number: int = 1,
    title: str = "Test meeting",
    duration_minutes: int = 60,
    objectives: str = "  - Know each other.\n",
    extra_front: str = "",
    steps: tuple[str, ...] | None = None,
) -> str:
    if steps is None:
        steps = (step_md("welcome"), step_md("closing"))
    return (
        f"---\nnumber: {number}\ntitle: {title}\nduration_minutes: {duration_minutes}\n"
        f"objectives:\n{objectives}{extra_front}---\n\n# A note for editors\n\n" + "".join(steps)
    )


def write(
    directory: Path, name: str = "w1-test.fr.md", text: str | None = None, **overrides: object
) -> Path:
    """Write one meeting file: a valid one, unless overrides break it."""
    directory.mkdir(exist_ok=True)
    path = directory / name
    path.write_text(meeting_md(**overrides) if text is None else text, encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    numbers = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return numbers[occurrence - 1]


def problems(directory: Path, **kwargs: object) -> list[ScriptError]:
    with pytest.raises(ScriptErrors) as raised:
        load_script(directory, **kwargs)
    return raised.value.errors


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "workshops"


# The shipped scripts


CYCLE = [
    ("w0-preparatory", 0, 45, "interview"),
    ("w1-presentation", 1, 120, "workshop"),
    ("w2-migration", 2, 120, "workshop"),
    ("w3-professional-experience", 3, 120, "workshop"),
    ("w4-professional-competences", 4, 120, "workshop"),
    ("w5-social-experience", 5, 120, "workshop"),
    ("forum-visit", "F", 120, "workshop"),
    ("w6-action-plan", 6, 120, "workshop"),
    ("w-recruiters", "R", 120, "workshop"),  # optional: the recruiters' workshop
    ("w7-cv-evaluation", 7, 150, "workshop"),
]


def test_the_meetings_of_the_cycle_ship_in_order(shipped: Script) -> None:
    assert shipped.slugs() == [slug for slug, *_ in CYCLE]
    for slug, number, minutes, kind in CYCLE:
        for locale in ("fr", "en"):
            meeting = shipped.meeting(slug, locale)
            assert meeting.locale == locale, f"{slug} has no {locale} file"
            assert (meeting.number, meeting.duration_minutes, meeting.kind) == (
                number,
                minutes,
                kind,
            )
    assert shipped.meeting(W1, "fr").title == "Présentation et dynamique de groupe"
    assert shipped.meeting(W1, "en").title == "Presentation and group dynamics"


@pytest.mark.parametrize("slug", [slug for slug, *_ in CYCLE])
def test_both_languages_run_the_same_steps_in_the_same_order(shipped: Script, slug: str) -> None:
    french, english = shipped.meeting(slug, "fr"), shipped.meeting(slug, "en")
    assert french.step_ids() == english.step_ids()
    for ours, theirs in zip(french.steps, english.steps, strict=True):
        assert (ours.board, ours.feeds, ours.form, ours.duration_minutes) == (
            theirs.board,
            theirs.feeds,
            theirs.form,
            theirs.duration_minutes,
        )
        assert len(ours.poll_options) == len(theirs.poll_options)
        assert ours.prompt_md and theirs.prompt_md, f"{slug}/{ours.id} has no prompt"


def test_every_board_type_is_used_somewhere_in_the_cycle(shipped: Script) -> None:
    from app.vocabulary import BOARD_TYPES

    used = {step.board for slug in shipped.slugs() for step in shipped.reference(slug).steps}
    assert used == set(BOARD_TYPES)


def test_the_preparatory_meeting_is_an_interview_covering_every_part_of_the_form(
    shipped: Script,
) -> None:
    from app.vocabulary import INTERVIEW_FORM_SECTIONS

    meeting = shipped.reference("w0-preparatory")
    assert meeting.is_interview
    assert {step.form for step in meeting.steps} - {None} == set(INTERVIEW_FORM_SECTIONS)
    assert {step.board for step in meeting.steps} == {"none"}


def test_workshop_4_turns_experiences_into_competences(shipped: Script) -> None:
    meeting = shipped.reference("w4-professional-competences")
    boards = {step.id: (step.board, step.feeds) for step in meeting.steps}
    assert boards["my-experiences"] == ("experiences", "professional_experiences")
    assert boards["competences"] == ("competences", "competences")


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_workshop_1_steps_fill_exactly_two_hours(shipped: Script, locale: str) -> None:
    meeting = shipped.meeting(W1, locale)
    assert meeting.duration_minutes == 120
    assert sum(step.duration_minutes for step in meeting.steps) == 120


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_step_has_a_tutor_guide_and_a_participant_prompt(
    shipped: Script, locale: str
) -> None:
    meeting = shipped.meeting(W1, locale)
    assert meeting.objectives
    for step in meeting.steps:
        assert step.guide_md.strip() and step.prompt_md.strip(), step.id


def test_the_group_writes_its_rules_together_and_presentations_feed_the_profile(
    shipped: Script,
) -> None:
    meeting = shipped.meeting(W1, "fr")
    rules = meeting.step("group-rules")
    assert (rules.board, rules.feeds) == ("group_rules", None)  # collective, nobody's portfolio
    assert meeting.step("presentations").feeds == "profile"
    assert meeting.step("welcome").board == "none"


def test_a_missing_translation_falls_back_to_the_french_reference(shipped: Script) -> None:
    assert shipped.meeting(W1, "ar").locale == "fr"
    assert shipped.meeting(W1, "en").locale == "en"


def test_a_session_can_pin_the_exact_version_of_a_meeting(folder: Path) -> None:
    write(folder)
    english = write(folder, "w1-test.en.md")
    before = load_script(folder)
    assert set(before.sources("w1-test")) == {"fr", "en"}
    assert before.digest("w1-test") == load_script(folder).digest("w1-test")

    english.write_text(english.read_text().replace("Say hello.", "Say hello kindly."))
    assert load_script(folder).digest("w1-test") != before.digest("w1-test")


def test_meetings_are_listed_in_the_order_of_the_cycle(folder: Path) -> None:
    write(folder, "w2-pathway.fr.md", number=2)
    write(folder, "w10-late.fr.md", number=10)
    write(folder, "w1-test.fr.md", number=1)
    assert load_script(folder).slugs() == ["w1-test", "w2-pathway", "w10-late"]


def test_guide_and_prompt_stay_raw_markdown_even_with_headings_in_code(folder: Path) -> None:
    guide = "**Listen.**\n\n#### Timing\n\n```\n## not a step {#nope}\n```"
    write(folder, steps=(step_md("welcome", guide=guide), step_md("closing")))
    step = load_script(folder).meeting("w1-test", "fr").step("welcome")
    assert step.guide_md == guide
    assert step.prompt_md == "Hello."


def test_files_in_a_language_not_enabled_are_skipped(folder: Path) -> None:
    write(folder)
    write(folder, "w1-test.de.md", text="not even a script")
    assert load_script(folder, locales=("fr", "en")).meeting("w1-test", "de").locale == "fr"


# Broken files: the error names the file, the line and the problem


def test_a_file_without_front_matter_is_reported_on_line_1(folder: Path) -> None:
    write(folder, text="# Atelier 1\n\n## Welcome {#welcome}\n")
    [error] = problems(folder)
    assert (error.path, error.line) == ("workshops/w1-test.fr.md", 1)
    assert "no front matter" in error.problem


def test_an_unknown_board_names_the_line_and_the_known_boards(folder: Path) -> None:
    path = write(folder, steps=(step_md("welcome", board="group-rule"), step_md("closing")))
    [error] = problems(folder)
    assert str(error).startswith(
        f"workshops/w1-test.fr.md, line {line_of(path, 'board: group-rule')}: "
        'unknown board type "group-rule" (known: none, group_rules, timeline'
    )
    assert 'did you mean "group_rules"' in error.problem


def test_a_typo_in_a_step_key_is_an_error_not_silently_ignored(folder: Path) -> None:
    path = write(
        folder, steps=(step_md("welcome", extra="boad: group_rules\n"), step_md("closing"))
    )
    [error] = problems(folder)
    assert error.line == line_of(path, "boad:")
    assert error.problem.startswith('unknown key "boad"')
    assert 'did you mean "board"' in error.problem


def test_a_typo_in_the_front_matter_is_an_error(folder: Path) -> None:
    path = write(folder, extra_front="objectifs:\n  - Oops\n")
    [error] = problems(folder)
    assert error.line == line_of(path, "objectifs:")
    assert 'unknown key "objectifs"' in error.problem


def test_a_step_id_used_twice_points_at_the_second_heading(folder: Path) -> None:
    path = write(folder, steps=(step_md("welcome"), step_md("welcome")))
    [error] = problems(folder)
    assert error.line == line_of(path, "{#welcome}", occurrence=2)
    assert f'"welcome" is used twice (first on line {line_of(path, "{#welcome}")})' in str(error)


def test_a_step_id_must_be_lower_case_letters_digits_and_dashes(folder: Path) -> None:
    path = write(folder, steps=(step_md("Group_Rules"), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "{#Group_Rules}")
    assert "lower case letters, digits and dashes" in error.problem


def test_durations_that_do_not_add_up_point_at_the_meeting_duration(folder: Path) -> None:
    path = write(folder, duration_minutes=120)
    [error] = problems(folder)
    assert error.line == line_of(path, "duration_minutes:")
    assert "the steps add up to 60 minutes but duration_minutes is 120" in error.problem


def test_an_english_file_with_a_different_step_id(folder: Path) -> None:
    write(folder)
    english = write(folder, "w1-test.en.md", steps=(step_md("welcome"), step_md("goodbye")))
    [error] = problems(folder)
    assert (error.path, error.line) == ("workshops/w1-test.en.md", line_of(english, "{#goodbye}"))
    assert "expected welcome, closing; found welcome, goodbye" in error.problem


def test_a_translation_must_keep_boards_and_durations(folder: Path) -> None:
    write(folder)
    english = write(
        folder, "w1-test.en.md", steps=(step_md("welcome", board="group_rules"), step_md("closing"))
    )
    [error] = problems(folder)
    assert error.line == line_of(english, "{#welcome}")
    assert 'board is "group_rules" but the French reference says "none"' in error.problem


def prompt_only_step(step_id: str, prompt: str) -> str:
    """A step as a participant-language translator writes it: no guide, only the prompt."""
    keys = "duration: 30\nboard: none\nfeeds: none"
    return f"## Étape {{#{step_id}}}\n\n{keys}\n\n### Prompt\n\n{prompt}\n\n"


def test_a_translation_for_participants_may_leave_the_guides_to_french(folder: Path) -> None:
    write(folder, steps=(step_md("welcome", guide="Dites bonjour."), step_md("closing")))
    steps = (prompt_only_step("welcome", "¡Hola!"), prompt_only_step("closing", "Adiós."))
    spanish = write(folder, "w1-test.es.md", steps=steps)

    script = load_script(folder, locales=("fr", "es"))
    welcome = script.meeting("w1-test", "es").steps[0]
    assert welcome.prompt_md == "¡Hola!" and welcome.guide_md == "Dites bonjour."
    pinned = load_pinned("w1-test", script.sources("w1-test"))
    assert pinned["es"].steps[0].guide_md == "Dites bonjour."

    # English is a tutors' language: its guides are not optional.
    write(folder, "w1-test.en.md", steps=steps)
    errors = problems(folder, locales=("fr", "en"))
    assert {error.path for error in errors} == {"workshops/w1-test.en.md"}
    assert all('no "### Guide" section' in error.problem for error in errors)

    empty_guide = spanish.read_text().replace("### Prompt\n\n¡Hola!", "### Guide\n\n### Prompt")
    spanish.write_text(empty_guide)
    [error] = problems(folder, locales=("fr", "es"))
    assert 'the step "welcome" has no "### Guide" section or it is empty' in error.problem


def test_a_translation_without_its_french_reference(folder: Path) -> None:
    write(folder, "w1-test.en.md")
    [error] = problems(folder)
    assert error.path == "workshops/w1-test.en.md"
    assert 'no French reference "workshops/w1-test.fr.md"' in error.problem


def test_an_unknown_portfolio_section(folder: Path) -> None:
    path = write(folder, steps=(step_md("welcome", feeds="profil"), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "feeds: profil")
    assert 'unknown portfolio section "profil"' in error.problem


def test_an_unknown_subsection_heading(folder: Path) -> None:
    steps = (step_md("welcome").replace("### Prompt", "### Promt"), step_md("closing"))
    path = write(folder, steps=steps)
    [error] = problems(folder)
    assert error.line == line_of(path, "### Promt")
    assert 'unknown section "### Promt"' in error.problem


def test_a_french_colon_in_an_objective_gets_a_hint_about_quotes(folder: Path) -> None:
    path = write(folder, objectives="  - Se connaître : tout le monde parle.\n")
    [error] = problems(folder)
    assert error.line == line_of(path, "Se connaître")
    assert "double quotes" in error.problem


def test_every_problem_of_every_file_is_reported_at_once(folder: Path) -> None:
    write(folder, steps=(step_md("welcome", board="wall", duration="0"), step_md("closing")))
    write(folder, "w2-broken.fr.md", text="no front matter here\n")
    write(folder, "W3 Notes.md", text="")
    errors = problems(folder)
    assert len(errors) == 4
    message = str(ScriptErrors(errors))
    assert message.startswith("4 problems in the workshop scripts:")
    for expected in (
        'unknown board type "wall"',
        "duration must be minutes above 0",
        "workshops/w2-broken.fr.md, line 1: no front matter",
        "workshops/W3 Notes.md: file name not understood",
    ):
        assert expected in message


# Meeting kinds, interviews and polls


def poll_step(step_id: str = "vote", options: str = "- Yes\n- No\n", **kwargs: object) -> str:
    return step_md(step_id, board="poll", prompt=f"Shall we?\n\n### Poll\n\n{options}", **kwargs)


def test_a_meeting_outside_the_numbering_needs_an_order(folder: Path) -> None:
    path = write(folder, "forum.fr.md", number="F")  # type: ignore[arg-type]
    [error] = problems(folder)
    assert error.line == line_of(path, "number: F")
    assert 'needs an "order:" line' in error.problem


def test_a_labelled_meeting_sorts_by_its_order(folder: Path) -> None:
    write(folder, "w6-plan.fr.md", number=6)
    write(folder, "forum.fr.md", number="F", extra_front="order: 5.5\n")  # type: ignore[arg-type]
    write(folder, "w5-social.fr.md", number=5)
    assert load_script(folder).slugs() == ["w5-social", "forum", "w6-plan"]


def test_a_poll_reads_its_choices_from_its_list(folder: Path) -> None:
    write(
        folder,
        steps=(poll_step(options="- Clearer\n- The same\n- New ideas\n"), step_md("closing")),
    )
    step = load_script(folder).meeting("w1-test", "fr").step("vote")
    assert step.poll_options == ("Clearer", "The same", "New ideas")


@pytest.mark.parametrize(
    ("options", "needle", "expected"),
    [
        ("- Only one\n", "### Poll", "has 1 choices: give 2 to 8"),
        ("- Yes\nMaybe\n", "Maybe", 'each line starting with "- "'),
    ],
)
def test_a_poll_with_bad_choices_says_where(
    folder: Path, options: str, needle: str, expected: str
) -> None:
    path = write(folder, steps=(poll_step(options=options), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, needle)
    assert expected in error.problem


def test_a_poll_without_choices_is_refused(folder: Path) -> None:
    path = write(folder, steps=(step_md("vote", board="poll"), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "{#vote}")
    assert 'no "### Sondage" section' in error.problem


def test_choices_on_a_step_that_is_not_a_poll_are_refused(folder: Path) -> None:
    step = step_md("talk", prompt="Hello\n\n### Poll\n\n- Yes\n- No\n")
    write(folder, steps=(step, step_md("closing")))
    [error] = problems(folder)
    assert 'write "board: poll"' in error.problem


def test_a_collective_board_feeds_no_portfolio(folder: Path) -> None:
    step = step_md("rules", board="group_rules", feeds="profile")
    path = write(folder, steps=(step, step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "feeds: profile")
    assert "belongs to the group" in error.problem


def test_form_parts_belong_to_interviews_only(folder: Path) -> None:
    path = write(folder, steps=(step_md("welcome", extra="form: profile\n"), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "form: profile")
    assert 'only for a meeting with "kind: interview"' in error.problem


def test_an_interview_has_no_shared_board(folder: Path) -> None:
    steps = (
        step_md("profile", extra="form: profile\n"),
        step_md("rules", board="group_rules", extra="form: none\n"),
    )
    path = write(folder, number=0, extra_front="kind: interview\n", steps=steps)
    [error] = problems(folder)
    assert error.line == line_of(path, "board: group_rules")
    assert "an interview has no shared board" in error.problem


def test_an_unknown_form_part_is_named(folder: Path) -> None:
    steps = (step_md("profile", extra="form: profil\n"), step_md("closing"))
    write(folder, number=0, extra_front="kind: interview\n", steps=steps)
    [error] = problems(folder)
    assert 'unknown form part "profil"' in error.problem and 'did you mean "profile"' in str(error)


def test_a_translation_must_offer_the_same_number_of_poll_choices(folder: Path) -> None:
    write(folder, steps=(poll_step(), step_md("closing")))
    path = write(
        folder,
        "w1-test.en.md",
        steps=(poll_step(options="- Yes\n- No\n- Maybe\n"), step_md("closing")),
    )
    [error] = problems(folder)
    assert error.path.endswith("w1-test.en.md") and error.line == line_of(path, "{#vote}")
    assert "the poll has 3 choices but the French reference has 2" in error.problem


def test_a_competences_step_may_start_on_a_category(folder: Path) -> None:
    step = step_md("learnt", board="competences", extra="category: migration\n")
    write(folder, steps=(step, step_md("closing")))
    [meeting] = load_script(folder).meetings.values()
    assert meeting["fr"].steps[0].category == "migration"


def test_a_misspelt_category_is_named_with_the_right_one(folder: Path) -> None:
    step = step_md("learnt", board="competences", extra="category: migrtion\n")
    path = write(folder, steps=(step, step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "category: migrtion")
    assert 'did you mean "migration"' in error.problem


def test_a_category_on_a_board_without_categories_is_refused(folder: Path) -> None:
    step = step_md("dates", board="timeline", extra="category: migration\n")
    write(folder, steps=(step, step_md("closing")))
    [error] = problems(folder)
    assert "only for a step whose cards have a category" in error.problem


def test_the_migration_step_of_workshop_2_starts_on_the_migration_category(
    shipped: Script,
) -> None:
    for locale in ("fr", "en"):
        steps = {s.id: s for s in shipped.meeting("w2-migration", locale).steps}
        assert steps["migration-taught-me"].category == "migration"
