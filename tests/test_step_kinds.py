"""An editor writes a break, a board whose cards start hidden, or an optional meeting,
and the loader reads it, or says on which line and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.workshops import load_script
from tests.test_workshops import line_of, problems, step_md, write


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "workshops"


def test_a_break_is_a_step_of_its_own_kind(folder: Path) -> None:
    write(folder, steps=(step_md("welcome"), step_md("break", extra="kind: break\n")))
    meeting = load_script(folder).meeting("w1-test", "fr")
    assert meeting.step("break").is_break
    assert not meeting.step("welcome").is_break
    assert meeting.step("welcome").kind == "activity"


def test_a_break_opens_no_board_and_feeds_nothing(folder: Path) -> None:
    bad = step_md("break", board="free_text", feeds="profile", extra="kind: break\n")
    path = write(folder, steps=(step_md("welcome"), bad))
    [error] = problems(folder)
    assert error.line == line_of(path, "kind: break")
    assert 'write "board: none" and "feeds: none"' in error.problem


def test_an_unknown_step_kind_names_the_known_ones(folder: Path) -> None:
    path = write(folder, steps=(step_md("welcome", extra="kind: pause\n"), step_md("closing")))
    [error] = problems(folder)
    assert error.line == line_of(path, "kind: pause")
    assert 'unknown step kind "pause"' in error.problem


def test_personal_stories_can_start_hidden(folder: Path) -> None:
    timeline = step_md("timeline", board="timeline", feeds="migration_pathway")
    hidden = timeline.replace("feeds:", "visibility: hidden\nfeeds:")
    write(folder, steps=(step_md("welcome"), hidden))
    meeting = load_script(folder).meeting("w1-test", "fr")
    assert meeting.step("timeline").visibility == "hidden"
    assert meeting.step("welcome").visibility == "room"


@pytest.mark.parametrize("board", ["none", "group_rules", "self_assessment", "poll"])
def test_hidden_first_is_only_for_a_board_of_personal_cards(folder: Path, board: str) -> None:
    extra = "visibility: hidden\n" + ("phase: before\n" if board == "self_assessment" else "")
    extra += "### Sondage\n\n- Yes\n- No\n" if board == "poll" else ""
    path = write(folder, steps=(step_md("welcome", board=board, extra=extra), step_md("end")))
    errors = problems(folder)
    assert any(
        e.line == line_of(path, "visibility: hidden") and "board of personal cards" in e.problem
        for e in errors
    )


def test_a_translation_keeps_the_breaks_and_the_hidden_boards(folder: Path) -> None:
    write(folder, steps=(step_md("welcome"), step_md("break", extra="kind: break\n")))
    write(folder, "w1-test.en.md", steps=(step_md("welcome"), step_md("break")))
    [error] = problems(folder)
    assert error.path.endswith("w1-test.en.md")
    assert 'kind is "activity" but the French reference says "break"' in error.problem


def test_an_optional_meeting_says_so_in_its_front_matter(folder: Path) -> None:
    write(folder, extra_front="optional: yes\n")
    write(folder, "w2-test.fr.md", number=2)
    script = load_script(folder)
    assert script.reference("w1-test").optional
    assert not script.reference("w2-test").optional


def test_optional_takes_yes_or_no(folder: Path) -> None:
    path = write(folder, extra_front="optional: perhaps\n")
    [error] = problems(folder)
    assert error.line == line_of(path, "optional:")
    assert '"optional" must be yes or no' in error.problem


def test_cards_written_unseen_wait_for_the_tutor_to_show_them(folder: Path) -> None:
    later = step_md("competences", board="competences", feeds="competences")
    write(folder, steps=(step_md("welcome"), later.replace("feeds:", "visibility: later\nfeeds:")))
    assert load_script(folder).meeting("w1-test", "fr").step("competences").visibility == "later"


def test_a_private_board_cannot_wait_to_be_shown(folder: Path) -> None:
    extra = "visibility: later\nphase: before\n"
    path = write(
        folder, steps=(step_md("welcome", board="self_assessment", extra=extra), step_md("end"))
    )
    [error] = problems(folder)
    assert error.line == line_of(path, "visibility: later")
    assert '"visibility: later" is for a board the group reads' in error.problem
